"""Writes the database refuses, as REST and gRPC answer them: a concurrent change (a stale
version, a duplicate, a deadlock, a serialization failure, a lock not granted) is a 409 / ABORTED
saying "retry"; another integrity violation (a foreign key, NOT NULL, CHECK) is a 409 /
FAILED_PRECONDITION that does not; a value PostgreSQL refuses as data (class 22: too long, out of
range, not valid text) is a 422 / INVALID_ARGUMENT; any other database error stays a 500 /
INTERNAL.

The errors are provoked on real PostgreSQL (asyncpg, as the services run) and SQLite (aiosqlite,
the embedded default), then raised by an endpoint and by a gRPC method behind the chassis."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import AsyncIterator
from typing import Any

import grpc
import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm.exc import StaleDataError

from govit_kit.auth import TokenVerifier
from govit_kit.config import Settings
from govit_kit.db import create_engine
from govit_kit.errors import ConcurrentConflict, Conflict, sqlstate
from govit_kit.http import install_error_handlers
from govit_kit.rpc import ChassisInterceptor, call_peer
from govit_kit.testing import Databases

SCHEMA = [
    "CREATE TABLE parent (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id),"
    " n INTEGER NOT NULL CHECK (n > 0))",
    "INSERT INTO parent (id, n) VALUES (1, 0), (2, 0)",
    "CREATE TABLE val (code VARCHAR(3), amount NUMERIC(4, 2), at TIMESTAMP WITH TIME ZONE)",
]
# What each write breaks; the same on both databases.
INTEGRITY = {
    "unique": "INSERT INTO parent (id, n) VALUES (1, 0)",
    "foreign_key": "INSERT INTO child (id, parent_id, n) VALUES (1, 99, 1)",
    "not_null": "INSERT INTO child (id, parent_id, n) VALUES (1, 1, NULL)",
    "check": "INSERT INTO child (id, parent_id, n) VALUES (1, 1, 0)",
}
# Values PostgreSQL refuses as data (class 22), each with its SQLSTATE.
DATA = {
    "too_long": ("INSERT INTO val (code) VALUES ('abcdef')", "22001"),
    "out_of_range": ("INSERT INTO val (amount) VALUES (12345)", "22003"),
    "datetime_overflow": ("INSERT INTO val (at) VALUES ('294277-01-01T00:00:00Z')", "22008"),
    "not_valid_text": ("INSERT INTO val (amount) VALUES ('abc')", "22P02"),
    "untranslatable": ("SELECT '{\"a\": \"\\u0000\"}'::jsonb ->> 'a'", "22P05"),
}


async def _schema(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        for stmt in SCHEMA:
            await conn.execute(text(stmt))


async def _refused(engine: AsyncEngine, sql: str) -> DBAPIError:
    try:
        async with engine.begin() as conn:
            await conn.execute(text(sql))
    except DBAPIError as exc:
        return exc
    raise AssertionError(f"not refused: {sql}")


async def _deadlock(engine: AsyncEngine) -> DBAPIError:
    """Two transactions lock parent 1 and 2 in opposite orders; PostgreSQL aborts one."""
    both_hold = asyncio.Barrier(2)

    async def lock(first: int, second: int) -> None:
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE parent SET n = n + 1 WHERE id = :id"), {"id": first})
            await both_hold.wait()
            await conn.execute(text("UPDATE parent SET n = n + 1 WHERE id = :id"), {"id": second})

    results = await asyncio.gather(lock(1, 2), lock(2, 1), return_exceptions=True)
    [exc] = [r for r in results if isinstance(r, BaseException)]
    assert isinstance(exc, DBAPIError), repr(exc)
    return exc


async def _serialization_failure(engine: AsyncEngine) -> DBAPIError:
    """A REPEATABLE READ transaction updates a row another changed since its snapshot."""
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            await conn.execute(text("SELECT n FROM parent WHERE id = 1"))  # the snapshot
            async with engine.begin() as other:
                await other.execute(text("UPDATE parent SET n = n + 1 WHERE id = 1"))
            try:
                await conn.execute(text("UPDATE parent SET n = n + 1 WHERE id = 1"))
            except DBAPIError as exc:
                return exc
    raise AssertionError("no serialization failure")


async def _lock_not_available(engine: AsyncEngine) -> DBAPIError:
    """A row another transaction holds, asked for with NOWAIT (as a lock_timeout would)."""
    async with engine.begin() as holder:
        await holder.execute(text("SELECT n FROM parent WHERE id = 1 FOR UPDATE"))
        return await _refused(engine, "SELECT n FROM parent WHERE id = 1 FOR UPDATE NOWAIT")


@pytest_asyncio.fixture(scope="module")
async def pg_errors(postgres_admin_url) -> AsyncIterator[dict[str, DBAPIError]]:
    """Each error, provoked once on a PostgreSQL database of the module's own."""
    databases = Databases(postgres_admin_url)
    engine = create_engine(await databases.create("store"))
    try:
        await _schema(engine)
        errors = {kind: await _refused(engine, sql) for kind, sql in INTEGRITY.items()}
        errors["deadlock"] = await _deadlock(engine)
        errors["serialization"] = await _serialization_failure(engine)
        errors["lock_not_available"] = await _lock_not_available(engine)
        errors["other"] = await _refused(engine, "SELECT 1 / 0")  # division_by_zero: a bug
        errors.update({kind: await _refused(engine, sql) for kind, (sql, _) in DATA.items()})
        yield errors
    finally:
        await engine.dispose()
        await databases.drop_all()


