"""Use cases of rectification: issue, escalate when overdue, resolve."""

import logging
from datetime import datetime
from typing import NamedTuple

from prometheus_client import Gauge
from sqlalchemy import select

from govit.review.v1 import events_pb2
from govit_kit.auth import PROJECT_READERS, Principal, Role
from govit_kit.convert import to_actor, to_decision, to_timestamp
from govit_kit.db import utcnow
from govit_kit.duedates import recount_stale
from govit_kit.errors import Conflict, NotFound
from govit_kit.policy import CalendarYearUnknown, PolicyProfile, WorkingCalendar
from govit_kit.policy.calendar import note_for
from govit_kit.uow import UnitOfWork
from review.cases import flows as case_flows
from review.cases import service as cases
from review.cases.models import ReviewCase
from review.rectification import rules, service
from review.rectification.enums import HALTING, LADDER, SECURITY_FINDINGS, OrderStatus
from review.rectification.models import RectificationOrder
from review.rectification.schemas import OrderCreate

log = logging.getLogger(__name__)

ESCALATIONS_BLOCKED = Gauge(
    "govit_rectification_escalations_blocked",
    "Overdue rectification orders whose due J1 sanction the last run could not apply "
    "(no working-day calendar for the next deadline's year); retried every run",
    ["service"],
)


async def issue_order(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    calendar: WorkingCalendar,
    data: OrderCreate,
) -> RectificationOrder:
    """The bureau orders rectification with a deadline in working days (J1, J2, F4); finance
    holds payments where the profile has I4 and, for security or crypto, the unit is barred from
    new projects (J3)."""
    who.require(Role.BUREAU_REVIEWER)
    case = await cases.get(session=uow.session, case_id=data.case_id, who=who)
    now = utcnow()
    # A deadline in a year no calendar covers raises CalendarYearUnknown: the kit's 503, since
    # the platform lacks the calendar, not the caller's figure being wrong.
    counted = calendar.count(now, data.due_working_days)
    due_at = counted.due
    decisions, blocks = rules.order_decisions(
        profile, data.finding, due_at, note_for(counted.provisional)
    )
    order = RectificationOrder(
        case_id=case.id,
        project_id=case.project_id,
        org_id=case.org_id,
        finding=data.finding.value,
        description=data.description,
        security=data.finding in SECURITY_FINDINGS,
        due_working_days=data.due_working_days,
        due_at=due_at,
        due_counted_from=now,
        due_provisional_years=counted.provisional,
        status=OrderStatus.OPEN.value,
        level=0,
        escalations=[],
        decisions=[d.to_dict() for d in decisions],
        issued_by=who.subject,
        issued_at=now,
    )
    uow.session.add(order)
    await uow.session.flush()
    await uow.emit(
        "rectification",
        "issued",
        events_pb2.RectificationIssued(
            order_id=order.id,
            project_id=order.project_id,
            org_id=order.org_id,
            finding=order.finding,
            description=order.description,
            security=order.security,
            # Finance holds the project's payments only where a rule of the profile says so (I4).
            hold_payments=profile.applies("I4"),
            blocks_new_projects=blocks,
            due_at=to_timestamp(due_at),
            decisions=[to_decision(d) for d in decisions],
            issued_by=to_actor(who),
            issued_at=to_timestamp(now),
        ),
        subject=order.id,
        org_id=order.org_id,
        project_id=order.project_id,
    )
    return order


async def get(*, session, order_id: str, who: Principal) -> RectificationOrder:
    """An order the caller may see (bureau roles, or the unit it is addressed to)."""
    order = await session.get(RectificationOrder, order_id)
    if order is None:
        raise NotFound("rectification order not found")
    who.check_owner(order.org_id, PROJECT_READERS, "rectification order")
    return order


def visible(who: Principal, org_id: str | None = None, status: str | None = None):
    """The select of orders the caller may list."""
    query = select(RectificationOrder).order_by(RectificationOrder.issued_at, RectificationOrder.id)
    scope = who.org_scope(PROJECT_READERS)
    if scope is not None:
        query = query.where(RectificationOrder.org_id == scope)
    if org_id:
        query = query.where(RectificationOrder.org_id == org_id)
    if status:
        query = query.where(RectificationOrder.status == status)
    return query


