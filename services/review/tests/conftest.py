"""Fixtures of review's tests: a running review service and cases opened from intake's event."""

from decimal import Decimal

import httpx
import pytest_asyncio

from govit.intake.v1 import events_pb2 as intake_events
from govit_kit.convert import to_money
from govit_kit.testing import bearer, publish_event, wait_until
from intake.main import spec as intake_spec
from review.main import spec

D4 = [
    "mandatory_requirements",
    "resource_sharing",
    "technical_route",
    "technology_trends",
    "security_and_om",
    "implementation_plan",
    "implementation_conditions",
    "performance_goals",
]


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

    async def call(
        self, method: str, url: str, token: str, headers: dict | None = None, **kw
    ) -> httpx.Response:
        return await self.http.request(method, url, headers=bearer(token) | (headers or {}), **kw)

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

    async def opinion(self, case_id: str, token: str, items, *, based_on=None, rec="approve"):
        """Post an opinion assessing `items` as satisfied."""
        body = {
            "checklist": {i: {"verdict": "satisfied", "comment": "符合"} for i in items},
            "recommendation": rec,
            "summary": "同意",
            "based_on_version": based_on,
        }
        return await self.call("POST", f"/v1/cases/{case_id}/opinions", token, json=body)

    async def declare(self, case_id: str, token: str | None = None, **attrs) -> dict:
        """Declare the project's attributes (by default a clean, on-cloud, sharing project), so
        the pre-checks run: an approving conclusion needs them (D5)."""
        body = {"on_government_cloud": True, "data_sharing_commitment": True} | attrs
        r = await self.call(
            "PUT", f"/v1/cases/{case_id}/attributes", token or self.reviewer, json=body
        )
        assert r.status_code == 200, r.text
        return r.json()

    async def draw_expert(self, case_id: str, subject: str) -> str:
        """Register an expert with this subject, draw them for the case; returns their token."""
        r = await self.call(
            "POST",
            "/v1/pool-members",
            self.reviewer,
            json={"pool": "expert", "name": subject, "subject": subject, "specialties": ["it"]},
        )
        assert r.status_code == 201, r.text
        r = await self.call(
            "POST",
            f"/v1/cases/{case_id}/draws",
            self.reviewer,
            json={"specialty": "it", "count": 1},
        )
        assert r.status_code == 201, r.text
        return self.token(subject, "org-univ", "expert")

    async def joint_review(self, case_id: str, expert_token: str) -> None:
        """The three opinions a suining joint review needs (D3), each complete (D4)."""
        for token, items in (
            (expert_token, D4),
            (self.security, ["information_security"]),
            (self.secrecy, ["secure_and_reliable", "electronic_records", "crypto_compliance"]),
        ):
            r = await self.opinion(case_id, token, items)
            assert r.status_code == 201, r.text

    async def event_types(self) -> list[str]:
        outbox = self.service.runtime.db.tables.outbox
        async with self.service.runtime.db.sessions() as session:
            rows = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
        return [r.event_type for r in rows]


@pytest_asyncio.fixture
async def review_for(start_service, event_space, issuer):
    """`api = await review_for("yunyang")`: review under a profile, with a client. With
    `with_intake=True` an intake runs beside it (review asks it over gRPC, e.g. C2's catalog
    check before acceptance) and `api.intake` is its HTTP client."""
    clients = []

    async def _start(
        profile: str = "suining", *, with_intake: bool = False, **overrides
    ) -> ReviewClient:
        intake_http = None
        if with_intake:
            intake = await start_service(intake_spec(), policy_profile=profile)
            overrides["intake_grpc"] = f"127.0.0.1:{intake.grpc_port}"
            intake_http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}")
            clients.append(intake_http)
        service = await start_service(spec(), policy_profile=profile, **overrides)
        http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{service.http_port}")
        clients.append(http)
        client = ReviewClient(service, http, issuer, event_space)
        client.intake = intake_http
        return client

    yield _start
    for http in clients:
        await http.aclose()
