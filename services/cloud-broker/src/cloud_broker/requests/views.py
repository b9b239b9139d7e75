"""REST endpoints of resource requests, change requests, units and quotas."""

from fastapi import APIRouter, Response
from sqlalchemy import select

from cloud_broker.requests import flows, rules, service, units
from cloud_broker.requests.enums import ChangeStatus, RequestStatus
from cloud_broker.requests.models import CloudUnit, Quota, RequestTransition
from cloud_broker.requests.schemas import (
    AllocationCreate,
    ChangeDecision,
    ChangeRequestCreate,
    ChangeRequestRead,
    CloudUnitRead,
    CloudUnitWrite,
    ExistingResourceCreate,
    ExitCreate,
    MarkCreate,
    MigrationNoticeCreate,
    MigrationNoticeRead,
    MigrationPlanCreate,
    MigrationPlanDecision,
    QuotaRead,
    QuotaWrite,
    ResourceRequestCreate,
    ResourceRequestRead,
    StepBody,
    TransitionRead,
)
from govit_kit.auth import Role
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IdempotencyKey, IfMatch, check_if_match, etag, idempotent
from govit_kit.values import IdPath

router = APIRouter(prefix="/v1/resource-requests", tags=["resource requests"])
units_router = APIRouter(tags=["units and quotas"])


def _read(req, response: Response | None = None) -> ResourceRequestRead:
    if response is not None:
        response.headers["ETag"] = etag(req.version)
    return ResourceRequestRead.model_validate(req)


@router.post("", status_code=201, response_model=ResourceRequestRead)
async def submit_request(
    body: ResourceRequestCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    key: IdempotencyKey = None,
):
    """File a request of the caller's unit (L1, L2): a new system names an approved project
    of the unit, a migrated one states its past usage (project optional); as a draft or
    submitted at once; retry safely with an Idempotency-Key."""
    # The project check is a gRPC call: made before the transaction opens, not inside it.
    decisions = await flows.check_request(rt=rt, who=who, data=body)

    async def create(uow):
        req = await flows.create_request(uow=uow, rt=rt, who=who, data=body, decisions=decisions)
        return ResourceRequestRead.model_validate(req)

    return await idempotent(
        rt, key=key, who=who, route="submit_request", request=body, status_code=201, action=create
    )


@router.post("/existing", status_code=201, response_model=ResourceRequestRead)
async def register_existing(
    body: ExistingResourceCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    key: IdempotencyKey = None,
):
    """存量资源登记 (L10): take on the books a resource already running on a provider's
    platform, active at once (cloud administrators); retry safely with an Idempotency-Key."""
    who.require(*flows.STEPS["register"].roles)  # before a key's lookup: 403 for anyone else

    async def register(uow):
        req = await flows.register_existing(uow=uow, rt=rt, who=who, data=body)
        return ResourceRequestRead.model_validate(req)

    return await idempotent(
        rt,
        key=key,
        who=who,
        route="register_existing",
        request=body,
        status_code=201,
        action=register,
    )


@router.get("/materials")
async def list_materials(who: CurrentPrincipal, rt: CurrentRuntime) -> dict:
    """The materials L2 requires in this jurisdiction, with the article."""
    return {
        "rule_id": "L2",
        "article": rt.profile.rule("L2").article or "",
        "materials": rules.required_materials(rt.profile),
    }


@router.get("/{request_id}", response_model=ResourceRequestRead)
async def get_request(
    request_id: str, who: CurrentPrincipal, rt: CurrentRuntime, response: Response
):
    """One request (a unit sees only its own); its ETag guards the next step."""
    async with rt.db.sessions() as session:
        return _read(await service.get(session=session, request_id=request_id, who=who), response)


