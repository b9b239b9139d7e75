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
time): one ownership change row per event and resource, and one event. Quota is not checked
(the move is an administrative order), and an operation under way goes on as it is.
"""

import logging
from datetime import UTC

from sqlalchemy import select

from cloud_broker.requests import flows as requests
from cloud_broker.requests import rules as request_rules
from cloud_broker.requests.enums import RequestStatus
from cloud_broker.requests.models import CloudUnit, OwnershipChange, ResourceRequest
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
    new_owner = changed.new_owner_org_id
    moving = [r for r in await _resources(uow, changed) if r.status not in FINISHED]
    if not moving:
        return
    if await uow.session.get(CloudUnit, new_owner) is None:
        # intake's organisation event has not arrived yet: fail, so the event is retried.
        raise LookupError(f"unit {new_owner!r} has no cloud account here yet")
    # A redelivery (even after the system came back to this owner) moves nothing again.
    moved = set(
        await uow.session.scalars(
            select(OwnershipChange.resource_id).where(OwnershipChange.event_id == event.id)
        )
    )
    effective_at = event.time.astimezone(UTC)
    for req in moving:
        if req.id in moved:
            continue
        uow.session.add(
            OwnershipChange(
                resource_id=req.id,
                from_org_id=req.org_id,
                to_org_id=new_owner,
                effective_at=effective_at,
                rule_id=changed.rule.rule_id,
                article=changed.rule.article,
                system_id=changed.system_id,
                event_id=event.id,
            )
        )
        from_org, req.org_id, req.updated_at = req.org_id, new_owner, utcnow()
        await uow.emit(
            "resource_request",
            "owner_changed",
            events_pb2.ResourceOwnerChanged(
                request_id=req.id,
                system_id=changed.system_id,
                from_org_id=from_org,
                to_org_id=new_owner,
                effective_at=to_timestamp(effective_at),
                rule=common_pb2.RuleRef(rule_id=changed.rule.rule_id, article=changed.rule.article),
                event_id=event.id,
            ),
            subject=req.id,
            org_id=new_owner,
            project_id=req.project_id,
        )
    await uow.session.flush()
