"""gRPC: CloudBrokerService (other services) and ProviderService (the cloud providers)."""

from __future__ import annotations

import logging
import time

from pydantic import ValidationError
from sqlalchemy import select

from cloud_broker.provider import flows as provider
from cloud_broker.provider import obligations
from cloud_broker.provider.enums import OrderStatus
from cloud_broker.provider.models import WorkOrder
from cloud_broker.provider.schemas import (
    CompleteBody,
    DrillCreate,
    FailBody,
    PlatformChangeCreate,
    ProgressBody,
    ReportCreate,
    WipeBody,
)
from cloud_broker.requests import service
from cloud_broker.requests.models import ResourceRequest
from govit.cloud_broker.v1 import cloud_broker_service_pb2 as pb
from govit.cloud_broker.v1 import cloud_broker_service_pb2_grpc as pb_grpc
from govit.cloud_broker.v1 import provider_service_pb2 as ppb
from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc
from govit.cloud_broker.v1 import types_pb2
from govit_kit.convert import from_timestamp, to_decision, to_timestamp
from govit_kit.errors import DomainError, InvalidInput
from govit_kit.rpc import (
    current_principal,
    grpc_details,
    status_of,
    still_authenticated,
    stream_principal,
)

log = logging.getLogger(__name__)
# The gRPC field that carries OSB's originating identity (REST's X-Broker-API-Originating-Identity).
IDENTITY = "originating_identity"


