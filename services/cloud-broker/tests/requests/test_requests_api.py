"""A unit files a cloud request for its approved project; the broker asks intake over gRPC."""

import httpx

from cloud_broker.main import spec as broker_spec
from cloud_broker.requests.rules import required_materials
from govit.review.v1 import events_pb2 as review_events
from govit.review.v1 import types_pb2
from govit_kit.policy import load_profile
from govit_kit.testing import bearer, publish_event, wait_until
from intake.main import spec as intake_spec
from intake.testing import file_project


async def test_request_needs_an_approved_project_of_the_unit(start_service, event_space, issuer):
    intake = await start_service(intake_spec())
    broker = await start_service(broker_spec(), intake_grpc=f"127.0.0.1:{intake.grpc_port}")
    unit_a = issuer.issue("alice", "org-a", ["unit_staff"])
    unit_b = issuer.issue("bob", "org-b", ["unit_staff"])
    intake_http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}")
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{broker.http_port}")
    async with intake_http, http:
        project = await file_project(
            intake_http,
            staff=bearer(unit_a),
            cdo=bearer(issuer.issue("carol", "org-a", ["unit_cdo"])),
            body={"name": "城市大脑", "project_type": "new", "total_investment": "800000"},
        )
        project_id = project["id"]
        body = {
            "project_id": project_id,
            "service_mode": "general",
            "items": [{"sku": "ecs.vcpu", "quantity": 8}],
            "materials": {
                name: f"doc:{name}" for name in required_materials(load_profile("suining"))
            },
        }

        r = await http.post("/v1/resource-requests", json=body, headers=bearer(unit_a))
        assert r.status_code == 422, r.text
        [decision] = r.json()["decisions"]
        assert (decision["rule_id"], decision["article"]) == ("L2", "SN C art11, art12")
        assert "submitted" in decision["reason"]

        await publish_event(
            event_space,
            "review",
            "case",
            "concluded",
            review_events.ReviewCaseConcluded(
                case_id="c1",
                project_id=project_id,
                org_id="org-a",
                conclusion=types_pb2.CONCLUSION_APPROVE,
                reason="ok",
            ),
            subject="c1",
            org_id="org-a",
            project_id=project_id,
        )

        async def approved():
            r = await intake_http.get(f"/v1/projects/{project_id}", headers=bearer(unit_a))
            return r.json()["status"] == "approved"

        await wait_until(approved)
        # Another unit cannot hang its request on org A's project: intake says 404 to its token.
        r = await http.post("/v1/resource-requests", json=body, headers=bearer(unit_b))
        assert r.status_code == 422 and r.json()["decisions"][0]["rule_id"] == "L2"
        r = await http.post(
            "/v1/resource-requests", json={**body, "org_id": "org-b"}, headers=bearer(unit_a)
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "org_id"
        r = await http.post("/v1/resource-requests", json=body, headers=bearer(unit_a))
        assert r.status_code == 201, r.text
        req = r.json()
        assert req["org_id"] == "org-a" and req["status"] == "submitted"
        assert req["decisions"][0]["outcome"] == "allow"
        assert (
            await http.get(f"/v1/resource-requests/{req['id']}", headers=bearer(unit_b))
        ).status_code == 404
        assert (await http.get("/v1/resource-requests", headers=bearer(unit_b))).json()[
            "items"
        ] == []


async def test_intake_down_is_503_not_500(start_service, issuer):
    from govit_kit.platform import free_port

    broker = await start_service(broker_spec(), intake_grpc=f"127.0.0.1:{free_port()}")
    unit_a = issuer.issue("alice", "org-a", ["unit_staff"])
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{broker.http_port}") as http:
        r = await http.post(
            "/v1/resource-requests",
            headers=bearer(unit_a),
            json={
                "project_id": "p1",
                "service_mode": "general",
                "items": [{"sku": "ecs.vcpu", "quantity": 1}],
            },
        )
    assert r.status_code == 503 and r.json()["type"] == "/problems/unavailable"
