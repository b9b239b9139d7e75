"""The gRPC side of the chassis against a running service: health, reflection, auth, paging."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
import pytest_asyncio
from google.protobuf import descriptor_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from govit.common.v1.common_pb2 import PageRequest
from govit.intake.v1 import intake_service_pb2 as pb
from govit.intake.v1 import intake_service_pb2_grpc as pb_grpc
from govit_kit.errors import InvalidInput
from govit_kit.http import MAX_PAGE, decode_cursor
from govit_kit.rpc import page_from, status_of

INTAKE = "govit.intake.v1.IntakeService"


@pytest_asyncio.fixture
async def channel(intake) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{intake.grpc_port}") as ch:
        yield ch


@pytest.mark.parametrize("service", ["", INTAKE])
async def test_health_is_serving_without_a_token(channel, service):
    resp = await health_pb2_grpc.HealthStub(channel).Check(
        health_pb2.HealthCheckRequest(service=service), timeout=5
    )
    assert resp.status == health_pb2.HealthCheckResponse.SERVING


async def test_health_of_an_unknown_service_is_not_found(channel):
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="govit.nope.v1.Nope"), timeout=5
        )
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


async def _reflect(channel, request: reflection_pb2.ServerReflectionRequest):
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    async for resp in stub.ServerReflectionInfo(iter([request]), timeout=5):
        return resp
    raise AssertionError("no reflection answer")


async def test_reflection_lists_and_describes_the_service(channel):
    resp = await _reflect(channel, reflection_pb2.ServerReflectionRequest(list_services=""))
    names = {s.name for s in resp.list_services_response.service}
    assert {INTAKE, "grpc.health.v1.Health"} <= names

    resp = await _reflect(
        channel, reflection_pb2.ServerReflectionRequest(file_containing_symbol=INTAKE)
    )
    files = [
        descriptor_pb2.FileDescriptorProto.FromString(b)
        for b in resp.file_descriptor_response.file_descriptor_proto
    ]
    methods = {
        m.name for f in files for s in f.service if s.name == "IntakeService" for m in s.method
    }
    assert "GetProject" in methods


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        [("authorization", "Bearer not.a.jwt")],
        [("authorization", "Basic dXNlcjpwYXNz")],
    ],
)
async def test_calls_without_a_good_token_are_unauthenticated(channel, metadata):
    stub = pb_grpc.IntakeServiceStub(channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetProject(pb.GetProjectRequest(project_id="p-1"), metadata=metadata, timeout=5)
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_a_client_streaming_call_is_guarded_too(channel, issuer):
    """The interceptor verifies the token of client-streaming methods as of unary ones."""
    stub = pb_grpc.IntakeServiceStub(channel)
    empty = iter([pb.ForwardApplicationPartsRequest()])
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ForwardApplicationParts(empty, timeout=5)
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    unit = issuer.issue("alice", "org-a", ["unit_staff"])
    with pytest.raises(grpc.aio.AioRpcError) as err:  # authenticated: domain errors are mapped
        await stub.ForwardApplicationParts(
            iter([pb.ForwardApplicationPartsRequest()]),
            metadata=[("authorization", f"Bearer {unit}")],
            timeout=5,
        )
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_an_expired_token_is_unauthenticated_and_a_good_one_gets_through(channel, issuer):
    stub = pb_grpc.IntakeServiceStub(channel)
    expired = issuer.issue("alice", "org-a", ["unit_staff"], ttl_s=-60)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetProject(
            pb.GetProjectRequest(project_id="p-1"),
            metadata=[("authorization", f"Bearer {expired}")],
            timeout=5,
        )
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "expired" in err.value.details()

    good = issuer.issue("alice", "org-a", ["unit_staff"])
    with pytest.raises(grpc.aio.AioRpcError) as err:  # authenticated, and the project is unknown
        await stub.GetProject(
            pb.GetProjectRequest(project_id="p-1"),
            metadata=[("authorization", f"Bearer {good}")],
            timeout=5,
        )
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


def test_page_from_takes_the_rest_limits():
    assert page_from(PageRequest()).limit == 50
    assert page_from(PageRequest(page_size=100)).limit == 100
    token = "MTA="  # a cursor the API issued: offset 10
    assert decode_cursor(token) == 10
    assert page_from(PageRequest(page_size=5, page_token=token)).offset == 10
    for size in (101, -1):
        with pytest.raises(InvalidInput) as err:
            page_from(PageRequest(page_size=size))
        assert err.value.extensions["errors"][0]["field"] == "page.page_size"
        assert status_of(err.value) == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(InvalidInput) as err:
        page_from(PageRequest(page_token="forged!"))
    assert err.value.extensions["errors"][0]["field"] == "page.page_token"


def test_keyset_page_from_takes_the_same_page_size_limits():
    """The keyset paging checks the page size as page_from does (one check for both)."""
    from govit_kit.http import encode_key_cursor
    from govit_kit.rpc import keyset_page_from

    assert keyset_page_from(PageRequest()).limit == 50
    assert keyset_page_from(PageRequest(page_size=100)).limit == 100
    token = encode_key_cursor(7)
    assert keyset_page_from(PageRequest(page_size=5, page_token=token)).after == 7
    for size in (101, -1):
        with pytest.raises(InvalidInput) as err:
            keyset_page_from(PageRequest(page_size=size))
        assert err.value.extensions["errors"][0]["field"] == "page.page_size"
        assert str(err.value.detail) == f"must be between 1 and {MAX_PAGE}"


async def test_a_year_without_holiday_data_is_unavailable_not_internal(jwt_dir, issuer):
    """As REST's 503: a working-day deadline reaching a year with no calendar names the year."""
    from govit_kit.auth import TokenVerifier
    from govit_kit.config import Settings
    from govit_kit.policy import CalendarYearUnknown
    from govit_kit.rpc import ChassisInterceptor

    async def deadline(request, context):
        raise CalendarYearUnknown(2028)

    async def continuation(details):
        return grpc.unary_unary_rpc_method_handler(deadline)

    class Details:
        method = "/govit.test.v1.Test/Deadline"

    class Aborted(Exception):
        pass

    class Context:
        code_set = None

        def invocation_metadata(self):
            token = issuer.issue("alice", "org-a", ["unit_staff"])
            return [("authorization", f"Bearer {token}")]

        def code(self):
            return self.code_set

        async def abort(self, code, details):
            self.code_set, self.details = code, details
            raise Aborted

    verifier = TokenVerifier(Settings(data_dir=jwt_dir))
    handler = await ChassisInterceptor(verifier, "test").intercept_service(continuation, Details())
    context = Context()
    with pytest.raises(Aborted):
        await handler.unary_unary(object(), context)
    assert context.code_set == grpc.StatusCode.UNAVAILABLE
    assert "2028" in context.details and "calendar_overrides" in context.details


