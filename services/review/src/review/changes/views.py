"""REST endpoints of change requests."""

from fastapi import APIRouter

from govit_kit.http import CurrentPrincipal, CurrentRuntime
from review.cases import service as cases
from review.changes import flows
from review.changes.schemas import ChangeCreate, ChangeRead, DispositionCreate

router = APIRouter(tags=["changes"])


@router.post("/v1/cases/{case_id}/changes", status_code=201, response_model=ChangeRead)
async def request_change(
    case_id: str, body: ChangeCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The unit requests a change to its approved project (F1-F5)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.request_change(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body
        )


@router.get("/v1/cases/{case_id}/changes", response_model=list[ChangeRead])
async def list_changes(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A case's changes (the owning unit and the bureau roles)."""
    async with rt.db.sessions() as session:
        await cases.get(session=session, case_id=case_id, who=who)
        return list(await session.scalars(flows.visible(who, case_id)))


@router.post("/v1/changes/{change_id}/disposal", response_model=ChangeRead)
async def dispose(
    change_id: str, body: DispositionCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The data bureau's disposal opinion (F2)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.dispose(
            uow=uow, who=who, change_id=change_id, agree=body.agree, opinion=body.opinion
        )


@router.post("/v1/changes/{change_id}/decision", response_model=ChangeRead)
async def decide(
    change_id: str, body: DispositionCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The original approver's decision."""
    async with rt.db.unit_of_work() as uow:
        return await flows.decide(
            uow=uow, who=who, change_id=change_id, agree=body.agree, opinion=body.opinion
        )
