"""Use cases of resource requests; the only place that emits the broker's request events.

Every transition goes through `transition`: who may do it and from which states is in
STEPS, the row's version guards against a concurrent change (409), and the history row,
the state change and the event commit together. `register` is a step too: from no state (it
opens the record of a resource that already runs), so its history row and event are the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import Text, bindparam, delete, func, literal, select, type_coerce
from sqlalchemy import text as sa_text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from cloud_broker.catalog import service as catalog
from cloud_broker.deadlines import service as deadlines
from cloud_broker.requests import rules, service
from cloud_broker.requests.enums import (
    BEFORE_MIGRATION,
    ChangeStatus,
    MigrationImpact,
    MigrationPlanStatus,
    RequestStatus,
    UnitLevel,
)
from cloud_broker.requests.models import (
    ChangeRequest,
    CloudUnit,
    MigrationNoticeRecipient,
    RequestTransition,
    ResourceRequest,
)
from cloud_broker.requests.schemas import (
    ChangeRequestCreate,
    ExistingResourceCreate,
    MigrationNoticeCreate,
    ResourceRequestCreate,
)
from govit.cloud_broker.v1 import events_pb2, types_pb2
from govit.common.v1 import common_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor, to_decision, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleRefused
from govit_kit.idempotency import check_if_match
from govit_kit.policy import SHANGHAI, Decision, Outcome, month_in_china
from govit_kit.uow import UnitOfWork

S = RequestStatus
UNIT = frozenset({Role.UNIT_STAFF, Role.UNIT_CDO})
ADMIN = frozenset({Role.BUREAU_CLOUD_ADMIN})
COUNTY = frozenset({Role.COUNTY_REVIEWER})
BROKER = frozenset()  # done by the broker on a provider's report, never by a person directly


@dataclass(frozen=True)
class Step:
    """One transition: from which states, to which, by whom, and whether a reason is required.
    No source state: the step opens a request's record (register)."""

    sources: frozenset[S]
    target: S
    roles: frozenset[Role]
    needs_reason: bool = False
    # The event's name, a fact in the past tense: govit.cloud_broker.resource_request.<event>.
    event: str = field(kw_only=True)


STEPS: dict[str, Step] = {
    "submit": Step(frozenset({S.DRAFT}), S.SUBMITTED, UNIT, event="submitted"),
    "withdraw": Step(frozenset({S.DRAFT, S.SUBMITTED}), S.WITHDRAWN, UNIT, event="withdrawn"),
    "county_forward": Step(
        frozenset({S.SUBMITTED}), S.COUNTY_REVIEWED, COUNTY, event="county_forwarded"
    ),
    "county_reject": Step(
        frozenset({S.SUBMITTED}), S.REJECTED, COUNTY, needs_reason=True, event="county_rejected"
    ),
    "accept": Step(
        frozenset({S.SUBMITTED, S.COUNTY_REVIEWED}), S.ACCEPTED, ADMIN, event="accepted"
    ),
    "approve": Step(frozenset({S.ACCEPTED}), S.APPROVED, ADMIN, event="approved"),
    "reject": Step(
        frozenset({S.SUBMITTED, S.COUNTY_REVIEWED, S.ACCEPTED}),
        S.REJECTED,
        ADMIN,
        True,
        event="rejected",
    ),
    "allocate": Step(frozenset({S.APPROVED}), S.ALLOCATED, ADMIN, event="allocated"),
    "provisioning": Step(
        frozenset({S.ALLOCATED}), S.PROVISIONING, BROKER, event="provisioning_started"
    ),
    "requeue": Step(frozenset({S.PROVISIONING}), S.ALLOCATED, BROKER, event="requeued"),
    "configure": Step(frozenset({S.PROVISIONING}), S.CONFIGURED, BROKER, event="configured"),
    "provision_failed": Step(
        frozenset({S.ALLOCATED, S.PROVISIONING}), S.APPROVED, BROKER, event="provision_failed"
    ),
    "deploy": Step(frozenset({S.CONFIGURED}), S.DEPLOYED, UNIT, event="deployed"),
    "activate": Step(frozenset({S.DEPLOYED}), S.ACTIVE, ADMIN, event="activated"),
    # From configured or deployed only for a terminated project's resource (F5 with L7): it will
    # not be activated, and its unit owes the exit application (request_exit checks).
    "request_exit": Step(
        frozenset({S.ACTIVE, S.CONFIGURED, S.DEPLOYED}),
        S.EXIT_REQUESTED,
        UNIT,
        event="exit_requested",
    ),
    # L3 (PDS C art13): a county unit's exit application goes through its county authority
    # first, by the same endpoints as a new request's county review (`county-forward`,
    # `county-reject`; `act` picks these steps for a request whose exit is applied for).
    "county_forward_exit": Step(
        frozenset({S.EXIT_REQUESTED}), S.EXIT_FORWARDED, COUNTY, event="exit_county_forwarded"
    ),
    "county_reject_exit": Step(
        frozenset({S.EXIT_REQUESTED}),
        S.ACTIVE,
        COUNTY,
        needs_reason=True,
        event="exit_county_rejected",
    ),
    "approve_exit": Step(
        frozenset({S.EXIT_REQUESTED, S.EXIT_FORWARDED}), S.TRANSITION, ADMIN, event="exit_approved"
    ),
    "reject_exit": Step(
        frozenset({S.EXIT_REQUESTED, S.EXIT_FORWARDED}),
        S.ACTIVE,  # or where the exit was applied from (configured, deployed): exit_origin
        ADMIN,
        needs_reason=True,
        event="exit_rejected",
    ),
    "confirm_transition": Step(
        frozenset({S.TRANSITION}), S.WIPING, UNIT, event="transition_confirmed"
    ),
    "reclaim": Step(frozenset({S.WIPING}), S.RECLAIMED, BROKER, event="reclaimed"),
    # F5: the project a new system's request stands on was terminated before the request was
    # provisioned: the platform withdraws it (projects/flows.py), at once, or from provisioning
    # once the provider has cleaned up its cancelled order (provider/flows.py: fail).
    "platform_withdraw": Step(
        frozenset(
            {
                S.DRAFT,
                S.SUBMITTED,
                S.COUNTY_REVIEWED,
                S.ACCEPTED,
                S.APPROVED,
                S.ALLOCATED,
                S.PROVISIONING,
            }
        ),
        S.WITHDRAWN,
        BROKER,
        needs_reason=True,
        event="withdrawn",
    ),
    # 存量资源登记 (L10): a resource already running on a provider's platform enters the books
    # active, from no state; see register_existing.
    "register": Step(frozenset(), S.ACTIVE, ADMIN, needs_reason=True, event="registered"),
}
# Actions a person may take through the generic endpoint (the others have their own).
SIMPLE_ACTIONS = (
    "withdraw",
    "county_forward",
    "county_reject",
    "accept",
    "approve",
    "reject",
    "deploy",
    "activate",
    "approve_exit",
    "reject_exit",
    "confirm_transition",
)


def refuse_if_any(decisions: list[Decision]) -> None:
    """Raise RuleRefused naming every refusing decision."""
    refused = [d for d in decisions if d.outcome is Outcome.REFUSE]
    if refused:
        raise RuleRefused(refused)


def _today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


