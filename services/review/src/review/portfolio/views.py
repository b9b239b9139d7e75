"""The bureau's portfolio: every project with its stage, deadlines, open orders and a risk
rating; filterable, and exportable as CSV."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel
from sqlalchemy import select

from govit_kit.auth import PROJECT_READERS, Principal
from govit_kit.db import utcnow
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from review.acceptance.enums import EvaluationStatus
from review.acceptance.flows import today
from review.acceptance.models import Acceptance, Evaluation
from review.cases import service as cases
from review.cases.enums import ChainStep
from review.cases.models import ApprovalStep, ReviewCase
from review.portfolio import rules
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
    cost_variance: Decimal | None
    open_orders: int
    next_deadline: datetime | date | None
    overdue_items: int
    rating: int
    risk: str
    reasons: list[str]


def _stage(case: ReviewCase, accepted: set[str]) -> str:
    if accepted:
        return "accepted" if accepted & {"single", "final"} else "initially_accepted"
    return case.chain_stage or case.status


async def _rows(session, cases_: list[ReviewCase]) -> list[PortfolioRow]:
    ids = [c.id for c in cases_]
    if not ids:
        return []
    ndrc = {
        s.case_id: s.approved_amount
        for s in await session.scalars(
            select(ApprovalStep).where(
                ApprovalStep.case_id.in_(ids), ApprovalStep.step == ChainStep.NDRC_APPROVAL
            )
        )
    }
    orders = list(
        await session.scalars(
            select(RectificationOrder).where(
                RectificationOrder.case_id.in_(ids), RectificationOrder.status == OrderStatus.OPEN
            )
        )
    )
    evaluations = list(
        await session.scalars(
            select(Evaluation).where(
                Evaluation.case_id.in_(ids), Evaluation.status == EvaluationStatus.PENDING
            )
        )
    )
    accepted: dict[str, set[str]] = {}
    for a in await session.scalars(select(Acceptance).where(Acceptance.case_id.in_(ids))):
        accepted.setdefault(a.case_id, set()).add(a.stage)
    now, day = utcnow(), today()
    out = []
    for c in cases_:
        mine = [o for o in orders if o.case_id == c.id]
        evs = [e for e in evaluations if e.case_id == c.id]
        first = ndrc.get(c.id)
        variance = (
            ((c.approved_investment - first) / first).quantize(Decimal("0.0001"))
            if first and c.approved_investment is not None
            else None
        )
        overdue = sum(o.due_at < now for o in mine) + sum(
            bool(e.due_on and e.due_on < day) for e in evs
        )
        signals = rules.Signals(
            cost_variance=variance,
            overdue_items=overdue,
            open_orders=len(mine),
            open_security_orders=sum(o.security for o in mine),
            max_escalation=max((o.level for o in mine), default=0),
        )
        rating, reasons = rules.risk_rating(signals)
        deadlines = [o.due_at for o in mine] + [
            datetime.combine(e.due_on, datetime.min.time(), tzinfo=now.tzinfo)
            for e in evs
            if e.due_on
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
                cost_variance=variance,
                open_orders=len(mine),
                next_deadline=min(deadlines, default=None),
                overdue_items=overdue,
                rating=rating,
                risk=rules.risk_level(rating),
                reasons=reasons,
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
    and a risk rating; `max_rating=2` lists the high-risk ones (filtered within the page)."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, _filtered(who, org_id), paging)
        items = await _rows(session, rows)
    if max_rating is not None:
        items = [i for i in items if i.rating <= max_rating]
    return Page[PortfolioRow](items=items, next_cursor=nxt)


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
        items = await _rows(session, list(await session.scalars(_filtered(who, org_id))))
    buf = io.StringIO()
    fields = list(PortfolioRow.model_fields)
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writeheader()
    for i in items:
        row = i.model_dump(mode="json")
        row["reasons"] = "; ".join(row["reasons"])
        writer.writerow(row)
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="portfolio.csv"'},
    )
