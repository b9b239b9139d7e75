"""What the authorisation tests share: the callers (one token per role, two units, two providers),
each service's documented endpoints, and a request that passes validation for each of them, so a
role check inside the handler is what answers."""

from __future__ import annotations

import re
from dataclasses import dataclass

SERVICES = ("intake", "review", "cloud_broker", "finance", "audit")
# Public on purpose (see test_authentication.PUBLIC): not in the matrix.
PUBLIC = {"/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect"}
PUBLIC |= {"/redoc", "/v1/public-key"}


@dataclass(frozen=True)
class Caller:
    """One token: a subject of an organisation with one role (and a provider for providers)."""

    subject: str
    org: str
    role: str
    provider: str | None = None

    def token(self, issuer) -> str:
        return issuer.issue(self.subject, self.org, [self.role], provider_id=self.provider)


# The caller that stands for each role in the matrix. Unit A and provider "pa" own the objects
# the tests make; unit B and provider "pb" are the strangers of the object tests.
CALLERS = {
    "unit_staff": Caller("staff-a", "org-a", "unit_staff"),
    "unit_cdo": Caller("cdo-a", "org-a", "unit_cdo"),
    "bureau_reviewer": Caller("bureau-1", "org-data-bureau", "bureau_reviewer"),
    "bureau_cloud_admin": Caller("cloud-admin-1", "data-bureau", "bureau_cloud_admin"),
    "county_reviewer": Caller("county-1", "org-county", "county_reviewer"),
    "ndrc_officer": Caller("ndrc-1", "org-ndrc", "ndrc_officer"),
    "expert": Caller("expert-1", "org-univ", "expert"),
    "security_reviewer": Caller("sec-1", "org-cac", "security_reviewer"),
    "secrecy_reviewer": Caller("secrecy-1", "org-secrecy", "secrecy_reviewer"),
    "finance_officer": Caller("finance-1", "org-finance", "finance_officer"),
    "auditor": Caller("auditor-1", "org-audit", "auditor"),
    "cloud_provider": Caller("robot-pa", "org-pa", "cloud_provider", "pa"),
    "supervision_provider": Caller("supervisor-1", "org-sup", "supervision_provider"),
    "platform_operator": Caller("operator-1", "org-platform", "platform_operator"),
}
ROLES = tuple(CALLERS)
UNIT_B = Caller("staff-b", "org-b", "unit_staff")
UNIT_B_CDO = Caller("cdo-b", "org-b", "unit_cdo")
PROVIDER_B = Caller("robot-pb", "org-pb", "cloud_provider", "pb")


def endpoints(app) -> dict[tuple[str, str], dict]:
    """(method, path template) -> OpenAPI operation, for every documented non-public endpoint."""
    found = {}
    for template, operations in app.openapi()["paths"].items():
        if template in PUBLIC:
            continue
        for method, operation in operations.items():
            found[(method.upper(), template)] = operation
    return found


class Example:
    """A minimal instance of a JSON schema of an OpenAPI document: required fields only, the
    first enum value, the first branch of a union, and the bounds the schema sets."""

    def __init__(self, doc: dict, values: dict | None = None) -> None:
        self.schemas = doc.get("components", {}).get("schemas", {})
        self.values = {**VALUES, **(values or {})}

    def of(self, schema: dict, name: str = "") -> object:
        if name in self.values:
            return self.values[name]
        if "$ref" in schema:
            return self.of(self.schemas[schema["$ref"].rsplit("/", 1)[-1]], name)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        if "default" in schema and schema["default"] is not None:
            return schema["default"]
        for union in ("oneOf", "anyOf"):
            if union in schema:
                branches = [s for s in schema[union] if s.get("type") != "null"]
                return self.of(branches[0], name) if branches else None
        if "allOf" in schema:
            return self.of(schema["allOf"][0], name)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            found = {k: self.of(props[k], k) for k in schema.get("required", []) if k in props}
            extra = schema.get("additionalProperties")
            if not props and isinstance(extra, dict):  # a mapping: one entry if it needs one
                keys = self.of(schema.get("propertyNames", {"type": "string"}), "key")
                for _ in range(min(schema.get("minProperties", 0), 1)):
                    found[keys] = self.of(extra)
            return found
        if kind == "array":
            n = schema.get("minItems", 0)
            return [self.of(schema.get("items", {}), name) for _ in range(max(n, 0))]
        if kind == "integer":
            return max(int(schema.get("minimum", 1)), int(schema.get("exclusiveMinimum", 0)) + 1)
        if kind == "number":
            return max(float(schema.get("minimum", 1)), 1.0)
        if kind == "boolean":
            return False
        if kind == "string":
            return self.string(schema, name)
        return "x"

    def string(self, schema: dict, name: str) -> str:
        fmt = schema.get("format", "")
        if fmt == "date":
            return "2026-03-02"
        if fmt == "date-time":
            return "2026-03-02T08:00:00Z"
        if fmt == "uuid":
            return "00000000-0000-4000-8000-000000000001"
        if fmt == "email":
            return "a@example.org"
        if fmt in ("uri", "url"):
            return "https://example.org/x"
        pattern = schema.get("pattern", "")
        if choice := re.fullmatch(r"\^\(([\w|]+)\)\$", pattern):
            return choice.group(1).split("|")[0]
        if re.match(r"\^20(\[0-9\]\{2\}|\\d\\d)-", pattern):
            return "2026-03"  # a month
        value = f"x-{name or 'v'}".ljust(schema.get("minLength", 1), "x")
        return value[: schema.get("maxLength", len(value))]