async def transition(
    *,
    uow: UnitOfWork,
    req: ResourceRequest,
    action: str,
    who: Principal | None,
    reason: str = "",
    decisions: list[Decision] | None = None,
    target: S | None = None,
) -> ResourceRequest:
    """Move a request by one step: 409 naming the current state when the step does not start
    there; the history row, the change and one event commit together. `target` overrides the
    step's (a rejected exit returns the resource where its exit was applied from)."""
    step = STEPS[action]
    target = target or step.target
    current = S(req.status) if req.status else None  # None: not stored yet (register)
    from_status = current.value if current else ""
    # A step without source states (register) opens a record; the others start from a state.
    starts_here = current in step.sources if step.sources else current is None
    if not starts_here:
        allowed = ", ".join(sorted(s.value for s in step.sources)) or "none, it opens a record"
        raise Conflict(
            f"cannot {action} a request that is {from_status or 'new'} (only from: {allowed})",
            state=from_status,
        )
    if step.needs_reason and not reason.strip():
        raise InvalidInput("reason", f"{action} needs a reason")
    decisions = decisions or []
    now = utcnow()
    req.status, req.updated_at = target.value, now
    if decisions:
        req.decisions = [*req.decisions, *[d.to_dict() for d in decisions]]
    if current is None:  # the record the step opens is stored before its history row
        uow.session.add(req)
        await uow.session.flush()
    await _recorded(
        uow=uow,
        req=req,
        action=action,
        event=step.event,
        from_status=from_status,
        who=who,
        reason=reason,
        decisions=decisions,
        at=now,
    )
    return req


async def record_act(
    *,
    uow: UnitOfWork,
    req: ResourceRequest,
    action: str,
    event: str,
    who: Principal | None,
    reason: str,
    decisions: list[Decision],
) -> None:
    """An act on a request that leaves it where it stands (its project terminated under it,
    F5): a history row whose `from_status` is its `to_status`, and its event
    govit.cloud_broker.resource_request.<event> (ResourceRequestTransitioned), in one
    transaction with the change."""
    now = utcnow()
    req.updated_at = now
    if decisions:
        req.decisions = [*req.decisions, *[d.to_dict() for d in decisions]]
    await _recorded(
        uow=uow,
        req=req,
        action=action,
        event=event,
        from_status=req.status,
        who=who,
        reason=reason,
        decisions=decisions,
        at=now,
    )


async def _recorded(
    *,
    uow: UnitOfWork,
    req: ResourceRequest,
    action: str,
    event: str,
    from_status: str,
    who: Principal | None,
    reason: str,
    decisions: list[Decision],
    at: datetime,
) -> None:
    """The history row of a step (or act) and its event, after the version check."""
    actor, actor_org = (who.subject, who.org_id) if who else ("service:cloud_broker", "")
    uow.session.add(
        RequestTransition(
            request_id=req.id,
            action=action,
            from_status=from_status,
            to_status=req.status,
            actor=actor,
            actor_org=actor_org,
            reason=reason,
            decisions=[d.to_dict() for d in decisions],
            at=at,
        )
    )
    await uow.session.flush()  # the version check: a concurrent change loses here (409)
    # `submitted` keeps the payload its consumers already read; every other step shares one.
    message = (
        _submitted_event(req, who)
        if action == "submit"
        else events_pb2.ResourceRequestTransitioned(
            request_id=req.id,
            project_id=req.project_id or "",
            org_id=req.org_id,
            action=action,
            from_status=from_status,
            to_status=req.status,
            reason=reason,
            actor=to_actor(who) if who else common_pb2.Actor(subject=actor),
            decisions=[to_decision(d) for d in decisions],
            service_mode=req.service_mode,
            platform_id=req.platform_id or "",
            items=[types_pb2.ResourceItem(sku=i["sku"], quantity=i["quantity"]) for i in req.items],
            at=to_timestamp(at),
        )
    )
    await uow.emit(
        "resource_request",
        event,
        message,
        subject=req.id,
        org_id=req.org_id,
        project_id=req.project_id,
    )


def _may(who: Principal, step: Step) -> None:
    if not step.roles:
        raise Forbidden("this step follows a provider's report; no one takes it by hand")
    who.require(*step.roles)


def not_own(who: Principal, filed_by: str, what: str) -> None:
    """Separation of duties: the official who filed a request (or a change) never takes the
    bureau's decision on it, whatever roles their token also carries; another official does."""
    if filed_by == who.subject:
        raise Forbidden(f"{who.subject} filed this {what}: another official decides on it")


# --- filing ------------------------------------------------------------------------------


async def check_request(*, rt, who: Principal, data: ResourceRequestCreate) -> list:
    """The project check with intake (L2), made before the transaction opens."""
    who.require(Role.UNIT_STAFF)
    return await check_project(
        rt=rt, who=who, project_id=data.project_id, new_system=data.new_system
    )


async def check_project(
    *, rt, who: Principal, project_id: str | None, new_system: bool = True
) -> list[Decision]:
    """L2: a new system names an approved project of the unit; raises RuleRefused otherwise.

    A migrated or existing system (not new) needs no approved project: `project_id` is then
    optional, and when given it must still name a project of the applicant unit (intake shows
    it to the caller: 422 otherwise), whatever its status, so events, bills and audit never
    carry another unit's project."""
    status = (
        await service.project_status(rt=rt, project_id=project_id, who=who) if project_id else None
    )
    if not new_system:
        if project_id and status is None:
            raise InvalidInput("project_id", "names no project of the applicant unit")
        reference = rules.project_reference(rt.profile, status, new_system=False)
        return [reference] if reference else []
    reference = rules.project_reference(rt.profile, status)
    if reference is None and status != "approved":
        raise InvalidInput("project_id", "names no approved project of the applicant unit")
    decisions = [reference] if reference else []
    refuse_if_any(decisions)
    return decisions


async def check_standing(
    *,
    uow: UnitOfWork,
    rt,
    project_id: str | None,
    new_system: bool,
    step: str,
    state: str | None = None,
) -> None:
    """F4, F5: what review last said of a new system's project (the projection, under the
    project's lock, so a termination applied meanwhile is seen): terminated refuses every step
    (`draft` filing too), suspended refuses submission, approval and allocation. Where the
    profile does not apply the rule the refusal is plain, citing none: 422 naming `project_id`
    when the unit files or submits (`state` None), 409 naming the request's state at the
    bureau's steps. A migrated or existing system's project is no ground of it (SN C art12)."""
    if not new_system or not project_id:
        return
    await service.lock_project(session=uow.session, project_id=project_id)
    row = await service.standing(session=uow.session, project_id=project_id)
    if row is None:
        return
    if row.terminated_at is not None:
        decision = rules.project_terminated(rt.profile, project_id, row.terminated_at)
        plain = f"{rules.terminated_reason(project_id, row.terminated_at)}: {step} refused"
    elif row.suspended and step != "draft":
        decision = rules.project_suspended(rt.profile, project_id, row.suspension_changed_at)
        plain = f"the project {project_id} is suspended: {step} refused until it is lifted"
    else:
        return
    if decision is not None:
        raise RuleRefused([decision])
    if state is None:
        raise InvalidInput("project_id", plain)
    raise Conflict(plain, state=state)