def validated(model, data: dict):
    """A request checked by its REST schema; the first problem is an InvalidInput naming its
    field (INVALID_ARGUMENT), as REST's 422 does."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "request"
        raise InvalidInput(field, first["msg"]) from None


def request_message(r: ResourceRequest) -> pb.ResourceRequest:
    """A request row as its protobuf message."""
    return pb.ResourceRequest(
        request_id=r.id,
        project_id=r.project_id or "",
        org_id=r.org_id,
        service_mode=r.service_mode,
        status=r.status,
        items=[types_pb2.ResourceItem(**i) for i in r.items],
        submitted_at=to_timestamp(r.submitted_at),
    )


def operation_message(op) -> types_pb2.Operation:
    """An operation as its protobuf message."""
    return types_pb2.Operation(
        operation_id=op.id,
        order_id=op.work_order_id,
        action=op.action,
        state=op.state,
        description=op.description,
    )


class CloudBrokerServicer(pb_grpc.CloudBrokerServiceServicer):
    """Answers on behalf of the caller."""

    def __init__(self, rt) -> None:
        self.rt = rt

    async def GetResourceRequest(self, request, context) -> pb.GetResourceRequestResponse:
        """One request."""
        async with self.rt.db.sessions() as session:
            req = await service.get(
                session=session, request_id=request.request_id, who=current_principal()
            )
            return pb.GetResourceRequestResponse(resource_request=request_message(req))


class ProviderServicer(ppb_grpc.ProviderServiceServicer):
    """The provider API over gRPC: the same flows as REST, for the caller's platform only."""

    def __init__(self, rt) -> None:
        self.rt = rt

    async def ListWorkOrders(self, request, context) -> ppb.ListWorkOrdersResponse:
        """The platform's orders."""
        async with self.rt.db.sessions() as session:
            rows = (
                await session.scalars(provider.visible(current_principal(), request.status))
            ).all()
        return ppb.ListWorkOrdersResponse(work_orders=[provider.order_message(o) for o in rows])

    async def WatchWorkOrders(self, request, context):
        """Queued orders of the platform, then each new or requeued one as this process commits
        it; the queue is read again every watch_poll_s for what other instances queued. The
        stream ends with UNAUTHENTICATED when the caller's token expires (its wait wakes then at
        the latest), and sends nothing after: the provider reconnects with a fresh token."""
        who = await stream_principal(self.rt.verifier, context)
        try:
            platform = provider.platform_of(who)
        except DomainError as exc:
            await context.abort(status_of(exc), exc.detail)
        poll_s = self.rt.settings.watch_poll_s
        sent: set[str] = set()  # keys of the queued orders this stream has sent
        # Taken before the first read: an order committed while a read runs waits in the
        # watcher, so no wakeup is lost between the read and the wait.
        with self.rt.state.order_feed.watch(platform) as watcher:
            reread, next_read = True, 0.0
            while not context.done():
                await still_authenticated(who, context)
                if reread:
                    next_read = time.monotonic() + poll_s
                    async with self.rt.db.sessions() as session:
                        rows = (
                            await session.scalars(
                                select(WorkOrder)
                                .where(
                                    WorkOrder.platform_id == platform,
                                    WorkOrder.status == OrderStatus.QUEUED,
                                )
                                .order_by(WorkOrder.created_at, WorkOrder.id)
                            )
                        ).all()
                    queued: set[str] = set()  # an order no longer queued returns with a new key
                    for order in rows:
                        key = provider.queue_key(order)
                        queued.add(key)
                        if key not in sent:
                            await still_authenticated(who, context)
                            sent.add(key)
                            yield ppb.WatchWorkOrdersResponse(
                                work_order=provider.order_message(order)
                            )
                    sent &= queued
                for key, message in watcher.take():
                    if key not in sent:
                        await still_authenticated(who, context)
                        sent.add(key)
                        yield ppb.WatchWorkOrdersResponse(work_order=message)
                wait_s = next_read - time.monotonic()
                if (left := who.seconds_left()) is not None:
                    wait_s = min(wait_s, left)  # wake at the token's expiry to end the stream
                reread = await watcher.wait(max(0.0, wait_s))

    async def ClaimWorkOrder(self, request, context) -> ppb.ClaimWorkOrderResponse:
        """Claim under a lease."""
        ident = provider.parse_identity(request.originating_identity, IDENTITY)
        async with self.rt.db.unit_of_work() as uow:
            order = await provider.claim(
                uow=uow,
                rt=self.rt,
                who=current_principal(),
                order_id=request.order_id,
                lease_seconds=request.lease_seconds or None,
                identity=ident,
            )
            return ppb.ClaimWorkOrderResponse(work_order=provider.order_message(order))

    async def RenewLease(self, request, context) -> ppb.RenewLeaseResponse:
        """Renew the lease."""
        async with self.rt.db.unit_of_work() as uow:
            order = await provider.renew(
                uow=uow,
                rt=self.rt,
                who=current_principal(),
                order_id=request.order_id,
                lease_seconds=request.lease_seconds or None,
            )
            return ppb.RenewLeaseResponse(work_order=provider.order_message(order))

    async def ReportProgress(self, request, context) -> ppb.ReportProgressResponse:
        """Record progress, checked by the REST body's schema."""
        body = validated(ProgressBody, {"percent": request.percent, "note": request.note})
        ident = provider.parse_identity(request.originating_identity, IDENTITY)
        async with self.rt.db.unit_of_work() as uow:
            order = await provider.progress(
                uow=uow,
                who=current_principal(),
                order_id=request.order_id,
                percent=body.percent,
                note=body.note,
                identity=ident,
            )
            return ppb.ReportProgressResponse(work_order=provider.order_message(order))

    async def CompleteWorkOrder(self, request, context) -> ppb.CompleteWorkOrderResponse:
        """Report done, checked by the REST body's schema; the operation to poll."""
        body = validated(CompleteBody, {"resource_ids": list(request.resource_ids)})
        ident = provider.parse_identity(request.originating_identity, IDENTITY)
        async with self.rt.db.unit_of_work() as uow:
            op = await provider.complete(
                uow=uow,
                rt=self.rt,
                who=current_principal(),
                order_id=request.order_id,
                resource_ids=body.resource_ids,
                identity=ident,
            )
            return ppb.CompleteWorkOrderResponse(operation=operation_message(op))

    async def FailWorkOrder(self, request, context) -> ppb.FailWorkOrderResponse:
        """Report failure, checked by the REST body's schema (a reason of at least one character
        besides blanks); the broker cleans up."""
        body = validated(FailBody, {"reason": request.reason})
        ident = provider.parse_identity(request.originating_identity, IDENTITY)
        async with self.rt.db.unit_of_work() as uow:
            op = await provider.fail(
                uow=uow,
                rt=self.rt,
                who=current_principal(),
                order_id=request.order_id,
                reason=body.reason,
                identity=ident,
            )
        return ppb.FailWorkOrderResponse(operation=operation_message(op))

    async def AttestWipe(self, request, context) -> ppb.AttestWipeResponse:
        """L7: attest the data wipe, checked by the REST body's schema."""
        body = validated(
            WipeBody,
            {
                "resource_ids": list(request.resource_ids),
                "method": request.method,
                "attested_by": request.attested_by,
                "operation_logs_kept_until": request.operation_logs_kept_until or None,
            },
        )
        ident = provider.parse_identity(request.originating_identity, IDENTITY)
        async with self.rt.db.unit_of_work() as uow:
            op = await provider.attest_wipe(
                uow=uow,
                who=current_principal(),
                order_id=request.order_id,
                resource_ids=body.resource_ids,
                method=body.method,
                attested_by=body.attested_by,
                logs_kept_until=body.operation_logs_kept_until,
                identity=ident,
                profile=self.rt.profile,
            )
            return ppb.AttestWipeResponse(operation=operation_message(op))

    async def GetOperation(self, request, context) -> ppb.GetOperationResponse:
        """Poll an operation."""
        async with self.rt.db.sessions() as session:
            op = await provider.get_operation(
                session=session, who=current_principal(), operation_id=request.operation_id
            )
            return ppb.GetOperationResponse(operation=operation_message(op))

    async def FileMonthlyReport(self, request, context) -> ppb.FileMonthlyReportResponse:
        """L13: the monthly report, as over REST."""
        body = validated(
            ReportCreate,
            {
                "period": request.period,
                "utilisation": request.utilisation,
                "om": request.om,
                "optimisation": request.optimisation,
                "security": request.security,
            },
        )
        async with self.rt.db.unit_of_work() as uow:
            report = await obligations.file_report(
                uow=uow,
                rt=self.rt,
                who=current_principal(),
                period=body.period,
                sections=body.model_dump(exclude={"period"}),
            )
            return ppb.FileMonthlyReportResponse(
                report_id=report.id,
                period=report.period,
                late=report.late,
                decisions=[to_decision(d) for d in report.decisions],
            )

    async def FilePlatformChange(self, request, context) -> ppb.FilePlatformChangeResponse:
        """L14: a planned platform change, as over REST."""
        body = validated(
            PlatformChangeCreate,
            {
                "title": request.title,
                "plan": request.plan,
                "major": request.major,
                "users_notified": request.users_notified,
                "starts_at": (
                    from_timestamp(request.starts_at, "starts_at")
                    if request.HasField("starts_at")
                    else None
                ),
            },
        )
        async with self.rt.db.unit_of_work() as uow:
            change = await obligations.file_change(
                uow=uow, rt=self.rt, who=current_principal(), **body.model_dump()
            )
            return ppb.FilePlatformChangeResponse(
                change_id=change.id,
                decisions=[to_decision(d) for d in change.decisions],
            )

    async def RecordDrill(self, request, context) -> ppb.RecordDrillResponse:
        """L15: an emergency drill, as over REST."""
        body = validated(DrillCreate, {"held_on": request.held_on, "summary": request.summary})
        async with self.rt.db.unit_of_work() as uow:
            drill = await obligations.record_drill(
                uow=uow, rt=self.rt, who=current_principal(), **body.model_dump()
            )
            return ppb.RecordDrillResponse(
                drill_id=drill.id, platform_id=drill.platform_id, held_on=drill.held_on.isoformat()
            )

    async def ReportUtilisation(self, request_iterator, context) -> ppb.ReportUtilisationResponse:
        """L11: a client stream of figure batches, stored batch by batch. A refused batch ends
        the stream; the status says which batch and what the batches before it stored (resending
        them is safe: a month's latest report wins)."""
        from cloud_broker.utilisation import flows as utilisation

        who = await stream_principal(self.rt.verifier, context)
        accepted, batches = 0, 0
        try:
            async for batch in request_iterator:
                who.check_unexpired()  # a batch sent after the token expired is refused (401)
                accepted += await utilisation.store_figures(
                    rt=self.rt,
                    who=who,
                    figures=[utilisation.figure_from_pb(f) for f in batch.figures],
                )
                batches += 1
        except DomainError as exc:
            figures = f"{accepted} figure" + ("" if accepted == 1 else "s")
            stored = f"the batches before it stored {figures}" if batches else "nothing stored"
            await context.abort(
                status_of(exc), f"{grpc_details(exc)} (refused at batch {batches}; {stored})"
            )
        return ppb.ReportUtilisationResponse(accepted=accepted)


def servicers(rt) -> list:
    """The broker's gRPC servicers."""
    return [
        (
            pb_grpc.add_CloudBrokerServiceServicer_to_server,
            CloudBrokerServicer(rt),
            pb.DESCRIPTOR.services_by_name["CloudBrokerService"].full_name,
        ),
        (
            ppb_grpc.add_ProviderServiceServicer_to_server,
            ProviderServicer(rt),
            ppb.DESCRIPTOR.services_by_name["ProviderService"].full_name,
        ),
    ]
