"""WatchWorkOrders on real PostgreSQL: an order this instance commits reaches its platform's
stream as it commits, without a read of the queue (the poll is an hour here), and so does an
order requeued when its lease expired; another platform's stream gets neither (L16); an order
another instance of the broker commits is found by the poll, and sent once. A stream ends when
its token expires."""

import asyncio
import time

import grpc
import jwt
import pytest

from cloud_broker.config import CloudBrokerSettings
from cloud_broker.main import spec as broker_spec
from govit.cloud_broker.v1 import provider_service_pb2 as ppb
from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc
from govit_kit.testing import run_service, settings_for


def md(headers: dict) -> list[tuple[str, str]]:
    return [("authorization", headers["authorization"])]


async def approved_request(broker) -> str:
    await broker.catalog()
    pid = await broker.approved_project()
    rid = (await broker.file(pid))["id"]
    await broker.to_approved(rid)
    return rid


async def test_own_commits_and_requeues_are_pushed_to_the_platform_only(broker_unpolled):
    broker = broker_unpolled
    rid = await approved_request(broker)
    pa, pb = md(broker.provider("pa")), md(broker.provider("pb"))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{broker.grpc_port}") as channel:
        stub = ppb_grpc.ProviderServiceStub(channel)
        watch_a = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=pa)
        watch_b = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=pb)
        await asyncio.sleep(0.5)  # both streams have read the empty queue and wait
        await broker.step(rid, "allocate", broker.admin, platform_id="pa")
        pushed = (await asyncio.wait_for(watch_a.read(), 5)).work_order
        assert (pushed.request_id, pushed.status) == (rid, "queued")

        await stub.ClaimWorkOrder(
            ppb.ClaimWorkOrderRequest(order_id=pushed.order_id, lease_seconds=1), metadata=pa
        )
        # The lease runs out; the scheduler requeues the order and the stream gets it again.
        again = (await asyncio.wait_for(watch_a.read(), 10)).work_order
        assert (again.order_id, again.status) == (pushed.order_id, "queued")

        with pytest.raises(TimeoutError):
            await asyncio.wait_for(watch_b.read(), 1.0)
        watch_a.cancel()
        watch_b.cancel()


async def test_an_order_another_instance_commits_is_found_by_the_poll(broker, event_space, jwt_dir):
    # A second instance on the same database, which commits nothing: its stream can learn of
    # the order `broker` commits only by polling.
    settings = broker.running.runtime.settings
    watching = await run_service(
        broker_spec(),
        settings_for(
            "cloud_broker",
            database_url=settings.database_url,
            space=event_space,
            data_dir=jwt_dir,
            cls=CloudBrokerSettings,
            intake_grpc=settings.intake_grpc,
            watch_poll_s=0.3,
        ),
    )
    try:
        rid = await approved_request(broker)
        async with grpc.aio.insecure_channel(f"127.0.0.1:{watching.grpc_port}") as channel:
            stub = ppb_grpc.ProviderServiceStub(channel)
            watch = stub.WatchWorkOrders(
                ppb.WatchWorkOrdersRequest(), metadata=md(broker.provider("pa"))
            )
            await broker.step(rid, "allocate", broker.admin, platform_id="pa")
            found = (await asyncio.wait_for(watch.read(), 5)).work_order
            assert found.request_id == rid
            with pytest.raises(TimeoutError):  # later polls find it again: not sent twice
                await asyncio.wait_for(watch.read(), 1.5)
            watch.cancel()
    finally:
        await watching.shutdown()


async def test_the_stream_ends_when_its_token_expires(broker_unpolled):
    """Regression: the stream's token was verified once, so after it expired (unary calls
    UNAUTHENTICATED) the stream went on delivering new orders. Now it ends UNAUTHENTICATED, and
    an order allocated after the expiry reaches it no more. No timing is asserted: the test
    waits for the expiry, then for the outcome."""
    broker = broker_unpolled
    before = await approved_request(broker)
    after = (await broker.file(await broker.approved_project()))["id"]
    await broker.to_approved(after)
    await broker.step(before, "allocate", broker.admin, platform_id="pa")  # queued already
    token = broker.issuer.issue("robot-pa", "org-pa", ["cloud_provider"], provider_id="pa", ttl_s=5)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    short = [("authorization", f"Bearer {token}")]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{broker.grpc_port}") as channel:
        stub = ppb_grpc.ProviderServiceStub(channel)
        watch = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=short)
        # The stream opened with the valid token: it sends the order already queued.
        first = (await asyncio.wait_for(watch.read(), 10)).work_order
        assert first.request_id == before

        await asyncio.sleep(exp + 1 - time.time())  # past the token's expiry
        with pytest.raises(grpc.aio.AioRpcError) as err:  # as a unary call is refused
            await stub.ListWorkOrders(ppb.ListWorkOrdersRequest(), metadata=short)
        assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED
        await broker.step(after, "allocate", broker.admin, platform_id="pa")

        with pytest.raises(grpc.aio.AioRpcError) as err:
            late = await asyncio.wait_for(watch.read(), 10)
            pytest.fail(f"an order allocated after the expiry was delivered: {late}")
        assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED, err.value
        assert err.value.details() == "token expired"
        # A fresh token opens a new stream, which sends both.
        fresh = stub.WatchWorkOrders(
            ppb.WatchWorkOrdersRequest(), metadata=md(broker.provider("pa"))
        )
        got = {(await asyncio.wait_for(fresh.read(), 10)).work_order.request_id for _ in "ab"}
        assert got == {before, after}
        fresh.cancel()
