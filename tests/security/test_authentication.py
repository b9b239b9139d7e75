"""Every endpoint of every service refuses a request without a valid token (OWASP API2), except
the few that are public on purpose; a new endpoint that forgets its principal fails here.

The apps are built but not started: authentication is a dependency that runs before a handler
touches the database, so no database or broker is needed to prove it.
"""

from __future__ import annotations

import importlib
import re
import time
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from govit_kit.auth import TokenIssuer
from govit_kit.runtime import Runtime

SERVICES = ("intake", "review", "cloud_broker", "finance", "audit")
# Public on purpose: probes, metrics, API docs, and the key anyone needs to check audit's
# signatures. Anything else answering without a token is a finding.
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("GET", "/v1/public-key"),  # audit
}


def routes(app) -> list[tuple[str, str, str]]:
    """(method, path with its parameters filled, path template) of every documented endpoint."""
    found = []
    for template, operations in app.openapi()["paths"].items():
        for method in operations:
            found.append((method.upper(), re.sub(r"\{[^}]+\}", "x-1", template), template))
    return found


@pytest.fixture(scope="module")
def apps(jwt_dir: Path, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("apps")
    built = {}
    for name in SERVICES:
        spec = importlib.import_module(f"{name}.main").spec()
        settings = spec.settings_cls(
            service=spec.name, database_url=f"sqlite+aiosqlite:///{tmp}/{name}.db", data_dir=jwt_dir
        )
        built[name] = Runtime(spec, settings).app
    return built


def foreign_token() -> str:
    """A well-formed token signed by a key the platform does not trust."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return TokenIssuer(pem, issuer="govit-dev", audience="govit").issue(
        "mallory", "org-a", ["bureau_reviewer"]
    )


def unsigned_token() -> str:
    """alg=none: the classic forgery."""
    now = int(time.time())
    claims = {"iss": "govit-dev", "aud": "govit", "sub": "mallory", "org": "org-a"}
    claims |= {"roles": ["auditor"], "iat": now, "exp": now + 600}
    return jwt.encode(claims, key=None, algorithm="none")


@pytest.mark.parametrize("service", SERVICES)
async def test_every_endpoint_needs_a_valid_token(service, apps, issuer):
    app = apps[service]
    bad_tokens = {
        "none": None,
        "not a jwt": "Bearer not-a-jwt",
        "foreign key": f"Bearer {foreign_token()}",
        "alg none": f"Bearer {unsigned_token()}",
        "expired": "Bearer " + issuer.issue("alice", "org-a", ["bureau_reviewer"], ttl_s=-60),
        "basic": "Basic YWxpY2U6c2VjcmV0",
    }
    checked = 0
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        for method, path, template in routes(app):
            if (method, template) in PUBLIC:
                continue
            for label, value in bad_tokens.items():
                headers = {"authorization": value} if value else {}
                r = await client.request(method, path, headers=headers, json={})
                assert r.status_code == 401, f"{service} {method} {template} with {label} token"
                assert r.headers["content-type"].startswith("application/problem+json")
                assert r.headers.get("www-authenticate", "").lower().startswith("bearer")
            checked += 1
    assert checked >= 3, f"{service}: only {checked} endpoints found"


@pytest.mark.parametrize("service", SERVICES)
async def test_the_public_endpoints_answer_without_a_token(service, apps):
    """The other direction: each listed public endpoint the service has answers a stranger."""
    app = apps[service]
    public = [(m, p) for m, p, t in routes(app) if (m, t) in PUBLIC and m == "GET"]
    assert ("GET", "/healthz") in public
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        for _, path in public:
            if path == "/readyz":  # answers 503 here: nothing is started
                continue
            r = await client.get(path)
            assert r.status_code == 200, (service, path, r.text)
