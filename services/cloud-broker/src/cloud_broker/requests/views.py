"""REST endpoints of resource requests."""

from fastapi import APIRouter

from cloud_broker.requests import flows, service
from cloud_broker.requests.schemas import ResourceRequestCreate, ResourceRequestRead
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IdempotencyKey, idempotent

router = APIRouter(prefix="/v1/resource-requests", tags=["resource requests"])


@router.post("", status_code=201, response_model=ResourceRequestRead)
async def submit_request(
    body: ResourceRequestCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    key: IdempotencyKey = None,
):
    """File a request for an approved project of the caller's unit (L1, L2); retry safely
    with an Idempotency-Key."""
    # The project check is a gRPC call: made before the transaction opens, not inside it.
    decisions = await flows.check_request(rt=rt, who=who, data=body)

    async def submit(uow):
        req = await flows.submit_request(uow=uow, who=who, data=body, decisions=decisions)
        return ResourceRequestRead.model_validate(req)

    return await idempotent(
        rt, key=key, who=who, route="submit_request", request=body, status_code=201, action=submit
    )


@router.get("/{request_id}", response_model=ResourceRequestRead)
async def get_request(request_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One request (a unit sees only its own)."""
    async with rt.db.sessions() as session:
        return await service.get(session=session, request_id=request_id, who=who)


@router.get("", response_model=Page[ResourceRequestRead])
async def list_requests(who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """Requests the caller may see, oldest first."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible(who), paging)
    return Page[ResourceRequestRead](
        items=[ResourceRequestRead.model_validate(r) for r in rows], next_cursor=nxt
    )
