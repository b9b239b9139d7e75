"""Oversized, malformed and deeply nested bodies get a clean 4xx problem+json from every service,
and a number too large for the database is a 422 naming the field, never a 500."""

import json

import httpx
import pytest

from audit.main import spec as audit_spec
from cloud_broker.main import spec as broker_spec
from finance.main import spec as finance_spec
from govit_kit.testing import bearer
from intake.main import spec as intake_spec
from review.main import spec as review_spec

PROBLEM = "application/problem+json"
# For each service: a JSON-taking endpoint and a role that may call it.
TARGETS = {
    "intake": (intake_spec, "/v1/projects", "org-a", "unit_staff"),
    "review": (review_spec, "/v1/pool-members", "org-data-bureau", "bureau_reviewer"),
    "cloud_broker": (broker_spec, "/v1/catalog/platforms", "data-bureau", "bureau_cloud_admin"),
    "finance": (finance_spec, "/v1/contractors", "org-finance", "finance_officer"),
    "audit": (audit_spec, "/v1/exports", "org-audit", "auditor"),
}
LIMIT = 1_048_576  # Settings.max_request_bytes


def assert_problem(r: httpx.Response, *statuses: int) -> dict:
    assert r.status_code in statuses, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers
    body = r.json()
    assert body["status"] == r.status_code and body["detail"], body
    return body


@pytest.mark.parametrize("service", list(TARGETS))
async def test_bad_bodies_get_a_clean_4xx(service, start_service, issuer):
    spec, path, org, role = TARGETS[service]
    running = await start_service(spec(), policy_profile="suining")
    headers = bearer(issuer.issue("tester", org, [role])) | {"content-type": "application/json"}
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{running.http_port}", headers=headers, timeout=30
    ) as http:
        # Oversized, announced by Content-Length: refused before it is read.
        big = json.dumps({"name": "x" * (LIMIT + 10)})
        body = assert_problem(await http.post(path, content=big), 413)
        assert str(LIMIT) in body["detail"]

        # Oversized and streamed without a Content-Length: refused once it passes the limit.
        async def chunks():
            for _ in range(LIMIT // 65_536 + 2):
                yield b"x" * 65_536

        assert_problem(await http.post(path, content=chunks()), 413)

        # Malformed JSON, and JSON that is not an object.
        body = assert_problem(await http.post(path, content=b'{"name": "a",'), 400, 422)
        assert_problem(await http.post(path, content=b"\xff\xfe\x00garbage"), 400, 422)
        body = assert_problem(await http.post(path, content=b"[1, 2, 3]"), 422)
        assert body["errors"], body

        # Nested deeper than any parser's stack (within the size limit), and nested moderately
        # inside a field that expects a string: both a 4xx, the latter naming the field.
        deep = b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        assert_problem(await http.post(path, content=deep), 400, 422)
        nested = b'{"a": [' * 200 + b'"x"' + b"]}" * 200
        body = assert_problem(await http.post(path, content=b'{"name": ' + nested + b"}"), 422)
        assert "name" in body["detail"] or body["detail"].startswith("body"), body

        # The service still answers normally afterwards.
        assert (await http.get("/healthz")).status_code == 200
