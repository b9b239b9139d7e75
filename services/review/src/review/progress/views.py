"""REST endpoints of the yearly progress and performance reports (F6)."""

from fastapi import APIRouter

from govit_kit.http import CurrentPrincipal, CurrentRuntime
from review.cases import service as cases
from review.progress import flows
from review.progress.schemas import ProgressReportCreate, ProgressReportRead

router = APIRouter(tags=["progress reports"])


@router.post(
    "/v1/cases/{case_id}/progress-reports", status_code=201, response_model=ProgressReportRead
)
async def submit_report(
    case_id: str, body: ProgressReportCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The unit's yearly progress and performance report during construction (F6)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.submit(uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body)


@router.get("/v1/cases/{case_id}/progress-reports", response_model=list[ProgressReportRead])
async def list_reports(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A case's yearly reports and overdue flags (the owning unit and the bureau roles)."""
    async with rt.db.sessions() as session:
        await cases.get(session=session, case_id=case_id, who=who)
        return list(await session.scalars(flows.visible(who, case_id)))


@router.post("/v1/progress-reports/overdue-flags", response_model=list[ProgressReportRead])
async def flag_overdue(who: CurrentPrincipal, rt: CurrentRuntime):
    """Flag, once, every year a project under construction has no report past its deadline
    (F6); returns those flagged now."""
    async with rt.db.unit_of_work() as uow:
        return await flows.flag_overdue(uow=uow, who=who, profile=rt.profile)
