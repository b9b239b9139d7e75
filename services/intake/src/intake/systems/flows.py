"""Use cases of the system registry; each lifecycle action is an event cloud-broker and finance
act on (a freeze marks the system's resources, a decommission starts their exit)."""

from govit.common.v1 import common_pb2
from govit.intake.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor
from govit_kit.errors import Conflict, InvalidInput, RuleRefused
from govit_kit.policy import PolicyProfile
from govit_kit.uow import UnitOfWork
from intake.orgs import service as orgs
from intake.projects.models import Project
from intake.systems import rules, service
from intake.systems.enums import RULE_OF, LifecycleAction, SystemStatus
from intake.systems.models import InformationSystem, SystemActionRecord
from intake.systems.schemas import SystemCreate

# The data bureau keeps the register of systems.
KEEPERS = (Role.BUREAU_REVIEWER,)
LIVE = (SystemStatus.ACTIVE, SystemStatus.FROZEN)


async def _emit(uow, who, profile, system, action: str, rule_id: str, grounds="", plan="", **more):
    article = profile.rule(rule_id).article or "" if rule_id else ""
    await uow.emit(
        "system",
        action,
        events_pb2.SystemLifecycleChanged(
            system_id=system.id,
            owner_org_id=system.owner_org_id,
            action=action,
            status=system.status,
            grounds=grounds,
            plan=plan,
            cloud_resource_ids=list(system.cloud_resource_ids),
            rule=common_pb2.RuleRef(rule_id=rule_id, article=article),
            actor=to_actor(who),
            project_id=system.project_id or "",
            **more,
        ),
        subject=system.id,
        org_id=system.owner_org_id,
        project_id=system.project_id,
    )
    return article


async def register(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, data: SystemCreate
) -> InformationSystem:
    """Put a system on the register (system.registered)."""
    who.require(*KEEPERS)
    if await orgs.unknown(session=uow.session, org_ids=[data.owner_org_id]):
        raise InvalidInput(
            "owner_org_id",
            f"intake knows no unit {data.owner_org_id} (not on the register of units, no "
            "application on file): register it first (POST /v1/organisations)",
        )
    if data.project_id is not None and await uow.session.get(Project, data.project_id) is None:
        raise InvalidInput("project_id", f"intake knows no project {data.project_id!r}")
    system = InformationSystem(**data.model_dump(), status=SystemStatus.ACTIVE.value)
    uow.session.add(system)
    await uow.session.flush()
    await _emit(uow, who, profile, system, "registered", "")
    return system


async def act(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, system_id: str, request
) -> InformationSystem:
    """Carry out one lifecycle action with its grounds and plan, and record it."""
    who.require(*KEEPERS)
    system = await service.get(session=uow.session, system_id=system_id, who=who)
    kind = request.action
    action = {
        "decommission": LifecycleAction.DECOMMISSION,
        "merge": LifecycleAction.MERGE,
        "promote": LifecycleAction.PROMOTE,
        "transfer": LifecycleAction.TRANSFER,
        "freeze": LifecycleAction.FREEZE,
        "unfreeze": LifecycleAction.UNFREEZE,
    }[kind]
    if not profile.applies(RULE_OF[action]):
        # The register still records systems; their lifecycle is what the profile's K rules say.
        raise Conflict(
            f"{RULE_OF[action]} does not apply in profile {profile.name}: no {kind} here",
            rule_id=RULE_OF[action],
        )
    needed = {
        LifecycleAction.FREEZE: (SystemStatus.ACTIVE,),
        LifecycleAction.UNFREEZE: (SystemStatus.FROZEN,),
    }.get(action, LIVE)
    if system.status not in needed:
        raise Conflict(f"cannot {kind} a system that is {system.status}", state=system.status)
    grounds = getattr(request, "grounds", None)
    details: dict = {}
    more: dict = {}
    if action is LifecycleAction.FREEZE:
        decision = rules.seasonal_freeze_decision(
            profile, request.grounds, request.idle_months_per_year
        )
        if decision is not None and decision.outcome == "refuse":
            raise RuleRefused([decision])
        details["idle_months_per_year"] = request.idle_months_per_year
        system.status = SystemStatus.FROZEN.value
    elif action is LifecycleAction.UNFREEZE:
        system.status = SystemStatus.ACTIVE.value
    elif action is LifecycleAction.DECOMMISSION:
        system.status = SystemStatus.DECOMMISSIONED.value
    elif action is LifecycleAction.MERGE:
        target = await uow.session.get(InformationSystem, request.into_system_id)
        if target is None or target.id == system.id or target.status != SystemStatus.ACTIVE:
            raise InvalidInput("into_system_id", "must name another active system")
        # K2: the merged system is redeployed; the original is decommissioned.
        system.status, system.merged_into_id = SystemStatus.DECOMMISSIONED.value, target.id
        details["into_system_id"] = more["merged_into_system_id"] = target.id
    else:  # promote, transfer: a new owner unit
        if request.new_owner_org_id == system.owner_org_id:
            raise InvalidInput("new_owner_org_id", "the system already belongs to that unit")
        if await orgs.unknown(session=uow.session, org_ids=[request.new_owner_org_id]):
            raise InvalidInput(
                "new_owner_org_id",
                f"{profile.citation(RULE_OF[action])}: the {kind} names a new owner unit, and "
                f"intake knows no unit {request.new_owner_org_id} (not on the register of units, "
                "no application on file)",
                rule_id=RULE_OF[action],
            )
        details["old_owner_org_id"] = system.owner_org_id
        details["new_owner_org_id"] = more["new_owner_org_id"] = request.new_owner_org_id
    rule_id = RULE_OF[action]
    article = await _emit(
        uow, who, profile, system, action.value, rule_id, str(grounds or ""), request.plan, **more
    )
    if "new_owner_org_id" in more:
        # The event above names the former owner; the register now holds the new one.
        system.owner_org_id = more["new_owner_org_id"]
    uow.session.add(
        SystemActionRecord(
            system_id=system.id,
            action=action.value,
            rule_id=rule_id,
            article=article,
            grounds=str(grounds or ""),
            plan=request.plan,
            details=details,
            actor=who.subject,
        )
    )
    await uow.session.flush()
    return system
