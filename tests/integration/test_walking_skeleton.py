"""The walking skeleton (issue 2, section 9), through REST only.

The five services run as separate processes on real NATS (JetStream) and PostgreSQL: a unit
submits a project in intake; review opens a case by event and the data bureau concludes it;
finance opens a funding line on the approval; the unit files a cloud resource request that the
broker checks with intake over gRPC; audit records every one of those events exactly once.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from cloud_broker.requests.rules import required_materials
from govit_kit.platform import Platform
from govit_kit.policy import load_profile
from govit_kit.testing import wait_until

pytestmark = pytest.mark.integration

EVENT_WAIT_S = 30.0
PROBLEM = "application/problem+json"

OPINION = "govit.review.opinion.recorded"
SKELETON_EVENTS = [
    "govit.intake.project.signed_off",
    "govit.intake.project.submitted",
    "govit.review.case.opened",
    "govit.review.case.pre_checked",  # the declared attributes, checked (D5, D8)
    "govit.review.draw.made",
    OPINION,
    OPINION,
    OPINION,
    "govit.review.case.concluded",
    "govit.intake.project.entered_library",
    "govit.finance.funding_line.opened",
    "govit.finance.ledger_entry.recorded",  # the line's allocation, booked in finance's ledger
    "govit.cloud_broker.resource_request.submitted",
]
D4_ITEMS = [
    "mandatory_requirements",
    "resource_sharing",
    "technical_route",
    "technology_trends",
    "security_and_om",
    "implementation_plan",
    "implementation_conditions",
    "performance_goals",
]


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def trace_id(traceparent: str) -> str:
    """The trace id of a W3C traceparent header (version-traceid-spanid-flags)."""
    version, tid, _span, _flags = traceparent.split("-")
    assert version == "00" and len(tid) == 32, traceparent
    return tid


async def create_and_submit(api, token: str, name: str, amount: str, cdo: str) -> tuple[dict, str]:
    """A unit's project, created, completed as the profile asks (every required material, the
    chief data officer's sign-off) and submitted; returns it and the submit call's trace id."""
    project = await prepare_project(api, token, name, amount, cdo)
    r = await api.intake.post(f"/v1/projects/{project['id']}/submit", headers=auth(token))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "submitted"
    return r.json(), trace_id(r.headers["traceparent"])


async def prepare_project(api, token: str, name: str, amount: str, cdo: str) -> dict:
    """A unit's draft project with every required material and the chief data officer's
    sign-off: ready to submit."""
    r = await api.intake.post(
        "/v1/projects",
        headers=auth(token),
        json={"name": name, "project_type": "new", "total_investment": amount},
    )
    assert r.status_code == 201, r.text
    project = r.json()
    assert project["status"] == "draft"
    r = await api.intake.get(
        f"/v1/projects/{project['id']}/required-materials", headers=auth(token)
    )
    assert r.status_code == 200 and r.json(), r.text
    for required in r.json():
        r = await api.intake.put(
            f"/v1/projects/{project['id']}/materials/{required['kind']}",
            params={"filename": f"{required['kind']}.pdf"},
            headers={**auth(token), "content-type": "application/pdf"},
            content=f"%PDF-1.7 {required['kind']}".encode(),
        )
        assert r.status_code == 200, r.text
    r = await api.intake.post(f"/v1/projects/{project['id']}/cdo-signoff", headers=auth(cdo))
    assert r.status_code == 200, r.text
    return project


async def case_of(api, token: str, project_id: str) -> dict:
    """Wait for review to open the project's case (it learns of the project by event)."""

    async def opened():
        r = await api.review.get(
            "/v1/cases", params={"project_id": project_id}, headers=auth(token)
        )
        assert r.status_code == 200, r.text
        return r.json()["items"]

    items = await wait_until(opened, timeout=EVENT_WAIT_S)
    assert len(items) == 1, items
    return items[0]