async def test_a_decision_on_a_rule_the_profile_lacks_is_failed_precondition(jwt_dir, issuer):
    """As REST's 409 rule-not-applicable: named, not INTERNAL."""
    from govit_kit.auth import TokenVerifier
    from govit_kit.config import Settings
    from govit_kit.policy import Decision, load_profile
    from govit_kit.rpc import ChassisInterceptor

    async def refuse(request, context):
        Decision.refuse(load_profile("xianyang"), "L7", "no wipe")

    async def continuation(details):
        return grpc.unary_unary_rpc_method_handler(refuse)

    class Details:
        method = "/govit.test.v1.Test/Refuse"

    class Aborted(Exception):
        pass

    class Context:
        code_set = None

        def invocation_metadata(self):
            token = issuer.issue("alice", "org-a", ["unit_staff"])
            return [("authorization", f"Bearer {token}")]

        def code(self):
            return self.code_set

        async def abort(self, code, details):
            self.code_set, self.details = code, details
            raise Aborted

    verifier = TokenVerifier(Settings(data_dir=jwt_dir))
    handler = await ChassisInterceptor(verifier, "test").intercept_service(continuation, Details())
    context = Context()
    with pytest.raises(Aborted):
        await handler.unary_unary(object(), context)
    assert context.code_set == grpc.StatusCode.FAILED_PRECONDITION
    assert "L7" in context.details and "xianyang" in context.details


