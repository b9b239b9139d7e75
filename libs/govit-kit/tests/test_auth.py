"""Bearer tokens: what verifies into a Principal, what is refused, and verification via JWKS."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
import pytest
from jwt.algorithms import OKPAlgorithm

from govit_kit.auth import (
    PROJECT_READERS,
    Principal,
    Role,
    TokenIssuer,
    TokenVerifier,
    generate_dev_keys,
)
from govit_kit.config import Settings
from govit_kit.errors import Forbidden, NotFound, Unauthenticated
from govit_kit.platform import free_port


@pytest.fixture(scope="module")
def verifier(jwt_dir: Path) -> TokenVerifier:
    return TokenVerifier(Settings(data_dir=jwt_dir))


def bearer(token: str) -> str:
    return f"Bearer {token}"


def claims(**over) -> dict:
    now = int(time.time())
    base = {
        "iss": "govit-dev",
        "aud": "govit",
        "sub": "alice",
        "org": "org-a",
        "roles": ["unit_staff"],
        "iat": now,
        "nbf": now - 5,
        "exp": now + 600,
    }
    return {k: v for k, v in {**base, **over}.items() if v is not None}


def test_the_principal_keeps_its_tokens_expiry(issuer, verifier):
    """A long-lived stream checks the expiry again as it goes: at `exp` itself the principal is
    expired, as the verifier refuses the token then."""
    exp = int(time.time()) + 600
    who = verifier.verify(bearer(jwt.encode(claims(exp=exp), issuer.key, algorithm="EdDSA")))
    assert who.expires_at == exp
    assert who.seconds_left(now=exp - 10) == 10 and who.check_unexpired(now=exp - 0.5) is who
    for now in (exp, exp + 1):
        assert who.seconds_left(now=now) == 0
        with pytest.raises(Unauthenticated, match="token expired"):
            who.check_unexpired(now=now)
    # A principal made without a token (a test's, a system's) never expires.
    plain = Principal("x", "org-a", frozenset({Role.UNIT_STAFF}))
    assert plain.seconds_left() is None and plain.check_unexpired() is plain


def test_a_token_verifies_into_its_principal(issuer, verifier):
    token = issuer.issue("alice", "org-a", ["unit_staff", Role.UNIT_CDO])
    who = verifier.verify(bearer(token))
    assert who == Principal(
        "alice", "org-a", frozenset({Role.UNIT_STAFF, Role.UNIT_CDO}), None, token
    )
    assert who.org_scope(PROJECT_READERS) == "org-a" and who.provider_id is None
    assert verifier.verify(f"bearer   {token}  ").subject == "alice"  # scheme is case-insensitive

    provider = issuer.issue("p-1", "org-cloud", ["cloud_provider"], provider_id="prov-x")
    who = verifier.verify(bearer(provider))
    assert who.roles == {Role.CLOUD_PROVIDER} and who.provider_id == "prov-x"


def _other_key_issuer(tmp_path: Path) -> TokenIssuer:
    private, _ = generate_dev_keys(tmp_path / "other")
    return TokenIssuer(private.read_bytes(), issuer="govit-dev", audience="govit")


@pytest.mark.parametrize(
    "case",
    [
        "missing header",
        "empty header",
        "not bearer",
        "bearer without token",
        "garbage",
        "expired",
        "another key",
        "wrong audience",
        "wrong issuer",
        "unknown role",
        "no organisation",
        "no expiry",
        "unsigned (alg none)",
        "HS256 with the public key as secret",
        "cloud provider without provider",
        "cloud provider with another role",
    ],
)
def test_bad_tokens_are_refused(case, issuer, verifier, jwt_dir, tmp_path):
    key = issuer.key
    headers = {
        "missing header": None,
        "empty header": "",
        "not bearer": f"Basic {issuer.issue('alice', 'org-a', ['unit_staff'])}",
        "bearer without token": "Bearer ",
        "garbage": "Bearer not.a.jwt",
        "expired": bearer(issuer.issue("alice", "org-a", ["unit_staff"], ttl_s=-60)),
        "another key": bearer(_other_key_issuer(tmp_path).issue("alice", "org-a", ["unit_staff"])),
        "wrong audience": bearer(
            TokenIssuer(
                (jwt_dir / "jwt-dev.key").read_bytes(), issuer="govit-dev", audience="elsewhere"
            ).issue("alice", "org-a", ["unit_staff"])
        ),
        "wrong issuer": bearer(
            TokenIssuer(
                (jwt_dir / "jwt-dev.key").read_bytes(), issuer="someone-else", audience="govit"
            ).issue("alice", "org-a", ["unit_staff"])
        ),
        "unknown role": bearer(jwt.encode(claims(roles=["emperor"]), key, algorithm="EdDSA")),
        "no organisation": bearer(jwt.encode(claims(org=None), key, algorithm="EdDSA")),
        "no expiry": bearer(jwt.encode(claims(exp=None), key, algorithm="EdDSA")),
        "unsigned (alg none)": bearer(jwt.encode(claims(), None, algorithm="none")),
        "HS256 with the public key as secret": bearer(_hs256_with_public_key(jwt_dir)),
        "cloud provider without provider": bearer(
            issuer.issue("p-1", "org-cloud", ["cloud_provider"])
        ),
        # A provider's token would otherwise read, as an auditor, every platform's orders (L16).
        "cloud provider with another role": bearer(
            issuer.issue("p-1", "org-cloud", ["cloud_provider", "auditor"], provider_id="prov-x")
        ),
    }[case]
    with pytest.raises(Unauthenticated) as err:
        verifier.verify(headers)
    assert err.value.status == 401
    if case == "expired":
        assert "expired" in err.value.detail


def _hs256_with_public_key(jwt_dir: Path) -> str:
    # The classic algorithm-confusion forgery: HMAC "signed" with the public key bytes.
    import hashlib
    import hmac
    from base64 import urlsafe_b64encode

    def b64(data: bytes) -> bytes:
        return urlsafe_b64encode(data).rstrip(b"=")

    signing_input = (
        b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        + b"."
        + b64(json.dumps(claims(roles=["platform_operator"])).encode())
    )
    sig = hmac.new((jwt_dir / "jwt-dev.pub").read_bytes(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + b64(sig)).decode()


def test_require_and_check_owner():
    staff = Principal("alice", "org-a", frozenset({Role.UNIT_STAFF}))
    assert staff.require(Role.UNIT_STAFF, Role.UNIT_CDO) is staff
    with pytest.raises(Forbidden) as err:
        staff.require(Role.AUDITOR, Role.PLATFORM_OPERATOR)
    assert err.value.status == 403 and "auditor" in err.value.detail

    staff.check_owner("org-a", PROJECT_READERS, "project")  # its own: fine
    with pytest.raises(NotFound) as err:
        staff.check_owner("org-b", PROJECT_READERS, "project")
    assert err.value.status == 404 and "org-b" not in err.value.detail

    auditor = Principal("carol", "audit-bureau", frozenset({Role.AUDITOR}))
    auditor.check_owner("org-b", PROJECT_READERS, "project")
    # A unit role next to a bureau role is not confined to its unit.
    reviewer = Principal("dan", "data-bureau", frozenset({Role.UNIT_STAFF, Role.BUREAU_REVIEWER}))
    reviewer.check_owner("org-b", PROJECT_READERS, "project")
    # A cloud provider reads no unit's data at all (L16).
    provider = Principal("p-1", "org-cloud", frozenset({Role.CLOUD_PROVIDER}), "prov-x")
    with pytest.raises(Forbidden):
        provider.check_owner("org-cloud", PROJECT_READERS, "project")


def test_not_own_org_is_the_separation_of_duties():
    reviewer = Principal("rita", "org-a", frozenset({Role.BUREAU_REVIEWER}))
    assert reviewer.not_own_org("org-b", "conclude a case") is reviewer
    with pytest.raises(Forbidden) as err:
        reviewer.not_own_org("org-a", "conclude a case")
    assert err.value.status == 403
    assert "separation of duties" in err.value.detail and "conclude a case" in err.value.detail


# --- JWKS ------------------------------------------------------------------------------------


@pytest.fixture
def jwks_url(jwt_dir: Path) -> Iterator[str]:
    """A tiny identity provider publishing the session's public key as an OKP JWK (kid k1)."""
    from cryptography.hazmat.primitives import serialization

    public = serialization.load_pem_public_key((jwt_dir / "jwt-dev.pub").read_bytes())
    jwk = json.loads(OKPAlgorithm.to_jwk(public))
    body = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "EdDSA"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path != "/.well-known/jwks.json":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


