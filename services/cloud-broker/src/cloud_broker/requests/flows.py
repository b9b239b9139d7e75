"""Use cases of resource requests; the only place that emits the broker's request events."""

from cloud_broker.requests import rules, service
from cloud_broker.requests.enums import RequestStatus
from cloud_broker.requests.models import ResourceRequest
from cloud_broker.requests.schemas import ResourceRequestCreate
from govit.cloud_broker.v1 import events_pb2, types_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import InvalidInput, RuleRefused
from govit_kit.policy import Outcome
from govit_kit.uow import UnitOfWork


async def check_request(*, rt, who: Principal, data: ResourceRequestCreate) -> list:
    """The rules a new request must pass; raises RuleRefused naming each that refuses."""
    who.require(Role.UNIT_STAFF)
    status = await service.project_status(rt=rt, project_id=data.project_id, who=who)
    reference = rules.project_reference(rt.profile, status)
    if reference is None and status != "approved":
        raise InvalidInput("project_id", "names no approved project of the applicant unit")
    decisions = [reference] if reference else []
    refused = [d for d in decisions if d.outcome is Outcome.REFUSE]
    if refused:
        raise RuleRefused(refused)
    return decisions


async def submit_request(
    *, uow: UnitOfWork, who: Principal, data: ResourceRequestCreate, decisions: list
) -> ResourceRequest:
    """Record a checked request as submitted, with the decisions that let it through."""
    req = ResourceRequest(
        project_id=data.project_id,
        org_id=who.org_id,
        service_mode=data.service_mode.value,
        items=[i.model_dump() for i in data.items],
        status=RequestStatus.SUBMITTED.value,
        decisions=[d.to_dict() for d in decisions],
        submitted_by=who.subject,
        submitted_at=utcnow(),
    )
    uow.session.add(req)
    await uow.session.flush()
    await uow.emit(
        "resource_request",
        "submitted",
        events_pb2.ResourceRequestSubmitted(
            request_id=req.id,
            project_id=req.project_id,
            org_id=req.org_id,
            service_mode=req.service_mode,
            items=[types_pb2.ResourceItem(sku=i.sku, quantity=i.quantity) for i in data.items],
            submitted_by=to_actor(who),
            submitted_at=to_timestamp(req.submitted_at),
        ),
        subject=req.id,
        org_id=req.org_id,
        project_id=req.project_id,
    )
    return req
