"""REST endpoints of review cases."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IfMatch, etag
from review.cases import flows, service
from review.cases.enums import ChainStep
from review.cases.schemas import (
    ApprovalStepCreate,
    ApprovalStepRead,
    CaseHistory,
    ConclusionCreate,
    ConclusionRecordRead,
    DeclaredAttributes,
    OpinionCreate,
    OpinionRead,
    OverruleCreate,
    PreCheckClearance,
    PreCheckRaise,
    PreCheckRead,
    ResubmissionCreate,
    ReviewCaseRead,
    SuspensionCreate,
    SuspensionLift,
    SuspensionRead,
)

router = APIRouter(prefix="/v1/cases", tags=["review cases"])


@router.get("", response_model=Page[ReviewCaseRead])
async def list_cases(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    project_id: Annotated[str | None, Query(max_length=36)] = None,
):
    """Cases the caller may see (a unit: its own), optionally of one project."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible(who, project_id), paging)
    return Page[ReviewCaseRead](
        items=[ReviewCaseRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.get("/{case_id}", response_model=ReviewCaseRead)
async def get_case(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime, response: Response):
    """One case; its ETag guards the conclusion."""
    async with rt.db.sessions() as session:
        case = await service.get(session=session, case_id=case_id, who=who)
    response.headers["ETag"] = etag(case.version)
    return case


@router.post("/{case_id}/conclusion", response_model=ReviewCaseRead)
async def conclude_case(
    case_id: str,
    body: ConclusionCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Record the data bureau's conclusion (D3); If-Match guards against a concurrent change."""
    async with rt.db.unit_of_work() as uow:
        case = await flows.conclude(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body, if_match=if_match
        )
    response.headers["ETag"] = etag(case.version)
    return case


@router.put("/{case_id}/attributes", response_model=ReviewCaseRead)
async def declare_attributes(
    case_id: str,
    body: DeclaredAttributes,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Declare the project's attributes; the D5/D8 pre-checks run again."""
    async with rt.db.unit_of_work() as uow:
        case = await flows.declare_attributes(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body, if_match=if_match
        )
    response.headers["ETag"] = etag(case.version)
    return case


@router.get("/{case_id}/pre-checks", response_model=list[PreCheckRead])
async def list_pre_checks(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A case's pre-checks, with their rule, article and status."""
    async with rt.db.sessions() as session:
        await service.get(session=session, case_id=case_id, who=who)
        return await service.pre_checks_of(session=session, case_id=case_id)


@router.post("/{case_id}/pre-checks", status_code=201, response_model=PreCheckRead)
async def raise_pre_check(
    case_id: str, body: PreCheckRaise, who: CurrentPrincipal, rt: CurrentRuntime
):
    """A bureau reviewer raises a D5 ground no declaration can show (SN P art19(二) item 5's
    second half, 6, 7, 9) with a written reason; it blocks approval like any raised ground."""
    async with rt.db.unit_of_work() as uow:
        return await flows.raise_pre_check(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body
        )


@router.post("/{case_id}/pre-checks/{pre_check_id}/clearance", response_model=PreCheckRead)
async def clear_pre_check(
    case_id: str,
    pre_check_id: str,
    body: PreCheckClearance,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
):
    """A bureau reviewer clears a ground it raised that no longer holds, with a written reason."""
    async with rt.db.unit_of_work() as uow:
        return await flows.clear_pre_check(
            uow=uow, who=who, case_id=case_id, pre_check_id=pre_check_id, reason=body.reason
        )


@router.post("/{case_id}/pre-checks/{pre_check_id}/overrule", response_model=PreCheckRead)
async def overrule_pre_check(
    case_id: str, pre_check_id: str, body: OverruleCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """A bureau reviewer overrules a pre-check with a written reason."""
    async with rt.db.unit_of_work() as uow:
        return await flows.overrule_pre_check(
            uow=uow, who=who, case_id=case_id, pre_check_id=pre_check_id, reason=body.reason
        )


@router.post("/{case_id}/opinions", status_code=201, response_model=OpinionRead)
async def record_opinion(
    case_id: str, body: OpinionCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """A drawn expert's or a security/secrecy reviewer's opinion (a new version to change it)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_opinion(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body
        )


@router.get("/{case_id}/opinions", response_model=list[OpinionRead])
async def list_opinions(
    case_id: str,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    round: Annotated[int | None, Query(ge=1, lt=2**31)] = None,
):
    """Every version of every opinion (an expert: only their own; units: none)."""
    async with rt.db.sessions() as session:
        case = await service.get(session=session, case_id=case_id, who=who)
        return await service.opinions_of(session=session, case=case, who=who, round=round)


@router.post("/{case_id}/resubmission", response_model=ReviewCaseRead)
async def resubmit(
    case_id: str, body: ResubmissionCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The applicant resubmits its revised plan; the case opens its next round."""
    async with rt.db.unit_of_work() as uow:
        return await flows.resubmit(uow=uow, who=who, case_id=case_id, note=body.note)


@router.get("/{case_id}/conclusions", response_model=list[ConclusionRecordRead])
async def list_conclusions(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Every conclusion of the case, round by round, with the required revisions."""
    async with rt.db.sessions() as session:
        await service.get(session=session, case_id=case_id, who=who)
        return await service.conclusions_of(session=session, case_id=case_id)


async def _chain_step(case_id, step, body, who, rt):
    async with rt.db.unit_of_work() as uow:
        return await flows.record_chain_step(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, step=step, data=body
        )


@router.post("/{case_id}/ndrc-approval", status_code=201, response_model=ApprovalStepRead)
async def record_ndrc_approval(
    case_id: str, body: ApprovalStepCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """D7: the NDRC's approval of the feasibility study and estimate (可研和概算审批)."""
    return await _chain_step(case_id, ChainStep.NDRC_APPROVAL, body, who, rt)


@router.post("/{case_id}/investment-review", status_code=201, response_model=ApprovalStepRead)
async def record_investment_review(
    case_id: str, body: ApprovalStepCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """D7: finance's investment review (投资评审), after the NDRC approval."""
    return await _chain_step(case_id, ChainStep.INVESTMENT_REVIEW, body, who, rt)


@router.get("/{case_id}/history", response_model=CaseHistory)
async def case_history(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """The whole history of a case: pre-checks, opinion versions, conclusions, resubmissions
    and approval steps (opinions as list_opinions shows them to the caller)."""
    async with rt.db.sessions() as session:
        case = await service.get(session=session, case_id=case_id, who=who)
        return CaseHistory(
            case=ReviewCaseRead.model_validate(case),
            pre_checks=await service.pre_checks_of(session=session, case_id=case_id),
            opinions=await service.opinions_of(
                session=session, case=case, who=who, round=None, units_see_none=True
            ),
            conclusions=await service.conclusions_of(session=session, case_id=case_id),
            resubmissions=await service.resubmissions_of(session=session, case_id=case_id),
            approval_steps=await service.approval_steps_of(session=session, case_id=case_id),
        )


@router.post("/{case_id}/suspension", status_code=201, response_model=SuspensionRead)
async def suspend_case(
    case_id: str, body: SuspensionCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """F4: the bureau suspends the project's construction, with its reason."""
    async with rt.db.unit_of_work() as uow:
        return await flows.suspend(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, reason=body.reason
        )


@router.post("/{case_id}/suspension/lift", response_model=SuspensionRead)
async def lift_suspension(
    case_id: str, body: SuspensionLift, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The bureau lifts the case's open suspension."""
    async with rt.db.unit_of_work() as uow:
        return await flows.lift_suspension(uow=uow, who=who, case_id=case_id, note=body.note)