async def submission_checks(*, uow: UnitOfWork, rt, req: ResourceRequest) -> list[Decision]:
    """What a request must pass to be submitted: L11 mark, L2 materials, L5 need and quota, the
    catalog; raises RuleRefused naming every refusing rule."""
    await catalog.check_items(
        session=uow.session, profile=rt.profile, items=req.items, service_mode=req.service_mode
    )
    year = rules.l11_year(utcnow())
    marked = await service.marked_year(session=uow.session, org_id=req.org_id, year=year)
    decisions = [rules.unit_marked(rt.profile, marked, year)]
    if (m := rules.materials_complete(rt.profile, req.materials)) is not None:
        decisions.append(m)
    decisions.append(rules.past_usage(rt.profile, req.new_system, req.materials))
    if (m := rules.migration_impact(rt.profile, req.new_system, req.migration_impact)) is not None:
        decisions.append(m)
    decisions.extend(await quota_decisions(uow=uow, rt=rt, req=req, items=req.items))
    refuse_if_any(decisions)
    return decisions


async def quota_decisions(*, uow: UnitOfWork, rt, req: ResourceRequest, items: list) -> list:
    """L5: for every quota over the unit, committed (excluding this request) plus `items`.

    Where L5 does not apply (no cloud regulation) a quota is the bureau's administrative limit,
    not a rule: going past one is a 422 `invalid-input` naming `items` (no decision, no article),
    as the plain project check stands in for L2 there."""
    unit = await service.unit_of(session=uow.session, org_id=req.org_id)
    await service.lock_quota_scopes(session=uow.session, unit=unit)
    requested: dict[str, int] = {}
    for item in items:
        requested[item["sku"]] = requested.get(item["sku"], 0) + int(item["quantity"])
    out, over = [], []
    held: dict[
        str, Counter
    ] = {}  # every SKU's committed total, once per scope (unit, jurisdiction)
    for quota, covers in await service.quotas_for(session=uow.session, unit=unit):
        if quota.sku not in requested:
            continue
        if quota.scope not in held:
            held[quota.scope] = await service.committed(
                session=uow.session, covers=covers, exclude_request_id=req.id
            )
        figures = {
            "scope": f"{quota.scope} {quota.scope_id}",
            "sku": quota.sku,
            "limit": quota.limit_quantity,
            "committed": held[quota.scope][quota.sku],
            "requested": requested[quota.sku],
        }
        if (decision := rules.quota(rt.profile, **figures)) is not None:
            out.append(decision)
        elif (excess := rules.quota_excess(**figures)) is not None:
            over.append((excess, figures))
    if over:
        raise InvalidInput(
            "items",
            "; ".join(excess for excess, _ in over)
            + " (the bureau's quota: an administrative limit, not a rule; L5 does not apply "
            f"in profile {rt.profile.name})",
            quotas=[figures for _, figures in over],
        )
    return out


async def create_request(
    *, uow: UnitOfWork, rt, who: Principal, data: ResourceRequestCreate, decisions: list
) -> ResourceRequest:
    """Record a request as a draft, or submit it at once (the checks then run first). An
    important migration's plan attached with it (materials.migration_plan) is submitted with it
    (L12)."""
    impact = check_migration_impact(rt, data.new_system, data.migration_impact)
    if data.draft:  # a submission is checked by submit
        await check_standing(
            uow=uow, rt=rt, project_id=data.project_id, new_system=data.new_system, step="draft"
        )
    req = ResourceRequest(
        project_id=data.project_id,
        org_id=who.org_id,
        service_mode=data.service_mode.value,
        items=[i.model_dump() for i in data.items],
        materials=dict(data.materials),
        new_system=data.new_system,
        migration_impact=impact,
        status=S.DRAFT.value,
        decisions=[d.to_dict() for d in decisions],
        submitted_by=who.subject,
        submitted_at=utcnow(),
        resource_ids=[],
    )
    for name, size in (await catalog.sizes(session=uow.session, items=req.items)).items():
        setattr(req, name, size)
    uow.session.add(req)
    await uow.session.flush()
    plan = str(req.materials.get(PLAN_MATERIAL, "")).strip()
    if impact == MigrationImpact.IMPORTANT and plan:
        await _plan_submitted(uow=uow, rt=rt, who=who, req=req, document=plan)
    if data.draft:
        await uow.emit(
            "resource_request",
            "drafted",
            _submitted_event(req, who),
            subject=req.id,
            org_id=req.org_id,
            project_id=req.project_id,
        )
        return req
    return await submit(uow=uow, rt=rt, who=who, req=req, decisions=decisions)


async def submit(
    *, uow: UnitOfWork, rt, who: Principal, req: ResourceRequest, decisions: list
) -> ResourceRequest:
    """Submit a draft: the checks, then the step and its `submitted` event."""
    who.require(Role.UNIT_STAFF)
    await check_standing(
        uow=uow, rt=rt, project_id=req.project_id, new_system=req.new_system, step="submit"
    )
    checked = await submission_checks(uow=uow, rt=rt, req=req)
    unit = await service.unit_of(session=uow.session, org_id=req.org_id)
    county = unit.level == UnitLevel.COUNTY
    l3 = rules.county_first(rt.profile, county, county_reviewed=False)
    if county and l3.outcome is Outcome.REFUSE:
        l3 = Decision.allow(rt.profile, "L3", "county unit: its county authority reviews first")
    req.submitted_at = utcnow()
    req.decisions = []  # submission re-checks everything: its decisions replace a draft's
    return await transition(
        uow=uow, req=req, action="submit", who=who, decisions=[*decisions, *checked, l3]
    )


def _submitted_event(req: ResourceRequest, who: Principal) -> events_pb2.ResourceRequestSubmitted:
    return events_pb2.ResourceRequestSubmitted(
        request_id=req.id,
        project_id=req.project_id or "",
        org_id=req.org_id,
        service_mode=req.service_mode,
        items=[types_pb2.ResourceItem(sku=i["sku"], quantity=i["quantity"]) for i in req.items],
        submitted_by=to_actor(who),
        submitted_at=to_timestamp(req.submitted_at),
    )


# --- the bureau's and the unit's steps -----------------------------------------------------