async def _escalate(
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    calendar: WorkingCalendar,
    order: RectificationOrder,
    now: datetime,
    halted: dict[str, ReviewCase],
) -> bool:
    sanction, decision = rules.next_sanction(profile, order.level, order.due_at, now)
    if sanction is None:
        return False
    # Each step gives the unit a new deadline of the same length before the next one. Without a
    # calendar for it this raises CalendarYearUnknown before anything changes (see below).
    counted = calendar.count(now, order.due_working_days)
    order.level += 1
    order.due_at = counted.due
    order.due_counted_from, order.due_provisional_years = now, counted.provisional
    order.escalations = [
        *order.escalations,
        {
            "level": order.level,
            "sanction": sanction.value,
            "at": now.isoformat(),
            "by": who.subject,
            "decision": decision.to_dict(),
            "next_due_at": order.due_at.isoformat(),
        },
    ]
    await uow.session.flush()
    await uow.emit(
        "rectification",
        "escalated",
        events_pb2.RectificationEscalated(
            order_id=order.id,
            project_id=order.project_id,
            org_id=order.org_id,
            level=order.level,
            sanction=sanction.value,
            decisions=[to_decision(decision)],
            escalated_by=to_actor(who),
            escalated_at=to_timestamp(now),
        ),
        subject=order.id,
        org_id=order.org_id,
        project_id=order.project_id,
    )
    # The ladder's last two steps act on the project itself: its case was read and locked with
    # the round's (read here only if it was not, e.g. the order moved meanwhile).
    if sanction in HALTING:
        case = halted.get(order.case_id) or await uow.session.get(
            ReviewCase, order.case_id, with_for_update=True
        )
        await case_flows.halt_for_sanction(
            uow=uow,
            who=who,
            case=case,
            sanction=sanction.value,
            decision=decision,
            order_id=order.id,
        )
    return True


class Escalations(NamedTuple):
    """What one run of the J1 ladder did: the orders escalated, and the overdue orders it could
    not escalate because no calendar covers their next deadline's year."""

    escalated: list[RectificationOrder]
    blocked: list[CalendarYearUnknown]


async def escalate_overdue(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, calendar: WorkingCalendar
) -> Escalations:
    """J1: every open order past its deadline climbs one step (run daily, or by the bureau).

    An order whose next deadline falls in a year no calendar covers is not escalated (no guessed
    deadline) but is not skipped quietly either: it stays overdue, so every later run retries it;
    each run logs it as an error and sets the govit_rectification_escalations_blocked gauge, and
    the REST caller gets the kit's 503 naming the year once the other orders are escalated."""
    who.require(Role.BUREAU_REVIEWER, Role.PLATFORM_OPERATOR)
    # First the deadlines counted on a year since published: no sanction for a holiday.
    await recount(uow=uow, calendar=calendar)
    now = utcnow()
    done = Escalations([], [])
    # Set-based: one query for the orders due for a step (none where the profile has no
    # ladder), one for the cases the last two steps act on; then work only on those orders.
    due = service.due_for_a_step(now) if rules.has_ladder(profile) else None
    orders = []
    if due is not None:
        orders = list(
            await uow.session.scalars(
                select(RectificationOrder)
                .where(*due)
                .order_by(RectificationOrder.issued_at, RectificationOrder.id)
            )
        )
    halting = any(LADDER[order.level] in HALTING for order in orders)
    halted = await _cases_halted(uow, due) if halting else {}
    for order in orders:
        try:
            if await _escalate(uow, who, profile, calendar, order, now, halted):
                done.escalated.append(order)
        except CalendarYearUnknown as exc:
            log.error(
                "rectification order %s is overdue and its J1 sanction is due, but it cannot be "
                "escalated: %s; retried on every sweep until the calendar is entered",
                order.id,
                exc,
            )
            done.blocked.append(exc)
    ESCALATIONS_BLOCKED.labels("review").set(len(done.blocked))
    return done


