"""The bureau's portfolio: every project with its stage, deadlines, open orders and a risk
rating; filterable, and exportable as CSV."""

import asyncio
import csv
import io
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel
from sqlalchemy import select

from govit_kit.auth import PROJECT_READERS, Principal
from govit_kit.db import utcnow
from govit_kit.http import (
    CurrentPrincipal,
    CurrentRuntime,
    Page,
    Paging,
    encode_cursor,
    fetch_page,
)
from govit_kit.policy import PolicyProfile
from review.acceptance import rules as acceptance_rules
from review.acceptance.enums import EvaluationStatus
from review.acceptance.flows import today
from review.acceptance.models import Acceptance, AcceptanceReportFiling, Evaluation
from review.cases import service as cases
from review.cases.enums import HALTED, ChainStep
from review.cases.models import ApprovalStep, ReviewCase
from review.changes.enums import ChangeKind, ChangeStatus
from review.changes.models import ChangeRequest
from review.portfolio import rules
from review.portfolio.models import AuditFinding, ProjectActuals
from review.rectification.enums import OrderStatus
from review.rectification.models import RectificationOrder

router = APIRouter(tags=["portfolio"])


class PortfolioRow(BaseModel):
    """One project in the portfolio."""

    case_id: str
    project_id: str
    org_id: str
    project_name: str
    stage: str
    total_investment: Decimal
    approved_investment: Decimal | None
    # Cost: planned is the first NDRC-approved estimate (else the applied total); current is
    # the approved total after approved adjustments. Review holds no actual spending.
    planned_cost: Decimal
    current_cost: Decimal | None
    cost_variance: Decimal | None
    cost_basis: str
    # Schedule: intake's planned vs actual end date where reported (end_slip_days); review's
    # own deadlines besides: those missed (still open past due, or met late), the most days
    # any ran over, and the delays filed (F3).
    end_slip_days: int | None
    deadlines_missed: int
    days_late: int
    delays: int
    open_orders: int
    open_findings: int
    next_deadline: datetime | date | None
    overdue_items: int
    rating: int
    risk: str
    reasons: list[str]
    # G7 (PDS P art18): of an accepted project, whether its acceptance report is filed; None
    # where the profile has no filing or the project is not finally accepted yet.
    acceptance_report_filed: bool | None = None
    # Duties outstanding that do not weigh in the rating, e.g. "acceptance report not filed".
    notices: list[str] = []


COST_BASIS = "approved adjustments vs first approved estimate (no actual spending in review)"
ACTUAL_BASIS = "actual vs planned cost as intake's project library last reported them"


def _stage(case: ReviewCase, accepted: set[str]) -> str:
    if case.status in HALTED:
        return case.status
    if accepted:
        return "accepted" if accepted & {"single", "final"} else "initially_accepted"
    return case.chain_stage or case.status


def _at(d: date, tz) -> datetime:
    return datetime.combine(d, datetime.min.time(), tzinfo=tz)


# Rows built (and CSV lines written) between two yields to the event loop: a portfolio of
# thousands of cases must not stall the service while it is rated or written.
ROWS_PER_YIELD = 500


