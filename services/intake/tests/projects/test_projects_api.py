"""Intake's project applications through its REST and gRPC APIs, on PostgreSQL and NATS."""

import grpc
import httpx
import pytest
import pytest_asyncio

from govit.intake.v1 import intake_service_pb2 as pb
from govit.intake.v1 import intake_service_pb2_grpc as pb_grpc
from govit_kit.testing import bearer as auth
from intake.main import spec


@pytest_asyncio.fixture
async def intake(start_service):
    # Xianyang's measures set no application rules (no C1-C4, B1 or J3): a bare draft submits.
    return await start_service(spec(), policy_profile="xianyang")


async def test_unit_creates_and_submits_and_other_unit_gets_404(intake, issuer):
    a = issuer.issue("alice", "org-a", ["unit_staff"])
    b = issuer.issue("bob", "org-b", ["unit_staff"])
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}") as http:
        r = await http.post(
            "/v1/projects",
            headers=auth(a),
            json={"name": "不动产登记平台", "project_type": "new", "total_investment": "450000.00"},
        )
        assert r.status_code == 201, r.text
        project = r.json()
        assert project["org_id"] == "org-a" and project["status"] == "draft"
        r = await http.get(f"/v1/projects/{project['id']}", headers=auth(b))
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        r = await http.get("/v1/projects", headers=auth(b))
        assert r.json()["items"] == []
        r = await http.post(f"/v1/projects/{project['id']}/submit", headers=auth(a))
        assert r.status_code == 200 and r.json()["status"] == "submitted"
        r = await http.post(f"/v1/projects/{project['id']}/submit", headers=auth(a))
        assert r.status_code == 409 and r.json()["state"] == "submitted"
    async with grpc.aio.insecure_channel(f"127.0.0.1:{intake.grpc_port}") as ch:
        stub = pb_grpc.IntakeServiceStub(ch)
        resp = await stub.GetProject(
            pb.GetProjectRequest(project_id=project["id"]),
            metadata=[("authorization", f"Bearer {a}")],
        )
        assert resp.project.status == "submitted"
        assert resp.project.total_investment.amount == "450000.00"
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetProject(
                pb.GetProjectRequest(project_id=project["id"]),
                metadata=[("authorization", f"Bearer {b}")],
            )
        assert err.value.code() == grpc.StatusCode.NOT_FOUND
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetProject(pb.GetProjectRequest(project_id=project["id"]))
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_idempotency_key_replays_and_if_match_guards(intake, issuer):
    a = issuer.issue("alice", "org-a", ["unit_staff"])
    body = {"name": "政务服务一网通办", "project_type": "expansion", "total_investment": "80000"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}") as http:
        key = {"Idempotency-Key": "create-0001-abcdef"}
        first = await http.post("/v1/projects", headers={**auth(a), **key}, json=body)
        again = await http.post("/v1/projects", headers={**auth(a), **key}, json=body)
        assert first.status_code == again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert again.headers["Idempotent-Replayed"] == "true"
        other = await http.post(
            "/v1/projects", headers={**auth(a), **key}, json={**body, "name": "另一个项目"}
        )
        assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
        listed = (await http.get("/v1/projects", headers=auth(a))).json()["items"]
        assert [p["id"] for p in listed] == [first.json()["id"]]

        pid = first.json()["id"]
        got = await http.get(f"/v1/projects/{pid}", headers=auth(a))
        assert got.headers["ETag"] == '"1"'
        # The 201 carries the draft's ETag, the one a GET gives, and so does its replay.
        assert first.headers["ETag"] == again.headers["ETag"] == got.headers["ETag"]
        # A key shorter than 8 characters is refused, naming the header.
        short = await http.post(
            "/v1/projects", headers={**auth(a), "Idempotency-Key": "k1"}, json=body
        )
        assert short.status_code == 422, short.text
        assert short.json()["errors"][0]["field"] == "Idempotency-Key", short.text
        stale = await http.post(
            f"/v1/projects/{pid}/submit", headers={**auth(a), "If-Match": '"7"'}
        )
        assert stale.status_code == 412 and stale.json()["current_etag"] == '"1"'
        assert (await http.get(f"/v1/projects/{pid}", headers=auth(a))).json()["status"] == "draft"
        ok = await http.post(
            f"/v1/projects/{pid}/submit", headers={**auth(a), "If-Match": got.headers["ETag"]}
        )
        assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    outbox = intake.runtime.db.tables.outbox
    async with intake.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select())).all()
    assert [r.event_type for r in rows] == ["govit.intake.project.submitted"]


async def test_roles_outside_the_project_chain_read_nothing(intake, issuer):
    a = issuer.issue("alice", "org-a", ["unit_staff"])
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}") as http:
        r = await http.post(
            "/v1/projects",
            headers=auth(a),
            json={"name": "x", "project_type": "new", "total_investment": "1000"},
        )
        pid = r.json()["id"]
        # L16: a cloud provider never reads a unit's data; an expert reads only assigned cases.
        provider = issuer.issue("p", "org-cloud-1", ["cloud_provider"], provider_id="cloud-1")
        expert = issuer.issue("e", "org-expert", ["expert"])
        for token in (provider, expert):
            assert (await http.get(f"/v1/projects/{pid}", headers=auth(token))).status_code == 403
            assert (await http.get("/v1/projects", headers=auth(token))).status_code == 403
        reviewer = issuer.issue("r", "org-data-bureau", ["bureau_reviewer"])
        assert (await http.get(f"/v1/projects/{pid}", headers=auth(reviewer))).status_code == 200
        # Creating is for the unit's staff only.
        r = await http.post(
            "/v1/projects",
            headers=auth(reviewer),
            json={"name": "x", "project_type": "new", "total_investment": "1000"},
        )
        assert r.status_code == 403
