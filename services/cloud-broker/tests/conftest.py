"""A running broker (with intake for the project check) and helpers to drive it over REST."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

import httpx
import pytest_asyncio

from cloud_broker.main import spec as broker_spec
from cloud_broker.requests.rules import BASE_MATERIALS, SN_MATERIALS
from govit.review.v1 import events_pb2 as review_events
from govit.review.v1 import types_pb2 as review_types
from govit_kit.testing import bearer, publish_event, wait_until
from intake.main import spec as intake_spec

MATERIALS = {name: f"doc:{name}" for name in {**BASE_MATERIALS, **SN_MATERIALS}}


def identity(user: str, platform: str = "provider-console") -> str:
    """An OSB originating identity header value."""
    return f"{platform} " + base64.b64encode(json.dumps({"user_id": user}).encode()).decode()


@dataclass
class Broker:
    """The broker under test, an intake beside it, and tokens of the usual actors."""

    http: httpx.AsyncClient
    intake: httpx.AsyncClient
    issuer: object
    space: object
    running: object
    grpc_port: int
    tokens: dict = field(default_factory=dict)
    materials: dict = field(default_factory=lambda: dict(MATERIALS))

    def token(self, subject, org, roles, provider=None) -> dict:
        """Headers of a token for this subject."""
        return bearer(self.issuer.issue(subject, org, roles, provider_id=provider))

    @property
    def admin(self) -> dict:
        return self.token("admin-1", "data-bureau", ["bureau_cloud_admin"])

    @property
    def admin2(self) -> dict:
        return self.token("admin-2", "data-bureau", ["bureau_cloud_admin"])

    def unit(self, org="org-a") -> dict:
        return self.token(f"staff-{org}", org, ["unit_staff"])

    def provider(self, platform="pa") -> dict:
        return self.token(f"robot-{platform}", f"org-{platform}", ["cloud_provider"], platform)

    async def approved_project(self, org="org-a") -> str:
        """A project of the unit that intake holds as approved."""
        h = self.unit(org)
        r = await self.intake.post(
            "/v1/projects",
            headers=h,
            json={"name": "城市大脑", "project_type": "new", "total_investment": "800000"},
        )
        pid = r.json()["id"]
        await self.intake.post(f"/v1/projects/{pid}/submit", headers=h)
        await publish_event(
            self.space,
            "review",
            "case",
            "concluded",
            review_events.ReviewCaseConcluded(
                case_id=f"c-{pid}",
                project_id=pid,
                org_id=org,
                conclusion=review_types.CONCLUSION_APPROVE,
                reason="ok",
            ),
            subject=f"c-{pid}",
            org_id=org,
            project_id=pid,
        )

        async def approved():
            r = await self.intake.get(f"/v1/projects/{pid}", headers=h)
            return r.json()["status"] == "approved"

        await wait_until(approved)
        return pid

    async def catalog(self, platforms=("pa", "pb")) -> None:
        """Provider platforms with prices for the standard SKUs from 2020 on."""
        for p in platforms:
            r = await self.http.post(
                "/v1/catalog/platforms", headers=self.admin, json={"id": p, "name": p.upper()}
            )
            assert r.status_code == 201, r.text
            for sku, price in (
                ("ecs.vcpu", "120.00"),
                ("ecs.memory", "30.00"),
                ("evs.storage", "0.50"),
            ):
                r = await self.http.post(
                    f"/v1/catalog/skus/{sku}/prices",
                    headers=self.admin,
                    json={"platform_id": p, "unit_price": price, "valid_from": "2020-01-01"},
                )
                assert r.status_code == 201, r.text

    async def file(self, project_id, org="org-a", expect=201, **overrides) -> dict:
        """File (submit) a request of the unit; returns the body."""
        body = {
            "project_id": project_id,
            "service_mode": "general",
            "items": [{"sku": "ecs.vcpu", "quantity": 8}, {"sku": "evs.storage", "quantity": 500}],
            "materials": MATERIALS,
            **overrides,
        }
        r = await self.http.post("/v1/resource-requests", headers=self.unit(org), json=body)
        assert r.status_code == expect, r.text
        return r.json()

    async def step(self, request_id, action, headers, expect=200, **body) -> dict:
        """POST one step of a request."""
        r = await self.http.post(
            f"/v1/resource-requests/{request_id}/{action}", headers=headers, json=body or None
        )
        assert r.status_code == expect, r.text
        return r.json()

    async def to_approved(self, request_id) -> dict:
        await self.step(request_id, "accept", self.admin)
        return await self.step(request_id, "approve", self.admin)

    async def active_resource(self, rid: str, org: str) -> None:
        """An active resource of the unit (8 vCPU on "pa", active for 100 days), written
        straight into the table: the request flow's own tests cover the steps before it."""
        from datetime import UTC, datetime, timedelta

        from cloud_broker.requests.models import ResourceRequest

        async with self.running.runtime.db.unit_of_work() as uow:
            uow.session.add(
                ResourceRequest(
                    id=rid,
                    project_id=None,
                    org_id=org,
                    service_mode="general",
                    items=[{"sku": "ecs.vcpu", "quantity": 8}],
                    status="active",
                    submitted_by=f"staff-{org}",
                    platform_id="pa",
                    resource_ids=[f"vm-{rid}"],
                    activated_at=datetime.now(UTC) - timedelta(days=100),
                    vcpu=8,
                    materials={},
                )
            )

    async def events(self, subject_id: str) -> list[str]:
        """Event names the outbox holds for one subject, in order."""
        ob = self.running.runtime.db.tables.outbox
        from sqlalchemy import select

        async with self.running.runtime.db.sessions() as s:
            rows = await s.execute(
                select(ob.c.event_type).where(ob.c.subject == subject_id).order_by(ob.c.seq)
            )
            return [r[0].rsplit(".", 1)[-1] for r in rows]