@router.get("/{request_id}/history", response_model=list[TransitionRead])
async def get_history(request_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Every step of a request: who, from, to, why, when."""
    async with rt.db.sessions() as session:
        await service.get(session=session, request_id=request_id, who=who)
        q = (
            select(RequestTransition)
            .where(RequestTransition.request_id == request_id)
            .order_by(RequestTransition.id)
        )
        return (await session.scalars(q)).all()


@router.get("", response_model=Page[ResourceRequestRead])
async def list_requests(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    status: RequestStatus | None = None,
):
    """Requests the caller may see, oldest first."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(
            session, service.visible(who, status.value if status else None), paging
        )
    return Page[ResourceRequestRead](
        items=[ResourceRequestRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.post("/{request_id}/submit", response_model=ResourceRequestRead)
async def submit_draft(
    request_id: str,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Submit a draft (L2 materials, L5 quota, L11 mark are checked now)."""
    async with rt.db.sessions() as session:
        draft = await service.get(session=session, request_id=request_id, who=who)
    who.require(Role.UNIT_STAFF)
    decisions = await flows.check_project(
        rt=rt, who=who, project_id=draft.project_id, new_system=draft.new_system
    )
    async with rt.db.unit_of_work() as uow:
        req = await service.get(session=uow.session, request_id=request_id, who=who)
        check_if_match(if_match, req.version)
        req = await flows.submit(uow=uow, rt=rt, who=who, req=req, decisions=decisions)
    return _read(req, response)


def _simple(action: str):
    async def step(
        request_id: str,
        who: CurrentPrincipal,
        rt: CurrentRuntime,
        response: Response,
        body: StepBody | None = None,
        if_match: IfMatch = None,
    ):
        async with rt.db.unit_of_work() as uow:
            req = await flows.act(
                uow=uow,
                rt=rt,
                who=who,
                request_id=request_id,
                action=action,
                reason=body.reason if body else "",
                if_match=if_match,
            )
        return _read(req, response)

    step.__name__ = action
    step.__doc__ = f"Step `{action}`: {flows.STEPS[action].target.value} (409 from another state)."
    return step


for _action in flows.SIMPLE_ACTIONS:
    router.add_api_route(
        f"/{{request_id}}/{_action.replace('_', '-')}",
        _simple(_action),
        methods=["POST"],
        response_model=ResourceRequestRead,
        name=_action,
    )


@router.post("/{request_id}/plan-approval", response_model=ResourceRequestRead)
async def approve_plan(
    request_id: str,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    body: StepBody | None = None,
    if_match: IfMatch = None,
):
    """L8: approve a 专享 request's plan (cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        req = await flows.approve_plan(
            uow=uow,
            rt=rt,
            who=who,
            request_id=request_id,
            reason=body.reason if body else "",
            if_match=if_match,
        )
    return _read(req, response)


@router.post("/{request_id}/migration-plan", response_model=ResourceRequestRead)
async def submit_migration_plan(
    request_id: str,
    body: MigrationPlanCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """L12: submit (or resubmit after a refusal) an important migration's plan (the unit)."""
    async with rt.db.unit_of_work() as uow:
        req = await flows.submit_migration_plan(
            uow=uow,
            rt=rt,
            who=who,
            request_id=request_id,
            document=body.document,
            if_match=if_match,
        )
    return _read(req, response)


@router.post("/{request_id}/migration-plan/decision", response_model=ResourceRequestRead)
async def decide_migration_plan(
    request_id: str,
    body: MigrationPlanDecision,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """L12: approve, or refuse with a reason, an important migration's plan (cloud
    administrators); the system is deployed only after its plan is approved."""
    async with rt.db.unit_of_work() as uow:
        req = await flows.decide_migration_plan(
            uow=uow,
            rt=rt,
            who=who,
            request_id=request_id,
            approve=body.approve,
            reason=body.reason,
            if_match=if_match,
        )
    return _read(req, response)


@router.post("/{request_id}/migration-notice", response_model=ResourceRequestRead)
async def give_migration_notice(
    request_id: str,
    body: MigrationNoticeCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """L12: an ordinary migration's advance notice to the bureau and the affected units, before
    its planned start (the unit); the system is deployed only after it."""
    async with rt.db.unit_of_work() as uow:
        req = await flows.give_migration_notice(
            uow=uow, rt=rt, who=who, request_id=request_id, data=body, if_match=if_match
        )
    return _read(req, response)


@router.post("/{request_id}/allocate", response_model=ResourceRequestRead)
async def allocate(
    request_id: str,
    body: AllocationCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Allocate an approved request to a provider platform (L5 quota again); a work order follows."""
    async with rt.db.unit_of_work() as uow:
        req = await flows.allocate(
            uow=uow,
            rt=rt,
            who=who,
            request_id=request_id,
            platform_id=body.platform_id,
            if_match=if_match,
        )
    return _read(req, response)


@router.post("/{request_id}/exit", response_model=ResourceRequestRead)
async def request_exit(
    request_id: str,
    body: ExitCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """L7: apply to exit an active resource."""
    async with rt.db.unit_of_work() as uow:
        req = await flows.request_exit(
            uow=uow,
            rt=rt,
            who=who,
            request_id=request_id,
            stopped_use_on=body.stopped_use_on,
            reason=body.reason,
            if_match=if_match,
        )
    return _read(req, response)


@router.post("/{request_id}/changes", status_code=201, response_model=ChangeRequestRead)
async def file_change(
    request_id: str, body: ChangeRequestCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """L6: ask to change an active resource (one operation at a time)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.file_change(uow=uow, rt=rt, who=who, request_id=request_id, data=body)


@units_router.get("/v1/changes", response_model=Page[ChangeRequestRead])
async def list_changes(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    status: ChangeStatus | None = None,
):
    """Change requests (L6) the caller may see, oldest first: a unit its own, a county reviewer
    its county's units' (L3), the bureau all."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(
            session, service.visible_changes(who, status.value if status else None), paging
        )
    return Page[ChangeRequestRead](
        items=[ChangeRequestRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@units_router.get("/v1/migration-notices", response_model=Page[MigrationNoticeRead])
async def list_migration_notices(who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """L12 (SN C art12): the advance notices of ordinary migrations, newest first: a unit those
    naming it as affected, a county reviewer those of its county's units, the bureau all."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible_migration_notices(who), paging)
    return Page[MigrationNoticeRead](
        items=[MigrationNoticeRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@units_router.get("/v1/changes/{change_id}", response_model=ChangeRequestRead)
async def get_change(change_id: str, who: CurrentPrincipal, rt: CurrentRuntime, response: Response):
    """One change request."""
    async with rt.db.unit_of_work() as uow:
        change = await flows.get_change(uow=uow, who=who, change_id=change_id)
    response.headers["ETag"] = etag(change.version)
    return change


@units_router.post("/v1/changes/{change_id}/decision", response_model=ChangeRequestRead)
async def decide_change(
    change_id: str,
    body: ChangeDecision,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    if_match: IfMatch = None,
):
    """L6: approve (a modify work order follows) or reject a change (cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        change = await flows.decide_change(
            uow=uow,
            rt=rt,
            who=who,
            change_id=change_id,
            approve=body.approve,
            reason=body.reason,
            if_match=if_match,
        )
    return change


def _county_change_step(forward: bool):
    async def step(
        change_id: str,
        who: CurrentPrincipal,
        rt: CurrentRuntime,
        response: Response,
        body: StepBody | None = None,
        if_match: IfMatch = None,
    ):
        async with rt.db.unit_of_work() as uow:
            change = await flows.county_review_change(
                uow=uow,
                rt=rt,
                who=who,
                change_id=change_id,
                forward=forward,
                reason=body.reason if body else "",
                if_match=if_match,
            )
        response.headers["ETag"] = etag(change.version)
        return change

    step.__name__ = "county_forward_change" if forward else "county_reject_change"
    step.__doc__ = (
        "L3 (PDS C art13): the county authority forwards a county unit's change to the bureau "
        "(`county_reviewed`; 409 from another state)."
        if forward
        else "L3 (PDS C art13): the county authority rejects a county unit's change, with a "
        "reason (409 from another state)."
    )
    return step


for _forward, _path in ((True, "county-forward"), (False, "county-reject")):
    units_router.add_api_route(
        f"/v1/changes/{{change_id}}/{_path}",
        _county_change_step(_forward),
        methods=["POST"],
        response_model=ChangeRequestRead,
        name=f"change_{_path.replace('-', '_')}",
    )


@units_router.put("/v1/units/{org_id}", response_model=CloudUnitRead)
async def put_unit(
    org_id: IdPath,
    body: CloudUnitWrite,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    if_match: IfMatch = None,
):
    """Register or update a unit's cloud account (cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        return await units.put_unit(
            uow=uow, who=who, profile=rt.profile, org_id=org_id, data=body, if_match=if_match
        )


@units_router.get("/v1/units", response_model=list[CloudUnitRead])
async def list_units(who: CurrentPrincipal, rt: CurrentRuntime):
    """The registered units (the bureau)."""
    who.require(*service.READERS)
    async with rt.db.sessions() as session:
        return (await session.scalars(select(CloudUnit).order_by(CloudUnit.org_id))).all()


@units_router.post("/v1/units/{org_id}/l11-marks", status_code=201)
async def mark_unit(org_id: IdPath, body: MarkCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """L11: mark a unit that refused right-sizing without good reason (cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        mark = await units.mark_unit(uow=uow, rt=rt, who=who, org_id=org_id, data=body)
        return {"id": mark.id, "org_id": mark.org_id, "year": mark.year, "decision": mark.decision}


@units_router.put("/v1/quotas", response_model=QuotaRead)
async def put_quota(body: QuotaWrite, who: CurrentPrincipal, rt: CurrentRuntime):
    """Set a SKU limit for a unit or a jurisdiction (L5; cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        return await units.put_quota(uow=uow, who=who, data=body)


@units_router.get("/v1/quotas", response_model=list[QuotaRead])
async def list_quotas(who: CurrentPrincipal, rt: CurrentRuntime):
    """Every quota (the bureau)."""
    who.require(*service.READERS)
    async with rt.db.sessions() as session:
        return (await session.scalars(select(Quota).order_by(Quota.scope, Quota.scope_id))).all()
