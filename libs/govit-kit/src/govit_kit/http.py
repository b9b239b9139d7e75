"""The REST side of a service: FastAPI app factory, problem+json errors, limits, health and metrics."""

from __future__ import annotations

import base64
import json
import logging
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from opentelemetry.trace import SpanKind
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from govit_kit.auth import Principal, Role, current_actor
from govit_kit.errors import (
    NUL_RULE,
    ConcurrentConflict,
    DomainError,
    InvalidInput,
    StoredValueRefused,
    Unauthenticated,
    store_conflict,
)
from govit_kit.policy import CalendarYearUnknown, RuleNotApplicable
from govit_kit.telemetry import HTTP_LATENCY, HTTP_REQUESTS, context_from, tracer

if TYPE_CHECKING:
    from govit_kit.runtime import Runtime

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
MAX_PAGE = 100
T = TypeVar("T")


def problem(status: int, title: str, detail: str, slug: str, **ext: Any) -> JSONResponse:
    """An RFC 9457 problem+json response."""
    body = {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, **ext}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


# Every operation may answer a client's mistake (400-422) or a missing peer (503) with a problem;
# the OpenAPI document says so, so clients and schema checks (schemathesis) know the shape.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "the fields at fault and the rule each broke",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "decisions": {"type": "array", "description": "the rules that refused, with articles"},
    },
}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {
        "description": "The request cannot be carried out: problem+json naming the field or rule",
        "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}},
    },
    503: {
        "description": "A peer service or the working-day calendar is unavailable; retry later",
        "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}},
    },
}


def _field(loc: Sequence[Any]) -> str:
    # Drop the location (body, query, path, header, cookie), keep the field's own path.
    parts = (
        list(loc)[1:] if loc and loc[0] in ("body", "query", "path", "header", "cookie") else loc
    )
    return ".".join(str(p) for p in parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    """Map every error to problem+json; a client's mistake is a 4xx that names the field."""

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
        resp = problem(exc.status, exc.title, exc.detail, exc.type_slug, **exc.extensions)
        if headers:
            resp.headers.update(headers)
        return resp

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field(e["loc"]), "message": e["msg"]} for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "Invalid input", detail, "invalid-input", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed", 413: "too-large"}.get(
            exc.status_code, "http-error"
        )
        return problem(exc.status_code, str(exc.detail), str(exc.detail), slug)

    @app.exception_handler(StaleDataError)
    @app.exception_handler(DBAPIError)
    async def _store(request: Request, exc: Exception) -> JSONResponse:
        # A write the database refused: a concurrent change (409 saying "retry"), another
        # integrity violation (409 that does not) or a value refused as data (422); any other
        # database error is a bug (500).
        err = store_conflict(exc)
        if err is None:
            return await _unexpected(request, exc)
        if isinstance(err, ConcurrentConflict):
            log.warning("concurrent conflict: %s", getattr(exc, "orig", exc))
        elif isinstance(err, StoredValueRefused):  # a flow let an unchecked value through
            log.error("value refused by the database: %s", getattr(exc, "orig", exc))
        else:  # a flow let a bad reference or value reach the database: worth a look
            log.error("integrity violation: %s", getattr(exc, "orig", exc))
        return await _domain(request, err)

    @app.exception_handler(CalendarYearUnknown)
    async def _calendar(_: Request, exc: CalendarYearUnknown) -> JSONResponse:
        # A working-day deadline reaches a year with no holiday data: an operator must add the
        # State Council's calendar to the profile. Not the client's fault, and not a crash.
        log.error("working-day calendar missing: %s", exc)
        return problem(
            503, "Calendar unavailable", str(exc), "calendar-year-unknown", year=exc.year
        )

    @app.exception_handler(RuleNotApplicable)
    async def _not_applicable(_: Request, exc: RuleNotApplicable) -> JSONResponse:
        # A flow refused, held, flagged or set a deadline on a rule the active profile does not
        # apply (it forgot to ask `profile.applies`): a bug to fix, logged as one, but the
        # caller learns which rule the jurisdiction lacks and that nothing was done, not a 500.
        # The transaction was not committed.
        log.error("decision on a rule the profile does not apply: %s", exc)
        return problem(
            409,
            "Rule not applicable",
            f"{exc}; nothing was changed",
            "rule-not-applicable",
            rule_id=exc.rule_id,
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return problem(500, "Internal error", "an unexpected error occurred", "internal")


def _nul_at(value: Any, path: str) -> str | None:
    """The path of the first string in a JSON value that holds a NUL character, if any."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return path
        found = _nul_at(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


async def refuse_nul_characters(request: Request) -> None:
    """422 naming the field when a path, query or JSON body value holds U+0000: PostgreSQL text
    cannot store it, and no name, reason or id needs it (it would otherwise fail as a 500)."""
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        if "\x00" in value:
            raise InvalidInput(name, NUL_RULE)
    if "json" not in request.headers.get("content-type", ""):
        return
    body = await request.body()
    if b"\\u0000" not in body:  # the cheap test first: only an escape can put NUL in JSON
        return
    try:
        field = _nul_at(json.loads(body), "")
    except (ValueError, RecursionError):
        return  # malformed or too deep: FastAPI's own 4xx says so
    if field is not None:
        raise InvalidInput(field or "body", NUL_RULE)


class BodyLimit:
    """Refuse request bodies above the limit with 413, before they are read into memory."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await self._too_large(scope, receive, send)
        seen, too_large, started = 0, False, False

        async def limited_receive() -> dict:
            nonlocal seen, too_large
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                too_large = True
                raise _TooLarge
            return message

        async def guarded_send(message: dict) -> None:
            # FastAPI turns an error while reading the body into its own 400: drop that response,
            # the 413 below replaces it.
            nonlocal started
            if too_large and not started:
                return
            started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            pass
        if too_large and not started:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: dict, receive: Any, send: Any) -> None:
        resp = problem(
            413, "Payload too large", f"request body exceeds {self.max_bytes} bytes", "too-large"
        )
        await resp(scope, receive, send)


