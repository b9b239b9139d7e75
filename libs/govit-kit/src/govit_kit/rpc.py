"""The gRPC side of a service: grpc.aio server with health, reflection, auth and error mapping,
and clients for calling peer services with the caller's token and trace."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from opentelemetry.trace import SpanKind

from govit_kit.auth import Principal, TokenVerifier, current_actor
from govit_kit.errors import (
    NUL_RULE,
    ConcurrentConflict,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleRefused,
    StoredValueRefused,
    Unauthenticated,
    Unavailable,
    store_conflict,
)
from govit_kit.http import MAX_PAGE, KeysetParams, PageParams, decode_cursor, decode_key_cursor
from govit_kit.policy import CalendarYearUnknown, RuleNotApplicable
from govit_kit.telemetry import RPC_REQUESTS, context_from, current_traceparent, tracer

log = logging.getLogger(__name__)
_principal: contextvars.ContextVar[Principal] = contextvars.ContextVar("govit_principal")
OPEN_METHODS = ("/grpc.health.v1.Health/", "/grpc.reflection.")
# The largest message a server takes (gRPC's default); larger payloads are streamed in chunks.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024

STATUS_OF = {
    Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
    Forbidden: grpc.StatusCode.PERMISSION_DENIED,
    NotFound: grpc.StatusCode.NOT_FOUND,
    Conflict: grpc.StatusCode.FAILED_PRECONDITION,
    ConcurrentConflict: grpc.StatusCode.ABORTED,
    RuleRefused: grpc.StatusCode.FAILED_PRECONDITION,
    InvalidInput: grpc.StatusCode.INVALID_ARGUMENT,
    Unavailable: grpc.StatusCode.UNAVAILABLE,
}
ERROR_OF = {code: err for err, code in STATUS_OF.items() if err is not RuleRefused}


def current_principal() -> Principal:
    """The verified caller of the gRPC call being served."""
    return _principal.get()


async def stream_principal(verifier: TokenVerifier, context: grpc.aio.ServicerContext) -> Principal:
    """The verified caller of a streaming call, which the chassis interceptor does not wrap
    (server streams) or verifies only as it starts (client streams). A long-lived stream keeps
    the principal and calls `still_authenticated` as it goes: the token's expiry ends it."""
    md = {k: v for k, v in context.invocation_metadata() or () if isinstance(v, str)}
    try:
        who = verifier.verify(md.get("authorization"))
    except DomainError as exc:
        await context.abort(status_of(exc), exc.detail)
    _principal.set(who)
    current_actor.set(who.subject)
    return who


async def still_authenticated(who: Principal, context: grpc.aio.ServicerContext) -> None:
    """End the stream with UNAUTHENTICATED once the caller's token has expired: a stream opened
    with a valid token delivers nothing after its `exp`, as a unary call is refused then."""
    try:
        who.check_unexpired()
    except DomainError as exc:
        await context.abort(status_of(exc), exc.detail)


def status_of(exc: DomainError) -> grpc.StatusCode:
    """The gRPC status code for a domain error."""
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return grpc.StatusCode.INVALID_ARGUMENT


def grpc_details(exc: DomainError) -> str:
    """The status details of a domain error: its detail, led by the field it names (what REST
    puts in `errors`), so a gRPC caller learns which field was wrong."""
    fields = [e["field"] for e in exc.extensions.get("errors", []) if e.get("field")]
    if fields and not exc.detail.startswith(f"{fields[0]}:"):
        return f"{fields[0]}: {exc.detail}"
    return exc.detail


def _nul_in(value: Any, field: FieldDescriptor, path: str) -> str | None:
    """The path of the first string holding U+0000 in one value of a field, if any."""
    if field.type == FieldDescriptor.TYPE_STRING:
        return path if "\x00" in value else None
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return nul_field(value, f"{path}.")
    return None


def nul_field(message: Message, prefix: str = "") -> str | None:
    """The path (`form.leader_name`, `figures.2.resource_id`, as REST names body fields) of the
    first string field of a message, at any depth, that holds U+0000; None if none does."""
    for field, value in message.ListFields():
        path = f"{prefix}{field.name}"
        if field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            for key, item in value.items():
                if isinstance(key, str) and "\x00" in key:
                    return path
                if (found := _nul_in(item, value_field, f"{path}.{key}")) is not None:
                    return found
        elif field.is_repeated:
            for i, item in enumerate(value):
                if (found := _nul_in(item, field, f"{path}.{i}")) is not None:
                    return found
        elif (found := _nul_in(value, field, path)) is not None:
            return found
    return None


def refuse_nul_characters(message: Any) -> None:
    """INVALID_ARGUMENT naming the field when a request's string holds U+0000, as REST's 422:
    PostgreSQL text cannot store it (it would otherwise fail as INTERNAL)."""
    if isinstance(message, Message) and (field := nul_field(message)) is not None:
        raise InvalidInput(field, NUL_RULE)


async def _refusing_nul(requests: AsyncIterator[Any]) -> AsyncIterator[Any]:
    """A client stream's messages, each refused (as a unary request is) when it holds U+0000."""
    async for message in requests:
        refuse_nul_characters(message)
        yield message


