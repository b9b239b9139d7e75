"""Review suspends (F4), lifts, or terminates (F5) a project; the broker's requests follow.

A new system's request stands on its project's approval (L2, SN C art12), checked with intake
when it is filed. What review says of the project later comes as events, kept here as a
projection (`project_standing`, one row per project), and the requests follow it: a saga whose
compensations are the broker's own steps, each one state change with its event, in the
consumer's transaction.

- **Suspended (F4)**: nothing changes on the requests; while it holds, a request for the
  project is not submitted, approved or allocated (requests/flows.py: check_standing). The
  lift resumes them. The latest suspension or lift by review's time stands: one arriving late
  (a lift applied before the suspension it lifts) changes nothing.
- **Terminated (F5)**: final. For each new system's request of the project, filed by its unit:
  - not yet provisioned (draft ... allocated): withdrawn by the platform (`platform_withdraw`),
    with F5 as its ground; it leaves the committed, so its quota is free (L5); a queued work
    order is cancelled (the provider no longer lists, streams or claims it), the bureau's open
    approval deadline is closed;
  - provisioning (a provider holds the order): the order is `cancelling`; the provider removes
    what it created, as after a failed provision, and reports it with `fail`, which withdraws
    the request (provider/flows.py); its lease running out does the same;
  - configured, deployed, active: not torn down; the unit owes an exit application within L7's
    months of the termination (a stored due date the scheduler raises when it passes), and a
    configured one's deployment deadline is closed (it will not be deployed);
  - already exiting, withdrawn, rejected, reclaimed: nothing.
  The termination is applied once: a redelivery (a lost inbox row, a replayed dead letter) or a
  second word on it changes nothing.

Nothing is changed before the target is checked: the project's lock is taken first (a request
filed, approved or allocated meanwhile is seen, or sees the termination), the requests' open
orders are locked before the requests (as a provider's call locks its order, then its request),
both are read after their locks, and only the project's own unit's requests are touched (an id
of another unit's resource is left alone, as for the register's acts).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import select

from cloud_broker.deadlines import service as deadlines
from cloud_broker.projects.models import ProjectStanding
from cloud_broker.provider import flows as provider
from cloud_broker.provider.enums import OrderKind, OrderStatus
from cloud_broker.provider.models import WorkOrder
from cloud_broker.requests import flows as requests
from cloud_broker.requests import rules
from cloud_broker.requests import service as request_service
from cloud_broker.requests.enums import RequestStatus
from cloud_broker.requests.models import ResourceRequest
from govit_kit.convert import from_timestamp
from govit_kit.db import utcnow
from govit_kit.events import Event
from govit_kit.uow import UnitOfWork

log = logging.getLogger(__name__)
S = RequestStatus

# Withdrawn at once on a termination: approved and allocated ones hold quota (L5), none holds
# anything at a provider yet.
NOT_PROVISIONED = frozenset(
    {S.DRAFT, S.SUBMITTED, S.COUNTY_REVIEWED, S.ACCEPTED, S.APPROVED, S.ALLOCATED}
)
# Provisioned and in use (or to be): not torn down, the unit owes its exit (L7).
IN_USE = frozenset({S.CONFIGURED, S.DEPLOYED, S.ACTIVE})
OPEN_ORDERS = (OrderStatus.QUEUED.value, OrderStatus.CLAIMED.value)


def _fact_time(event: Event) -> datetime:
    """When review acted: the payload's time, else the event's."""
    msg = event.message
    at = from_timestamp(msg.changed_at) if msg.HasField("changed_at") else event.time
    return at.astimezone(UTC)


async def _row(uow: UnitOfWork, event: Event) -> ProjectStanding:
    """The project's row, under the project's lock (created at its first word)."""
    msg = event.message
    await request_service.lock_project(session=uow.session, project_id=msg.project_id)
    row = await request_service.standing(session=uow.session, project_id=msg.project_id)
    if row is None:
        row = ProjectStanding(project_id=msg.project_id, org_id=msg.org_id, suspended=False)
        uow.session.add(row)
    return row


async def _suspension(uow: UnitOfWork, event: Event, suspended: bool) -> None:
    row = await _row(uow, event)
    at = _fact_time(event)
    if row.suspension_changed_at is not None and (
        at.astimezone(UTC),
        event.id,
    ) <= (row.suspension_changed_at.astimezone(UTC), row.suspension_event_id or ""):
        # The same word again, or an older one arriving late: the latest stands.
        return
    row.suspended, row.suspension_changed_at, row.suspension_event_id = suspended, at, event.id
    row.updated_at = utcnow()
    await uow.session.flush()
    log.info(
        "project %s %s (F4) as of %s",
        row.project_id,
        "suspended" if suspended else "resumed",
        at.isoformat(),
    )


async def on_suspended(*, uow: UnitOfWork, rt, event: Event) -> None:
    """F4: review suspended the project's construction: its requests wait."""
    await _suspension(uow, event, suspended=True)


async def on_suspension_lifted(*, uow: UnitOfWork, rt, event: Event) -> None:
    """F4 lifted: the project's requests go on."""
    await _suspension(uow, event, suspended=False)


