"""Who is calling: JWT bearer tokens naming the subject, the organisation and the roles."""

from __future__ import annotations

import contextvars
import enum
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from govit_kit.config import Settings
from govit_kit.errors import Forbidden, NotFound, Unauthenticated

ALGORITHMS = ["EdDSA", "RS256", "ES256"]


class Role(enum.StrEnum):
    """The roles a token can carry."""

    UNIT_STAFF = "unit_staff"  # 单位经办人
    UNIT_CDO = "unit_cdo"  # 首席数据官 (C4)
    BUREAU_REVIEWER = "bureau_reviewer"  # 数据局审核人员
    BUREAU_CLOUD_ADMIN = "bureau_cloud_admin"  # 政务云管理员
    COUNTY_REVIEWER = "county_reviewer"  # 县级数据主管部门 (C6, L3)
    NDRC_OFFICER = "ndrc_officer"  # 发改委 (D7)
    EXPERT = "expert"
    SECURITY_REVIEWER = "security_reviewer"  # 网信办/公安 (D3)
    SECRECY_REVIEWER = "secrecy_reviewer"  # 保密机要局 (D3)
    FINANCE_OFFICER = "finance_officer"
    AUDITOR = "auditor"
    CLOUD_PROVIDER = "cloud_provider"  # bound to one provider (L16)
    SUPERVISION_PROVIDER = "supervision_provider"  # 云监理
    PLATFORM_OPERATOR = "platform_operator"  # runs the platform: dead letters, health


# The subject acting in the current request or RPC: events it causes carry it (ce-actor).
current_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "govit_actor", default=None
)

UNIT_ROLES = frozenset({Role.UNIT_STAFF, Role.UNIT_CDO})
# Bureau roles that read every unit's project records (applications, cases, funding).
PROJECT_READERS = frozenset(
    {
        Role.BUREAU_REVIEWER,
        Role.NDRC_OFFICER,
        Role.FINANCE_OFFICER,
        Role.AUDITOR,
        Role.SECURITY_REVIEWER,
        Role.SECRECY_REVIEWER,
    }
)


@dataclass(frozen=True)
class Principal:
    """The verified caller of a request."""

    subject: str
    org_id: str
    roles: frozenset[Role]
    provider_id: str | None = None
    token: str = field(default="", repr=False)
    # The token's `exp` (seconds since the epoch); None for a principal made without a token.
    # A call is verified when it starts; a long-lived stream checks this again as it goes.
    expires_at: float | None = field(default=None, repr=False, compare=False)

    def seconds_left(self, now: float | None = None) -> float | None:
        """Seconds until the token expires (0 once it has), None when it does not."""
        if self.expires_at is None:
            return None
        return max(0.0, self.expires_at - (time.time() if now is None else now))

    def check_unexpired(self, now: float | None = None) -> Principal:
        """Raise 401 once the token has expired (as verify does: at `exp` itself)."""
        if self.seconds_left(now) == 0.0:
            raise Unauthenticated("token expired")
        return self

    def has(self, *roles: Role) -> bool:
        """Whether the caller holds any of these roles."""
        return bool(self.roles.intersection(roles))

    def require(self, *roles: Role) -> Principal:
        """Raise 403 unless the caller holds one of these roles."""
        if not self.has(*roles):
            names = ", ".join(sorted(r.value for r in roles))
            raise Forbidden(f"this action needs one of the roles: {names}")
        return self

    def org_scope(self, readers: Iterable[Role]) -> str | None:
        """Which organisations' objects the caller may read: None for all (a role in `readers`,
        e.g. the bureau that reviews them), its own org for a unit, and 403 for anyone else
        (a cloud provider never reads a unit's data, L16)."""
        if self.has(*readers):
            return None
        if self.has(*UNIT_ROLES):
            return self.org_id
        raise Forbidden("this role may not read these objects")

    def not_own_org(self, org_id: str, what: str) -> Principal:
        """Raise 403 when the caller belongs to the organisation the object is about: the
        platform's separation of duties (no regulation's article; none of the five names one),
        so a reviewer never decides on their own organisation's project. `what` completes
        "cannot ...", e.g. "conclude a case"."""
        if self.org_id == org_id:
            raise Forbidden(
                f"separation of duties: {self.subject} of {org_id} cannot {what} of their own "
                "organisation"
            )
        return self

    def check_owner(self, org_id: str, readers: Iterable[Role], what: str = "object") -> None:
        """404 when a unit asks for another organisation's object, so its existence does not leak."""
        scope = self.org_scope(readers)
        if scope is not None and scope != org_id:
            raise NotFound(f"{what} not found")


