"""REST endpoints of funding lines and their ledger."""

from typing import Annotated

from fastapi import APIRouter, Query

from finance.funding import flows, service
from finance.funding.schemas import (
    BalanceRead,
    EntryCreate,
    FundingLineCreate,
    FundingLineRead,
    LedgerEntryRead,
    ReversalCreate,
)
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.values import UtcDatetime

router = APIRouter(tags=["funding lines"])


@router.get("/v1/funding-lines", response_model=Page[FundingLineRead])
async def list_funding_lines(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    project_id: Annotated[str | None, Query(max_length=36)] = None,
):
    """Funding lines the caller may see, optionally of one project."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible(who, project_id), paging)
    return Page[FundingLineRead](
        items=[FundingLineRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.post("/v1/funding-lines", response_model=FundingLineRead, status_code=201)
async def open_funding_line(body: FundingLineCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Finance opens a line (construction, O&M or cloud) with its source and allocation."""
    async with rt.db.unit_of_work() as uow:
        line = await flows.open_line(uow=uow, profile=rt.profile, who=who, data=body)
    return line


@router.get("/v1/funding-lines/{line_id}", response_model=FundingLineRead)
async def get_funding_line(line_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One line."""
    async with rt.db.sessions() as session:
        return await service.get_line(session, who, line_id)


@router.get("/v1/funding-lines/{line_id}/entries", response_model=Page[LedgerEntryRead])
async def list_entries(line_id: str, who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """The line's ledger, oldest first."""
    async with rt.db.sessions() as session:
        await service.get_line(session, who, line_id)
        rows, nxt = await fetch_page(session, service.entries(line_id), paging)
    return Page[LedgerEntryRead](
        items=[LedgerEntryRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.post("/v1/funding-lines/{line_id}/entries", response_model=LedgerEntryRead, status_code=201)
async def adjust_funding_line(
    line_id: str, body: EntryCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Finance adds to or cuts a line (an adjustment entry)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.adjust(uow=uow, who=who, line_id=line_id, data=body)


@router.post(
    "/v1/ledger-entries/{entry_id}/reversal", response_model=LedgerEntryRead, status_code=201
)
async def reverse_entry(
    entry_id: str, body: ReversalCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Undo an entry by booking its opposite."""
    async with rt.db.unit_of_work() as uow:
        return await flows.reverse(uow=uow, who=who, entry_id=entry_id, memo=body.memo)


@router.get("/v1/funding-lines/{line_id}/balance", response_model=BalanceRead)
async def get_balance(
    line_id: str,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    at: Annotated[
        UtcDatetime | None,
        Query(description="ISO 8601 moment with its UTC offset; now when absent"),
    ] = None,
):
    """The balance as the books stood at a moment."""
    async with rt.db.sessions() as session:
        line = await service.get_line(session, who, line_id)
        return await flows.balance_at(session, line, at)


@router.post("/v1/funding-lines/{line_id}/closing", response_model=FundingLineRead)
async def close_funding_line(line_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Close a line; its surplus is returned to the treasury (I5)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.close(uow=uow, profile=rt.profile, who=who, line_id=line_id)