@pytest_asyncio.fixture(scope="module")
async def sqlite_errors(tmp_path_factory) -> AsyncIterator[dict[str, DBAPIError]]:
    """The integrity errors on SQLite, which carry no SQLSTATE, only a message."""
    path = tmp_path_factory.mktemp("store") / "store.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await _schema(engine)
        yield {kind: await _refused(engine, sql) for kind, sql in INTEGRITY.items()}
    finally:
        await engine.dispose()


async def rest_answer(exc: Exception) -> httpx.Response:
    """What a REST endpoint that hit `exc` answers."""
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/write")
    async def write():
        raise exc

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post("/write")


class Aborted(Exception):
    pass


async def grpc_answer(exc: Exception, verifier: TokenVerifier, token: str) -> tuple[Any, str]:
    """The status code and details a gRPC method that hit `exc` aborts with."""

    async def write(request, context):
        raise exc

    async def continuation(details):
        return grpc.unary_unary_rpc_method_handler(write)

    class Details:
        method = "/govit.test.v1.Test/Write"

    class Context:
        code_set = None

        def invocation_metadata(self):
            return [("authorization", f"Bearer {token}")]

        def code(self):
            return self.code_set

        async def abort(self, code, details):
            self.code_set, self.details = code, details
            raise Aborted

    handler = await ChassisInterceptor(verifier, "test").intercept_service(continuation, Details())
    context = Context()
    with pytest.raises(Aborted):
        await handler.unary_unary(object(), context)
    return context.code_set, context.details


@pytest.fixture
def answers(jwt_dir, issuer):
    """(REST response, gRPC code, gRPC details) of an error."""
    verifier = TokenVerifier(Settings(data_dir=jwt_dir))
    token = issuer.issue("alice", "org-a", ["unit_staff"])

    async def answer(exc: Exception) -> tuple[httpx.Response, Any, str]:
        r = await rest_answer(exc)
        code, details = await grpc_answer(exc, verifier, token)
        return r, code, details

    return answer


def assert_retry(r: httpx.Response, code: Any, details: str) -> None:
    """A 409 / ABORTED telling the client to send the request again, in the same words."""
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"] == "/problems/concurrent-conflict", body
    assert code == grpc.StatusCode.ABORTED
    assert details == body["detail"]


def assert_no_retry(r: httpx.Response, code: Any, details: str, kind: str) -> None:
    """A 409 / FAILED_PRECONDITION naming the kind of violation, without telling to retry."""
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["type"] == "/problems/conflict", body
    assert "conflicts with the stored data" in body["detail"] and kind in body["detail"], body
    assert "retry" not in body["detail"] and "concurrent" not in body["detail"], body
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    assert details == body["detail"]


NO_RETRY_KINDS = {
    "foreign_key": "a reference between objects does not hold",
    "not_null": "a required value is missing",
    "check": "a value breaks a check",
}


async def test_postgresql_reports_the_sqlstate_the_mapping_reads(pg_errors):
    """asyncpg's SQLSTATE reaches SQLAlchemy's error: the errors below are what they seem."""
    expected = {
        "unique": "23505",
        "foreign_key": "23503",
        "not_null": "23502",
        "check": "23514",
        "deadlock": "40P01",
        "serialization": "40001",
        "lock_not_available": "55P03",
        "other": "22012",
        **{kind: code for kind, (_, code) in DATA.items()},
    }
    assert {kind: sqlstate(exc) for kind, exc in pg_errors.items()} == expected
    # Only the integrity violations are IntegrityError; the rest arrive as a bare DBAPIError.
    assert {k for k, exc in pg_errors.items() if isinstance(exc, IntegrityError)} == set(INTEGRITY)


async def test_a_stale_version_is_a_retryable_conflict_on_rest_and_grpc(answers):
    r, code, details = await answers(StaleDataError("expected to update 1 row(s); 0 matched"))
    assert_retry(r, code, details)
    assert r.json()["detail"] == "the object was changed by someone else; reload it"