async def on_terminated(*, uow: UnitOfWork, rt, event: Event) -> None:
    """F5: review terminated the project: each of its new system's requests is compensated
    by the state it is in (the module's docstring), once."""
    row = await _row(uow, event)
    if row.terminated_at is not None:
        return  # applied already: a redelivery, or a second word on a final fact
    row.terminated_at, row.termination_event_id = _fact_time(event), event.id
    row.updated_at = utcnow()
    await uow.session.flush()
    ids = select(ResourceRequest.id).where(
        ResourceRequest.project_id == row.project_id,
        ResourceRequest.org_id == row.org_id,
        ResourceRequest.new_system.is_(True),
    )
    # Orders first, then their requests, each read after its lock (provider/flows.py).
    orders = {
        o.request_id: o
        for o in (
            await uow.session.scalars(
                select(WorkOrder)
                .where(
                    WorkOrder.request_id.in_(ids),
                    WorkOrder.kind == OrderKind.PROVISION.value,
                    WorkOrder.status.in_(OPEN_ORDERS),
                )
                .order_by(WorkOrder.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).all()
    }
    listed = (
        await uow.session.scalars(
            select(ResourceRequest)
            .where(ResourceRequest.id.in_(ids))
            .order_by(ResourceRequest.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    for req in listed:
        status, order = S(req.status), orders.get(req.id)
        if status == S.PROVISIONING or (order and order.status == OrderStatus.CLAIMED):
            await _stop_provisioning(uow, rt, req, order, row)
        elif status in NOT_PROVISIONED:
            if order is not None:  # queued: the provider has not taken it
                await provider.cancel(uow=uow, rt=rt, order=order, reason=_order_why(rt))
            await withdraw(uow=uow, rt=rt, req=req, standing=row)
        elif status in IN_USE:
            await _owe_exit(uow, rt, req, row)
    log.info(
        "project %s terminated (F5) as of %s: %d request(s) of unit %s compensated",
        row.project_id,
        row.terminated_at.isoformat(),
        len(listed),
        row.org_id,
    )


def _order_why(rt) -> str:
    """Why an order is cancelled, as its event says (the project is the request's, not the
    order's: an order names no project, L16)."""
    cite = f" ({rt.profile.citation('F5')})" if rt.profile.applies("F5") else ""
    return f"the request is withdrawn: its project was terminated{cite}"


def _why(rt, row: ProjectStanding) -> str:
    """The reason a step of the saga gives: the termination, with F5's citation if it applies."""
    why = rules.terminated_reason(row.project_id, row.terminated_at)
    return f"{why} ({rt.profile.citation('F5')})" if rt.profile.applies("F5") else why


async def withdraw(
    *,
    uow: UnitOfWork,
    rt,
    req: ResourceRequest,
    standing: ProjectStanding | None = None,
    cleaned_up: str | None = None,
) -> None:
    """F5: the platform withdraws a request its terminated project no longer stands behind;
    `cleaned_up`: the provider's report on the cancelled order it held (or its lapse)."""
    standing = standing or await request_service.standing(
        session=uow.session, project_id=req.project_id or ""
    )
    decisions, reason = [], "the request's work order was cancelled"
    if standing is not None and standing.terminated_at is not None:
        ground = rules.termination_ground(
            rt.profile,
            standing.project_id,
            standing.terminated_at,
            "the request is withdrawn: its quota and any order on it are released",
        )
        decisions = [ground] if ground else []
        reason = _why(rt, standing)
    if cleaned_up is not None:
        reason = f"{reason}; the provider cleaned up its cancelled order: {cleaned_up}"
    if S(req.status) not in requests.STEPS["platform_withdraw"].sources:
        log.warning("request %s is %s: not withdrawn (%s)", req.id, req.status, reason)
        return
    req.active_operation = None
    # The bureau's approval opinion (L4) is owed no more: nothing is left to decide.
    await deadlines.meet(
        uow=uow, subject_kind="resource_request", subject_id=req.id, kind="approval"
    )
    await requests.transition(
        uow=uow, req=req, action="platform_withdraw", who=None, reason=reason, decisions=decisions
    )


async def _stop_provisioning(
    uow: UnitOfWork, rt, req: ResourceRequest, order: WorkOrder | None, row: ProjectStanding
) -> None:
    """F5: a provider holds the request's order: it is told to stop and clean up (cancelling);
    the request is withdrawn once it has. The request's history says why, now."""
    if order is None:  # no open order holds it (not expected): nothing at a provider to wait for
        await withdraw(uow=uow, rt=rt, req=req, standing=row)
        return
    await provider.cancel(uow=uow, rt=rt, order=order, reason=_order_why(rt))
    ground = rules.termination_ground(
        rt.profile,
        row.project_id,
        row.terminated_at,
        "the provider's order is cancelled; the request is withdrawn once it has cleaned up",
    )
    await requests.record_act(
        uow=uow,
        req=req,
        action="project_terminated",
        event="project_terminated",
        who=None,
        reason=_why(rt, row),
        decisions=[ground] if ground else [],
    )


async def _owe_exit(uow: UnitOfWork, rt, req: ResourceRequest, row: ProjectStanding) -> None:
    """F5 with L7: a provisioned resource is not torn down; its unit now owes the exit
    application within L7's months of the termination (a stored due date), and a configured
    one will not be deployed (its deployment deadline is closed)."""
    key = {"subject_kind": "resource_request", "subject_id": req.id}
    ground = rules.termination_ground(
        rt.profile,
        row.project_id,
        row.terminated_at,
        "its resources are not torn down: the unit applies to exit",
    )
    decisions = [ground] if ground else []
    due = rules.exit_after_termination(rt.profile, row.project_id, row.terminated_at)
    if due is not None:
        await deadlines.set_due(
            session=uow.session,
            decision=due,
            kind="exit_application",
            org_id=req.org_id,
            party="unit",
            **key,
        )
        decisions.append(due)
    if req.status == S.CONFIGURED:
        await deadlines.meet(uow=uow, kind="deployment", **key)
    await requests.record_act(
        uow=uow,
        req=req,
        action="project_terminated",
        event="project_terminated",
        who=None,
        reason=_why(rt, row),
        decisions=decisions,
    )