@pytest_asyncio.fixture
async def broker(start_service, event_space, issuer):
    """A broker and intake on real PostgreSQL and NATS (suining profile)."""
    async for b in _broker(start_service, event_space, issuer, "suining"):
        yield b


@pytest_asyncio.fixture
async def broker_pds(start_service, event_space, issuer):
    """The same under the pingdingshan profile."""
    async for b in _broker(start_service, event_space, issuer, "pingdingshan"):
        yield b


@pytest_asyncio.fixture
async def broker_wh(start_service, event_space, issuer):
    """The same under the wuhai profile: no cloud regulation, no L rule applies."""
    async for b in _broker(start_service, event_space, issuer, "wuhai"):
        yield b


@pytest_asyncio.fixture
async def broker_unpolled(start_service, event_space, issuer):
    """A broker whose work-order streams never poll within a test (an hour): only the commits
    of this process feed them."""
    async for b in _broker(start_service, event_space, issuer, "suining", watch_poll_s=3600.0):
        yield b


@pytest_asyncio.fixture
async def broker_no_scheduler(start_service, event_space, issuer):
    """A broker whose scheduler runs once at start and then not within a test (an hour): the
    test raises passed deadlines itself (`raise_passed(db, now=...)`), at the times it picks."""
    async for b in _broker(
        start_service, event_space, issuer, "suining", scheduler_interval_s=3600.0
    ):
        yield b


@pytest_asyncio.fixture
async def broker_pds_no_scheduler(start_service, event_space, issuer):
    """broker_no_scheduler under the pingdingshan profile (its L13 report due on the 5th)."""
    async for b in _broker(
        start_service, event_space, issuer, "pingdingshan", scheduler_interval_s=3600.0
    ):
        yield b


async def _broker(
    start_service, event_space, issuer, profile, watch_poll_s=0.2, scheduler_interval_s=0.3
):
    intake = await start_service(intake_spec(), policy_profile=profile)
    running = await start_service(
        broker_spec(),
        intake_grpc=f"127.0.0.1:{intake.grpc_port}",
        policy_profile=profile,
        scheduler_interval_s=scheduler_interval_s,
        watch_poll_s=watch_poll_s,
    )
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{running.http_port}", timeout=20)
    intake_http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}", timeout=20)
    b = Broker(http, intake_http, issuer, event_space, running, running.grpc_port)
    yield b
    await http.aclose()
    await intake_http.aclose()
