"""Fixtures of review's tests: a running review service and cases opened from intake's event."""

from decimal import Decimal

import httpx
import pytest_asyncio

from govit.intake.v1 import events_pb2 as intake_events
from govit_kit.convert import to_money
from govit_kit.testing import bearer, publish_event, wait_until
from review.main import spec


class ReviewClient:
    """A review service under test, its HTTP client and tokens by name."""

    def __init__(self, service, http: httpx.AsyncClient, issuer, space) -> None:
        self.service, self.http, self.issuer, self.space = service, http, issuer, space
        self.reviewer = issuer.issue("rita", "org-data-bureau", ["bureau_reviewer"])
        self.auditor = issuer.issue("audrey", "org-audit", ["auditor"])
        self.security = issuer.issue("sam", "org-cac", ["security_reviewer"])
        self.secrecy = issuer.issue("sue", "org-secrecy", ["secrecy_reviewer"])
        self.ndrc = issuer.issue("ned", "org-ndrc", ["ndrc_officer"])
        self.finance = issuer.issue("fay", "org-finance", ["finance_officer"])

    def token(self, subject: str, org: str, *roles: str) -> str:
        return self.issuer.issue(subject, org, list(roles))

    async def call(self, method: str, url: str, token: str, **kw) -> httpx.Response:
        return await self.http.request(method, url, headers=bearer(token), **kw)

    async def open_case(self, project_id: str, org: str, amount: str, name: str = "网格化治理"):
        """Publish intake's ProjectSubmitted and wait for the case review opens."""
        msg = intake_events.ProjectSubmitted(
            project_id=project_id,
            org_id=org,
            name=name,
            project_type="new",
            total_investment=to_money(Decimal(amount)),
        )
        await publish_event(
            self.space,
            "intake",
            "project",
            "submitted",
            msg,
            subject=project_id,
            org_id=org,
            project_id=project_id,
        )

        async def opened():
            r = await self.call(
                "GET", "/v1/cases", self.reviewer, params={"project_id": project_id}
            )
            return r.json()["items"]

        return (await wait_until(opened))[0]

    async def event_types(self) -> list[str]:
        outbox = self.service.runtime.db.tables.outbox
        async with self.service.runtime.db.sessions() as session:
            rows = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
        return [r.event_type for r in rows]


@pytest_asyncio.fixture
async def review_for(start_service, event_space, issuer):
    """`api = await review_for("yunyang")`: review under a profile, with a client."""
    clients = []

    async def _start(profile: str = "suining") -> ReviewClient:
        service = await start_service(spec(), policy_profile=profile)
        http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{service.http_port}")
        clients.append(http)
        return ReviewClient(service, http, issuer, event_space)

    yield _start
    for http in clients:
        await http.aclose()