class _TooLarge(Exception):
    pass


def install_observability(app: FastAPI, service: str) -> None:
    """A server span per request (continuing an incoming traceparent) and request metrics."""
    app.add_middleware(Observe, service=service)


class Observe:
    """The span and metrics of each HTTP request, as plain ASGI: Starlette's BaseHTTPMiddleware
    ran every request in a task of its own behind memory streams, a tenth of a service's CPU
    per call in a profile. The span is current while the app runs, so the outbox rows the
    request writes carry its trace; the response carries it as `traceparent`."""

    def __init__(self, app: Any, service: str) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, method = time.perf_counter(), scope["method"]
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        status = 500  # unless a response starts: an exception escaped the app
        with tracer.start_as_current_span(
            f"{method} {scope['path']}", context=context_from(headers), kind=SpanKind.SERVER
        ) as span:
            ctx = span.get_span_context()
            traceparent = f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-01".encode()

            async def send_traced(message: dict) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    message["headers"] = [
                        *message.get("headers", []),
                        (b"traceparent", traceparent),
                    ]
                await send(message)

            try:
                await self.app(scope, receive, send_traced)
            finally:
                route = getattr(scope.get("route"), "path", "unmatched")
                span.update_name(f"{method} {route}")
                span.set_attribute("http.status_code", status)
                HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
                HTTP_LATENCY.labels(self.service, method, route).observe(
                    time.perf_counter() - start
                )


# --- dependencies views use -------------------------------------------------------------


def runtime_of(request: Request) -> Runtime:
    """The service runtime (database, settings, profile, peers) behind this app."""
    return request.app.state.runtime


async def principal(request: Request) -> Principal:
    """The verified caller; 401 when the bearer token is missing or bad. Async, so the actor
    it records is seen by the endpoint's events (sync dependencies run in another context)."""
    who = runtime_of(request).verifier.verify(request.headers.get("authorization"))
    current_actor.set(who.subject)
    return who


async def current_runtime(request: Request) -> Runtime:
    """runtime_of as a dependency: async, since FastAPI runs a sync dependency in a worker
    thread, a hop that cost every request more than the lookup itself."""
    return runtime_of(request)


CurrentPrincipal = Annotated[Principal, Depends(principal)]
CurrentRuntime = Annotated["Runtime", Depends(current_runtime)]


class PageParams(BaseModel):
    """Paging of a list: at most MAX_PAGE items per page, an opaque cursor for the next."""

    limit: int
    offset: int