async def joint_review(api, tokens: dict[str, str], case_id: str) -> None:
    """The technical review before an approving conclusion: the project's attributes declared,
    so the D5/D8 pre-checks run (approval waits for them), then D3 (suining): draw an expert,
    then the expert's, security's and secrecy's opinions."""
    reviewer = tokens["reviewer"]
    r = await api.review.put(
        f"/v1/cases/{case_id}/attributes",
        headers=auth(reviewer),
        json={"on_government_cloud": True, "data_sharing_commitment": True},
    )
    assert r.status_code == 200, r.text
    r = await api.review.get("/v1/pool-members", headers=auth(reviewer))
    if not r.json()["items"]:
        r = await api.review.post(
            "/v1/pool-members",
            headers=auth(reviewer),
            json={
                "pool": "expert",
                "name": "专家",
                "subject": "ed@org-univ",
                "specialties": ["it"],
            },
        )
        assert r.status_code == 201, r.text
    r = await api.review.post(
        f"/v1/cases/{case_id}/draws",
        headers=auth(reviewer),
        json={"specialty": "it", "count": 1},
    )
    assert r.status_code == 201, r.text
    for who, items in (
        ("expert", D4_ITEMS),
        ("security", ["information_security"]),
        ("secrecy", ["secure_and_reliable", "electronic_records", "crypto_compliance"]),
    ):
        r = await api.review.post(
            f"/v1/cases/{case_id}/opinions",
            headers=auth(tokens[who]),
            json={
                "checklist": {i: {"verdict": "satisfied"} for i in items},
                "recommendation": "approve",
                "summary": "同意",
            },
        )
        assert r.status_code == 201, r.text


