"""Broken object level authorisation (OWASP API1): a unit's token neither reads nor changes
another unit's objects, and its lists hold none of them; a cloud provider sees neither another
provider's work orders (REST and gRPC) nor any unit's application material.

Unit A (org-a) and provider "pa" own the seeded objects (authz_seeds.py); unit B (org-b) and
provider "pb" are the strangers. Each service runs in this process on PostgreSQL and NATS.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import sys
import zipfile
from pathlib import Path

import grpc
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from authz_run import start  # noqa: E402
from authz_seeds import (  # noqa: E402
    ADMIN,
    CDO,
    FINANCE,
    PROVIDER,
    STAFF,
    approved_project,
    file_request,
    submitted,
)
from authz_support import (  # noqa: E402
    CALLERS,
    PROVIDER_B,
    UNIT_B,
    UNIT_B_CDO,
    Caller,
    new_project_body,
)

from govit.cloud_broker.v1 import provider_service_pb2 as ppb  # noqa: E402
from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc  # noqa: E402
from govit.intake.v1 import intake_service_pb2 as ipb  # noqa: E402
from govit.intake.v1 import intake_service_pb2_grpc as ipb_grpc  # noqa: E402
from govit_kit.testing import wait_until  # noqa: E402


def ids_of(page: dict) -> set[str]:
    return {item["id"] for item in page["items"]}


async def expect(s, caller, method, url, status, **kw) -> dict:
    headers = {**kw.pop("headers", {}), **s.headers(caller)}
    r = await s.http.request(method, url, headers=headers, **kw)
    assert r.status_code == status, (caller.org, caller.role, method, url, r.text)
    return r.json() if r.content and "json" in r.headers.get("content-type", "") else {}


async def test_intake_projects_materials_and_catalogs_stay_with_their_unit(
    start_service, issuer, event_space
):
    running, s, ids = await start("intake", start_service, issuer, event_space)
    pid = ids["project_id"]
    mine = await expect(s, UNIT_B, "POST", "/v1/projects", 201, json=new_project_body("B的项目"))

    # Lists: B sees its own project and none of A's, even when it asks for A's by filter.
    assert ids_of(await expect(s, UNIT_B, "GET", "/v1/projects", 200)) == {mine["id"]}
    page = await expect(s, UNIT_B, "GET", "/v1/projects", 200, params={"org_id": "org-a"})
    assert page["items"] == []
    assert pid in ids_of(await expect(s, STAFF, "GET", "/v1/projects", 200))

    # A's project, its materials and its catalog are 404 to B (staff and CDO), read or write.
    for who in (UNIT_B, UNIT_B_CDO):
        for url in (
            f"/v1/projects/{pid}",
            f"/v1/projects/{pid}/materials",
            f"/v1/projects/{pid}/materials/feasibility_study/content",
            f"/v1/projects/{pid}/required-materials",
            f"/v1/projects/{pid}/catalog",
            f"/v1/projects/{pid}/catalog/check",
            f"/v1/projects/{pid}/funding-eligibility?fiscal_year=2027",
        ):
            await expect(s, who, "GET", url, 404)
    await expect(s, UNIT_B, "PATCH", f"/v1/projects/{pid}", 404, json={"name": "改名"})
    await expect(s, UNIT_B, "PUT", f"/v1/projects/{pid}/catalog", 404, json=[])
    await expect(
        s,
        UNIT_B,
        "PUT",
        f"/v1/projects/{pid}/materials/feasibility_study",
        404,
        params={"filename": "x.pdf"},
        content=b"%PDF-1.4 forged",
        headers={"content-type": "application/pdf"},
    )
    await expect(s, UNIT_B, "POST", f"/v1/projects/{pid}/submit", 404)
    await expect(s, UNIT_B_CDO, "POST", f"/v1/projects/{pid}/cdo-signoff", 404)

    # Nothing of A's changed: the name, the one material (A's bytes) and the catalog row.
    project = await expect(s, STAFF, "GET", f"/v1/projects/{pid}", 200)
    assert project["name"] == new_project_body()["name"]
    r = await s.http.get(
        f"/v1/projects/{pid}/materials/feasibility_study/content", headers=s.headers(STAFF)
    )
    assert r.content == b"%PDF-1.4 feasibility"
    assert len(await expect(s, STAFF, "GET", f"/v1/projects/{pid}/catalog", 200)) == 1

    # Over gRPC (the peers' GetProject and CheckCatalog, with the caller's token): the same.
    async with grpc.aio.insecure_channel(f"127.0.0.1:{running.grpc_port}") as channel:
        stub = ipb_grpc.IntakeServiceStub(channel)
        for who, code in (
            (UNIT_B, grpc.StatusCode.NOT_FOUND),
            (PROVIDER, grpc.StatusCode.PERMISSION_DENIED),
        ):
            metadata = [("authorization", s.headers(who)["authorization"])]
            for call in (
                stub.GetProject(ipb.GetProjectRequest(project_id=pid), metadata=metadata),
                stub.CheckCatalog(ipb.CheckCatalogRequest(project_id=pid), metadata=metadata),
            ):
                with pytest.raises(grpc.aio.AioRpcError) as err:
                    await call
                assert err.value.code() is code, (who.org, err.value.details())
        metadata = [("authorization", s.headers(STAFF)["authorization"])]
        got = await stub.GetProject(ipb.GetProjectRequest(project_id=pid), metadata=metadata)
        assert got.project.project_id == pid

    # A cloud provider reads no application at all: not the project, its materials or catalog.
    for url in (
        "/v1/projects",
        f"/v1/projects/{pid}",
        f"/v1/projects/{pid}/materials",
        f"/v1/projects/{pid}/materials/feasibility_study/content",
        f"/v1/projects/{pid}/catalog",
    ):
        await expect(s, PROVIDER, "GET", url, 403)


async def test_review_cases_stay_with_their_unit(start_service, issuer, event_space):
    _, s, ids = await start("review", start_service, issuer, event_space)
    case_a = ids["case_id"]
    await submitted(s.space, "p-review-b", org="org-b")

    async def opened():
        return (await expect(s, UNIT_B, "GET", "/v1/cases", 200))["items"]

    [case_b] = await wait_until(opened)
    assert case_b["id"] != case_a and case_b["org_id"] == "org-b"
    for suffix in ("", "/history", "/conclusions", "/pre-checks", "/changes", "/acceptances"):
        await expect(s, UNIT_B, "GET", f"/v1/cases/{case_a}{suffix}", 404)
    await expect(s, UNIT_B, "GET", f"/v1/rectifications/{ids['order_id']}", 404)
    page = await expect(s, UNIT_B, "GET", "/v1/rectifications", 200)
    assert page["items"] == []
    await expect(
        s, UNIT_B, "PUT", f"/v1/cases/{case_a}/attributes", 404, json={"private_lines": True}
    )
    await expect(s, UNIT_B, "POST", f"/v1/cases/{case_a}/resubmission", 404, json={"note": "x"})


async def test_broker_requests_stay_with_their_unit_and_orders_with_their_provider(
    start_service, issuer, event_space
):
    _, s, ids = await start("cloud_broker", start_service, issuer, event_space)
    rid = ids["request_id"]
    pid_b = await approved_project(s, s.intake, UNIT_B)
    rid_b = await file_request(s, pid_b, UNIT_B)

    assert ids_of(await expect(s, UNIT_B, "GET", "/v1/resource-requests", 200)) == {rid_b}
    assert rid not in ids_of(await expect(s, UNIT_B, "GET", "/v1/resource-requests", 200))
    for url in (f"/v1/resource-requests/{rid}", f"/v1/resource-requests/{rid}/history"):
        await expect(s, UNIT_B, "GET", url, 404)
    await expect(s, UNIT_B, "POST", f"/v1/resource-requests/{rid}/withdraw", 404)
    change = {"items": [{"sku": "ecs.vcpu", "quantity": 16}], "reason": "扩容"}
    await expect(s, UNIT_B, "POST", f"/v1/resource-requests/{rid}/changes", 404, json=change)
    assert (await expect(s, STAFF, "GET", f"/v1/resource-requests/{rid}", 200))["status"] == (
        "submitted"
    )
    # A provider reads no request (its materials are the unit's): 403, list or one.
    await expect(s, PROVIDER, "GET", "/v1/resource-requests", 403)
    await expect(s, PROVIDER, "GET", f"/v1/resource-requests/{rid}", 403)

    # Work orders over REST: provider "pb" lists none of "pa"'s and reaches none.
    order = ids["order_id"]
    assert order in ids_of(await expect(s, PROVIDER, "GET", "/v1/provider/work-orders", 200))
    assert (await expect(s, PROVIDER_B, "GET", "/v1/provider/work-orders", 200))["items"] == []
    await expect(s, PROVIDER_B, "GET", f"/v1/provider/work-orders/{order}", 404)
    await expect(s, PROVIDER_B, "GET", f"/v1/provider/operations/{ids['operation_id']}", 404)
    # ... and none of the order's fields carries the unit's materials (L16).
    got = await expect(s, PROVIDER, "GET", f"/v1/provider/work-orders/{order}", 200)
    assert "materials" not in str(got) and "doc:" not in str(got)

    # Over gRPC: a queued order of "pa", then "pb" watches; the first order its stream yields
    # is the one allocated to "pb" after it, never "pa"'s; and "pb"'s list holds only its own.
    for step in ("accept", "approve"):
        await expect(s, ADMIN, "POST", f"/v1/resource-requests/{rid}/{step}", 200)
    await expect(
        s, ADMIN, "POST", f"/v1/resource-requests/{rid}/allocate", 200, json={"platform_id": "pa"}
    )
    metadata = [("authorization", s.headers(PROVIDER_B)["authorization"])]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{s.grpc_port}") as channel:
        stub = ppb_grpc.ProviderServiceStub(channel)
        watch = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=metadata)
        for step in ("accept", "approve"):
            await expect(s, ADMIN, "POST", f"/v1/resource-requests/{rid_b}/{step}", 200)
        await expect(
            s,
            ADMIN,
            "POST",
            f"/v1/resource-requests/{rid_b}/allocate",
            200,
            json={"platform_id": "pb"},
        )
        first = await asyncio.wait_for(watch.read(), 20)
        watch.cancel()
        assert (first.work_order.request_id, first.work_order.platform_id) == (rid_b, "pb")
        listed = await stub.ListWorkOrders(ppb.ListWorkOrdersRequest(), metadata=metadata)
        assert {o.request_id for o in listed.work_orders} == {rid_b}
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ClaimWorkOrder(ppb.ClaimWorkOrderRequest(order_id=order), metadata=metadata)
        assert err.value.code() is grpc.StatusCode.NOT_FOUND

    # The bureau and auditors read "pa"'s queued order but never work it.
    page = await expect(s, PROVIDER, "GET", "/v1/provider/work-orders", 200)
    [queued] = [o["id"] for o in page["items"] if o["request_id"] == rid]
    await readers_never_work_an_order(s, queued)


async def readers_never_work_an_order(s, order: str) -> None:
    """Regression: a cloud administrator's or an auditor's token claimed, progressed and completed
    a provider's work order (get_order let every reader act). Only the order's provider acts."""
    auditor = Caller("auditor-1", "org-audit", "auditor")
    for who in (ADMIN, auditor):
        await expect(s, who, "GET", f"/v1/provider/work-orders/{order}", 200)
        for action, body in (
            ("claim", None),
            ("lease", None),
            ("progress", {"percent": 50}),
            ("complete", {"resource_ids": ["vm-x"]}),
            ("fail", {"reason": "x"}),
            (
                "wipe-attestation",
                {"resource_ids": ["vm-x"], "method": "overwrite", "attested_by": "x"},
            ),
        ):
            r = await s.http.post(
                f"/v1/provider/work-orders/{order}/{action}", headers=s.headers(who), json=body
            )
            assert r.status_code == 403, (who.role, action, r.text)
    got = await expect(s, ADMIN, "GET", f"/v1/provider/work-orders/{order}", 200)
    assert got["status"] == "queued"  # untouched
    async with grpc.aio.insecure_channel(f"127.0.0.1:{s.grpc_port}") as channel:
        stub = ppb_grpc.ProviderServiceStub(channel)
        metadata = [("authorization", s.headers(ADMIN)["authorization"])]
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ClaimWorkOrder(ppb.ClaimWorkOrderRequest(order_id=order), metadata=metadata)
        assert err.value.code() is grpc.StatusCode.PERMISSION_DENIED
    # The order's own provider still works it.
    claimed = await expect(s, PROVIDER, "POST", f"/v1/provider/work-orders/{order}/claim", 200)
    assert claimed["status"] == "claimed"


async def test_finance_payments_and_contracts_stay_with_their_unit(
    start_service, issuer, event_space
):
    _, s, ids = await start("finance", start_service, issuer, event_space)
    contract, payment = ids["contract_id"], ids["payment_id"]
    for url in ("/v1/payments", "/v1/contracts", "/v1/procurements", "/v1/funding-lines"):
        assert (await expect(s, UNIT_B, "GET", url, 200))["items"] == [], url
        page = await expect(s, UNIT_B, "GET", url, 200, params={"project_id": ids["project_id"]})
        assert page["items"] == [], url
    for url in (
        f"/v1/payments/{payment}",
        f"/v1/contracts/{contract}",
        f"/v1/funding-lines/{ids['line_id']}",
        f"/v1/funding-lines/{ids['line_id']}/balance",
        f"/v1/funding-lines/{ids['line_id']}/entries",
    ):
        await expect(s, UNIT_B, "GET", url, 404)
    # Paying on A's contract from A's line: refused as for a contract that does not exist.
    body = {
        "contract_id": contract,
        "funding_line_id": ids["line_id"],
        "amount": "10.00",
        "purpose": "construction",
    }
    r = await s.http.post("/v1/payments", headers=s.headers(UNIT_B), json=body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "contract_id", r.text
    ghost = await s.http.post(
        "/v1/payments", headers=s.headers(UNIT_B), json=body | {"contract_id": "no-such"}
    )
    assert (ghost.status_code, ghost.json()["detail"]) == (422, r.json()["detail"])
    assert ids_of(await expect(s, FINANCE, "GET", "/v1/payments", 200)) == {payment}

    # Regression: a supplement on another unit's contract answered 422 "finance knows no
    # contract", and on an id that does not exist 404: the difference told which ids exist.
    body = {"adjustment_id": "x", "amount": "1000.00", "signed_on": "2026-03-02"}
    stranger = await s.http.post(
        f"/v1/contracts/{ids['contract_id']}/supplements", headers=s.headers(UNIT_B), json=body
    )
    ghost = await s.http.post(
        "/v1/contracts/no-such-contract/supplements", headers=s.headers(UNIT_B), json=body
    )
    assert (stranger.status_code, stranger.json()["detail"]) == (404, "contract not found")
    assert (ghost.status_code, ghost.json()["detail"]) == (404, "contract not found")


async def test_audit_log_entries_stay_with_their_unit(start_service, issuer, event_space):
    _, s, _ = await start("audit", start_service, issuer, event_space)
    await submitted(s.space, "p-audit-a", org="org-a")
    await submitted(s.space, "p-audit-b", org="org-b")
    auditor = Caller("auditor-1", "org-audit", "auditor")

    async def both_logged():
        page = await expect(s, auditor, "GET", "/v1/entries", 200)
        return {e["org_id"] for e in page["items"]} >= {"org-a", "org-b"}

    await wait_until(both_logged)
    page = await expect(s, UNIT_B, "GET", "/v1/entries", 200)
    assert page["items"] and {e["org_id"] for e in page["items"]} == {"org-b"}
    for params in ({"org_id": "org-a"}, {"project_id": "p-audit-a"}):
        assert (await expect(s, UNIT_B, "GET", "/v1/entries", 200, params=params))["items"] == []
    await expect(s, PROVIDER, "GET", "/v1/entries", 403)


REVIEWERS_OF_A_CASE = ("govit.review.draw.made", "govit.review.opinion.recorded")


async def test_audit_log_withholds_the_reviewers_of_a_units_own_case(
    start_service, issuer, event_space
):
    """Regression: review refuses unit A who was drawn for its case and what they recommended,
    but audit listed, proved and exported those events to unit A in full (review records them
    with the case's org_id): the draw's seed, candidates, exclusions and pick, each opinion's
    author and recommendation."""
    _, review, ids = await start("review", start_service, issuer, event_space)
    _, s, _ = await start("audit", start_service, issuer, event_space)
    case = ids["case_id"]
    body = {
        "checklist": {"information_security": {"verdict": "satisfied", "comment": "ok"}},
        "recommendation": "approve",
        "summary": "ok",
    }
    await expect(
        review, CALLERS["security_reviewer"], "POST", f"/v1/cases/{case}/opinions", 201, json=body
    )
    for what in ("draws", "assignments", "opinions"):
        await expect(review, STAFF, "GET", f"/v1/cases/{case}/{what}", 403)
    auditor = Caller("auditor-1", "org-audit", "auditor")

    async def reviewed():
        page = await expect(s, auditor, "GET", "/v1/entries", 200, params={"limit": 100})
        kinds = {e["event_type"]: e for e in page["items"] if e["org_id"] == "org-a"}
        return kinds if set(REVIEWERS_OF_A_CASE) <= set(kinds) else None

    logged = await wait_until(reviewed)
    assert logged["govit.review.draw.made"]["payload"]["picked"]  # the auditor reads it all

    for who in (STAFF, CDO):
        page = await expect(s, who, "GET", "/v1/entries", 200, params={"limit": 100})
        kinds = {e["event_type"] for e in page["items"]}
        assert "govit.review.case.opened" in kinds and not kinds & set(REVIEWERS_OF_A_CASE)
        assert not any(k.startswith("govit.review.pool_member.") for k in kinds)
        for kind in REVIEWERS_OF_A_CASE:
            page = await expect(s, who, "GET", "/v1/entries", 200, params={"event_type": kind})
            assert page["items"] == [], kind
    await expect(s, auditor, "POST", "/v1/tree-heads", 200)
    for kind in REVIEWERS_OF_A_CASE:
        leaf = logged[kind]["leaf_index"]
        await expect(s, STAFF, "GET", f"/v1/entries/{leaf}/inclusion-proof", 404)
        await expect(s, auditor, "GET", f"/v1/entries/{leaf}/inclusion-proof", 200)

    r = await s.http.post("/v1/exports", headers=s.headers(STAFF), json={"org_id": "org-a"})
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as bundle:
        lines = bundle.read("entries.jsonl").decode().splitlines()
    exported = {json.loads(base64.b64decode(json.loads(line)["entry"]))["type"] for line in lines}
    assert "govit.review.case.opened" in exported and not exported & set(REVIEWERS_OF_A_CASE)