def encode_cursor(offset: int) -> str:
    """The cursor of the page starting at this offset (decode_cursor reads it back)."""
    return base64.urlsafe_b64encode(str(offset).encode()).decode()


def decode_cursor(cursor: str | None, field: str = "cursor") -> int:
    """The offset inside a cursor we issued; a cursor we did not issue is a 422 naming the field."""
    if not cursor:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except ValueError:
        offset = -1
    if not 0 <= offset < 2**63:  # OFFSET is a 64-bit integer in the database
        raise InvalidInput(field, "not a cursor this API issued")
    return offset


async def page_params(  # async: no worker thread for a sync dependency
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page")] = 50,
    cursor: Annotated[str | None, Query(max_length=64, description="from next_cursor")] = None,
) -> PageParams:
    """Read limit and cursor of a list request."""
    return PageParams(limit=limit, offset=decode_cursor(cursor))


Paging = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    next_cursor: str | None = None


async def fetch_page(
    session: Any, query: Any, page: PageParams, *, mappings: bool = False
) -> tuple[list[Any], str | None]:
    """Run a select for one page; returns the rows (ORM objects, or mappings of a Core table)
    and the cursor of the next page, if any."""
    result = await session.execute(query.offset(page.offset).limit(page.limit + 1))
    rows = list(result.mappings().all() if mappings else result.scalars().all())
    more = len(rows) > page.limit
    nxt = encode_cursor(page.offset + page.limit) if more else None
    return rows[: page.limit], nxt


class KeysetParams(BaseModel):
    """Paging of a list by key (fetch_keyset_page): at most MAX_PAGE items, those after the
    key in the cursor (None: from the first)."""

    limit: int
    after: int | None = None


# What starts a keyset cursor's text; an offset cursor (encode_cursor) is digits alone.
_KEYSET = "k"


def encode_key_cursor(key: int) -> str:
    """The cursor of the page after this key (decode_key_cursor reads it back)."""
    return base64.urlsafe_b64encode(f"{_KEYSET}{key}".encode()).decode()


