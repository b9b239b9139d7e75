"""Use cases of the audit log that change it: appending events and signing tree heads."""

import asyncio
import logging

from audit.compliance import flows as compliance
from audit.log import service
from audit.log.models import TreeHead
from govit_kit.events import Event
from govit_kit.uow import UnitOfWork

log = logging.getLogger(__name__)


async def append_events(rt, *, uow: UnitOfWork, events: list[Event]) -> None:
    """Every platform event becomes the next leaf of the log (J4, L17), and the compliance
    checks see each in order, in the same transaction."""
    for row in await service.append(session=uow.session, events=events):
        await compliance.check_entry(rt, uow, row)


async def sign_now(rt) -> TreeHead:
    """Sign the log as it stands (no new head if nothing was appended since the last)."""
    async with rt.db.unit_of_work() as uow:
        return await service.sign_tree_head(uow.session, rt.state.signer)


async def sign_periodically(rt, stop: asyncio.Event) -> None:
    """Sign a tree head every GOVIT_AUDIT_SIGN_INTERVAL_S while the log grows."""
    while not stop.is_set():
        try:
            await sign_now(rt)
        except Exception:  # a database hiccup: try again next round
            log.exception("signing the tree head failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=rt.settings.audit_sign_interval_s)
        except TimeoutError:
            pass
