"""Mass assignment (OWASP API3): a create or update body cannot set who owns an object, its
state, or who decided on it. Every JSON body of every service forbids fields it does not
declare (pydantic extra="forbid"), so such a field is a 422 that names it, and nothing else
of the request is applied.

The schema check and the 422s need no database: validation answers before a handler runs. One
test then sends the forged fields to a running intake and checks the project is untouched.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from authz_run import start  # noqa: E402
from authz_seeds import STAFF  # noqa: E402
from authz_support import CALLERS, Example, build_apps, endpoints, request_for  # noqa: E402

# Fields that name an owner, a state or a decider: no body may set one it does not declare.
# Every body gets the first four (one of each kind; the schema test covers the rest by rule),
# the real project all of them.
FORGED = {
    "org_id": "org-b",
    "status": "approved",
    "decided_by": "mallory",
    "provider_id": "pb",
    "owner_org_id": "org-b",
    "approved_by": "mallory",
    "submitted_by": "mallory",
    "created_by": "mallory",
    "cdo_signed_by": "mallory",
    "version": 99,
}
EVERY_BODY = ("org_id", "status", "decided_by", "provider_id")
# Where a body declares one of them, it is the object's subject, set by the roles that may:
# the bureau registers an organisation's id, a system's owner, a pool member's subject; the
# cloud administrators a platform's id and a price's platform, allocate to a platform, and
# register a running resource for a unit; they also record a provider's cloud bill; audit's export filters by an org within the
# caller's own scope (a unit gets only its own, see audit.log.service.visible).
DECLARED = {
    ("intake", "POST", "/v1/systems"): {"owner_org_id"},
    ("cloud_broker", "POST", "/v1/resource-requests/existing"): {"org_id"},
    ("finance", "POST", "/v1/cloud-bills"): {"provider_id"},
    ("audit", "POST", "/v1/exports"): {"org_id"},
}


@pytest.fixture(scope="module")
def apps(jwt_dir: Path, tmp_path_factory) -> dict:
    return build_apps(jwt_dir, tmp_path_factory.mktemp("apps"))


def open_objects(schemas: dict, schema: dict, where: str, seen: frozenset = frozenset()):
    """Paths inside a body schema to objects with declared fields that accept others too."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return open_objects(schemas, schemas[name], f"{where}<{name}>", seen | {name})
    found = []
    props = schema.get("properties", {})
    if props and schema.get("additionalProperties") is not False:
        found.append(where)
    for key, sub in props.items():
        found += open_objects(schemas, sub, f"{where}.{key}", seen)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):  # a mapping (checklist, materials): its values are checked
        found += open_objects(schemas, extra, f"{where}[*]", seen)
    if isinstance(schema.get("items"), dict):
        found += open_objects(schemas, schema["items"], f"{where}[]", seen)
    for union in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(union, []):
            found += open_objects(schemas, branch, where, seen)
    return found


def json_bodies(apps):
    for service, app in apps.items():
        doc = app.openapi()
        for (method, template), op in endpoints(app).items():
            content = op.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                yield service, app, doc, method, template, op, content["application/json"]["schema"]


def test_every_json_body_forbids_undeclared_fields(apps):
    loose, checked = [], 0
    for service, _, doc, method, template, _, schema in json_bodies(apps):
        checked += 1
        schemas = doc["components"]["schemas"]
        loose += [f"{service} {method} {template}: {p}" for p in open_objects(schemas, schema, "")]
    assert checked >= 90, checked  # all five services were read
    assert not loose, "bodies that accept undeclared fields:\n" + "\n".join(loose)


async def test_a_forged_owner_state_or_decider_field_is_a_422_naming_it(apps, issuer):
    """Every JSON body, with each forged field it does not declare added to an otherwise valid
    body: a 422 whose errors name exactly that field."""
    caller = CALLERS["unit_staff"]
    wrong = []
    for service, app, doc, method, template, op, schema in json_bodies(apps):
        declared = DECLARED.get((service, method, template), set())
        args = request_for(app, method, template, op, {})
        body = args.get("json")
        if not isinstance(body, dict):  # a list body (a catalog): its rows are objects too
            body = None
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
            for field in EVERY_BODY:
                value = FORGED[field]
                if field in declared or (body is not None and field in body):
                    continue
                sent = {**(body or {}), field: value}
                if body is None and isinstance(args.get("json"), list):
                    sent = [{**Example(doc).of(schema["items"]), field: value}]
                r = await http.request(
                    method,
                    args["url"],
                    params=args["params"],
                    json=sent,
                    headers={"authorization": f"Bearer {caller.token(issuer)}"},
                )
                fields = [e.get("field", "") for e in r.json().get("errors", [])]
                if r.status_code != 422 or not any(f.endswith(field) for f in fields):
                    wrong.append(
                        f"{service} {method} {template} +{field}: {r.status_code} {fields}"
                    )
    assert not wrong, "\n".join(wrong)


async def test_forged_fields_change_nothing_on_a_real_project(start_service, issuer, event_space):
    _, s, ids = await start("intake", start_service, issuer, event_space)
    pid = ids["project_id"]
    url = f"/v1/projects/{pid}"
    before = (await s.http.get(url, headers=s.headers(STAFF))).json()
    for field in FORGED:
        r = await s.http.patch(
            url, headers=s.headers(STAFF), json={"name": "改名", field: FORGED[field]}
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field, r.text
        r = await s.http.post(
            "/v1/projects",
            headers=s.headers(STAFF),
            json={"name": "新项目", "project_type": "new", "total_investment": "1", field: "x"},
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field, r.text
    after = (await s.http.get(url, headers=s.headers(STAFF))).json()
    assert after == before  # name, owner, status, version: nothing of the refused bodies applied
    page = (await s.http.get("/v1/projects", headers=s.headers(STAFF))).json()
    assert [p["id"] for p in page["items"]] == [pid]  # no project was created either