async def _rows(
    session, cases_: list[ReviewCase], profile: PolicyProfile, chosen=None
) -> list[PortfolioRow]:
    """The rows of these cases. `chosen`, the select the cases came from, names them to the
    database instead of a list of ids (a whole portfolio has more ids than a query takes)."""
    if not cases_:
        return []
    if chosen is None:
        ids = [c.id for c in cases_]
        project_ids = [c.project_id for c in cases_]
    else:
        ids = chosen.with_only_columns(ReviewCase.id).order_by(None)
        project_ids = chosen.with_only_columns(ReviewCase.project_id).order_by(None)
    ndrc = {
        s.case_id: s.approved_amount
        for s in await session.scalars(
            select(ApprovalStep).where(
                ApprovalStep.case_id.in_(ids), ApprovalStep.step == ChainStep.NDRC_APPROVAL
            )
        )
    }
    # Each case's orders and evaluations, grouped once (not a scan of all of them per case).
    orders: dict[str, list[RectificationOrder]] = defaultdict(list)
    for o in await session.scalars(
        select(RectificationOrder).where(RectificationOrder.case_id.in_(ids))
    ):
        orders[o.case_id].append(o)
    evaluations: dict[str, list[Evaluation]] = defaultdict(list)
    for e in await session.scalars(select(Evaluation).where(Evaluation.case_id.in_(ids))):
        evaluations[e.case_id].append(e)
    delays = Counter(
        await session.scalars(
            select(ChangeRequest.case_id).where(
                ChangeRequest.case_id.in_(ids),
                ChangeRequest.kind == ChangeKind.DELAY,
                ChangeRequest.status != ChangeStatus.REFUSED,
            )
        )
    )
    actuals = {
        a.project_id: a
        for a in await session.scalars(
            select(ProjectActuals).where(ProjectActuals.project_id.in_(project_ids))
        )
    }
    findings = Counter(
        await session.scalars(
            select(AuditFinding.project_id).where(
                AuditFinding.project_id.in_(project_ids),
                AuditFinding.resolved_at.is_(None),
            )
        )
    )
    accepted: dict[str, set[str]] = {}
    for a in await session.scalars(select(Acceptance).where(Acceptance.case_id.in_(ids))):
        accepted.setdefault(a.case_id, set()).add(a.stage)
    files_report = acceptance_rules.files_acceptance_report(profile)
    filed = (
        set(
            await session.scalars(
                select(AcceptanceReportFiling.case_id).where(
                    AcceptanceReportFiling.case_id.in_(ids)
                )
            )
        )
        if files_report
        else set()
    )
    now, day = utcnow(), today()
    out = []
    for n, c in enumerate(cases_, start=1):
        if n % ROWS_PER_YIELD == 0:
            await asyncio.sleep(0)
        mine = orders.get(c.id, [])
        open_ = [o for o in mine if o.status == OrderStatus.OPEN]
        evs = evaluations.get(c.id, [])
        pending = [e for e in evs if e.status == EvaluationStatus.PENDING]
        planned = ndrc.get(c.id) or c.total_investment
        current = (c.approved_investment or planned) if c.chain_stage else None
        basis = COST_BASIS
        reported = actuals.get(c.project_id)
        if reported and reported.actual_cost is not None and reported.planned_cost:
            planned, current, basis = reported.planned_cost, reported.actual_cost, ACTUAL_BASIS
        variance = (
            ((current - planned) / planned).quantize(Decimal("0.0001"))
            if current is not None and planned
            else None
        )
        slip = (
            (reported.actual_end - reported.planned_end).days
            if reported and reported.actual_end and reported.planned_end
            else None
        )
        overdue = sum(o.due_at < now for o in open_) + sum(
            bool(e.due_on and e.due_on < day) for e in pending
        )
        # Days each deadline ran over: open ones until now, closed ones until they were met.
        over = [((o.resolved_at or now) - o.due_at).days for o in mine] + [
            ((e.recorded_at or now) - _at(e.due_on, now.tzinfo)).days for e in evs if e.due_on
        ]
        missed = [d for d in over if d > 0]
        signals = rules.Signals(
            cost_variance=variance,
            overdue_items=overdue,
            open_orders=len(open_),
            open_security_orders=sum(o.security for o in open_),
            max_escalation=max((o.level for o in open_), default=0),
            met_late=max(len(missed) - overdue, 0) + int(bool(slip and slip > 0)),
            delays=delays[c.id],
            open_findings=findings[c.project_id],
        )
        rating, reasons = rules.risk_rating(signals)
        report_filed, notices = None, []
        if files_report and accepted.get(c.id, set()) & {"single", "final"}:
            report_filed = c.id in filed
            if not report_filed:
                article = profile.rule("G7").article
                notices.append(f"acceptance report not filed (G7, {article})")
        deadlines = [o.due_at for o in open_] + [
            _at(e.due_on, now.tzinfo) for e in pending if e.due_on
        ]
        out.append(
            PortfolioRow(
                case_id=c.id,
                project_id=c.project_id,
                org_id=c.org_id,
                project_name=c.project_name,
                stage=_stage(c, accepted.get(c.id, set())),
                total_investment=c.total_investment,
                approved_investment=c.approved_investment,
                planned_cost=planned,
                current_cost=current,
                cost_variance=variance,
                cost_basis=basis,
                end_slip_days=slip,
                deadlines_missed=len(missed),
                days_late=max(missed, default=0),
                delays=delays[c.id],
                open_orders=len(open_),
                open_findings=findings[c.project_id],
                next_deadline=min(deadlines, default=None),
                overdue_items=overdue,
                rating=rating,
                risk=rules.risk_level(rating),
                reasons=reasons,
                acceptance_report_filed=report_filed,
                notices=notices,
            )
        )
    return out


def _filtered(who: Principal, org_id: str | None):
    who.org_scope(PROJECT_READERS)  # the bureau roles, or a unit for its own; nobody else
    query = cases.visible(who)
    return query.where(ReviewCase.org_id == org_id) if org_id else query


@router.get("/v1/portfolio", response_model=Page[PortfolioRow])
async def portfolio(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    org_id: Annotated[str | None, Query(max_length=64)] = None,
    max_rating: Annotated[int | None, Query(ge=1, le=5)] = None,
):
    """Every project the caller may see (a unit: its own), with stage, deadlines, open orders
    and a risk rating; `max_rating=2` lists the high-risk ones. The rating is computed, not
    stored, so with `max_rating` every visible case is rated and the filtered list is paged
    (the cursor counts filtered rows)."""
    async with rt.db.sessions() as session:
        if max_rating is None:
            rows, nxt = await fetch_page(session, _filtered(who, org_id), paging)
            return Page[PortfolioRow](items=await _rows(session, rows, rt.profile), next_cursor=nxt)
        chosen = _filtered(who, org_id)
        every = await _rows(session, list(await session.scalars(chosen)), rt.profile, chosen)
    kept = [i for i in every if i.rating <= max_rating]
    end = paging.offset + paging.limit
    return Page[PortfolioRow](
        items=kept[paging.offset : end], next_cursor=encode_cursor(end) if len(kept) > end else None
    )


@router.get(
    "/v1/portfolio.csv",
    response_class=Response,
    responses={200: {"description": "The portfolio as CSV", "content": {"text/csv": {}}}},
)
async def portfolio_csv(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    org_id: Annotated[str | None, Query(max_length=64)] = None,
):
    """The whole portfolio the caller may see, as CSV."""
    async with rt.db.sessions() as session:
        chosen = _filtered(who, org_id)
        items = await _rows(session, list(await session.scalars(chosen)), rt.profile, chosen)
    buf = io.StringIO()
    fields = list(PortfolioRow.model_fields)
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writeheader()
    for n, i in enumerate(items, start=1):
        if n % ROWS_PER_YIELD == 0:
            await asyncio.sleep(0)
        row = i.model_dump(mode="json")
        row["reasons"] = "; ".join(row["reasons"])
        row["notices"] = "; ".join(row["notices"])
        writer.writerow(row)
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="portfolio.csv"'},
    )