# Field values that pass the validators the schemas cannot express.
VALUES = {
    "credit_code": "91350100M000100Y43",
    "deadline": "2027-09-30",
    "period": "2026-03",
    "month": "2026-03",
    "report_sha256": "0" * 64,  # G7's report hash: 64 hex digits
}


def request_for(app, method: str, template: str, operation: dict, ids: dict[str, str]) -> dict:
    """httpx request arguments for one endpoint: path parameters from `ids` (else a name that
    matches nothing), required query parameters, and a minimal valid JSON body."""
    example = Example(app.openapi(), ids)
    path, params = template, {}
    for p in operation.get("parameters", []):
        value = ids.get(p["name"])
        if value is None:
            schema = p.get("schema", {})
            value = example.of(schema, p["name"])
            if p["in"] == "path" and isinstance(value, str) and "enum" not in schema:
                value = "nonexistent-1"
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", str(value))
        elif p["in"] == "query" and p.get("required"):
            params[p["name"]] = value
    args: dict = {"method": method, "url": path, "params": params}
    body = operation.get("requestBody")
    if body:
        content = body["content"]
        if "application/json" in content:
            args["json"] = example.of(content["application/json"]["schema"])
        elif "multipart/form-data" in content:
            args["files"] = {"file": ("x.txt", b"x", "text/plain")}
        else:
            media = "text/csv" if "text/csv" in content else next(iter(content))
            args["content"] = b"x"
            args["headers"] = {"content-type": media}
    return args


# Seeding: each service gets a few real objects owned by unit A (org-a) or provider "pa", so the
# matrix is exercised on objects that exist and the strangers (unit B, provider "pb") are refused
# on them rather than on a name that matches nothing.


class Seeder:
    """An in-process service's ASGI client and the issuer of the callers' tokens."""

    def __init__(self, http, issuer, space) -> None:
        self.http, self.issuer, self.space = http, issuer, space
        self.intake: Seeder | None = None  # the intake beside a cloud broker
        self.grpc_port = 0

    def headers(self, caller: Caller) -> dict[str, str]:
        return {"authorization": f"Bearer {caller.token(self.issuer)}"}

    async def call(self, caller: Caller, method: str, url: str, expect: int = 0, **kw) -> dict:
        headers = {**kw.pop("headers", {}), **self.headers(caller)}
        r = await self.http.request(method, url, headers=headers, **kw)
        if expect:
            assert r.status_code == expect, (method, url, r.text)
        return r.json() if r.content and "json" in r.headers.get("content-type", "") else {}


def new_project_body(name: str = "城市大脑") -> dict:
    return {"name": name, "project_type": "new", "total_investment": "800000"}


def build_apps(data_dir, tmp) -> dict:
    """Each service's app, built but not started: routes, validation and authentication work
    without a database (a handler that reaches one would fail)."""
    import importlib

    from govit_kit.runtime import Runtime

    built = {}
    for name in SERVICES:
        spec = importlib.import_module(f"{name}.main").spec()
        settings = spec.settings_cls(
            service=spec.name,
            database_url=f"sqlite+aiosqlite:///{tmp}/{name}.db",
            data_dir=data_dir,
        )
        built[name] = Runtime(spec, settings).app
    return built