def generate_dev_keys(directory: Path) -> tuple[Path, Path]:
    """Create (once) the embedded default's Ed25519 signing key pair; returns (private, public)."""
    directory.mkdir(parents=True, exist_ok=True)
    private, public = directory / "jwt-dev.key", directory / "jwt-dev.pub"
    if not private.exists():
        key = Ed25519PrivateKey.generate()
        private.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        private.chmod(0o600)
        public.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    return private, public


class TokenIssuer:
    """Signs development tokens with the local key (the embedded default and tests only)."""

    def __init__(self, private_key_pem: bytes, *, issuer: str, audience: str) -> None:
        self.key = serialization.load_pem_private_key(private_key_pem, password=None)
        self.issuer, self.audience = issuer, audience

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenIssuer:
        """The issuer of the key named in settings, or of the dev key under data_dir."""
        path = settings.jwt_private_key_file or generate_dev_keys(settings.data_dir)[0]
        return cls(
            Path(path).read_bytes(), issuer=settings.jwt_issuer, audience=settings.jwt_audience
        )

    def issue(
        self,
        subject: str,
        org_id: str,
        roles: list[str] | list[Role],
        *,
        provider_id: str | None = None,
        ttl_s: int = 8 * 3600,
    ) -> str:
        """A signed token for a subject of an organisation with these roles."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "org": org_id,
            "roles": [str(Role(r)) for r in roles],
            "iat": now,
            "nbf": now - 5,
            "exp": now + ttl_s,
        }
        if provider_id:
            claims["provider"] = provider_id
        return jwt.encode(claims, self.key, algorithm="EdDSA")


class TokenVerifier:
    """Verifies bearer tokens against the local public key or the identity provider's JWKS."""

    def __init__(self, settings: Settings) -> None:
        self.issuer, self.audience = settings.jwt_issuer, settings.jwt_audience
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None
        self._key = None
        if self._jwks is None:
            path = settings.jwt_public_key_file or generate_dev_keys(settings.data_dir)[1]
            self._key = serialization.load_pem_public_key(Path(path).read_bytes())

    def verify(self, authorization: str | None) -> Principal:
        """The principal of an `Authorization: Bearer <jwt>` value; 401 on anything wrong."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise Unauthenticated("missing bearer token")
        token = authorization[7:].strip()
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._key
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("token expired") from None
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthenticated(f"invalid token: {exc}") from None
        try:
            roles = frozenset(Role(r) for r in claims.get("roles", []))
        except ValueError as exc:
            raise Unauthenticated(f"invalid token: unknown role ({exc})") from None
        org = claims.get("org")
        if not isinstance(org, str) or not org:
            raise Unauthenticated("invalid token: no organisation (org claim)")
        provider = claims.get("provider")
        if Role.CLOUD_PROVIDER in roles and not provider:
            raise Unauthenticated("invalid token: a cloud_provider token must name its provider")
        if Role.CLOUD_PROVIDER in roles and len(roles) > 1:
            # A provider sees its own work orders and nothing of a unit's beyond them (L16); a
            # second role would widen what every role-scoped read shows it.
            raise Unauthenticated("invalid token: a cloud_provider token carries no other role")
        return Principal(claims["sub"], org, roles, provider, token, float(claims["exp"]))