async def act(
    *,
    uow: UnitOfWork,
    rt,
    who: Principal,
    request_id: str,
    action: str,
    reason: str = "",
    if_match: str | None = None,
) -> ResourceRequest:
    """One of the SIMPLE_ACTIONS on a request, with the rules and deadlines of that step."""
    step = STEPS[action]
    _may(who, step)
    req = await service.get(session=uow.session, request_id=request_id, who=who)
    if step.roles == ADMIN:
        not_own(who, req.submitted_by, "request")
    check_if_match(if_match, req.version)
    decisions: list[Decision] = []
    unit = await service.unit_of(session=uow.session, org_id=req.org_id)
    county = unit.level == UnitLevel.COUNTY
    if action in ("county_forward", "county_reject"):
        action = _county_step(rt, req, action, county)
    elif (
        action in ("approve_exit", "reject_exit")
        and county
        and rules.county_reviews_changes_and_exits(rt.profile)
    ):
        # L3 (PDS C art13): the bureau decides a county unit's exit after its county reviewed it.
        decisions.append(
            rules.county_first_operation(
                rt.profile, county, req.status == S.EXIT_FORWARDED, "exit application"
            )
        )
        if req.status in STEPS[action].sources:  # from another state: the step's 409
            refuse_if_any(decisions)
    elif action == "reject" and county and req.status == S.SUBMITTED:
        # L3: the bureau decides on a county unit's request, either way, only after its county
        # authority reviewed it (as for changes and exits, and as `accept`).
        decisions.append(rules.county_first(rt.profile, True, False))
        refuse_if_any(decisions)
    elif action == "accept":
        decisions.append(
            rules.county_first(
                rt.profile, unit.level == UnitLevel.COUNTY, req.status == S.COUNTY_REVIEWED
            )
        )
        refuse_if_any(decisions)
        # L4: the approval opinion's due date, shown on the step (history, event) as well as
        # stored for the scheduler.
        due = rules.working_days_due(
            rt.profile, rt.calendar, "L4", "approval_working_days", utcnow(), "approval opinion"
        )
        if due is not None:
            decisions.append(due)
    elif action == "deploy":
        # L12 (SN C art12): deploying an existing system is carrying out its migration.
        ready = rules.migration_ready(
            rt.profile,
            req.migration_impact,
            req.migration_plan_status,
            req.migration_notice is not None,
        )
        if ready is not None:
            decisions.append(ready)
        if req.status in step.sources:  # from another state: the step's 409
            refuse_if_any(decisions)
    elif action == "approve":
        year = rules.l11_year(utcnow())
        marked = await service.marked_year(session=uow.session, org_id=req.org_id, year=year)
        decisions.append(rules.unit_marked(rt.profile, marked, year))
        decisions.append(
            rules.dedicated_plan(rt.profile, req.service_mode, req.plan_approved_by is not None)
        )
        if req.status in step.sources:  # from another state: the step's 409
            refuse_if_any(decisions)
            # F4, F5: a termination or suspension applied since the request was filed.
            await check_standing(
                uow=uow,
                rt=rt,
                project_id=req.project_id,
                new_system=req.new_system,
                step="approve",
                state=req.status,
            )
            # L5: approval puts the request among the committed; the quota is checked here,
            # under its lock, so two accepted requests cannot both be approved past it.
            decisions.extend(await quota_decisions(uow=uow, rt=rt, req=req, items=req.items))
        refuse_if_any(decisions)
    target = (
        await exit_origin(uow=uow, req=req)
        if action in ("reject_exit", "county_reject_exit") and req.status in STEPS[action].sources
        else None
    )
    req = await transition(
        uow=uow, req=req, action=action, who=who, reason=reason, decisions=decisions, target=target
    )
    await _deadlines_after(uow=uow, rt=rt, req=req, action=action, decisions=decisions)
    if action == "activate":
        req.activated_at = utcnow()
    elif action in ("reject_exit", "county_reject_exit"):
        req.active_operation = None
    elif action == "confirm_transition":
        from cloud_broker.provider import flows as provider_flows

        await provider_flows.open_order(uow=uow, rt=rt, req=req, kind="deprovision")
    return req


def _county_step(rt, req: ResourceRequest, action: str, county: bool) -> str:
    """The county review step (L3) a request stands for: of its application, or, where the
    profile has the county review exits (PDS C art13), of its exit application. Only a county
    unit's go through it; from any other state, a 409 naming the state."""
    if not county:
        raise Conflict(
            rt.profile.cite("only a county unit's request goes through county review", "L3")
        )
    exits = rules.county_reviews_changes_and_exits(rt.profile)
    if req.status == S.EXIT_REQUESTED:
        if not exits:
            raise Conflict(
                rt.profile.cite("a county unit's exit goes to the bureau directly here", "L3"),
                state=req.status,
            )
        return f"{action}_exit"
    if req.status != S.SUBMITTED:
        allowed = "submitted, exit_requested" if exits else "submitted"
        raise Conflict(
            f"cannot {action} a request that is {req.status} (only from: {allowed})",
            state=req.status,
        )
    return action


async def _deadlines_after(
    *, uow: UnitOfWork, rt, req: ResourceRequest, action: str, decisions: list | None = None
) -> None:
    """Set the due dates a step starts (L4, L7) and meet those it ends; a due date the step
    already decided (one of its `decisions`) is stored as decided."""
    now, s = utcnow(), uow.session
    key = {"subject_kind": "resource_request", "subject_id": req.id}
    if action == "accept":
        d = next(
            (x for x in decisions or [] if x.rule_id == "L4" and "due" in x.figures),
            None,
        ) or rules.working_days_due(
            rt.profile, rt.calendar, "L4", "approval_working_days", now, "approval opinion"
        )
        await deadlines.set_due(
            session=s,
            decision=d,
            kind="approval",
            org_id=req.org_id,
            party="bureau",
            calendar=rt.calendar,
            **key,
        )
    elif action in ("approve", "reject"):
        await deadlines.meet(uow=uow, kind="approval", **key)
    elif action == "configure":
        d = rules.working_days_due(
            rt.profile, rt.calendar, "L4", "deployment_working_days", now, "deploy the system"
        )
        await deadlines.set_due(
            session=s,
            decision=d,
            kind="deployment",
            org_id=req.org_id,
            party="unit",
            calendar=rt.calendar,
            **key,
        )
        if _plan_pending(req):  # submitted before configuration: the deadline starts paused
            await _pause_deployment(uow=uow, rt=rt, req=req, now=now)
    elif action == "deploy":
        await deadlines.meet(uow=uow, kind="deployment", **key)
    elif action == "approve_exit":
        d = rules.transition_due(rt.profile, _today())
        await deadlines.set_due(
            session=s, decision=d, kind="transition", org_id=req.org_id, party="unit", **key
        )
    elif action == "confirm_transition":
        await deadlines.meet(uow=uow, kind="transition", **key)
    elif action == "request_exit":
        # L7 with F5: the exit application a terminated project's resource owed.
        await deadlines.meet(uow=uow, kind="exit_application", **key)


