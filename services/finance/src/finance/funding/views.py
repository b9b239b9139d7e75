"""REST endpoints of funding lines."""

from typing import Annotated

from fastapi import APIRouter, Query

from finance.funding import service
from finance.funding.schemas import FundingLineRead
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page

router = APIRouter(prefix="/v1/funding-lines", tags=["funding lines"])


@router.get("", response_model=Page[FundingLineRead])
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