def test_nul_field_names_the_first_string_holding_nul_at_any_depth():
    """Scalars, nested messages, repeated fields and maps (keys and values) are all walked,
    and the path is written as REST writes a body field's (`figures.2.resource_id`)."""
    from google.protobuf.struct_pb2 import Struct

    from govit_kit.rpc import nul_field

    form = pb.ForwardedApplication(name="ok", form=pb.ApplicationForm(leader_name="王\x00"))
    assert nul_field(form) == "form.leader_name"
    listed = pb.ForwardedApplication(
        catalog=[pb.DataResourceEntry(item_name="a"), pb.DataResourceEntry(item_name="b\x00")]
    )
    assert nul_field(listed) == "catalog.1.item_name"
    assert nul_field(pb.GetProjectRequest(project_id="p-1")) is None
    struct = Struct()
    struct.update({"ok": "fine", "bad": {"deeper": ["x", "y\x00"]}})
    assert (
        nul_field(struct)
        == "fields.bad.struct_value.fields.deeper.list_value.values.1.string_value"
    )
    struct = Struct()
    struct.update({"k\x00": 1})
    assert nul_field(struct) == "fields"
    # bytes may hold anything: a material's content is no text
    assert nul_field(pb.MaterialChunk(kind="x", data=b"\x00\x00")) is None


async def test_a_nul_character_is_invalid_argument_naming_the_field(channel, issuer):
    """PostgreSQL text cannot hold U+0000: the chassis refuses it by name, as REST's 422,
    before the method runs (it was INTERNAL)."""
    stub = pb_grpc.IntakeServiceStub(channel)
    good = issuer.issue("alice", "org-a", ["unit_staff"])
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetProject(
            pb.GetProjectRequest(project_id="p\x00"),
            metadata=[("authorization", f"Bearer {good}")],
            timeout=5,
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.value.details() == "project_id: must not contain the NUL character (U+0000)"
    # without a good token the caller learns nothing about its fields
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetProject(pb.GetProjectRequest(project_id="p\x00"), timeout=5)
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_a_nul_character_in_a_streamed_message_is_invalid_argument(jwt_dir, issuer):
    """Each message of a client stream is refused as a unary request would be, when the method
    reads it: the messages before it were read, the stream ends INVALID_ARGUMENT naming it."""
    from govit_kit.auth import TokenVerifier
    from govit_kit.config import Settings
    from govit_kit.rpc import ChassisInterceptor

    read = []

    async def consume(request_iterator, context):
        async for message in request_iterator:
            read.append(message)

    async def continuation(details):
        return grpc.stream_unary_rpc_method_handler(consume)

    class Details:
        method = "/govit.intake.v1.IntakeService/ForwardApplicationParts"

    class Aborted(Exception):
        pass

    class Context:
        code_set = None

        def invocation_metadata(self):
            token = issuer.issue("bob", "org-c", ["county_reviewer"])
            return [("authorization", f"Bearer {token}")]

        def code(self):
            return self.code_set

        async def abort(self, code, details):
            self.code_set, self.details = code, details
            raise Aborted

    async def stream():
        yield pb.ForwardApplicationPartsRequest(chunk=pb.MaterialChunk(kind="k", data=b"\x00"))
        application = pb.ForwardedApplication(form=pb.ApplicationForm(background="a\x00b"))
        yield pb.ForwardApplicationPartsRequest(application=application)

    verifier = TokenVerifier(Settings(data_dir=jwt_dir))
    handler = await ChassisInterceptor(verifier, "test").intercept_service(continuation, Details())
    context = Context()
    with pytest.raises(Aborted):
        await handler.stream_unary(stream(), context)
    assert len(read) == 1  # the chunk's bytes may hold NUL
    assert context.code_set == grpc.StatusCode.INVALID_ARGUMENT
    assert context.details == (
        "application.form.background: must not contain the NUL character (U+0000)"
    )
