"""REST endpoints of utilisation (L11)."""

from fastapi import APIRouter, Response
from sqlalchemy import select

from cloud_broker.utilisation import flows
from cloud_broker.utilisation.models import ClassificationRun, UtilisationFinding
from cloud_broker.utilisation.schemas import (
    ClassificationCreate,
    ClassificationRunRead,
    FigureBatch,
    FindingRead,
    FindingResponse,
    FindingRuling,
    Period,
)
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IfMatch, etag

router = APIRouter(prefix="/v1/utilisation", tags=["utilisation"])


@router.post("/figures")
async def report_figures(body: FigureBatch, who: CurrentPrincipal, rt: CurrentRuntime) -> dict:
    """A batch of monthly figures from a provider (its own platform's resources) or the
    supervision provider; for volume use the gRPC client stream ReportUtilisation."""
    return {"accepted": await flows.store_figures(rt=rt, who=who, figures=body.figures)}


@router.post("/classifications")
async def classify(body: ClassificationCreate, who: CurrentPrincipal, rt: CurrentRuntime) -> dict:
    """Run the month's classification (cloud administrators); a rerun adds only what is new."""
    return {
        "period": body.period,
        "findings": await flows.classify(rt=rt, who=who, period=body.period),
    }


@router.get("/classifications", response_model=list[ClassificationRunRead])
async def list_runs(who: CurrentPrincipal, rt: CurrentRuntime, period: Period | None = None):
    """Classification runs with the thresholds each applied (anyone signed in but providers)."""
    who.org_scope(flows.READERS)
    q = select(ClassificationRun).order_by(ClassificationRun.run_at)
    if period:
        q = q.where(ClassificationRun.period == period)
    async with rt.db.sessions() as session:
        return (await session.scalars(q)).all()


@router.get("/findings", response_model=Page[FindingRead])
async def list_findings(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    period: Period | None = None,
    finding: str | None = None,
):
    """Findings the caller may see (a unit its own), optionally of one period or kind."""
    f = UtilisationFinding
    q = select(f).order_by(f.period, f.id)
    scope = who.org_scope(flows.READERS)
    if scope is not None:
        q = q.where(f.org_id == scope)
    if period:
        q = q.where(f.period == period)
    if finding:
        q = q.where(f.finding == finding)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, q, paging)
    return Page[FindingRead](items=[FindingRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/findings/{finding_id}", response_model=FindingRead)
async def get_finding(
    finding_id: str, who: CurrentPrincipal, rt: CurrentRuntime, response: Response
):
    """One finding; its ETag guards the answer."""
    async with rt.db.sessions() as session:
        finding = await flows.get_finding(session=session, who=who, finding_id=finding_id)
    response.headers["ETag"] = etag(finding.version)
    return finding


@router.post("/findings/{finding_id}/response", response_model=FindingRead)
async def respond(
    finding_id: str,
    body: FindingResponse,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    if_match: IfMatch = None,
):
    """The unit accepts a downsize or reclaim plan, or disputes the finding."""
    async with rt.db.unit_of_work() as uow:
        return await flows.respond(
            uow=uow, who=who, finding_id=finding_id, data=body, if_match=if_match
        )


@router.post("/findings/{finding_id}/ruling", response_model=FindingRead)
async def rule_on(
    finding_id: str,
    body: FindingRuling,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    if_match: IfMatch = None,
):
    """The bureau rules on a dispute (cloud administrators); no good reason marks the unit."""
    async with rt.db.unit_of_work() as uow:
        return await flows.rule_on(
            uow=uow, rt=rt, who=who, finding_id=finding_id, data=body, if_match=if_match
        )