async def approve_plan(
    *, uow: UnitOfWork, rt, who: Principal, request_id: str, reason: str, if_match=None
) -> ResourceRequest:
    """L8: the cloud administrators approve a 专享 request's construction plan."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    req = await service.get(session=uow.session, request_id=request_id, who=who)
    not_own(who, req.submitted_by, "request")
    check_if_match(if_match, req.version)
    if req.service_mode != "dedicated":
        raise Conflict(
            rt.profile.cite("only a 专享 (dedicated) request has a plan to approve", "L8")
        )
    if req.status not in (S.SUBMITTED, S.COUNTY_REVIEWED, S.ACCEPTED):
        raise Conflict(
            f"cannot approve the plan of a request that is {req.status}", state=req.status
        )
    if req.plan_approved_by is not None:
        raise Conflict("the plan is already approved", state=req.status)
    req.plan_approved_by = who.subject
    decision = Decision.allow(rt.profile, "L8", "the 专享 plan is approved")
    req.decisions = [*req.decisions, decision.to_dict()]
    await uow.session.flush()
    await uow.emit(
        "resource_request",
        "plan_approved",
        events_pb2.ResourceRequestTransitioned(
            request_id=req.id,
            project_id=req.project_id or "",
            org_id=req.org_id,
            action="approve_plan",
            from_status=req.status,
            to_status=req.status,
            reason=reason,
            actor=to_actor(who),
            decisions=[to_decision(decision)],
            service_mode=req.service_mode,
            at=to_timestamp(utcnow()),
        ),
        subject=req.id,
        org_id=req.org_id,
        project_id=req.project_id,
    )
    return req


# --- L12: migration of an existing system (SN C art12) -----------------------------------

# The material an important migration's plan (迁移实施方案) is attached as.
PLAN_MATERIAL = "migration_plan"


def check_migration_impact(rt, new_system: bool, impact: str | None) -> str | None:
    """L12: the migration impact an existing system's request declares; 422 naming the field
    and citing the rule when it is missing or unknown, or declared where it means nothing (a
    new system, or a profile without L12, where nothing changes)."""
    if new_system or not rt.profile.applies("L12"):
        if impact is not None:
            where = (
                "a new system is not a migration"
                if new_system
                else f"profile {rt.profile.name} has no migration rule L12"
            )
            raise InvalidInput("migration_impact", f"{where}: leave migration_impact out")
        return None
    decision = rules.migration_impact(rt.profile, new_system, impact)
    if decision is not None and decision.outcome is Outcome.REFUSE:
        raise InvalidInput(
            "migration_impact",
            f"{rt.profile.citation('L12')}: {decision.reason}",
            decisions=[decision.to_dict()],
        )
    return impact


def _migrating(rt, req: ResourceRequest, impact: MigrationImpact, what: str) -> None:
    """409 unless the request is a migration of this impact governed by L12, not yet carried
    out (deployed), nor ended."""
    if not rt.profile.applies("L12"):
        raise Conflict(f"L12 does not apply in profile {rt.profile.name}: no {what}")
    if req.migration_impact != impact:
        declared = req.migration_impact or "no migration"
        raise Conflict(
            f"only an {impact} migration has a {what} ({rt.profile.citation('L12')}); "
            f"this request is {declared}",
            state=req.status,
        )
    if req.status not in BEFORE_MIGRATION:
        raise Conflict(
            f"the request is {req.status}: a {what} comes before the migration is deployed",
            state=req.status,
        )


async def _migration_act(
    *,
    uow: UnitOfWork,
    req: ResourceRequest,
    act: str,
    who: Principal,
    reason: str = "",
    decisions: list[Decision],
    affected_org_ids: list[str] = (),
    planned_start: datetime | None = None,
) -> None:
    """Record one L12 act on a request: a history row (its status stays) and one event
    govit.cloud_broker.resource_request.migration_<act>, committed with the change."""
    now = utcnow()
    req.updated_at = now
    uow.session.add(
        RequestTransition(
            request_id=req.id,
            action=f"migration_{act}",
            from_status=req.status,
            to_status=req.status,
            actor=who.subject,
            actor_org=who.org_id,
            reason=reason,
            decisions=[d.to_dict() for d in decisions],
            at=now,
        )
    )
    await uow.session.flush()  # the version check: a concurrent change loses here (409)
    await uow.emit(
        "resource_request",
        f"migration_{act}",
        events_pb2.ResourceRequestMigration(
            request_id=req.id,
            project_id=req.project_id or "",
            org_id=req.org_id,
            act=act,
            impact=req.migration_impact or "",
            status=req.status,
            plan_document=str(req.materials.get(PLAN_MATERIAL, "")),
            reason=reason,
            affected_org_ids=list(affected_org_ids),
            planned_start=to_timestamp(planned_start) if planned_start else None,
            actor=to_actor(who),
            decisions=[to_decision(d) for d in decisions],
            at=to_timestamp(now),
        ),
        subject=req.id,
        org_id=req.org_id,
        project_id=req.project_id,
    )


def _plan_pending(req: ResourceRequest) -> bool:
    """An important migration's plan submitted and not yet decided by the bureau (L12)."""
    return (
        req.migration_impact == MigrationImpact.IMPORTANT
        and req.migration_plan_status == MigrationPlanStatus.SUBMITTED
    )


# L4 read with L12 (SN C art11, art12): the working days during which a submitted plan awaits
# the bureau's decision do not count against the unit's deployment deadline. The plan's
# submission pauses the open deadline (one already past due stays passed: the unit was late),
# the bureau's decision, either way, resumes it with the working days that were left.


async def _pause_deployment(
    *, uow: UnitOfWork, rt, req: ResourceRequest, now: datetime | None = None
) -> Decision | None:
    """Pause the request's running deployment deadline; the L4 decision saying so (None:
    nothing to pause)."""
    reason = (
        f"the deployment deadline ({rt.profile.citation('L4')}) is paused while the important "
        f"migration's plan awaits the bureau's decision ({rt.profile.citation('L12')})"
    )
    row = await deadlines.pause(
        session=uow.session,
        calendar=rt.calendar,
        subject_kind="resource_request",
        subject_id=req.id,
        kind="deployment",
        reason=reason,
        now=now,
    )
    if row is None:
        return None
    return Decision.hold(
        rt.profile,
        "L4",
        row.pause_reason,
        working_days_left=row.paused_working_days,
        paused_at=row.paused_at,
    )


async def _resume_deployment(*, uow: UnitOfWork, rt, req: ResourceRequest) -> Decision | None:
    """Resume the request's paused deployment deadline; the L4 decision with its new due date
    (None: nothing was paused)."""
    resumed = await deadlines.resume(
        session=uow.session,
        calendar=rt.calendar,
        subject_kind="resource_request",
        subject_id=req.id,
        kind="deployment",
    )
    if resumed is None:
        return None
    row, left, waited = resumed
    note = rt.calendar.provisional_note(utcnow(), row.due_at)
    return Decision.deadline(
        rt.profile,
        "L4",
        f"deploy the system by {row.due_at.astimezone(SHANGHAI).date()} (Asia/Shanghai), the "
        f"{left} working days left when the deadline was paused: the {waited} working days the "
        f"migration plan awaited the bureau's decision do not count "
        f"({rt.profile.citation('L12')})",
        due=row.due_at,
        working_days=left,
        paused_working_days=waited,
        **({"calendar": note} if note else {}),
    )


async def _plan_submitted(
    *, uow: UnitOfWork, rt, who: Principal, req: ResourceRequest, document: str
) -> None:
    req.materials = {**req.materials, PLAN_MATERIAL: document}
    req.migration_plan_status = MigrationPlanStatus.SUBMITTED.value
    req.migration_plan_decided_by, req.migration_plan_reason = None, None
    decisions = [
        Decision.allow(
            rt.profile,
            "L12",
            "the important migration's plan is submitted for the bureau's approval",
        )
    ]
    if (paused := await _pause_deployment(uow=uow, rt=rt, req=req)) is not None:
        decisions.append(paused)
    await _migration_act(uow=uow, req=req, act="plan_submitted", who=who, decisions=decisions)


async def submit_migration_plan(
    *, uow: UnitOfWork, rt, who: Principal, request_id: str, document: str, if_match=None
) -> ResourceRequest:
    """L12: the unit submits (or, after a refusal, resubmits) its important migration's plan."""
    who.require(Role.UNIT_STAFF)
    req = await service.get(session=uow.session, request_id=request_id, who=who)
    check_if_match(if_match, req.version)
    _migrating(rt, req, MigrationImpact.IMPORTANT, "migration plan")
    if req.migration_plan_status == MigrationPlanStatus.APPROVED:
        raise Conflict("the migration plan is already approved", state=req.status)
    await _plan_submitted(uow=uow, rt=rt, who=who, req=req, document=document)
    return req