@pytest.mark.parametrize("db", ["postgresql", "sqlite"])
async def test_a_duplicate_is_a_retryable_conflict_on_rest_and_grpc(
    answers, pg_errors, sqlite_errors, db
):
    exc = (pg_errors if db == "postgresql" else sqlite_errors)["unique"]
    r, code, details = await answers(exc)
    assert_retry(r, code, details)
    assert r.json()["detail"] == "a concurrent request made the same change; retry"


@pytest.mark.parametrize("kind", ["deadlock", "serialization", "lock_not_available"])
async def test_a_transaction_postgresql_aborted_is_a_conflict_to_retry(answers, pg_errors, kind):
    """A deadlock (40P01), a serialization failure (40001) or a lock not granted (55P03) rolled
    the request back: nothing was changed and sending it again runs on the new state."""
    r, code, details = await answers(pg_errors[kind])
    assert_retry(r, code, details)
    detail = r.json()["detail"]
    assert "nothing was changed" in detail and detail.endswith("retry"), detail


@pytest.mark.parametrize("db", ["postgresql", "sqlite"])
@pytest.mark.parametrize("kind", list(NO_RETRY_KINDS))
async def test_a_bad_reference_or_value_is_a_conflict_not_to_retry(
    answers, pg_errors, sqlite_errors, db, kind
):
    """A foreign-key, NOT NULL or CHECK violation is not a concurrent duplicate: sending the
    same request again cannot help, and the answer does not say it would."""
    exc = (pg_errors if db == "postgresql" else sqlite_errors)[kind]
    r, code, details = await answers(exc)
    assert_no_retry(r, code, details, NO_RETRY_KINDS[kind])


async def test_sqlite_integrity_error_of_unknown_kind_keeps_the_duplicate_answer(answers):
    """Without a SQLSTATE or a message naming the kind, the answer stays today's."""
    exc = IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("constraint failed"))
    r, code, details = await answers(exc)
    assert_retry(r, code, details)
    assert r.json()["detail"] == "a concurrent request made the same change; retry"


async def test_sqlite_busy_is_a_lock_not_granted_to_retry(answers):
    """The embedded default's busy timeout running out is its lock not granted (55P03)."""
    from sqlalchemy.exc import OperationalError

    exc = OperationalError("UPDATE ...", {}, sqlite3.OperationalError("database is locked"))
    r, code, details = await answers(exc)
    assert_retry(r, code, details)
    assert "a lock a concurrent request holds" in r.json()["detail"]


@pytest.mark.parametrize("kind", list(DATA))
async def test_a_value_postgresql_refuses_as_data_is_invalid_input(
    answers, pg_errors, kind, caplog
):
    """A value too long for its column, out of a number's or a date's range, or not valid text
    reached the database unchecked: the client's mistake, a 422 / INVALID_ARGUMENT in the same
    words (PostgreSQL's own, short), not a 500; the flow that let it through is logged."""
    r, code, details = await answers(pg_errors[kind])
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["type"] == "/problems/invalid-input", body
    detail = body["detail"]
    assert detail.startswith("a value does not fit the stored data (")
    assert "nothing was changed" in detail and "which field" in detail, detail
    assert str(pg_errors[kind].orig).splitlines()[0] in detail
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert details == detail
    assert any(
        rec.levelname == "ERROR" and "value refused by the database" in rec.getMessage()
        for rec in caplog.records
    )


async def test_any_other_database_error_is_still_internal(answers, pg_errors):
    """A division by zero is in class 22 too, but a computation's fault, not a value's."""
    r, code, details = await answers(pg_errors["other"])
    assert r.status_code == 500 and r.json()["type"] == "/problems/internal", r.text
    assert code == grpc.StatusCode.INTERNAL and details == "internal error"


async def test_a_peer_that_aborted_is_a_concurrent_conflict_for_its_caller(issuer):
    """A peer's ABORTED comes back as a ConcurrentConflict (the caller's own 409 / ABORTED
    saying retry), not as an unmapped error (a 500)."""
    from govit_kit.auth import Principal

    async def method(request, metadata, timeout):
        raise grpc.aio.AioRpcError(
            grpc.StatusCode.ABORTED,
            grpc.aio.Metadata(),
            grpc.aio.Metadata(),
            details="a concurrent request made the same change; retry",
        )

    who = Principal(subject="alice", org_id="org-a", roles=frozenset(), token=uuid.uuid4().hex)
    with pytest.raises(ConcurrentConflict) as err:
        await call_peer(method, object(), who)
    assert err.value.detail == "a concurrent request made the same change; retry"
    assert isinstance(err.value, Conflict)
