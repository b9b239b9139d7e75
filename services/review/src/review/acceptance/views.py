"""REST endpoints of acceptance and evaluation."""

from fastapi import APIRouter
from sqlalchemy import select

from govit_kit.auth import Role
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from review.acceptance import flows
from review.acceptance.catalog import check_catalog
from review.acceptance.models import Acceptance
from review.acceptance.schemas import (
    AcceptanceCreate,
    AcceptanceRead,
    EvaluationRead,
    EvaluationResultCreate,
    PreApprovalCreate,
    PreApprovalDecisionCreate,
    PreApprovalRead,
    ReportFilingCreate,
    ReportFilingRead,
)
from review.cases import service as cases

router = APIRouter(tags=["acceptance and evaluation"])


@router.post("/v1/cases/{case_id}/acceptances", status_code=201, response_model=AcceptanceRead)
async def record_acceptance(
    case_id: str, body: AcceptanceCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Record an acceptance (G1-G4, C2); refusals name each rule and article. Where the profile
    has C2, intake is asked first (gRPC CheckCatalog), outside the transaction."""
    catalog = None
    if rt.profile.applies("C2"):
        who.require(Role.BUREAU_REVIEWER)
        async with rt.db.sessions() as session:
            case = await cases.get(session=session, case_id=case_id, who=who)
        who.not_own_org(case.org_id, flows.ACCEPT)  # before asking intake anything
        cases.ensure_going(case, "acceptance")
        catalog = await check_catalog(rt=rt, project_id=case.project_id, who=who)
    async with rt.db.unit_of_work() as uow:
        return await flows.record_acceptance(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body, catalog=catalog
        )


@router.get("/v1/cases/{case_id}/acceptances", response_model=list[AcceptanceRead])
async def list_acceptances(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A case's acceptances."""
    async with rt.db.sessions() as session:
        await cases.get(session=session, case_id=case_id, who=who)
        rows = await session.scalars(
            select(Acceptance).where(Acceptance.case_id == case_id).order_by(Acceptance.accepted_on)
        )
        return list(rows)


@router.post("/v1/cases/{case_id}/pre-approvals", status_code=201, response_model=PreApprovalRead)
async def request_pre_approval(
    case_id: str, body: PreApprovalCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The unit asks the data bureau for its pre-approval of acceptance after the trial run
    (G2, 履约验收前置核准)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.request_pre_approval(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body
        )


@router.get("/v1/cases/{case_id}/pre-approvals", response_model=list[PreApprovalRead])
async def list_pre_approvals(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A case's pre-approval requests (the owning unit and the bureau roles)."""
    async with rt.db.sessions() as session:
        await cases.get(session=session, case_id=case_id, who=who)
        return list(await session.scalars(flows.visible_pre_approvals(who, case_id)))


@router.post("/v1/pre-approvals/{pre_approval_id}/decision", response_model=PreApprovalRead)
async def decide_pre_approval(
    pre_approval_id: str, body: PreApprovalDecisionCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The data bureau grants or refuses the pre-approval, with its reason (G2)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.decide_pre_approval(
            uow=uow,
            who=who,
            profile=rt.profile,
            pre_approval_id=pre_approval_id,
            granted=body.granted,
            reason=body.reason,
        )


@router.post(
    "/v1/cases/{case_id}/acceptance-report-filings",
    status_code=201,
    response_model=ReportFilingRead,
)
async def file_acceptance_report(
    case_id: str, body: ReportFilingCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The unit files the acceptance report with the data bureau, NDRC, finance and audit after
    the final acceptance (G7, PDS P art18)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.file_acceptance_report(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body
        )


@router.get("/v1/cases/{case_id}/acceptance-report-filings", response_model=list[ReportFilingRead])
async def list_report_filings(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A case's acceptance report filing, if any (the owning unit and the bureau roles)."""
    async with rt.db.sessions() as session:
        await cases.get(session=session, case_id=case_id, who=who)
        return list(await session.scalars(flows.visible_report_filings(who, case_id)))


@router.get("/v1/evaluations", response_model=Page[EvaluationRead])
async def list_evaluations(
    who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging, overdue: bool = False
):
    """Evaluations the caller may see, optionally only the overdue (H1)."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, flows.visible_evaluations(who, overdue), paging)
    return Page[EvaluationRead](
        items=[EvaluationRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.post("/v1/evaluations/overdue-flags", response_model=list[EvaluationRead])
async def flag_overdue(who: CurrentPrincipal, rt: CurrentRuntime):
    """Flag every overdue evaluation once (H1); returns those flagged now."""
    async with rt.db.unit_of_work() as uow:
        return await flows.flag_overdue(uow=uow, who=who, profile=rt.profile)


@router.post("/v1/evaluations/{evaluation_id}/result", response_model=EvaluationRead)
async def record_result(
    evaluation_id: str, body: EvaluationResultCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Record an evaluation's result (H1, H2)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_result(
            uow=uow,
            who=who,
            profile=rt.profile,
            evaluation_id=evaluation_id,
            grade=body.grade,
            summary=body.summary,
        )
