"""Intake's register acts on a system; cloud-broker acts on the system's resources.

`cloud_resource_ids` on the register are cloud-broker's resource (request) ids. A freeze (K5)
marks each of the owner's resources, so no change is filed on them; an unfreeze clears the mark.
A decommission (K1) starts each active resource's exit (L7) on the unit's behalf, with the
rule as its ground; the bureau approves it as any other. A merge (K2) starts no exit: the
merged system is redeployed and may keep using them. Ids that are not the owner's resources
are left alone (the register is typed by people), and so is a resource with another operation
under way, noted in the log: its exit is applied for by hand.

A promotion (K3) or a transfer (K4) gives each of the owner's resources that is not finished
(reclaimed, rejected, withdrawn) to the new owner unit, as of the register's act (the event's
time): one ownership change row per move and resource, and one event. What is still open on the
resource goes with it (change requests, unmet deadlines, unanswered findings). Moves are applied
in the register's order whatever order they arrive in: each is recorded, a move older than a
resource's last is stale, and one that arrives late is followed by the later ones it missed.
Quota is not checked (the move is an administrative order), and an operation under way goes on.
"""

import logging
from datetime import UTC

from sqlalchemy import and_, func, or_, select, update

from cloud_broker.deadlines.models import Deadline
from cloud_broker.provider.enums import OrderStatus
from cloud_broker.provider.models import WorkOrder
from cloud_broker.requests import flows as requests
from cloud_broker.requests import rules as request_rules
from cloud_broker.requests.enums import RequestStatus
from cloud_broker.requests.models import (
    ChangeRequest,
    CloudUnit,
    OwnershipChange,
    RegisterMove,
    ResourceRequest,
)
from cloud_broker.utilisation.models import UtilisationFinding
from govit.cloud_broker.v1 import events_pb2
from govit.common.v1 import common_pb2
from govit_kit.convert import to_timestamp
from govit_kit.db import utcnow
from govit_kit.events import Event
from govit_kit.policy import SHANGHAI, Decision, Outcome
from govit_kit.uow import UnitOfWork

log = logging.getLogger(__name__)

# Nothing is left of these to own: they stay with the unit that filed them.
FINISHED = frozenset(
    {RequestStatus.RECLAIMED.value, RequestStatus.REJECTED.value, RequestStatus.WITHDRAWN.value}
)
# Findings the unit has not answered yet: whoever holds the resource answers them.
UNANSWERED = ("open", "flagged")
OPEN_ORDERS = (OrderStatus.QUEUED.value, OrderStatus.CLAIMED.value)


async def _resources(uow: UnitOfWork, changed) -> list[ResourceRequest]:
    if not changed.cloud_resource_ids:
        return []
    return list(
        (
            await uow.session.scalars(
                select(ResourceRequest)
                .where(
                    ResourceRequest.id.in_(list(changed.cloud_resource_ids)),
                    ResourceRequest.org_id == changed.owner_org_id,
                )
                .order_by(ResourceRequest.id)
                .with_for_update()
            )
        ).all()
    )


async def on_frozen(*, uow: UnitOfWork, changed) -> None:
    """K5: mark the frozen system's resources."""
    hold = {
        "system_id": changed.system_id,
        "rule_id": changed.rule.rule_id,
        "article": changed.rule.article,
    }
    for req in await _resources(uow, changed):
        req.frozen_by, req.updated_at = hold, utcnow()


async def on_unfrozen(*, uow: UnitOfWork, changed) -> None:
    """K5 lifted: clear the marks this system set."""
    for req in await _resources(uow, changed):
        if req.frozen_by and req.frozen_by.get("system_id") == changed.system_id:
            req.frozen_by, req.updated_at = None, utcnow()


async def on_decommissioned(*, uow: UnitOfWork, rt, changed) -> None:
    """K1: apply for the exit of each active resource of the decommissioned system (L7)."""
    today = utcnow().astimezone(SHANGHAI).date()
    ground = Decision(
        changed.rule.rule_id,
        changed.rule.article,
        Outcome.ALLOW,
        f"the system {changed.system_id} was decommissioned ({changed.grounds or 'no grounds'})"
        ": its resources exit",
        {"system_id": changed.system_id},
    )
    for req in await _resources(uow, changed):
        if req.status != RequestStatus.ACTIVE.value or req.active_operation:
            log.warning(
                "resource %s of decommissioned system %s is %s (operation %s): exit not started",
                req.id,
                changed.system_id,
                req.status,
                req.active_operation,
            )
            continue
        req.stopped_use_on, req.active_operation = today, "exit"
        await requests.transition(
            uow=uow,
            req=req,
            action="request_exit",
            who=None,
            reason=f"system decommissioned: {changed.plan}",
            decisions=[ground, request_rules.exit_application(rt.profile, today, today)],
        )