def test_tokens_verify_against_the_identity_providers_jwks(jwks_url, issuer, tmp_path):
    verifier = TokenVerifier(Settings(jwks_url=jwks_url, data_dir=tmp_path / "unused"))
    good = jwt.encode(
        claims(roles=["auditor"]), issuer.key, algorithm="EdDSA", headers={"kid": "k1"}
    )
    who = verifier.verify(bearer(good))
    assert who.subject == "alice" and who.roles == {Role.AUDITOR}

    other = _other_key_issuer(tmp_path).key
    for forged in (
        jwt.encode(claims(), other, algorithm="EdDSA", headers={"kid": "k1"}),  # kid of ours
        jwt.encode(claims(), other, algorithm="EdDSA", headers={"kid": "k2"}),  # unknown kid
    ):
        with pytest.raises(Unauthenticated):
            verifier.verify(bearer(forged))
    # The verifier does not fall back to a local key when the JWKS is configured.
    assert not (tmp_path / "unused" / "jwt-dev.pub").exists()


def test_an_unreachable_jwks_refuses_with_401_not_a_crash(issuer, tmp_path):
    url = f"http://127.0.0.1:{free_port()}/jwks.json"
    verifier = TokenVerifier(Settings(jwks_url=url, data_dir=tmp_path))
    token = jwt.encode(claims(), issuer.key, algorithm="EdDSA", headers={"kid": "k1"})
    with pytest.raises(Unauthenticated):
        verifier.verify(bearer(token))
