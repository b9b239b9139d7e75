"""Intake's register acts on a system; cloud-broker acts on the system's resources.

`cloud_resource_ids` on the register are cloud-broker's resource (request) ids. A freeze (K5)
marks each of the owner's resources, so no change is filed on them; an unfreeze clears the mark.
A decommission (K1) starts each active resource's exit (L7) on the unit's behalf, with the
rule as its ground; the bureau approves it as any other. A merge (K2) starts no exit: the
merged system is redeployed and may keep using them. Ids that are not the owner's resources
are left alone (the register is typed by people), and so is a resource with another operation
under way, noted in the log: its exit is applied for by hand.
"""

import logging

from sqlalchemy import select

from cloud_broker.requests import flows as requests
from cloud_broker.requests import rules as request_rules
from cloud_broker.requests.enums import RequestStatus
from cloud_broker.requests.models import ResourceRequest
from govit_kit.db import utcnow
from govit_kit.policy import SHANGHAI, Decision, Outcome
from govit_kit.uow import UnitOfWork

log = logging.getLogger(__name__)


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
