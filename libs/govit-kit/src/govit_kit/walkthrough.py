"""`govit walkthrough`: one project through the running platform, over its public REST APIs only.

A unit files an application (the materials its profile requires, its chief data officer's
sign-off) and submits it; review draws an expert and takes the joint opinions, and the data
bureau approves; intake and finance follow by event; the unit requests cloud resources; audit
shows the trail. Each step prints what happened. The integration tests run this very code, so
the README's walkthrough cannot fall out of step with the services.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

Token = Callable[[str, str, str], str]  # (subject, org, role) -> bearer token
Say = Callable[[str], None]

UNIT_ORG = "org-demo-unit"
EXPERT = ("ed@org-univ", "org-univ")


class WalkthroughFailed(Exception):
    """A step did not answer as it should (the message says which and why)."""


def _check(r: httpx.Response, *expected: int) -> Any:
    if r.status_code not in expected:
        raise WalkthroughFailed(f"{r.request.method} {r.request.url}: {r.status_code} {r.text}")
    return r.json() if r.content else None


def _wait(what: str, probe: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Poll until the platform's events have done their work."""
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        if time.monotonic() > deadline:
            raise WalkthroughFailed(f"waited {timeout:.0f}s for {what}")
        time.sleep(0.2)


def run(urls: dict[str, str], token: Token, say: Say = print) -> dict[str, Any]:
    """Walk one project through the platform at `urls` (service name -> base URL)."""

    def auth(subject: str, org: str, role: str) -> dict[str, str]:
        return {"authorization": f"Bearer {token(subject, org, role)}"}

    unit = auth(f"staff@{UNIT_ORG}", UNIT_ORG, "unit_staff")
    cdo = auth(f"cdo@{UNIT_ORG}", UNIT_ORG, "unit_cdo")
    reviewer = auth("rita@org-data-bureau", "org-data-bureau", "bureau_reviewer")
    auditor = auth("audrey@org-audit-bureau", "org-audit-bureau", "auditor")
    api = {name: httpx.Client(base_url=url, timeout=15) for name, url in urls.items()}
    try:
        intake, review = api["intake"], api["review"]
        # 1. A unit opens a draft (amounts are exact yuan, as strings).
        project = _check(
            intake.post(
                "/v1/projects",
                headers=unit,
                json={
                    "name": "不动产登记平台",
                    "project_type": "new",
                    "total_investment": "450000.00",
                },
            ),
            201,
        )
        pid = project["id"]
        say(f"1. intake: draft project {pid} ({project['total_investment']} yuan)")

        # 2. The materials the profile requires (C3), the CDO's sign-off (C4), submission.
        required = _check(intake.get(f"/v1/projects/{pid}/required-materials", headers=unit), 200)
        for item in required:
            _check(
                intake.put(
                    f"/v1/projects/{pid}/materials/{item['kind']}",
                    params={"filename": f"{item['kind']}.pdf"},
                    headers={**unit, "content-type": "application/pdf"},
                    content=f"%PDF-1.7 {item['kind']}".encode(),
                ),
                200,
            )
        _check(intake.post(f"/v1/projects/{pid}/cdo-signoff", headers=cdo), 200)
        _check(intake.post(f"/v1/projects/{pid}/submit", headers=unit), 200)
        kinds = ", ".join(f"{i['kind']} ({i['rule_id']})" for i in required)
        say(f"2. intake: uploaded {kinds}; signed off by the CDO; submitted")

        # 3. Review opened a case from the submission's event (D2 chose the track).
        case = _wait(
            "review to open the case",
            lambda: (
                _check(review.get("/v1/cases", params={"project_id": pid}, headers=reviewer), 200)[
                    "items"
                ]
                or [None]
            )[0],
        )
        say(f"3. review: case {case['id']} on the {case['track']} track")

        # 4. The unit declares the project's attributes: the D5/D8 pre-checks run (an approving
        # conclusion waits for them). Joint review (D3): draw an expert, then the expert's,
        # security's and secrecy's opinions.
        _check(
            review.put(
                f"/v1/cases/{case['id']}/attributes",
                headers=unit,
                json={"on_government_cloud": True, "data_sharing_commitment": True},
            ),
            200,
        )
        members = _check(review.get("/v1/pool-members", headers=reviewer), 200)["items"]
        if not any(m.get("subject") == EXPERT[0] for m in members):
            _check(
                review.post(
                    "/v1/pool-members",
                    headers=reviewer,
                    json={
                        "pool": "expert",
                        "name": "专家",
                        "subject": EXPERT[0],
                        "specialties": ["it"],
                    },
                ),
                201,
            )
        draw = _check(
            review.post(
                f"/v1/cases/{case['id']}/draws",
                headers=reviewer,
                json={"specialty": "it", "count": 1},
            ),
            201,
        )
        checklists = {
            ("expert", EXPERT): [
                "mandatory_requirements",
                "resource_sharing",
                "technical_route",
                "technology_trends",
                "security_and_om",
                "implementation_plan",
                "implementation_conditions",
                "performance_goals",
            ],
            ("security_reviewer", ("sam@org-cac", "org-cac")): ["information_security"],
            ("secrecy_reviewer", ("sue@org-secrecy", "org-secrecy")): [
                "secure_and_reliable",
                "electronic_records",
                "crypto_compliance",
            ],
        }
        for (role, (subject, org)), items in checklists.items():
            _check(
                review.post(
                    f"/v1/cases/{case['id']}/opinions",
                    headers=auth(subject, org, role),
                    json={
                        "checklist": {i: {"verdict": "satisfied"} for i in items},
                        "recommendation": "approve",
                        "summary": "同意",
                    },
                ),
                201,
            )
        say(
            f"4. review: attributes declared, pre-checks run; drew an expert (draw {draw['id']}); "
            "three joint opinions recorded"
        )

        # 5. The data bureau concludes.
        _check(
            review.post(
                f"/v1/cases/{case['id']}/conclusion",
                headers=reviewer,
                json={"conclusion": "approve", "reason": "技术方案可行"},
            ),
            200,
        )
        say("5. review: approved")

        # 6. By event: intake's project is approved, finance opened a funding line.
        _wait(
            "intake to record the approval",
            lambda: (
                _check(intake.get(f"/v1/projects/{pid}", headers=unit), 200)["status"] == "approved"
            ),
        )
        lines = _wait(
            "finance to open the funding line",
            lambda: _check(
                api["finance"].get("/v1/funding-lines", params={"project_id": pid}, headers=unit),
                200,
            )["items"],
        )
        say(f"6. intake: approved; finance: funding line of {lines[0]['amount']} yuan")

        # 7. The unit requests cloud resources with the materials L2 asks for.
        broker = api["cloud_broker"]
        materials = _check(broker.get("/v1/resource-requests/materials", headers=unit), 200)
        request = _check(
            broker.post(
                "/v1/resource-requests",
                headers=unit,
                json={
                    "project_id": pid,
                    "service_mode": "general",
                    "items": [{"sku": "ecs.vcpu", "quantity": 4}],
                    "materials": {m: f"doc:{m}" for m in materials["materials"]},
                },
            ),
            201,
        )
        rules = ", ".join(d["rule_id"] for d in request["decisions"])
        say(f"7. cloud-broker: resource request {request['id']} {request['status']} ({rules})")

        # 8. Audit holds every event of the project, once, in order.
        def trail_complete():
            items = _check(
                api["audit"].get(
                    "/v1/entries", params={"project_id": pid, "limit": 100}, headers=auditor
                ),
                200,
            )["items"]
            done = any(e["event_type"].endswith("resource_request.submitted") for e in items)
            return items if done else None

        trail = _wait("audit to log the cloud request", trail_complete)
        say(f"8. audit: {len(trail)} entries for the project:")
        for e in trail:
            say(f"   {e['leaf_index']:>5}  {e['event_type']}")
        return {"project_id": pid, "case_id": case["id"], "trail": trail}
    finally:
        for client in api.values():
            client.close()
