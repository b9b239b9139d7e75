"""The books: entries are only inserted; a balance is the sum of the entries booked by a moment."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.funding.enums import EntryKind
from finance.funding.models import FundingLine, LedgerEntry
from govit.finance.v1 import events_pb2
from govit_kit.convert import to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.uow import UnitOfWork

ZERO = Decimal("0.00")


async def book(
    uow: UnitOfWork,
    line: FundingLine,
    kind: EntryKind,
    amount: Decimal,
    *,
    booked_by: str,
    memo: str = "",
    reverses: LedgerEntry | None = None,
) -> LedgerEntry:
    """Insert one entry on a line and its event, in the caller's transaction."""
    entry = LedgerEntry(
        funding_line_id=line.id,
        project_id=line.project_id,
        org_id=line.org_id,
        kind=kind.value,
        amount=amount.quantize(Decimal("0.01")),
        reverses_entry_id=reverses.id if reverses else None,
        memo=memo,
        booked_by=booked_by,
        booked_at=utcnow(),
    )
    uow.session.add(entry)
    await uow.session.flush()
    await uow.emit(
        "ledger_entry",
        "recorded",
        events_pb2.LedgerEntryRecorded(
            entry_id=entry.id,
            funding_line_id=line.id,
            project_id=line.project_id,
            org_id=line.org_id,
            entry_kind=entry.kind,
            amount=to_money(entry.amount),
            reverses_entry_id=entry.reverses_entry_id or "",
            memo=memo,
            booked_at=to_timestamp(entry.booked_at),
        ),
        subject=entry.id,
        org_id=line.org_id,
        project_id=line.project_id,
    )
    return entry


async def balance(session: AsyncSession, line_id: str, at: datetime | None = None) -> Decimal:
    """The line's balance as the books stood at `at` (now when None)."""
    query = select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
        LedgerEntry.funding_line_id == line_id
    )
    if at is not None:
        query = query.where(LedgerEntry.booked_at <= at)
    return Decimal(await session.scalar(query)).quantize(Decimal("0.01"))


async def totals(session: AsyncSession, line_id: str, at: datetime | None = None) -> dict:
    """Balance and its parts by entry kind (reversals counted under the kind they undo)."""
    rows = (
        await session.execute(
            select(LedgerEntry).where(
                LedgerEntry.funding_line_id == line_id,
                *([LedgerEntry.booked_at <= at] if at is not None else []),
            )
        )
    ).scalars()
    by_id, parts = {}, {k.value: ZERO for k in EntryKind if k is not EntryKind.REVERSAL}
    entries = list(rows)
    for e in entries:
        by_id[e.id] = e
    for e in entries:
        kind = by_id[e.reverses_entry_id].kind if e.reverses_entry_id in by_id else e.kind
        parts[kind if kind in parts else EntryKind.ADJUSTMENT.value] += e.amount
    return {**parts, "balance": sum(parts.values(), ZERO)}
