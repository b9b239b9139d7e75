"""Shared fixtures of intake's tests: the service under a chosen profile, tokens, a client."""

import sys
from pathlib import Path

import httpx
import pytest_asyncio

from govit_kit.testing import bearer
from intake.main import spec

# Tests import intake_test_helpers (tests run in importlib mode, without packages).
sys.path.insert(0, str(Path(__file__).parent))

CREDIT_CODES = ["91350100M000100Y43", "91110000600037341L", "12100000400010398P"]


@pytest_asyncio.fixture
async def start_intake(start_service):
    """Start intake under a profile: `svc = await start_intake("yunyang")`."""

    async def _start(profile: str = "suining", **overrides):
        return await start_service(spec(), policy_profile=profile, **overrides)

    return _start


class Client:
    """An HTTP client on one intake, with tokens by name."""

    def __init__(self, svc, issuer) -> None:
        self.svc, self.issuer = svc, issuer
        self.http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{svc.http_port}", timeout=20)

    def token(self, subject: str, org: str, *roles: str) -> dict[str, str]:
        """The Authorization header of a token for these roles."""
        return bearer(self.issuer.issue(subject, org, list(roles)))

    def staff(self, org: str = "org-a") -> dict[str, str]:
        return self.token(f"staff-{org}", org, "unit_staff")

    def cdo(self, org: str = "org-a", subject: str | None = None) -> dict[str, str]:
        return self.token(subject or f"cdo-{org}", org, "unit_cdo")

    def bureau(self) -> dict[str, str]:
        return self.token("bureau-1", "org-data-bureau", "bureau_reviewer")


@pytest_asyncio.fixture
async def client_for(issuer):
    """Make a Client for a started intake; all are closed at the end."""
    made = []

    def _make(svc):
        made.append(Client(svc, issuer))
        return made[-1]

    yield _make
    for c in made:
        await c.http.aclose()
