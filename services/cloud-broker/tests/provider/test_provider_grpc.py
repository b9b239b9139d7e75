"""The provider flow over gRPC: new orders pushed on a server stream, claim, complete, exit to
reclaim with the wipe attestation; another provider's token cannot reach the order."""

import asyncio
import datetime as dt

import grpc
import pytest
from sqlalchemy import func, select

from govit.cloud_broker.v1 import provider_service_pb2 as ppb
from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc
from govit_kit.policy import SHANGHAI
from govit_kit.testing import wait_until


def last_week() -> str:
    """A day a week ago in Asia/Shanghai: a stop of use the exit applies for in time (L7)."""
    return (dt.datetime.now(SHANGHAI).date() - dt.timedelta(days=7)).isoformat()


IDENTITY = "console eyJ1c2VyX2lkIjogIndhbmcud3UifQ=="  # {"user_id": "wang.wu"}


def md(headers: dict) -> list[tuple[str, str]]:
    return [("authorization", headers["authorization"])]


async def test_provider_flow_over_grpc(broker):
    await broker.catalog()
    pa, pb = md(broker.provider("pa")), md(broker.provider("pb"))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{broker.grpc_port}") as channel:
        stub = ppb_grpc.ProviderServiceStub(channel)
        # No token, no stream.
        with pytest.raises(grpc.aio.AioRpcError) as err:
            async for _ in stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest()):
                pass
        assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED

        watch_a = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=pa)
        watch_b = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=pb)
        pid = await broker.approved_project()
        rid = (await broker.file(pid))["id"]
        await broker.to_approved(rid)
        await broker.step(rid, "allocate", broker.admin, platform_id="pa")

        pushed = await asyncio.wait_for(watch_a.read(), 10)
        order = pushed.work_order
        assert (order.request_id, order.kind, order.status) == (rid, "provision", "queued")
        assert [(i.sku, i.quantity) for i in order.items] == [("ecs.vcpu", 8), ("evs.storage", 500)]
        # Provider B's stream got nothing; its calls cannot reach A's order.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(watch_b.read(), 1.0)
        watch_b.cancel()
        listed = await stub.ListWorkOrders(ppb.ListWorkOrdersRequest(), metadata=pb)
        assert list(listed.work_orders) == []
        for call in (
            stub.ClaimWorkOrder(ppb.ClaimWorkOrderRequest(order_id=order.order_id), metadata=pb),
            stub.GetOperation(ppb.GetOperationRequest(operation_id="x"), metadata=pb),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await call
            assert err.value.code() is grpc.StatusCode.NOT_FOUND

        claimed = await stub.ClaimWorkOrder(
            ppb.ClaimWorkOrderRequest(
                order_id=order.order_id, lease_seconds=60, originating_identity=IDENTITY
            ),
            metadata=pa,
        )
        assert claimed.work_order.status == "claimed"
        await stub.RenewLease(
            ppb.RenewLeaseRequest(order_id=order.order_id, lease_seconds=90), metadata=pa
        )
        await stub.ReportProgress(
            ppb.ReportProgressRequest(order_id=order.order_id, percent=30), metadata=pa
        )
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ReportProgress(
                ppb.ReportProgressRequest(order_id=order.order_id, percent=130), metadata=pa
            )
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        done = ppb.CompleteWorkOrderRequest(
            order_id=order.order_id, resource_ids=["vm-9"], originating_identity=IDENTITY
        )
        first = await stub.CompleteWorkOrder(done, metadata=pa)
        again = await stub.CompleteWorkOrder(done, metadata=pa)
        assert first.operation.operation_id == again.operation.operation_id
        assert first.operation.state == "succeeded"
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.CompleteWorkOrder(
                ppb.CompleteWorkOrderRequest(order_id=order.order_id, resource_ids=["vm-8"]),
                metadata=pa,
            )
        assert err.value.code() is grpc.StatusCode.FAILED_PRECONDITION
        polled = await stub.GetOperation(
            ppb.GetOperationRequest(operation_id=first.operation.operation_id), metadata=pa
        )
        assert polled.operation.state == "succeeded"

        await broker.step(rid, "deploy", broker.unit())
        await broker.step(rid, "activate", broker.admin)
        await broker.step(rid, "exit", broker.unit(), stopped_use_on=last_week())
        await broker.step(rid, "approve-exit", broker.admin)
        await broker.step(rid, "confirm-transition", broker.unit())
        pushed = await asyncio.wait_for(watch_a.read(), 10)
        wipe = pushed.work_order
        assert (wipe.kind, list(wipe.resource_ids)) == ("deprovision", ["vm-9"])
        watch_a.cancel()
        await stub.ClaimWorkOrder(ppb.ClaimWorkOrderRequest(order_id=wipe.order_id), metadata=pa)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.AttestWipe(
                ppb.AttestWipeRequest(
                    order_id=wipe.order_id,
                    resource_ids=["vm-1"],
                    method="purge",
                    attested_by="李四",
                ),
                metadata=pa,
            )
        assert err.value.code() is grpc.StatusCode.FAILED_PRECONDITION
        attest = ppb.AttestWipeRequest(
            order_id=wipe.order_id, resource_ids=["vm-9"], method="purge", attested_by="李四"
        )
        # A missing field is named, as over REST.
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.AttestWipe(
                ppb.AttestWipeRequest(order_id=wipe.order_id, resource_ids=["vm-9"]), metadata=pa
            )
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert err.value.details().startswith("method")
        # L17 (SN C art31): the operation logs are kept at least a year after the wipe.
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.AttestWipe(attest, metadata=pa)
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert "operation_logs_kept_until" in err.value.details()
        assert "L17 (SN C art31)" in err.value.details()
        attest.operation_logs_kept_until = "next year"
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.AttestWipe(attest, metadata=pa)
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert "operation_logs_kept_until" in err.value.details()
        today = dt.datetime.now(SHANGHAI).date()
        attest.operation_logs_kept_until = (today + dt.timedelta(days=400)).isoformat()
        await stub.AttestWipe(attest, metadata=pa)
        await stub.CompleteWorkOrder(
            ppb.CompleteWorkOrderRequest(order_id=wipe.order_id, resource_ids=["vm-9"]), metadata=pa
        )
    req = (await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.unit())).json()
    assert req["status"] == "reclaimed"
    # Every event of the flow reached JetStream (the relay marks a row only after the ack).
    db = broker.running.runtime.db
    ob = db.tables.outbox

    async def all_published():
        async with db.sessions() as s:
            left = await s.scalar(select(func.count()).where(ob.c.published_at.is_(None)))
            total = await s.scalar(select(func.count()).select_from(ob))
        return left == 0 and total > 0

    await wait_until(all_published)
    async with db.sessions() as s:
        kinds = (
            await s.scalars(select(ob.c.event_type).where(ob.c.subject == rid).order_by(ob.c.seq))
        ).all()
    assert kinds[-1].endswith("resource_request.reclaimed")


