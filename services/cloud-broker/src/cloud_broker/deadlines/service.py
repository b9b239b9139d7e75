"""Setting, meeting and finding due dates (never commits)."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cloud_broker.deadlines.models import Deadline
from govit_kit.auth import Principal, Role
from govit_kit.db import utcnow
from govit_kit.errors import Forbidden
from govit_kit.policy import Decision

READERS = frozenset({Role.BUREAU_CLOUD_ADMIN, Role.AUDITOR, Role.FINANCE_OFFICER})


async def set_due(
    *,
    session: AsyncSession,
    decision: Decision | None,
    subject_kind: str,
    subject_id: str,
    kind: str,
    org_id: str,
    party: str,
) -> Deadline | None:
    """Store the due date a deadline decision set (None: the profile sets no deadline here)."""
    if decision is None:
        return None
    due = decision.figures["due"]
    if not isinstance(due, datetime):  # a date: due at the close of that day in Shanghai
        from datetime import time

        from govit_kit.policy import SHANGHAI

        due = datetime.combine(due, time.max, tzinfo=SHANGHAI)
    row = Deadline(
        subject_kind=subject_kind,
        subject_id=subject_id,
        kind=kind,
        org_id=org_id,
        party=party,
        rule_id=decision.rule_id,
        article=decision.article,
        reason=decision.reason,
        due_at=due,
    )
    session.add(row)
    return row


async def meet(*, session: AsyncSession, subject_kind: str, subject_id: str, kind: str) -> None:
    """Record that the step was done (a passed deadline keeps its passed_at: it was late)."""
    await session.execute(
        update(Deadline)
        .where(
            Deadline.subject_kind == subject_kind,
            Deadline.subject_id == subject_id,
            Deadline.kind == kind,
            Deadline.met_at.is_(None),
        )
        .values(met_at=utcnow())
    )


def overdue(who: Principal, now: datetime):
    """The select of open deadlines past due that the caller may see: the bureau all, a unit its
    own, a provider those that are its duty."""
    q = (
        select(Deadline)
        .where(Deadline.met_at.is_(None), Deadline.due_at < now)
        .order_by(Deadline.due_at, Deadline.id)
    )
    if who.has(*READERS):
        return q
    if who.has(Role.UNIT_STAFF, Role.UNIT_CDO):
        return q.where(Deadline.org_id == who.org_id)
    if who.has(Role.CLOUD_PROVIDER) and who.provider_id:
        return q.where(Deadline.party == f"provider:{who.provider_id}")
    raise Forbidden("this role may not read deadlines")
