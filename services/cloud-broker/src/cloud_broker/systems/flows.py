"""Intake's register acts on a system; cloud-broker acts on the system's resources.

`cloud_resource_ids` on the register are cloud-broker's resource (request) ids. A freeze (K5)
marks each of the owner's resources, so no change is filed on them; an unfreeze clears the mark.
A decommission (K1) starts each active resource's exit (L7) on the unit's behalf, with the
rule as its ground; the bureau approves it as any other. A merge (K2) starts no exit: the
merged system is redeployed and may keep using them. Ids that are not the owner's resources
are left alone (the register is typed by people), and so is a resource with another operation
under way, noted in the log: its exit is applied for by hand.

The register's events come on one subject per action, and the stream orders a subject, not one
against another; so freezes, unfreezes and decommissions are kept (`register_act`, one row per
event and listed resource) and a resource is brought in line with all of them (`_settle`):
- K5: each system's latest freeze or unfreeze by the register's time (the event's time) is what
  holds; an older one arriving late changes nothing, and an unfreeze that comes before the
  freeze it lifts is kept, so that freeze changes nothing either.
- An act applies to a resource that was the act's owner unit's at the act's time, as the moves
  applied here say. One that names the new owner of a move not yet arrived (A→B, then B freezes
  or decommissions) applies when the move does: `on_owner_changed` settles the moved resources.
- A decommission starts a resource's exit once (`handled_at`); a redelivered act, found by its
  event id, changes nothing.

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
    RegisterAct,
    RegisterMove,
    ResourceRequest,
)
from cloud_broker.utilisation.models import UtilisationFinding
from govit.cloud_broker.v1 import events_pb2
from govit.common.v1 import common_pb2
from govit_kit.convert import to_timestamp
from govit_kit.db import utcnow
from govit_kit.events import Event
from govit_kit.inbox import NotYet
from govit_kit.policy import SHANGHAI, Decision, Outcome
from govit_kit.uow import UnitOfWork

log = logging.getLogger(__name__)

# Nothing is left of these to own: they stay with the unit that filed them.
FINISHED = frozenset(
    {RequestStatus.RECLAIMED.value, RequestStatus.REJECTED.value, RequestStatus.WITHDRAWN.value}
)
# Findings the unit has not answered yet: whoever holds the resource answers them.
UNANSWERED = ("open", "flagged")
OPEN_ORDERS = (
    OrderStatus.QUEUED.value,
    OrderStatus.CLAIMED.value,
    OrderStatus.CANCELLING.value,  # the provider still cleans up (F5)
)
# The register's acts kept per resource (its actions, as on the event).
FROZEN, UNFROZEN, DECOMMISSIONED = "frozen", "unfrozen", "decommissioned"


async def _locked(uow: UnitOfWork, ids) -> list[ResourceRequest]:
    """The listed resources that are here, locked (in id order, as every path locks them), and
    read after the lock: a concurrent act or move on them has committed by then.

    Their open work orders are locked before them: a provider's call locks its order, then
    the order's request (provider/flows.py `acting_on`); a move that locked the request first
    and then updated the order (`_give`) would wait on it in the opposite order (deadlock)."""
    if not ids:
        return []
    await uow.session.execute(
        select(WorkOrder.id)
        .where(WorkOrder.request_id.in_(list(ids)), WorkOrder.status.in_(OPEN_ORDERS))
        .order_by(WorkOrder.id)
        .with_for_update()
    )
    return list(
        (
            await uow.session.scalars(
                select(ResourceRequest)
                .where(ResourceRequest.id.in_(list(ids)))
                .order_by(ResourceRequest.id)
                .with_for_update()
                .execution_options(populate_existing=True)  # the locked row, not a batch's copy
            )
        ).all()
    )


async def _record(uow: UnitOfWork, rt, event: Event, action: str) -> None:
    """K1, K5: keep the register's act (the subscription's action) for each listed resource
    here, then settle them."""
    changed = event.message
    recorded = select(RegisterAct.id).where(RegisterAct.event_id == event.id).limit(1)
    if await uow.session.scalar(recorded) is not None:
        return  # a redelivery (a replayed dead letter, a lost inbox row) changes nothing
    listed = await _locked(uow, changed.cloud_resource_ids)
    for req in listed:
        uow.session.add(
            RegisterAct(
                event_id=event.id,
                resource_id=req.id,
                system_id=changed.system_id,
                action=action,
                owner_org_id=changed.owner_org_id,
                effective_at=event.time.astimezone(UTC),
                rule_id=changed.rule.rule_id,
                article=changed.rule.article,
                grounds=changed.grounds,
                plan=changed.plan,
            )
        )
    await uow.session.flush()
    await _settle(uow, rt, listed)


async def on_frozen(*, uow: UnitOfWork, rt, event: Event) -> None:
    """K5: mark the frozen system's resources."""
    await _record(uow, rt, event, FROZEN)


async def on_unfrozen(*, uow: UnitOfWork, rt, event: Event) -> None:
    """K5 lifted: clear the marks this system set."""
    await _record(uow, rt, event, UNFROZEN)