async def test_the_grpc_provider_api_checks_what_rest_checks(broker):
    """CompleteWorkOrder, FailWorkOrder and ReportProgress take the REST bodies' limits (an id
    of 1 to 200 characters, at most 1,000 of them, a reason or note of at most 2,000), and an
    identity or text holding U+0000 is named: INVALID_ARGUMENT, and nothing changes."""
    import base64
    import json

    await broker.catalog()
    pa = md(broker.provider("pa"))
    pid = await broker.approved_project()
    rid = (await broker.file(pid))["id"]
    await broker.to_approved(rid)
    await broker.step(rid, "allocate", broker.admin, platform_id="pa")
    nul_identity = (
        "console " + base64.b64encode(json.dumps({"user_id": "wang\u0000wu"}).encode()).decode()
    )
    async with grpc.aio.insecure_channel(f"127.0.0.1:{broker.grpc_port}") as channel:
        stub = ppb_grpc.ProviderServiceStub(channel)
        [order] = (await stub.ListWorkOrders(ppb.ListWorkOrdersRequest(), metadata=pa)).work_orders
        oid = order.order_id
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ClaimWorkOrder(
                ppb.ClaimWorkOrderRequest(order_id=oid, originating_identity=nul_identity),
                metadata=pa,
            )
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert err.value.details() == (
            "originating_identity: must not contain the NUL character (U+0000)"
        )
        await stub.ClaimWorkOrder(ppb.ClaimWorkOrderRequest(order_id=oid), metadata=pa)
        refused = [
            (stub.CompleteWorkOrder, ppb.CompleteWorkOrderRequest(resource_ids=[""]), "resource_ids.0"),
            (stub.CompleteWorkOrder, ppb.CompleteWorkOrderRequest(resource_ids=["v" * 201]), "resource_ids.0"),
            (stub.CompleteWorkOrder, ppb.CompleteWorkOrderRequest(resource_ids=[f"vm-{i}" for i in range(1001)]), "resource_ids"),
            (stub.CompleteWorkOrder, ppb.CompleteWorkOrderRequest(resource_ids=["vm\x00"]), "resource_ids.0"),
            (stub.FailWorkOrder, ppb.FailWorkOrderRequest(reason="r" * 2001), "reason"),
            (stub.FailWorkOrder, ppb.FailWorkOrderRequest(reason=" \t "), "reason"),
            (stub.ReportProgress, ppb.ReportProgressRequest(percent=10, note="n" * 2001), "note"),
        ]  # fmt: skip
        for method, request, field in refused:
            request.order_id = oid
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await method(request, metadata=pa)
            assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT, (field, err.value)
            assert err.value.details().startswith(f"{field}:"), err.value.details()
        [order] = (await stub.ListWorkOrders(ppb.ListWorkOrdersRequest(), metadata=pa)).work_orders
        assert (order.status, order.progress_percent, list(order.resource_ids)) == (
            "claimed",
            0,
            [],
        )
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.FileMonthlyReport(
                ppb.FileMonthlyReportRequest(
                    period="2026-10", utilisation="a\x00", om="o", optimisation="p", security="s"
                ),
                metadata=pa,
            )
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert err.value.details().startswith("utilisation:")