async def conclude(api, token: str, case_id: str, conclusion: str = "approve") -> dict:
    r = await api.review.post(
        f"/v1/cases/{case_id}/conclusion",
        headers=auth(token),
        json={"conclusion": conclusion, "reason": "technical plan sound"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "concluded" and r.json()["conclusion"] == conclusion
    return r.json()


async def wait_status(api, token: str, project_id: str, status: str) -> dict:
    """Wait until intake's project follows the review's conclusion (by event)."""

    async def reached():
        r = await api.intake.get(f"/v1/projects/{project_id}", headers=auth(token))
        assert r.status_code == 200, r.text
        return r.json() if r.json()["status"] == status else None

    return await wait_until(reached, timeout=EVENT_WAIT_S)


async def funding_lines(api, token: str, project_id: str) -> list[dict]:
    """Wait until finance has opened the project's funding line (by event)."""

    async def opened():
        r = await api.finance.get(
            "/v1/funding-lines", params={"project_id": project_id}, headers=auth(token)
        )
        assert r.status_code == 200, r.text
        return r.json()["items"]

    return await wait_until(opened, timeout=EVENT_WAIT_S)


async def entries(client: httpx.AsyncClient, token: str, **params) -> list[dict]:
    """Every audit entry the caller may read with these filters (all pages)."""
    items: list[dict] = []
    cursor = None
    while True:
        query = {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
        r = await client.get("/v1/entries", params=query, headers=auth(token))
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def audit_trail(api, token: str, project_id: str, expected: list[str]) -> list[dict]:
    """Wait until audit holds every expected event type of the project; then check that no
    type or event id appears twice, also a moment later (a late duplicate would show up)."""

    async def complete():
        got = await entries(api.audit, token, project_id=project_id)
        return got if {e["event_type"] for e in got} >= set(expected) else None

    await wait_until(complete, timeout=EVENT_WAIT_S)
    await asyncio.sleep(1.0)
    got = await entries(api.audit, token, project_id=project_id)
    types = Counter(e["event_type"] for e in got)
    assert types == Counter(expected), types
    ids = Counter(e["event_id"] for e in got)
    assert all(n == 1 for n in ids.values()), ids
    return got


async def test_walking_skeleton(platform: Platform, api, tokens):
    unit_a, unit_b = tokens["unit_a"], tokens["unit_b"]
    reviewer, finance, auditor = tokens["reviewer"], tokens["finance"], tokens["auditor"]

    # A unit of org A submits a project of 45万 (intake).
    project, submit_trace = await create_and_submit(
        api, unit_a, "不动产登记平台", "450000.00", tokens["cdo_a"]
    )
    pid = project["id"]
    assert project["org_id"] == "org-a"

    # Review opens a case by event: 45万 >= the suining profile's 30万, so technical review (D2).
    case = await case_of(api, reviewer, pid)
    assert case["org_id"] == "org-a" and case["status"] == "open"
    assert case["track"] == "technical_review"
    assert [(d["rule_id"], d["article"]) for d in case["decisions"]] == [("D2", "SN P art22")]

    # The joint review (D3), then the data bureau concludes: approve.
    await joint_review(api, tokens, case["id"])
    await conclude(api, reviewer, case["id"], "approve")

    # Finance opens the funding line of the estimate; intake's project becomes approved.
    lines = await funding_lines(api, finance, pid)
    assert len(lines) == 1, lines
    assert lines[0]["amount"] == "450000.00" and lines[0]["org_id"] == "org-a"
    await wait_status(api, unit_a, pid, "approved")

    # Org B's own project, approved too: org A still may not name it.
    project_b, _ = await create_and_submit(
        api, unit_b, "智慧停车系统", "500000.00", tokens["cdo_b"]
    )
    case_b = await case_of(api, reviewer, project_b["id"])
    await joint_review(api, tokens, case_b["id"])
    await conclude(api, reviewer, case_b["id"], "approve")
    await wait_status(api, unit_b, project_b["id"], "approved")
    # And a project of org A that is submitted but not (yet) approved.
    pending, _ = await create_and_submit(api, unit_a, "电子证照库", "120000.00", tokens["cdo_a"])

    # The unit files a cloud resource request for its approved project (checked over gRPC).
    request_body = {
        "project_id": pid,
        "service_mode": "general",
        "items": [{"sku": "ecs.vcpu", "quantity": 4}],
        "materials": {m: f"doc:{m}" for m in required_materials(load_profile("suining"))},
    }
    r = await api.cloud_broker.post(
        "/v1/resource-requests", headers=auth(unit_a), json=request_body
    )
    assert r.status_code == 201, r.text
    resource_request = r.json()
    assert resource_request["status"] == "submitted" and resource_request["org_id"] == "org-a"
    assert [d["rule_id"] for d in resource_request["decisions"]][:2] == ["L2", "L11"]

    # Naming another organisation's project, or one not approved, is refused by L2.
    for other, status in ((project_b["id"], None), (pending["id"], "submitted")):
        r = await api.cloud_broker.post(
            "/v1/resource-requests",
            headers=auth(unit_a),
            json={**request_body, "project_id": other},
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith(PROBLEM)
        problem = r.json()
        assert problem["status"] == 422
        assert [d["rule_id"] for d in problem["decisions"]] == ["L2"], problem
        assert problem["decisions"][0]["outcome"] == "refuse"
        assert problem["decisions"][0]["article"]
        assert problem["decisions"][0]["figures"]["project_status"] == status

    # Audit holds each event of the skeleton exactly once.
    trail = await audit_trail(api, auditor, pid, SKELETON_EVENTS)
    by_type = {e["event_type"]: e for e in trail}
    assert [e["event_type"] for e in trail][:3] == SKELETON_EVENTS[:3]  # log order follows cause
    assert all(e["org_id"] == "org-a" and e["project_id"] == pid for e in trail)
    submitted = by_type["govit.intake.project.submitted"]
    assert submitted["payload"]["project_id"] == pid
    assert submitted["payload"]["total_investment"]["amount"] == "450000.00"
    filed = by_type["govit.cloud_broker.resource_request.submitted"]
    assert filed["subject"] == resource_request["id"]
    # One trace from the REST call through the outbox, NATS and review's consumer.
    assert submitted["trace_id"] == submit_trace
    assert by_type["govit.review.case.opened"]["trace_id"] == submit_trace

    # A unit reads its own organisation's entries except those naming its reviewers (the draw, the
    # opinions: review does not show them to the applicant either), and nothing of another's.
    own = await entries(api.audit, unit_a, project_id=pid)
    withheld = {"govit.review.draw.made", OPINION}
    assert sorted(e["event_id"] for e in own) == sorted(
        e["event_id"] for e in trail if e["event_type"] not in withheld
    )
    assert await entries(api.audit, unit_b, project_id=pid) == []

    # Org B's unit gets 404 on org A's project, case and resource request (no leak).
    for client, path in (
        (api.intake, f"/v1/projects/{pid}"),
        (api.review, f"/v1/cases/{case['id']}"),
        (api.cloud_broker, f"/v1/resource-requests/{resource_request['id']}"),
    ):
        r = await client.get(path, headers=auth(unit_b))
        assert r.status_code == 404, (path, r.text)
        assert r.headers["content-type"].startswith(PROBLEM)
    # ... and org B's lists hold nothing of org A's.
    r = await api.review.get("/v1/cases", params={"project_id": pid}, headers=auth(unit_b))
    assert r.status_code == 200 and r.json()["items"] == []
    r = await api.finance.get("/v1/funding-lines", params={"project_id": pid}, headers=auth(unit_b))
    assert r.status_code == 200 and r.json()["items"] == []


async def test_audit_catches_up_after_an_outage(platform: Platform, api, tokens):
    unit_a, reviewer = tokens["unit_a"], tokens["reviewer"]
    finance, auditor = tokens["finance"], tokens["auditor"]

    await asyncio.to_thread(platform.stop_service, "audit")
    try:
        assert platform.services["audit"].proc.poll() is not None
        project, _ = await create_and_submit(
            api, unit_a, "政务服务一网通办", "880000.00", tokens["cdo_a"]
        )
        pid = project["id"]
        case = await case_of(api, reviewer, pid)
        await joint_review(api, tokens, case["id"])
        await conclude(api, reviewer, case["id"], "approve")
        await funding_lines(api, finance, pid)  # the last event of the chain is on the bus
        await wait_status(api, unit_a, pid, "approved")
    finally:
        await asyncio.to_thread(platform.start_service, "audit")
        await asyncio.to_thread(platform.wait_ready, 120)

    # The restarted audit resumes its durable consumer: every event once, none lost.
    await audit_trail(api, auditor, pid, [e for e in SKELETON_EVENTS if ".cloud_broker." not in e])
    everything = await entries(api.audit, auditor)
    ids = Counter(e["event_id"] for e in everything)
    assert everything and all(n == 1 for n in ids.values()), ids
    # No event was recorded twice under a new id either: one of each type per project (three
    # opinions of the joint review).
    per_project = Counter((e["project_id"], e["event_type"]) for e in everything)
    assert all(n == (3 if t == OPINION else 1) for (_, t), n in per_project.items()), per_project


async def test_the_readme_walkthrough(platform: Platform, issuer):
    """`govit walkthrough`, which the README runs by hand, against the running platform."""
    from govit_kit.walkthrough import run

    urls = {name: sp.base_url for name, sp in platform.services.items()}
    lines: list[str] = []
    result = await asyncio.to_thread(
        run, urls, lambda sub, org, role: issuer.issue(sub, org, [role]), lines.append
    )
    types = [e["event_type"] for e in result["trail"]]
    expected = [e for e in SKELETON_EVENTS if not e.startswith("govit.finance.ledger")]
    assert Counter(expected) <= Counter(types), types
    assert lines[0].startswith("1. intake: draft project") and lines[-1].strip()
    assert any(line.startswith("8. audit:") for line in lines)
