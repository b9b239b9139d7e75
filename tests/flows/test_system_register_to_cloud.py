"""Intake's system register acts; cloud-broker acts on the system's resources (K1, K4, K5).

Intake and cloud-broker run in this process on real PostgreSQL and NATS, each with its own
database, and meet only on the stream: a freeze marks the system's resources so that no change
is filed on them, an unfreeze clears the mark, and a decommission starts each active resource's
exit (L7) citing K1. Resources of another unit, and one with an operation under way, are left.
A transfer (K4) gives the system's resources to the new owner unit.
"""

import datetime as dt

import httpx

from cloud_broker.main import spec as broker_spec
from cloud_broker.requests.models import CloudUnit, ResourceRequest
from govit_kit.credit_code import check_character
from govit_kit.db import utcnow
from govit_kit.testing import bearer, wait_until
from intake.main import spec as intake_spec
from intake.orgs.models import Organisation


async def on_register(intake, *org_ids: str) -> None:
    """Units on intake's register of units (a system names its owner units by id: K1-K6), put
    there directly: their organisation events are not what these tests are about."""
    async with intake.runtime.db.unit_of_work() as uow:
        for i, org in enumerate(org_ids):
            code = f"91350100M0000{i:04d}"
            uow.session.add(
                Organisation(
                    id=org,
                    name=org,
                    credit_code=code + check_character(code),
                    level="city",
                    funding_class="full",
                )
            )


def active(rid: str, org: str, operation: str | None = None) -> ResourceRequest:
    since = utcnow() - dt.timedelta(days=120)
    return ResourceRequest(
        id=rid,
        project_id="p",
        org_id=org,
        service_mode="general",
        status="active",
        items=[{"sku": "ecs.vcpu", "quantity": 4}],
        submitted_by="x",
        platform_id="pa",
        resource_ids=[f"vm-{rid}"],
        materials={},
        activated_at=since,
        active_operation=operation,
    )


async def test_freeze_marks_and_decommission_starts_the_exit(start_service, issuer):
    intake = await start_service(intake_spec(), policy_profile="suining")
    broker = await start_service(
        broker_spec(), intake_grpc=f"127.0.0.1:{intake.grpc_port}", policy_profile="suining"
    )
    await on_register(intake, "org-a")
    bureau = bearer(issuer.issue("rev-1", "data-bureau", ["bureau_reviewer"]))
    unit = bearer(issuer.issue("staff-a", "org-a", ["unit_staff"]))
    async with broker.runtime.db.unit_of_work() as uow:
        for row in (active("r1", "org-a"), active("r2", "org-a", "change"), active("rb", "org-b")):
            uow.session.add(row)
    async with (
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}", timeout=20) as ik,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{broker.http_port}", timeout=20) as cb,
    ):
        body = {
            "name": "旅游季票系统",
            "owner_org_id": "org-a",
            "cloud_resource_ids": ["r1", "r2", "rb"],
        }
        r = await ik.post("/v1/systems", headers=bureau, json=body)
        assert r.status_code == 201, r.text
        system = r.json()["id"]

        async def act(body):
            r = await ik.post(f"/v1/systems/{system}/actions", headers=bureau, json=body)
            assert r.status_code == 200, r.text

        async def resource(rid):
            r = await cb.get(f"/v1/resource-requests/{rid}", headers=unit)
            assert r.status_code == 200, r.text
            return r.json()

        await act({"action": "freeze", "grounds": "ordered", "plan": "整改期间冻结"})
        frozen = await wait_until(lambda: _when(resource("r1"), lambda x: x["frozen_by"]))
        assert frozen["frozen_by"] == {
            "system_id": system,
            "rule_id": "K5",
            "article": "SN P art48",
        }
        change = {"items": [{"sku": "ecs.vcpu", "quantity": 8}], "reason": "扩容"}
        r = await cb.post("/v1/resource-requests/r1/changes", headers=unit, json=change)
        assert r.status_code == 422, r.text
        assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [
            ("K5", "SN P art48")
        ]

        await act({"action": "unfreeze", "plan": "解冻"})
        await wait_until(lambda: _when(resource("r1"), lambda x: x["frozen_by"] is None))

        await act({"action": "decommission", "grounds": "low_value", "plan": "数据备份后关停"})
        exiting = await wait_until(
            lambda: _when(resource("r1"), lambda x: x["status"] == "exit_requested")
        )
        assert exiting["active_operation"] == "exit"
        assert ("K1", "SN P art44") in {(d["rule_id"], d["article"]) for d in exiting["decisions"]}
        history = (await cb.get("/v1/resource-requests/r1/history", headers=unit)).json()
        assert history[-1]["actor"] == "service:cloud_broker"
        # The busy resource and the other unit's are untouched.
        assert (await resource("r2"))["status"] == "active"
    async with broker.runtime.db.sessions() as session:
        other = await session.get(ResourceRequest, "rb")
        assert (other.status, other.frozen_by) == ("active", None)


async def test_transfer_gives_the_resources_to_the_new_owner(start_service, issuer):
    intake = await start_service(intake_spec(), policy_profile="suining")
    broker = await start_service(
        broker_spec(), intake_grpc=f"127.0.0.1:{intake.grpc_port}", policy_profile="suining"
    )
    await on_register(intake, "org-a", "org-n")
    bureau = bearer(issuer.issue("rev-1", "data-bureau", ["bureau_reviewer"]))
    old, new = (bearer(issuer.issue(f"staff-{o}", o, ["unit_staff"])) for o in ("org-a", "org-n"))
    async with broker.runtime.db.unit_of_work() as uow:
        uow.session.add_all([active("r1", "org-a"), CloudUnit(org_id="org-n", name="N")])
    async with (
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}", timeout=20) as ik,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{broker.http_port}", timeout=20) as cb,
    ):
        body = {"name": "不动产登记系统", "owner_org_id": "org-a", "cloud_resource_ids": ["r1"]}
        system = (await ik.post("/v1/systems", headers=bureau, json=body)).json()["id"]
        act = {"action": "transfer", "plan": "机构改革:资源、安全责任与运维随系统转移"}
        act["new_owner_org_id"] = "org-n"
        r = await ik.post(f"/v1/systems/{system}/actions", headers=bureau, json=act)
        assert r.status_code == 200, r.text

        async def read(headers):
            return await cb.get("/v1/resource-requests/r1", headers=headers)

        got = await wait_until(lambda: _when(read(new), lambda x: x.status_code == 200))
        assert got.json()["org_id"] == "org-n"
        assert (await read(old)).status_code == 404


async def _when(fetch, predicate):
    value = await fetch
    return value if predicate(value) else None