async def on_decommissioned(*, uow: UnitOfWork, rt, event: Event) -> None:
    """K1: apply for the exit of each active resource of the decommissioned system (L7)."""
    await _record(uow, rt, event, DECOMMISSIONED)


def _owner_at(req: ResourceRequest, history: list[OwnershipChange], at) -> str:
    """The unit that held the resource at `at`, as far as the moves applied here say."""
    owner = history[0].from_org_id if history else req.org_id
    for change in history:
        if change.effective_at > at:
            break
        owner = change.to_org_id
    return owner


async def _settle(uow: UnitOfWork, rt, listed: list[ResourceRequest]) -> None:
    """Bring each (locked) resource in line with the register's acts on it that apply: those of
    the unit that held it at the act's time (an id of another unit's resource is left alone, the
    register is typed by people). Run when an act arrives and when a move is applied, so an act
    that names the owner of a move not yet arrived applies once the move does. Idempotent."""
    if not listed:
        return
    ids = [req.id for req in listed]
    acts = (
        await uow.session.scalars(
            select(RegisterAct)
            .where(RegisterAct.resource_id.in_(ids))
            .order_by(RegisterAct.effective_at, RegisterAct.id)
            .execution_options(populate_existing=True)  # read after the lock, not a batch's copy
        )
    ).all()
    changes = (
        await uow.session.scalars(
            select(OwnershipChange)
            .where(OwnershipChange.resource_id.in_(ids))
            .order_by(OwnershipChange.effective_at, OwnershipChange.id)
        )
    ).all()
    for req in listed:
        history = [c for c in changes if c.resource_id == req.id]
        mine = [
            act
            for act in acts
            if act.resource_id == req.id
            and _owner_at(req, history, act.effective_at) == act.owner_org_id
        ]
        _freeze(req, mine)
        for act in mine:
            if act.action == DECOMMISSIONED and act.handled_at is None:
                await _exit(uow, rt, req, act)


def _freeze(req: ResourceRequest, acts: list[RegisterAct]) -> None:
    """K5: each system's latest freeze or unfreeze (by the register's time) is its word on the
    resource; an older one arriving late, or an unfreeze before the freeze it lifts, changes
    nothing. The resource is frozen while a system holds it frozen (the latest such mark)."""
    latest: dict[str, RegisterAct] = {}
    for act in acts:  # in the register's order: the last one of each system stands
        if act.action in (FROZEN, UNFROZEN):
            latest[act.system_id] = act
    holds = [act for act in latest.values() if act.action == FROZEN]
    if holds:
        hold = max(holds, key=lambda act: (act.effective_at, act.id))
        mark = {"system_id": hold.system_id, "rule_id": hold.rule_id, "article": hold.article}
        if req.frozen_by != mark:
            req.frozen_by, req.updated_at = mark, utcnow()
    elif req.frozen_by and req.frozen_by.get("system_id") in latest:
        # That system's latest word is an unfreeze (a mark of a system with no act recorded
        # here, set before acts were kept, waits for its own unfreeze).
        req.frozen_by, req.updated_at = None, utcnow()


async def _exit(uow: UnitOfWork, rt, req: ResourceRequest, act: RegisterAct) -> None:
    """K1: start the resource's exit on the unit's behalf, once per decommission (L7)."""
    act.handled_at = utcnow()
    if req.status != RequestStatus.ACTIVE.value or req.active_operation:
        log.warning(
            "resource %s of decommissioned system %s is %s (operation %s): exit not started",
            req.id,
            act.system_id,
            req.status,
            req.active_operation,
        )
        return
    today = utcnow().astimezone(SHANGHAI).date()
    ground = Decision(
        act.rule_id,
        act.article,
        Outcome.ALLOW,
        f"the system {act.system_id} was decommissioned ({act.grounds or 'no grounds'})"
        ": its resources exit",
        {"system_id": act.system_id},
    )
    req.stopped_use_on, req.active_operation = today, "exit"
    await requests.transition(
        uow=uow,
        req=req,
        action="request_exit",
        who=None,
        reason=f"system decommissioned: {act.plan}",
        decisions=[ground, request_rules.exit_application(rt.profile, today, today)],
    )
    await requests._deadlines_after(uow=uow, rt=rt, req=req, action="request_exit")


async def on_owner_changed(*, uow: UnitOfWork, rt, event: Event) -> None:
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
    listed = await _locked(uow, this.resource_ids)
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
    # A freeze, unfreeze or decommission that names the new owner may have come first.
    await _settle(uow, rt, listed)


async def _give(uow: UnitOfWork, req: ResourceRequest, move: RegisterMove) -> None:
    """One resource to the move's new owner, with what is still open on it: its change
    requests, its deadlines not yet met and its findings not yet answered (the new unit answers
    them). What the former owner did stays its own: met deadlines, answered findings, marks."""
    if await uow.session.get(CloudUnit, move.to_org_id) is None:
        # intake's organisation event has not arrived yet: fail, so the event is retried.
        raise NotYet(f"unit {move.to_org_id!r} has no cloud account here yet")
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
