"""The REST side of the chassis, against a real running service (intake on PostgreSQL and NATS)."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from govit_kit.db import utcnow
from govit_kit.testing import run_service, settings_for
from intake.main import spec

PROBLEM = "application/problem+json"
PROJECT = {"name": "不动产登记平台", "project_type": "new", "total_investment": "450000.00"}


async def _started(databases, space, jwt_dir, **overrides):
    url = await databases.create("http")
    return await run_service(
        spec(), settings_for("intake", database_url=url, space=space, data_dir=jwt_dir, **overrides)
    )


# Read by the module's `intake` fixture. Xianyang's profile sets no application rules (no C1-C4,
# B1 or J3), so a bare draft submits: these tests are about the chassis, not intake's rules.
intake_settings = {"max_request_bytes": 1024, "policy_profile": "xianyang"}


@pytest_asyncio.fixture
async def http(intake) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{intake.http_port}", timeout=10
    ) as client:
        yield client


@pytest.fixture
def org() -> str:
    """An organisation of the test's own."""
    return f"org-{uuid.uuid4().hex[:8]}"


def auth(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


def assert_problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("/problems/")
    return body


async def test_errors_are_problem_json(http, issuer, org):
    staff = issuer.issue("alice", org, ["unit_staff"])
    auditor = issuer.issue("carol", "audit", ["auditor"])

    r = await http.get("/v1/projects")
    assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"
    r = await http.get("/v1/projects", headers=auth("garbage"))
    assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"

    assert_problem(await http.post("/v1/projects", json=PROJECT, headers=auth(auditor)), 403)
    assert_problem(await http.get("/v1/projects/no-such-project", headers=auth(staff)), 404)
    assert_problem(await http.get("/v1/no-such-route"), 404)

    r = await http.post(
        "/v1/projects", json={**PROJECT, "project_type": "castle"}, headers=auth(staff)
    )
    body = assert_problem(r, 422)
    assert body["errors"][0]["field"] == "project_type"
    r = await http.post("/v1/projects", json={**PROJECT, "org_id": "org-b"}, headers=auth(staff))
    assert assert_problem(r, 422)["errors"][0]["field"] == "org_id"

    r = await http.post("/v1/projects", json=PROJECT, headers=auth(staff))
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert (await http.post(f"/v1/projects/{pid}/submit", headers=auth(staff))).status_code == 200
    body = assert_problem(await http.post(f"/v1/projects/{pid}/submit", headers=auth(staff)), 409)
    assert body["state"] == "submitted"


async def test_bodies_over_the_limit_get_413(http, issuer, org):
    staff = issuer.issue("alice", org, ["unit_staff"])
    big = {**PROJECT, "name": "x" * 2000}

    r = await http.post("/v1/projects", json=big, headers=auth(staff))  # with Content-Length
    assert assert_problem(r, 413)["type"] == "/problems/too-large"

    async def chunks():
        data = httpx.Request("POST", "/", json=big).content
        for i in range(0, len(data), 256):
            yield data[i : i + 256]

    r = await http.post(
        "/v1/projects",
        content=chunks(),
        headers={**auth(staff), "content-type": "application/json"},
    )
    assert r.request.headers.get("transfer-encoding") == "chunked"
    assert_problem(r, 413)

    # One chunk over the limit, too.
    async def small_claim():
        yield b"x" * 4096

    r = await http.post(
        "/v1/projects",
        content=small_claim(),
        headers={**auth(staff), "content-type": "application/json"},
    )
    assert_problem(r, 413)

    # Under the limit is fine.
    r = await http.post("/v1/projects", json=PROJECT, headers=auth(staff))
    assert r.status_code == 201, r.text


async def test_paging_limits_and_forged_cursors_are_422_naming_the_parameter(http, issuer, org):
    staff = issuer.issue("alice", org, ["unit_staff"])
    r = await http.get("/v1/projects", params={"limit": 101}, headers=auth(staff))
    assert assert_problem(r, 422)["errors"][0]["field"] == "limit"
    r = await http.get("/v1/projects", params={"limit": 0}, headers=auth(staff))
    assert assert_problem(r, 422)["errors"][0]["field"] == "limit"
    assert (
        await http.get("/v1/projects", params={"limit": 100}, headers=auth(staff))
    ).status_code == 200

    def enc(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode()

    for forged in ["!!!!", "not-base64", enc("-5"), enc("abc"), enc("9" * 30), "x" * 65]:
        r = await http.get("/v1/projects", params={"cursor": forged}, headers=auth(staff))
        assert assert_problem(r, 422)["errors"][0]["field"] == "cursor", forged


async def test_paging_follows_next_cursor(http, issuer, org):
    staff = issuer.issue("alice", org, ["unit_staff"])
    for i in range(3):
        r = await http.post("/v1/projects", json={**PROJECT, "name": f"p{i}"}, headers=auth(staff))
        assert r.status_code == 201
    names, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await http.get("/v1/projects", params=params, headers=auth(staff))).json()
        names += [p["name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert names == ["p0", "p1", "p2"]


async def test_health_readiness_and_metrics(http):
    r = await http.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    r = await http.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json()["checks"] == {"database": "ok", "nats": "ok"}
    r = await http.get("/metrics")
    assert r.status_code == 200
    assert (
        'govit_http_requests_total{method="GET",route="/readyz",service="intake",status="200"}'
        in r.text
    )


async def test_metrics_say_how_far_the_published_calendar_reaches(http):
    # The operators' signal to enter next year's State Council notice: the start of the first
    # year counted on the computed (provisional) calendar. chinese-calendar 1.11.0 (uv.lock)
    # knows 2026, so it is 1 January 2027 until then, and 1 January of this year after that.
    from govit_kit.policy import SHANGHAI

    r = await http.get("/metrics")
    # This app's line: other services' runtimes in the same test process add theirs.
    [line] = [
        x
        for x in r.text.splitlines()
        if x.startswith("govit_calendar_known_until_seconds{") and 'service="intake"' in x
    ]
    until = dt.datetime.fromtimestamp(float(line.split()[-1]), SHANGHAI)
    year = max(2027, dt.datetime.now(SHANGHAI).year)
    assert until == dt.datetime(year, 1, 1, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "body",
    [b"{", b'{"name": "x",}', b"\xff\xfe not utf-8", b"[]", b"null", b'"just a string"'],
)
async def test_malformed_json_is_422_not_500(http, issuer, org, body):
    staff = issuer.issue("alice", org, ["unit_staff"])
    r = await http.post(
        "/v1/projects", content=body, headers={**auth(staff), "content-type": "application/json"}
    )
    assert_problem(r, 422)


async def test_deeply_nested_json_is_a_client_error(databases, event_space, jwt_dir, issuer, org):
    running = await _started(databases, event_space, jwt_dir)  # the default 1 MiB limit
    try:
        staff = issuer.issue("alice", org, ["unit_staff"])
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{running.http_port}") as http:
            for depth in (10_000, 100_000):
                body = b"[" * depth + b"]" * depth
                r = await http.post(
                    "/v1/projects",
                    content=body,
                    headers={**auth(staff), "content-type": "application/json"},
                )
                assert 400 <= r.status_code < 500, (depth, r.status_code, r.text[:200])
                assert r.headers["content-type"].startswith(PROBLEM)
            assert (await http.get("/healthz")).status_code == 200
    finally:
        await running.shutdown()


async def test_openapi_and_docs_load_without_a_token(http):
    r = await http.get("/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert "/v1/projects" in doc["paths"] and "/v1/dead-letters" in doc["paths"]
    r = await http.get("/docs")
    assert r.status_code == 200 and "swagger" in r.text.lower()


async def test_dead_letters_need_an_operator_or_auditor(http, issuer, intake):
    db = intake.runtime.db
    async with db.unit_of_work() as uow:  # what a consumer leaves after its last try
        await uow.session.execute(
            db.tables.dead_letter.insert().values(
                event_id="e-1",
                consumer="reviews",
                nats_subject="x.govit.review.case.opened",
                event_type="govit.review.case.opened",
                headers={"ce-id": "e-1"},
                payload=b"\x00",
                error="RuntimeError('boom')",
                attempts=5,
                created_at=utcnow(),
            )
        )

    assert_problem(await http.get("/v1/dead-letters"), 401)
    staff = issuer.issue("alice", "org-a", ["unit_staff"])
    assert_problem(await http.get("/v1/dead-letters", headers=auth(staff)), 403)
    for role in ("platform_operator", "auditor"):
        who = issuer.issue("ops", "platform", [role])
        r = await http.get("/v1/dead-letters", headers=auth(who))
        assert r.status_code == 200, r.text
        [item] = r.json()["items"]
        assert (item["event_id"], item["consumer"], item["attempts"]) == ("e-1", "reviews", 5)
        assert item["error"] == "RuntimeError('boom')"
    # Replaying is the operator's alone; an unreadable event is a clean 409 and stays put.
    [item] = r.json()["items"]
    url = f"/v1/dead-letters/{item['id']}/replay"
    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    assert_problem(await http.post(url, headers=auth(auditor)), 403)
    operator = issuer.issue("ops", "platform", ["platform_operator"])
    assert_problem(await http.post(url, headers=auth(operator)), 409)
    assert_problem(await http.post("/v1/dead-letters/999999/replay", headers=auth(operator)), 404)
    # An id past the database's 64-bit range is the caller's mistake, not an overflow (a 500).
    r = await http.post(f"/v1/dead-letters/{2**63}/replay", headers=auth(operator))
    assert_problem(r, 422)
    assert "dead_letter_id" in r.text
    r = await http.get("/v1/dead-letters", headers=auth(operator))
    assert len(r.json()["items"]) == 1


async def test_a_year_without_holiday_data_is_a_clear_503_not_a_crash():
    from fastapi import FastAPI

    from govit_kit.http import install_error_handlers
    from govit_kit.policy import CalendarYearUnknown

    app = FastAPI()
    install_error_handlers(app)

    @app.get("/deadline")
    async def deadline():
        raise CalendarYearUnknown(2027)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.get("/deadline")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["year"] == 2027 and "calendar_overrides" in body["detail"]


async def test_a_decision_on_a_rule_the_profile_lacks_is_a_clear_409_not_a_crash():
    """A flow that refuses on a rule the active profile does not apply (it forgot to ask
    `profile.applies`) gets a problem naming the rule, not an opaque 500."""
    from fastapi import FastAPI

    from govit_kit.http import install_error_handlers
    from govit_kit.policy import Decision, load_profile

    app = FastAPI()
    install_error_handlers(app)

    @app.put("/quota")
    async def quota():
        Decision.refuse(load_profile("wuhai"), "L5", "over quota")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.put("/quota")
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"] == "/problems/rule-not-applicable" and body["rule_id"] == "L5", body
    assert "wuhai" in body["detail"] and "nothing was changed" in body["detail"], body


async def test_nul_characters_are_named_not_a_500(http, issuer, org):
    # PostgreSQL text cannot hold U+0000; schemathesis found it as a 500 in path, query and body.
    staff = issuer.issue("alice", org, ["unit_staff"])
    r = await http.get("/v1/projects", params={"name": "a\x00b"}, headers=auth(staff))
    assert assert_problem(r, 422)["errors"][0]["field"] == "name"
    r = await http.get("/v1/projects/a%00b", headers=auth(staff))
    assert assert_problem(r, 422)["errors"][0]["field"] == "project_id"
    body = {"name": "网格", "project_type": "new", "total_investment": "1", "tags": ["ok", "\x00"]}
    r = await http.post("/v1/projects", json=body, headers=auth(staff))
    assert assert_problem(r, 422)["errors"][0]["field"] == "tags.1"
    # An escaped backslash before "u0000" is ordinary text, not a NUL.
    r = await http.post(
        "/v1/projects",
        json={"name": "a\\u0000b", "project_type": "new", "total_investment": "1"},
        headers=auth(staff),
    )
    assert r.status_code == 201, r.text