def decode_key_cursor(cursor: str | None, field: str = "cursor") -> int | None:
    """The key inside a cursor encode_key_cursor issued (None: no cursor); any other is a 422
    naming the field, an offset cursor of before (the list was paged by position) saying so."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except ValueError:  # not base64, or not text
        text = ""
    if re.fullmatch(rf"{_KEYSET}-?[0-9]+", text):
        key = int(text.removeprefix(_KEYSET))
        if -(2**63) <= key < 2**63:  # a BIGINT in the database
            return key
    elif re.fullmatch("[0-9]+", text):
        raise InvalidInput(
            field,
            "a cursor of this list's earlier paging by position, no longer accepted: the list "
            "is paged by key now; start again without a cursor and follow next_cursor",
        )
    raise InvalidInput(field, "not a cursor this API issued")


async def keyset_page_params(  # async: no worker thread for a sync dependency
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page")] = 50,
    cursor: Annotated[str | None, Query(max_length=64, description="from next_cursor")] = None,
) -> KeysetParams:
    """Read limit and cursor of a list paged by key (the same parameters as Paging)."""
    return KeysetParams(limit=limit, after=decode_key_cursor(cursor))


KeysetPaging = Annotated[KeysetParams, Depends(keyset_page_params)]


async def fetch_keyset_page(
    session: Any, query: Any, key: Any, page: KeysetParams, *, mappings: bool = False
) -> tuple[list[Any], str | None]:
    """fetch_page by key instead of OFFSET: the rows of `query` ordered by `key`, a unique
    integer column (its order replaces the query's), after the cursor's key; a page deep in a
    long list reads its own rows off the key's index, not every row before it, and a row added
    meanwhile neither shifts nor repeats the next page. Returns the rows and the next cursor."""
    query = query.order_by(None).order_by(key)
    if page.after is not None:
        query = query.where(key > page.after)
    result = await session.execute(query.limit(page.limit + 1))
    rows = list(result.mappings().all() if mappings else result.scalars().all())
    if len(rows) <= page.limit:
        return rows, None
    last = rows[page.limit - 1]
    return rows[: page.limit], encode_key_cursor(
        last[key.key] if mappings else getattr(last, key.key)
    )


async def optional_page_params(  # async: no worker thread for a sync dependency
    limit: Annotated[
        int | None, Query(ge=1, le=MAX_PAGE, description="items per page (none: every item)")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=64, description="from next_cursor")] = None,
) -> PageParams | None:
    """Paging of a list that answered every item before it was paged: None (every item, as
    before) unless the caller gives a limit or a cursor; a cursor alone pages by 50."""
    if limit is None and cursor is None:
        return None
    return PageParams(limit=limit or 50, offset=decode_cursor(cursor))


OptionalPaging = Annotated[PageParams | None, Depends(optional_page_params)]


async def fetch_all_or_page(
    session: Any, query: Any, page: PageParams | None, *, mappings: bool = False
) -> tuple[list[Any], str | None]:
    """fetch_page, or every row when the caller asked for no page (OptionalPaging)."""
    if page is not None:
        return await fetch_page(session, query, page, mappings=mappings)
    result = await session.execute(query)
    return list(result.mappings().all() if mappings else result.scalars().all()), None


# Where a list's answer is a JSON array (no room for next_cursor), the next page's cursor is
# given in this response header.
NEXT_CURSOR_HEADER = "X-Next-Cursor"


# --- platform routes every service has ---------------------------------------------------------


class DeadLetterRead(BaseModel):
    """An event a consumer gave up on after its last try."""

    id: int
    event_id: str
    consumer: str
    event_type: str
    nats_subject: str
    error: str
    attempts: int
    created_at: Any


platform_router = APIRouter()


@platform_router.get("/healthz", tags=["platform"], summary="Liveness")
async def healthz() -> dict:
    """The process is alive."""
    return {"status": "ok"}


@platform_router.get("/readyz", tags=["platform"], summary="Readiness: database and NATS")
async def readyz(request: Request) -> JSONResponse:
    """Ready when the database answers and the NATS connection is up."""
    checks = await runtime_of(request).readiness()
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )


@platform_router.get(
    "/metrics", tags=["platform"], summary="Prometheus metrics", response_class=PlainTextResponse
)
async def metrics() -> Response:
    """Prometheus text exposition."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@platform_router.get("/v1/dead-letters", tags=["platform"], response_model=Page[DeadLetterRead])
async def list_dead_letters(request: Request, who: CurrentPrincipal, paging: Paging) -> Page:
    """Events this service's consumers gave up on (platform operators and auditors)."""
    who.require(Role.PLATFORM_OPERATOR, Role.AUDITOR)
    rt = runtime_of(request)
    dl = rt.db.tables.dead_letter
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, select(dl).order_by(dl.c.id), paging, mappings=True)
    return Page(items=[DeadLetterRead(**r) for r in rows], next_cursor=nxt)


class ReplayRead(BaseModel):
    """A dead letter applied again."""

    dead_letter_id: int
    event_id: str
    outcome: str = "replayed"


@platform_router.post(
    "/v1/dead-letters/{dead_letter_id}/replay", tags=["platform"], response_model=ReplayRead
)
async def replay_dead_letter(
    dead_letter_id: Annotated[int, Path(ge=1, lt=2**63)], request: Request, who: CurrentPrincipal
):
    """Apply a dead-lettered event again, once its cause is fixed (platform operators); 409 with
    the error if it fails again, and then nothing changes."""
    who.require(Role.PLATFORM_OPERATOR)
    event_id = await runtime_of(request).consumers.replay(dead_letter_id)
    return ReplayRead(dead_letter_id=dead_letter_id, event_id=event_id)


def create_app(
    runtime: Runtime, *, title: str, description: str, routers: list[APIRouter]
) -> FastAPI:
    """The service's FastAPI app with the platform routes, error mapping, limits and telemetry."""
    # FastAPI's own server span is not made current, so the outbox could not see it: ours is.
    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        telemetry={"tracing": False},
        dependencies=[Depends(refuse_nul_characters)],
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    install_observability(app, runtime.settings.service)
    # "4XX" also stands in for FastAPI's own 422 schema, which our problem+json replaces.
    app.include_router(platform_router, responses=PROBLEM_RESPONSES)
    for router in routers:
        app.include_router(router, responses=PROBLEM_RESPONSES)
    app.add_middleware(BodyLimit, max_bytes=runtime.settings.max_request_bytes)
    return app
