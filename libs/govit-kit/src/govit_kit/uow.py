"""The unit of work: one transaction that holds a state change and the events it causes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import current_actor
from govit_kit.db import new_id, utcnow
from govit_kit.events import event_type
from govit_kit.telemetry import current_traceparent

if TYPE_CHECKING:
    from govit_kit.db import Database


class UnitOfWork:
    """`async with db.unit_of_work() as uow:` commits on success, rolls back on error.

    Flows write rows through `uow.session` and record events with `uow.emit`; both
    commit together, so a state change is never without its event (outbox).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.session: AsyncSession = db.sessions()
        self.emitted: list[str] = []
        self.outbox_rows: list[dict[str, Any]] = []  # written in one statement at commit
        self._on_commit: list[Callable[[], None]] = []

    async def __aenter__(self) -> UnitOfWork:
        await self.session.begin()
        return self

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                if self.outbox_rows:
                    await self.session.execute(self.db.tables.outbox.insert(), self.outbox_rows)
                await self.session.commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()
        if exc_type is None:
            for callback in self._on_commit:
                callback()
        if exc_type is None and self.emitted:
            for callback in self.db._after_commit:
                callback()

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Call back once this unit of work has committed (never after a rollback); before the
        service-wide callbacks (the relay's wake), so what waits on this commit runs first."""
        self._on_commit.append(callback)

    async def emit(
        self,
        aggregate: str,
        name: str,
        message: Message,
        *,
        subject: str,
        org_id: str | None = None,
        project_id: str | None = None,
    ) -> str:
        """Record an event in the outbox of this transaction; returns its id.

        aggregate/name give the type govit.<service>.<aggregate>.<name>; subject is the
        aggregate's id (the CloudEvents subject). The transaction's outbox rows are inserted
        together just before it commits (one statement however many events it emits).
        """
        service = self.db.service
        event_id = new_id()
        self.outbox_rows.append(
            dict(
                event_id=event_id,
                nats_subject=f"{self.db.subject_root}.{service}.{aggregate}.{name}",
                event_type=event_type(service, aggregate, name),
                source=f"/govit/{service}",
                subject=subject,
                org_id=org_id,
                project_id=project_id,
                event_time=utcnow(),
                payload_type=message.DESCRIPTOR.full_name,
                payload=message.SerializeToString(deterministic=True),
                traceparent=current_traceparent(),
                # Who caused it: the caller of the request or RPC, else this service itself
                # (an event applied by a consumer).
                actor=current_actor.get() or f"service:{service}",
                attempts=0,
            )
        )
        self.emitted.append(event_id)
        return event_id
