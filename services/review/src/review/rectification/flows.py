"""Use cases of rectification: issue, escalate when overdue, resolve."""

import logging
from datetime import datetime

from sqlalchemy import select

from govit.review.v1 import events_pb2
from govit_kit.auth import PROJECT_READERS, Principal, Role
from govit_kit.convert import to_actor, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput, NotFound
from govit_kit.policy import CalendarYearUnknown, PolicyProfile, WorkingCalendar
from govit_kit.uow import UnitOfWork
from review.cases import flows as case_flows
from review.cases import service as cases
from review.pb import decision_pb
from review.rectification import rules, service
from review.rectification.enums import SECURITY_FINDINGS, OrderStatus
from review.rectification.models import RectificationOrder
from review.rectification.schemas import OrderCreate

log = logging.getLogger(__name__)


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
    try:
        due_at = calendar.add_working_days(now, data.due_working_days)
    except CalendarYearUnknown as exc:
        # The deadline falls in a year whose holidays are not known: refuse rather than guess.
        raise InvalidInput("due_working_days", str(exc)) from None
    decisions, blocks = rules.order_decisions(
        profile, data.finding, due_at, calendar.provisional_note(now, due_at)
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
            decisions=[decision_pb(d) for d in decisions],
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
) -> bool:
    sanction, decision = rules.next_sanction(profile, order.level, order.due_at, now)
    if sanction is None:
        return False
    try:
        # Each step gives the unit a new deadline of the same length before the next one.
        next_due = calendar.add_working_days(now, order.due_working_days)
    except CalendarYearUnknown as exc:
        log.warning("order %s not escalated: %s", order.id, exc)  # no guessed deadline
        return False
    order.level += 1
    order.due_at = next_due
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
            decisions=[decision_pb(decision)],
            escalated_by=to_actor(who),
            escalated_at=to_timestamp(now),
        ),
        subject=order.id,
        org_id=order.org_id,
        project_id=order.project_id,
    )
    # The ladder's last two steps act on the project itself.
    await case_flows.halt_for_sanction(
        uow=uow,
        who=who,
        case_id=order.case_id,
        sanction=sanction.value,
        decision=decision,
        order_id=order.id,
    )
    return True


async def escalate_overdue(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, calendar: WorkingCalendar
) -> list[RectificationOrder]:
    """J1: every open order past its deadline climbs one step (run daily, or by the bureau)."""
    who.require(Role.BUREAU_REVIEWER, Role.PLATFORM_OPERATOR)
    now = utcnow()
    rows = await uow.session.scalars(
        select(RectificationOrder).where(
            RectificationOrder.status == OrderStatus.OPEN, RectificationOrder.due_at < now
        )
    )
    return [o for o in list(rows) if await _escalate(uow, who, profile, calendar, o, now)]


async def resolve(
    *, uow: UnitOfWork, who: Principal, order_id: str, note: str
) -> RectificationOrder:
    """The bureau accepts the rectification; the event says whether J3 still bars the unit."""
    who.require(Role.BUREAU_REVIEWER)
    order = await get(session=uow.session, order_id=order_id, who=who)
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