async def _cases_halted(uow: UnitOfWork, due: tuple) -> dict[str, ReviewCase]:
    """The cases whose orders, due for a step, the ladder's next step acts on (HALTING), read
    and locked in one query (by the orders' predicate, not a list of ids); by id."""
    levels = [level for level, sanction in enumerate(LADDER) if sanction in HALTING]
    of_orders = select(RectificationOrder.case_id).where(*due, RectificationOrder.level.in_(levels))
    rows = await uow.session.scalars(
        select(ReviewCase).where(ReviewCase.id.in_(of_orders)).with_for_update()
    )
    return {case.id: case for case in rows}


def _recount(calendar: WorkingCalendar, order: RectificationOrder):
    """Count an order's current deadline again from where it was counted; the decision or
    escalation that gave it says the new date too. The old and new due dates if it moved."""
    if order.due_counted_from is None:
        order.due_provisional_years = None  # nothing to count it again from
        return None
    old = order.due_at
    counted = calendar.count(order.due_counted_from, order.due_working_days)
    order.due_at, order.due_provisional_years = counted.due, counted.provisional
    if counted.due == old:
        return None
    if order.level == 0:
        order.decisions = [_redated(d, counted.due, order.calendar) for d in order.decisions]
    elif order.escalations:
        *before, last = order.escalations
        order.escalations = [*before, {**last, "next_due_at": counted.due.isoformat()}]
    return old, counted.due


def _redated(decision: dict, due: datetime, note: str | None) -> dict:
    """An order's deadline decision with its recounted due date (others as they were)."""
    if decision.get("outcome") != "deadline":
        return decision
    figures = {k: v for k, v in decision.get("figures", {}).items() if k != "calendar"}
    figures["due"] = due.isoformat()
    return {**decision, "figures": {**figures, **({"calendar": note} if note else {})}}


async def recount(*, uow: UnitOfWork, calendar: WorkingCalendar) -> int:
    """Count again the open orders' deadlines counted on a year since published or declared
    (govit_kit.duedates), each logged and told (`rectification.recounted`: finance keeps the
    first deadline); returns how many moved."""
    moved = await recount_stale(
        uow.session,
        RectificationOrder,
        mark=RectificationOrder.due_provisional_years,
        where=(RectificationOrder.status == OrderStatus.OPEN,),
        calendar=calendar,
        recount=lambda order: _recount(calendar, order),
        what="rectification order",
    )
    for order, old, new in moved:
        await uow.emit(
            "rectification",
            "recounted",
            events_pb2.RectificationRecounted(
                order_id=order.id,
                project_id=order.project_id,
                org_id=order.org_id,
                level=order.level,
                due_at=to_timestamp(new),
                previous_due_at=to_timestamp(old),
                calendar=order.calendar or "",
            ),
            subject=order.id,
            org_id=order.org_id,
            project_id=order.project_id,
        )
    return len(moved)


async def resolve(
    *, uow: UnitOfWork, who: Principal, order_id: str, note: str
) -> RectificationOrder:
    """The bureau accepts the rectification; the event says whether J3 still bars the unit."""
    who.require(Role.BUREAU_REVIEWER)
    order = await get(session=uow.session, order_id=order_id, who=who)
    # Resolving a security or crypto order lifts J3's bar on the unit's new projects.
    who.not_own_org(order.org_id, "resolve a rectification order")
    if order.status != OrderStatus.OPEN:
        raise Conflict(f"order is {order.status}", state=order.status)
    order.status, order.resolution_note, order.resolved_at = (
        OrderStatus.RESOLVED.value,
        note,
        utcnow(),
    )
    await uow.session.flush()
    still = await service.open_security_orders(session=uow.session, org_id=order.org_id)
    await uow.emit(
        "rectification",
        "resolved",
        events_pb2.RectificationResolved(
            order_id=order.id,
            project_id=order.project_id,
            org_id=order.org_id,
            note=note,
            blocks_new_projects=bool(still),
            resolved_by=to_actor(who),
            resolved_at=to_timestamp(order.resolved_at),
        ),
        subject=order.id,
        org_id=order.org_id,
        project_id=order.project_id,
    )
    return order