async def on_owner_changed(*, uow: UnitOfWork, event: Event) -> None:
    """K3, K4: give the system's resources to its new owner unit, as of the register's act."""
    changed = event.message
    recorded = select(RegisterMove.id).where(RegisterMove.event_id == event.id)
    if await uow.session.scalar(recorded) is not None:
        return  # a redelivery moves nothing, even after the system came back to this owner
    this = RegisterMove(
        event_id=event.id,
        system_id=changed.system_id,
        from_org_id=changed.owner_org_id,
        to_org_id=changed.new_owner_org_id,
        effective_at=event.time.astimezone(UTC),
        rule_id=changed.rule.rule_id,
        article=changed.rule.article,
        resource_ids=list(changed.cloud_resource_ids),
    )
    uow.session.add(this)
    await uow.session.flush()
    # Locked first: a concurrent move of the same resources commits before the moves are read.
    listed = (
        await uow.session.scalars(
            select(ResourceRequest)
            .where(ResourceRequest.id.in_(this.resource_ids))
            .order_by(ResourceRequest.id)
            .with_for_update()
            .execution_options(populate_existing=True)  # the locked row, not a batch's copy
        )
    ).all()
    # This move and the system's later ones that arrived before it, in the register's order.
    moves = (
        await uow.session.scalars(
            select(RegisterMove)
            .where(
                RegisterMove.system_id == changed.system_id,
                RegisterMove.effective_at >= this.effective_at,
            )
            .order_by(RegisterMove.effective_at, RegisterMove.id)
        )
    ).all()
    last_moved = dict(
        (
            await uow.session.execute(
                select(OwnershipChange.resource_id, func.max(OwnershipChange.effective_at))
                .where(OwnershipChange.resource_id.in_([r.id for r in listed]))
                .group_by(OwnershipChange.resource_id)
            )
        ).all()
    )
    for req in listed:
        if req.status in FINISHED:
            continue
        since = last_moved.get(req.id)
        for move in moves:
            # A move older than the resource's last one is stale; a move from another unit
            # than the holder is not the holder's to make (the register is typed by people).
            if since is not None and move.effective_at <= since:
                continue
            if req.id in move.resource_ids and req.org_id == move.from_org_id:
                await _give(uow, req, move)


async def _give(uow: UnitOfWork, req: ResourceRequest, move: RegisterMove) -> None:
    """One resource to the move's new owner, with what is still open on it: its change
    requests, its deadlines not yet met and its findings not yet answered (the new unit answers
    them). What the former owner did stays its own: met deadlines, answered findings, marks."""
    if await uow.session.get(CloudUnit, move.to_org_id) is None:
        # intake's organisation event has not arrived yet: fail, so the event is retried.
        raise LookupError(f"unit {move.to_org_id!r} has no cloud account here yet")
    uow.session.add(
        OwnershipChange(
            resource_id=req.id,
            from_org_id=req.org_id,
            to_org_id=move.to_org_id,
            effective_at=move.effective_at,
            rule_id=move.rule_id,
            article=move.article,
            system_id=move.system_id,
            event_id=move.event_id,
        )
    )
    from_org, req.org_id, req.updated_at = req.org_id, move.to_org_id, utcnow()
    changes = select(ChangeRequest.id).where(ChangeRequest.request_id == req.id)
    await uow.session.execute(
        update(ChangeRequest)
        .where(ChangeRequest.request_id == req.id)
        .values(org_id=move.to_org_id, version=ChangeRequest.version + 1)
    )
    await uow.session.execute(
        update(Deadline)
        .where(
            Deadline.met_at.is_(None),
            or_(
                and_(Deadline.subject_kind == "resource_request", Deadline.subject_id == req.id),
                and_(Deadline.subject_kind == "change_request", Deadline.subject_id.in_(changes)),
            ),
        )
        .values(org_id=move.to_org_id)
    )
    # Open work orders' events now name the new owner. The provider never sees the unit, so
    # the order's version (its concurrency token) is left alone.
    await uow.session.execute(
        update(WorkOrder)
        .where(WorkOrder.request_id == req.id, WorkOrder.status.in_(OPEN_ORDERS))
        .values(org_id=move.to_org_id)
    )
    await uow.session.execute(
        update(UtilisationFinding)
        .where(
            UtilisationFinding.resource_id == req.id,
            UtilisationFinding.status.in_(UNANSWERED),
        )
        .values(org_id=move.to_org_id, version=UtilisationFinding.version + 1)
    )
    await uow.emit(
        "resource_request",
        "owner_changed",
        events_pb2.ResourceOwnerChanged(
            request_id=req.id,
            system_id=move.system_id,
            from_org_id=from_org,
            to_org_id=move.to_org_id,
            effective_at=to_timestamp(move.effective_at),
            rule=common_pb2.RuleRef(rule_id=move.rule_id, article=move.article),
            event_id=move.event_id,
        ),
        subject=req.id,
        org_id=move.to_org_id,
        project_id=req.project_id,
    )
    await uow.session.flush()
