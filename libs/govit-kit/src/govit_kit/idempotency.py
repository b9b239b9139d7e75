"""Client-retried writes (Idempotency-Key) and optimistic concurrency (ETag / If-Match)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Header
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import select

from govit_kit.auth import Principal
from govit_kit.db import utcnow
from govit_kit.errors import DomainError, InvalidInput
from govit_kit.uow import UnitOfWork

if TYPE_CHECKING:
    from govit_kit.runtime import Runtime

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=128,
        description="Send the same key when retrying this write: the first result is replayed.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", max_length=64, description="The ETag the change is based on."),
]


class PreconditionFailed(DomainError):
    """If-Match names a version that is no longer current: someone else changed the object."""

    status, title, type_slug = 412, "Precondition failed", "precondition-failed"


def etag(version: int) -> str:
    """The ETag of an object version."""
    return f'"{version}"'


def check_if_match(if_match: str | None, version: int) -> None:
    """412 when the client's If-Match is not the current version (a lost update averted)."""
    if if_match is not None and if_match.strip() not in (etag(version), f"W/{etag(version)}", "*"):
        raise PreconditionFailed(
            f"the object changed since {if_match}; it is now {etag(version)}",
            current_etag=etag(version),
        )


async def idempotent(
    rt: Runtime,
    *,
    key: str | None,
    who: Principal,
    route: str,
    request: Any,
    status_code: int,
    action: Callable[[UnitOfWork], Awaitable[Any]],
) -> JSONResponse:
    """Run a write once per Idempotency-Key: the key, the effect and its events commit together,
    and a retry with the same key and request gets the first response again."""
    fingerprint = hashlib.sha256(
        json.dumps(jsonable_encoder(request), sort_keys=True).encode()
    ).hexdigest()
    table = rt.db.tables.idempotency
    async with rt.db.unit_of_work() as uow:
        if key is not None:
            seen = (
                await uow.session.execute(
                    select(table).where(table.c.key == key, table.c.org_id == who.org_id)
                )
            ).first()
            if seen is not None:
                if seen.fingerprint != fingerprint or seen.route != route:
                    raise InvalidInput(
                        "Idempotency-Key", "this key was used for a different request"
                    )
                return JSONResponse(
                    seen.body, status_code=seen.status, headers={"Idempotent-Replayed": "true"}
                )
        body = jsonable_encoder(await action(uow))
        if key is not None:
            await uow.session.execute(
                table.insert().values(
                    key=key,
                    org_id=who.org_id,
                    subject=who.subject,
                    route=route,
                    fingerprint=fingerprint,
                    status=status_code,
                    body=body,
                    created_at=utcnow(),
                )
            )
    return JSONResponse(body, status_code=status_code)