async def decide_migration_plan(
    *,
    uow: UnitOfWork,
    rt,
    who: Principal,
    request_id: str,
    approve: bool,
    reason: str,
    if_match=None,
) -> ResourceRequest:
    """L12: the bureau approves an important migration's submitted plan, or refuses it with a
    reason (the unit may then submit a revised one)."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    req = await service.get(session=uow.session, request_id=request_id, who=who)
    not_own(who, req.submitted_by, "request")
    check_if_match(if_match, req.version)
    _migrating(rt, req, MigrationImpact.IMPORTANT, "migration plan")
    if req.status == S.DRAFT:
        raise Conflict(
            "the request is a draft: the bureau decides once it is submitted", state=req.status
        )
    if req.migration_plan_status != MigrationPlanStatus.SUBMITTED:
        raise Conflict(
            f"no submitted migration plan to decide on (the plan is "
            f"{req.migration_plan_status or 'not submitted'})",
            state=req.status,
        )
    if not approve and not reason.strip():
        raise InvalidInput("reason", "a refused migration plan needs a reason")
    status = MigrationPlanStatus.APPROVED if approve else MigrationPlanStatus.REFUSED
    req.migration_plan_status = status.value
    req.migration_plan_decided_by, req.migration_plan_reason = who.subject, reason
    decision = Decision.allow(
        rt.profile,
        "L12",
        "the bureau approved the migration plan: the migration may be carried out"
        if approve
        else "the bureau refused the migration plan: no migration until a plan is approved",
    )
    decisions = [decision]
    if (resumed := await _resume_deployment(uow=uow, rt=rt, req=req)) is not None:
        decisions.append(resumed)
    act = "plan_approved" if approve else "plan_refused"
    await _migration_act(uow=uow, req=req, act=act, who=who, reason=reason, decisions=decisions)
    return req


async def give_migration_notice(
    *,
    uow: UnitOfWork,
    rt,
    who: Principal,
    request_id: str,
    data: MigrationNoticeCreate,
    if_match=None,
) -> ResourceRequest:
    """L12: the unit tells the bureau and the affected units of its ordinary migration before
    the planned start (提前通知); a later notice replaces the earlier (the start moved)."""
    who.require(Role.UNIT_STAFF)
    req = await service.get(session=uow.session, request_id=request_id, who=who)
    check_if_match(if_match, req.version)
    _migrating(rt, req, MigrationImpact.ORDINARY, "migration notice")
    now = utcnow()
    planned_start = data.planned_start.astimezone(UTC)
    decision = rules.migration_notice(rt.profile, now, planned_start)
    refuse_if_any([decision])
    req.migration_notice = {
        "given_at": now.isoformat(),
        "given_by": who.subject,
        "planned_start": planned_start.isoformat(),
        "affected_org_ids": list(data.affected_org_ids),
    }
    # Each affected unit receives it (GET /v1/migration-notices); a new notice replaces the old.
    await uow.session.execute(
        delete(MigrationNoticeRecipient).where(MigrationNoticeRecipient.request_id == req.id)
    )
    uow.session.add_all(
        MigrationNoticeRecipient(
            request_id=req.id,
            to_org_id=org,
            from_org_id=req.org_id,
            planned_start=planned_start,
            given_at=now,
        )
        for org in data.affected_org_ids
    )
    await _migration_act(
        uow=uow,
        req=req,
        act="notice_given",
        who=who,
        decisions=[decision],
        affected_org_ids=data.affected_org_ids,
        planned_start=planned_start,
    )
    return req


async def allocate(
    *, uow: UnitOfWork, rt, who: Principal, request_id: str, platform_id: str, if_match=None
) -> ResourceRequest:
    """Allocate an approved request to a provider platform: quota again (L5), a price in force
    for every SKU there, then a work order for the provider."""
    from cloud_broker.provider import flows as provider_flows

    _may(who, STEPS["allocate"])
    req = await service.get(session=uow.session, request_id=request_id, who=who)
    not_own(who, req.submitted_by, "request")
    check_if_match(if_match, req.version)
    if req.status != S.APPROVED:
        raise Conflict(f"cannot allocate a request that is {req.status}", state=req.status)
    await check_standing(
        uow=uow,
        rt=rt,
        project_id=req.project_id,
        new_system=req.new_system,
        step="allocate",
        state=req.status,
    )
    await catalog.get_platform(session=uow.session, platform_id=platform_id)
    await _priced_on(uow=uow, platform_id=platform_id, items=req.items)
    decisions = await quota_decisions(uow=uow, rt=rt, req=req, items=req.items)
    refuse_if_any(decisions)
    req.platform_id = platform_id
    req.active_operation = "provision"
    await transition(uow=uow, req=req, action="allocate", who=who, decisions=decisions)
    await provider_flows.open_order(uow=uow, rt=rt, req=req, kind="provision")
    return req


async def _priced_on(*, uow: UnitOfWork, platform_id: str, items: list) -> None:
    """Every SKU has a price in force on the platform today (L10: the bureau pays for it);
    422 naming the line otherwise."""
    for i, item in enumerate(items):
        price = await catalog.price_on(
            session=uow.session, sku_code=item["sku"], platform_id=platform_id, day=_today()
        )
        if price is None:
            raise InvalidInput(
                f"items.{i}.sku", f"{item['sku']} has no price in force on {platform_id}"
            )


# --- existing resources (存量资源登记) ------------------------------------------------------


async def register_existing(
    *, uow: UnitOfWork, rt, who: Principal, data: ExistingResourceCreate
) -> ResourceRequest:
    """The bureau takes on its books a resource already running on a provider's platform
    (L10: it buys, settles and pays for cloud; SN C art5 moves existing systems onto it).

    It enters `active` at once: no work order, no deadline, no quota check (it exists; it
    counts toward the unit's quota from now on, L5). `activated_at` is `in_use_since`, so L11
    counts its stable months from then; billing counts from the registration (`billed_in`):
    the months before were settled before the platform took it on."""
    _may(who, STEPS["register"])
    s = uow.session
    if await s.get(CloudUnit, data.org_id) is None:
        raise InvalidInput("org_id", f"{data.org_id} has no cloud account here")
    items = [i.model_dump() for i in data.items]
    await catalog.check_items(
        session=s, profile=rt.profile, items=items, service_mode=data.service_mode.value
    )
    try:
        await catalog.get_platform(session=s, platform_id=data.platform_id)
    except NotFound as exc:
        raise InvalidInput("platform_id", exc.detail) from None
    await _priced_on(uow=uow, platform_id=data.platform_id, items=items)
    today = _today()
    if data.in_use_since > today:
        raise InvalidInput(
            "in_use_since", f"{data.in_use_since} is after today ({today} in Asia/Shanghai)"
        )
    await not_on_books(uow=uow, platform_id=data.platform_id, resource_ids=data.resource_ids)
    since = datetime.combine(data.in_use_since, time.min, tzinfo=SHANGHAI).astimezone(UTC)
    req = ResourceRequest(
        project_id=data.project_id,
        org_id=data.org_id,
        service_mode=data.service_mode.value,
        items=items,
        materials={},
        new_system=False,
        decisions=[],
        submitted_by=who.subject,
        submitted_at=utcnow(),
        platform_id=data.platform_id,
        resource_ids=list(data.resource_ids),
        activated_at=since,
        **await catalog.sizes(session=s, items=items),
    )
    billed_from = month_in_china(utcnow())
    decision = Decision.allow(
        rt.profile,
        "L10",
        f"an existing resource taken on the books: billed from {billed_from}, the month of its "
        f"registration; in use since {data.in_use_since}",
        billed_from=billed_from,
        in_use_since=data.in_use_since.isoformat(),
    )
    return await transition(
        uow=uow, req=req, action="register", who=who, reason=data.reason, decisions=[decision]
    )


def _holds_any(dialect: str, resource_ids: list[str]):
    """A condition on resource_request: its resource_ids hold one of these ids. On PostgreSQL
    jsonb's `?|` (any of the strings is an element), which the GIN index on the column serves,
    so only the matching rows are read; on SQLite (no such index) a json_each per row of the
    platform, still in SQL: no row leaves the database unless it matches."""
    if dialect == "postgresql":
        held = type_coerce(ResourceRequest.resource_ids, JSONB)
        return held.has_any(bindparam("held_ids", list(resource_ids), type_=ARRAY(Text)))
    each = func.json_each(ResourceRequest.resource_ids).table_valued("value")
    return select(literal(1)).select_from(each).where(each.c.value.in_(resource_ids)).exists()


async def not_on_books(*, uow: UnitOfWork, platform_id: str, resource_ids: list[str]) -> None:
    """409 naming the first id a resource on the platform, not reclaimed, already holds: two
    resources holding one id would let one's exit wipe the other's data (L7, L16). Only the
    resources that hold one of the ids are read (`_holds_any`), not every one of the platform."""
    s = uow.session
    dialect = s.bind.dialect.name
    if dialect == "postgresql":  # two registrations of one id take turns
        await s.execute(
            sa_text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"resource_ids:{platform_id}"},
        )
    held = await s.execute(
        select(ResourceRequest.id, ResourceRequest.resource_ids).where(
            ResourceRequest.platform_id == platform_id,
            ResourceRequest.status != S.RECLAIMED.value,
            _holds_any(dialect, resource_ids),
        )
    )
    holder = {rid: request_id for request_id, ids in held for rid in ids or []}
    for i, rid in enumerate(resource_ids):
        if rid in holder:
            raise Conflict(
                f"{rid} on {platform_id} is already on the books (resource {holder[rid]})",
                field=f"resource_ids.{i}",
                resource_id=rid,
                request_id=holder[rid],
            )


async def request_exit(
    *,
    uow: UnitOfWork,
    rt,
    who: Principal,
    request_id: str,
    stopped_use_on: date,
    reason: str,
    if_match=None,
) -> ResourceRequest:
    """L7: the unit applies to exit; late (more than the profile's months after it stopped
    using the resource) is recorded as a flag for audit and finance."""
    _may(who, STEPS["request_exit"])
    req = await service.get(session=uow.session, request_id=request_id, who=who)
    check_if_match(if_match, req.version)
    # F5 with L7: a terminated project's resource may exit before it is ever activated.
    terminated = await stands_on_terminated(uow=uow, req=req)
    busy(req, (S.ACTIVE, S.CONFIGURED, S.DEPLOYED) if terminated else (S.ACTIVE,))
    today = _today()
    if stopped_use_on > today:
        raise InvalidInput("stopped_use_on", "is in the future")
    decisions = [rules.exit_application(rt.profile, stopped_use_on, today)]
    if (l3 := await _county_reviews(uow=uow, rt=rt, org_id=req.org_id, what="exit")) is not None:
        decisions.append(l3)
    req.stopped_use_on = stopped_use_on
    req.active_operation = "exit"
    await transition(
        uow=uow, req=req, action="request_exit", who=who, reason=reason, decisions=decisions
    )
    await _deadlines_after(uow=uow, rt=rt, req=req, action="request_exit")
    return req


async def stands_on_terminated(*, uow: UnitOfWork, req: ResourceRequest) -> bool:
    """Whether review terminated the project a new system's request stands on (F5)."""
    if not req.new_system or not req.project_id:
        return False
    row = await service.standing(session=uow.session, project_id=req.project_id)
    return row is not None and row.terminated_at is not None


async def exit_origin(*, uow: UnitOfWork, req: ResourceRequest) -> S:
    """Where the resource's exit was applied from: active, or configured or deployed for a
    terminated project's resource (F5); a rejected exit returns it there."""
    origin = await uow.session.scalar(
        select(RequestTransition.from_status)
        .where(RequestTransition.request_id == req.id, RequestTransition.action == "request_exit")
        .order_by(RequestTransition.id.desc())
        .limit(1)
    )
    return S(origin) if origin in (S.CONFIGURED, S.DEPLOYED) else S.ACTIVE


async def _county_reviews(*, uow: UnitOfWork, rt, org_id: str, what: str) -> Decision | None:
    """L3 (PDS C art13): the decision shown on a county unit's change or exit application when
    its county authority reviews it first (None otherwise)."""
    unit = await service.unit_of(session=uow.session, org_id=org_id)
    if unit.level != UnitLevel.COUNTY or not rules.county_reviews_changes_and_exits(rt.profile):
        return None
    return Decision.allow(
        rt.profile, "L3", f"county unit: its county authority reviews the {what} first"
    )


def busy(req: ResourceRequest, states: tuple[S, ...] = (S.ACTIVE,)) -> None:
    """One operation at a time on a resource in one of `states` (active): 409 naming the one
    under way, or the state."""
    if req.status not in states:
        raise Conflict(f"the resource is {req.status}, not {' or '.join(states)}", state=req.status)
    if req.active_operation:
        raise Conflict(
            f"the resource has an operation under way ({req.active_operation}); one at a time",
            state=req.status,
            active_operation=req.active_operation,
        )


# --- change requests (L6) ------------------------------------------------------------------


async def file_change(
    *, uow: UnitOfWork, rt, who: Principal, request_id: str, data: ChangeRequestCreate
) -> ChangeRequest:
    """L6: the unit asks to change an active resource; a major change resubmits materials (L2)."""
    who.require(Role.UNIT_STAFF)
    req = await service.get(session=uow.session, request_id=request_id, who=who)
    busy(req)
    if req.frozen_by:
        hold = req.frozen_by
        raise RuleRefused(
            [
                Decision(
                    hold["rule_id"],
                    hold["article"],
                    Outcome.REFUSE,
                    f"the system {hold['system_id']} this resource serves is frozen: no changes "
                    "until it is unfrozen",
                    {"system_id": hold["system_id"]},
                )
            ]
        )
    items = [i.model_dump() for i in data.items]
    await catalog.check_items(
        session=uow.session, profile=rt.profile, items=items, service_mode=req.service_mode
    )
    decisions: list[Decision] = []
    grows = _grows(req.items, items)
    if grows:
        year = rules.l11_year(utcnow())
        marked = await service.marked_year(session=uow.session, org_id=req.org_id, year=year)
        decisions.append(rules.unit_marked(rt.profile, marked, year))
        decisions.extend(await quota_decisions(uow=uow, rt=rt, req=req, items=items))
    if data.major and (m := rules.materials_complete(rt.profile, data.materials)) is not None:
        decisions.append(m)
    if data.finding_id:
        from cloud_broker.utilisation import flows as utilisation

        decisions.append(
            await utilisation.expansion_reference(
                session=uow.session, rt=rt, finding_id=data.finding_id, req=req
            )
        )
    refuse_if_any(decisions)
    if (l3 := await _county_reviews(uow=uow, rt=rt, org_id=req.org_id, what="change")) is not None:
        decisions.append(l3)
    change = ChangeRequest(
        request_id=req.id,
        org_id=req.org_id,
        items=items,
        major=data.major,
        materials=dict(data.materials),
        reason=data.reason,
        finding_id=data.finding_id,
        status=ChangeStatus.SUBMITTED.value,
        submitted_by=who.subject,
        submitted_at=utcnow(),
    )
    uow.session.add(change)
    req.active_operation = "change"
    await uow.session.flush()
    due = rules.working_days_due(
        rt.profile, rt.calendar, "L6", "approval_working_days", utcnow(), "change approval"
    )
    await deadlines.set_due(
        session=uow.session,
        decision=due,
        subject_kind="change_request",
        subject_id=change.id,
        kind="change_approval",
        org_id=req.org_id,
        party="bureau",
        calendar=rt.calendar,
    )
    await _emit_change(uow, change, "submitted", who, decisions + ([due] if due else []))
    return change


def _grows(current: list, new: list) -> bool:
    have: dict[str, int] = {}
    for i in current:
        have[i["sku"]] = have.get(i["sku"], 0) + int(i["quantity"])
    want: dict[str, int] = {}
    for i in new:
        want[i["sku"]] = want.get(i["sku"], 0) + int(i["quantity"])
    return any(q > have.get(sku, 0) for sku, q in want.items())


async def decide_change(
    *,
    uow: UnitOfWork,
    rt,
    who: Principal,
    change_id: str,
    approve: bool,
    reason: str,
    if_match=None,
) -> ChangeRequest:
    """The cloud administrators approve (a modify work order follows) or reject a change."""
    from cloud_broker.provider import flows as provider_flows

    who.require(Role.BUREAU_CLOUD_ADMIN)
    change = await get_change(uow=uow, who=who, change_id=change_id)
    not_own(who, change.submitted_by, "change request")
    check_if_match(if_match, change.version)
    if change.status not in (ChangeStatus.SUBMITTED, ChangeStatus.COUNTY_REVIEWED):
        raise Conflict(
            f"the change is {change.status}, not submitted or county_reviewed",
            state=change.status,
        )
    if not approve and not reason.strip():
        raise InvalidInput("reason", "a rejection needs a reason")
    # L3 (PDS C art13): a county unit's change is decided after its county reviewed it.
    unit = await service.unit_of(session=uow.session, org_id=change.org_id)
    refuse_if_any(
        [
            rules.county_first_operation(
                rt.profile,
                unit.level == UnitLevel.COUNTY,
                change.status == ChangeStatus.COUNTY_REVIEWED,
                "change",
            )
        ]
    )
    req = await service.get(session=uow.session, request_id=change.request_id, who=who)
    decisions: list[Decision] = []
    if approve and _grows(req.items, change.items):
        # L5 again, under the quota lock: what the unit committed since the change was filed
        # (other changes, approvals) may leave no room for it.
        decisions = await quota_decisions(uow=uow, rt=rt, req=req, items=change.items)
        refuse_if_any(decisions)
    change.status = (ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED).value
    change.decided_by, change.decision_reason = who.subject, reason
    await uow.session.flush()
    await deadlines.meet(
        uow=uow,
        subject_kind="change_request",
        subject_id=change.id,
        kind="change_approval",
    )
    if approve:
        await provider_flows.open_order(uow=uow, rt=rt, req=req, kind="modify", change=change)
    else:
        req.active_operation = None
    await _emit_change(uow, change, change.status, who, decisions)
    return change


async def county_review_change(
    *,
    uow: UnitOfWork,
    rt,
    who: Principal,
    change_id: str,
    forward: bool,
    reason: str,
    if_match=None,
) -> ChangeRequest:
    """L3 (PDS C art13): the county authority reviews a county unit's change first: forwards it
    to the bureau (`county_reviewed`) or rejects it (with a reason; the change ends). As for a
    new request, a county reviewer reaches only the units registered under it (404 otherwise)."""
    who.require(Role.COUNTY_REVIEWER)
    change = await get_change(uow=uow, who=who, change_id=change_id)
    check_if_match(if_match, change.version)
    unit = await service.unit_of(session=uow.session, org_id=change.org_id)
    if unit.level != UnitLevel.COUNTY:
        raise Conflict(
            rt.profile.cite("only a county unit's change goes through county review", "L3")
        )
    if not rules.county_reviews_changes_and_exits(rt.profile):
        raise Conflict(
            rt.profile.cite("a county unit's change goes to the bureau directly here", "L3"),
            state=change.status,
        )
    action = "county_forward" if forward else "county_reject"
    if change.status != ChangeStatus.SUBMITTED:
        raise Conflict(
            f"cannot {action} a change that is {change.status} (only from: submitted)",
            state=change.status,
        )
    if not forward and not reason.strip():
        raise InvalidInput("reason", "county_reject needs a reason")
    decision = rules.county_first_operation(rt.profile, True, True, "change")
    if forward:
        change.status = ChangeStatus.COUNTY_REVIEWED.value
    else:
        change.status = ChangeStatus.REJECTED.value
        change.decided_by, change.decision_reason = who.subject, reason
        req = await service.get(session=uow.session, request_id=change.request_id, who=who)
        req.active_operation = None
        decision = Decision.allow(rt.profile, "L3", "the county authority rejected the change")
        await deadlines.meet(
            uow=uow,
            subject_kind="change_request",
            subject_id=change.id,
            kind="change_approval",
        )
    await uow.session.flush()
    await _emit_change(
        uow, change, "county_forwarded" if forward else "county_rejected", who, [decision]
    )
    return change


async def get_change(*, uow: UnitOfWork, who: Principal, change_id: str) -> ChangeRequest:
    """A change request the caller may see (404 for another unit's); a county reviewer sees
    the changes of the units registered under it (L3), as their requests."""
    from govit_kit.errors import NotFound

    change = await uow.session.get(ChangeRequest, change_id)
    if change is None:
        raise NotFound("change request not found")
    await service.check_reader(
        session=uow.session, who=who, org_id=change.org_id, what="change request"
    )
    return change


async def _emit_change(
    uow: UnitOfWork, change: ChangeRequest, name: str, who: Principal | None, decisions: list
) -> None:
    await uow.emit(
        "change_request",
        name,
        events_pb2.ChangeRequestChanged(
            change_id=change.id,
            request_id=change.request_id,
            org_id=change.org_id,
            status=change.status,
            major=change.major,
            items=[
                types_pb2.ResourceItem(sku=i["sku"], quantity=i["quantity"]) for i in change.items
            ],
            reason=change.decision_reason or change.reason,
            actor=to_actor(who) if who else common_pb2.Actor(subject="service:cloud_broker"),
            decisions=[to_decision(d) for d in decisions],
            at=to_timestamp(utcnow()),
        ),
        subject=change.id,
        org_id=change.org_id,
    )