class ChassisInterceptor(grpc.aio.ServerInterceptor):
    """Verifies the bearer token, continues the caller's trace, refuses a string holding U+0000
    in any request message (unary or streamed, as REST refuses it in a body) and maps domain
    errors (and writes the database refused, as REST does) to statuses."""

    def __init__(self, verifier: TokenVerifier, service: str) -> None:
        self.verifier, self.service = verifier, service

    async def intercept_service(self, continuation: Callable, details: Any) -> Any:
        handler = await continuation(details)
        method = details.method
        if handler is None or method.startswith(OPEN_METHODS):
            return handler
        # Unary and client-streaming methods are guarded; the platform serves no other kind.
        if handler.unary_unary is not None:
            wrap, inner = grpc.unary_unary_rpc_method_handler, handler.unary_unary
            streamed = False
        elif handler.stream_unary is not None:
            wrap, inner = grpc.stream_unary_rpc_method_handler, handler.stream_unary
            streamed = True
        else:
            return handler

        async def guarded(request: Any, context: grpc.aio.ServicerContext) -> Any:
            md = {k: v for k, v in context.invocation_metadata() or () if isinstance(v, str)}
            code = grpc.StatusCode.OK
            with tracer.start_as_current_span(
                method, context=context_from(md), kind=SpanKind.SERVER
            ):
                try:
                    who = self.verifier.verify(md.get("authorization"))
                    _principal.set(who)
                    current_actor.set(who.subject)
                    if streamed:
                        request = _refusing_nul(request)
                    else:
                        refuse_nul_characters(request)
                    return await inner(request, context)
                except DomainError as exc:
                    code = status_of(exc)
                    await context.abort(code, grpc_details(exc))
                except CalendarYearUnknown as exc:
                    # As REST's 503: an operator must add the year's holidays; not a crash.
                    code = grpc.StatusCode.UNAVAILABLE
                    log.error("working-day calendar missing: %s", exc)
                    await context.abort(code, str(exc))
                except RuleNotApplicable as exc:
                    # As REST's 409 rule-not-applicable: a flow's bug, logged, not a crash.
                    code = grpc.StatusCode.FAILED_PRECONDITION
                    log.error("decision on a rule the profile does not apply: %s", exc)
                    await context.abort(code, f"{exc}; nothing was changed")
                except Exception as exc:
                    if context.code() not in (None, grpc.StatusCode.OK):
                        code = context.code()
                        raise  # an abort already in flight
                    if (err := store_conflict(exc)) is not None:
                        # As REST's 409: a concurrent change is ABORTED (retry), another
                        # integrity violation FAILED_PRECONDITION; as its 422, a value refused
                        # as data INVALID_ARGUMENT; same details as REST.
                        code = status_of(err)
                        if isinstance(err, ConcurrentConflict):
                            log.warning("concurrent conflict in %s: %s", method, exc)
                        elif isinstance(err, StoredValueRefused):
                            log.error("value refused by the database in %s: %s", method, exc)
                        else:
                            log.error("integrity violation in %s: %s", method, exc)
                        await context.abort(code, err.detail)
                    code = grpc.StatusCode.INTERNAL
                    log.exception("unhandled error in %s", method)
                    await context.abort(code, "internal error")
                finally:
                    RPC_REQUESTS.labels(self.service, method, code.name).inc()

        return wrap(
            guarded,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


async def start_server(
    *,
    host: str,
    port: int,
    verifier: TokenVerifier,
    service: str,
    servicers: list[tuple[Callable, Any, str]],
) -> tuple[grpc.aio.Server, int, Any]:
    """Start a grpc.aio server with our servicers, health and reflection; returns (server, port, health)."""
    server = grpc.aio.server(
        interceptors=[ChassisInterceptor(verifier, service)],
        options=[("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)],
    )
    names = []
    for add, servicer, full_name in servicers:
        add(servicer, server)
        names.append(full_name)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [
            *names,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ],
        server,
    )
    bound = server.add_insecure_port(f"{host}:{port}")
    await server.start()
    for name in ["", *names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return server, bound, health_servicer


def _page_size(page: Any) -> int:
    """A gRPC list request's page size with the REST limits: 50 unless given, 1 to MAX_PAGE."""
    size = page.page_size or 50
    if not 1 <= size <= MAX_PAGE:
        raise InvalidInput("page.page_size", f"must be between 1 and {MAX_PAGE}")
    return size


def page_from(page: Any) -> PageParams:
    """Paging of a gRPC list request (govit.common.v1.PageRequest), with the REST limits."""
    size = _page_size(page)
    return PageParams(limit=size, offset=decode_cursor(page.page_token, "page.page_token"))


def keyset_page_from(page: Any) -> KeysetParams:
    """page_from for a list paged by key (govit_kit.http.fetch_keyset_page)."""
    size = _page_size(page)
    return KeysetParams(limit=size, after=decode_key_cursor(page.page_token, "page.page_token"))


def call_metadata(principal: Principal) -> list[tuple[str, str]]:
    """Metadata for a call made on behalf of a caller: its token and the current trace."""
    md = [("authorization", f"Bearer {principal.token}")]
    if tp := current_traceparent():
        md.append(("traceparent", tp))
    return md


async def call_peer(
    method: Callable, request: Any, principal: Principal, timeout: float = 5.0
) -> Any:
    """Call a peer's RPC on behalf of the caller; its errors come back as domain errors."""
    try:
        return await method(request, metadata=call_metadata(principal), timeout=timeout)
    except grpc.aio.AioRpcError as exc:
        code = exc.code()
        if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
            raise Unavailable(f"peer service unavailable: {exc.details()}") from None
        err = ERROR_OF.get(code)
        if err is InvalidInput:
            raise InvalidInput("request", exc.details() or "invalid") from None
        if err is not None:
            raise err(exc.details() or code.name) from None
        raise
