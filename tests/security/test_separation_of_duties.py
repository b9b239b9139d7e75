"""Self-approval and skipped stages (OWASP API5, business flows): a unit never approves its own
request or case, nor does a reviewer of its organisation take any step on its project; the official who filed a cloud request never decides on it, even with a token
that also carries the cloud administrator's role; a step that skips a stage is refused naming
the state the object is in."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from authz_run import start  # noqa: E402
from authz_seeds import ADMIN, CDO, STAFF, file_request  # noqa: E402
from authz_support import CALLERS, Caller  # noqa: E402

from govit_kit.db import utcnow  # noqa: E402
from govit_kit.policy import SHANGHAI  # noqa: E402
from review.acceptance.models import Evaluation  # noqa: E402

BUREAU, EXPERT, NDRC = CALLERS["bureau_reviewer"], CALLERS["expert"], CALLERS["ndrc_officer"]
# Reviewers whose organisation is unit A's, the applicant of the seeded case.
OWN = Caller("bureau-a", "org-a", "bureau_reviewer")
OWN_SECURITY = Caller("sec-a", "org-a", "security_reviewer")
OWN_SECRECY = Caller("secrecy-a", "org-a", "secrecy_reviewer")
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
SECURITY_ITEMS = ["information_security"]
SECRECY_ITEMS = ["secure_and_reliable", "electronic_records", "crypto_compliance"]


class Dual(Caller):
    """One person holding two roles in one token: unit staff of org-a and cloud administrator."""

    def token(self, issuer) -> str:
        return issuer.issue(self.subject, self.org, ["unit_staff", "bureau_cloud_admin"])


async def post(s, caller, url, **kw):
    return await s.http.post(url, headers=s.headers(caller), **kw)


async def test_cloud_requests_no_self_approval_and_no_skipped_stage(
    start_service, issuer, event_space
):
    """One broker for three checks: a unit takes no bureau step on its own request; a step that
    skips a stage is a 409 naming the state; the filer never decides, whatever else it holds."""
    _, s, ids = await start("cloud_broker", start_service, issuer, event_space)
    await unit_takes_no_bureau_step(s, ids)
    await skipped_stage_is_a_409_naming_the_state(s, ids)
    await filer_never_decides(s, ids)


async def filer_never_decides(s, ids):
    dual = Dual("dual-1", "org-a", "unit_staff")
    rid = await file_request(s, ids["project_id"], dual)
    base = f"/v1/resource-requests/{rid}"

    for step in ("accept", "reject"):
        r = await post(s, dual, f"{base}/{step}", json={"reason": "自己审"})
        assert r.status_code == 403, r.text
        assert "dual-1 filed this request" in r.json()["detail"]
    assert (await post(s, ADMIN, f"{base}/accept")).status_code == 200
    r = await post(s, dual, f"{base}/approve")
    assert r.status_code == 403 and "another official decides" in r.json()["detail"], r.text
    assert (await post(s, ADMIN, f"{base}/approve")).status_code == 200
    r = await post(s, dual, f"{base}/allocate", json={"platform_id": "pa"})
    assert r.status_code == 403, r.text
    history = (await s.http.get(f"{base}/history", headers=s.headers(ADMIN))).json()
    deciders = {row["actor"] for row in history if row["action"] in ("accept", "approve")}
    assert deciders == {ADMIN.subject}


async def unit_takes_no_bureau_step(s, ids):
    base = f"/v1/resource-requests/{ids['request_id']}"
    for unit in (STAFF, CDO):
        for step, body in (
            ("accept", None),
            ("approve", None),
            ("reject", {"reason": "x"}),
            ("plan-approval", None),
            ("allocate", {"platform_id": "pa"}),
            ("activate", None),
        ):
            r = await post(s, unit, f"{base}/{step}", json=body)
            assert r.status_code == 403, (unit.role, step, r.text)


async def skipped_stage_is_a_409_naming_the_state(s, ids):
    base = f"/v1/resource-requests/{ids['request_id']}"
    for step, body in (("approve", None), ("allocate", {"platform_id": "pa"}), ("activate", None)):
        r = await post(s, ADMIN, f"{base}/{step}", json=body)
        assert r.status_code == 409, (step, r.text)
        assert r.json()["state"] == "submitted" and "submitted" in r.json()["detail"], r.text
    assert (await post(s, ADMIN, f"{base}/accept")).status_code == 200
    r = await post(s, ADMIN, f"{base}/allocate", json={"platform_id": "pa"})
    assert (r.status_code, r.json()["state"]) == (409, "accepted"), r.text
    r = await post(s, STAFF, f"{base}/deploy")
    assert (r.status_code, r.json()["state"]) == (409, "accepted"), r.text


async def test_review_a_unit_never_concludes_its_own_case_and_the_chain_keeps_its_order(
    start_service, issuer, event_space
):
    _, s, ids = await start("review", start_service, issuer, event_space)
    case = f"/v1/cases/{ids['case_id']}"
    conclusion = {"conclusion": "approve", "reason": "我们自己同意"}
    for unit in (STAFF, CDO):
        r = await post(s, unit, f"{case}/conclusion", json=conclusion)
        assert r.status_code == 403, r.text
    # D7: NDRC approval before the bureau's approving conclusion, finance before the NDRC:
    # refused citing D7 and the stage the chain stands at.
    step = {"document_number": "发改〔2027〕1号", "approved_amount": "800000.00"}
    for path, role in (("ndrc-approval", "ndrc_officer"), ("investment-review", "finance_officer")):
        r = await post(s, CALLERS[role], f"{case}/{path}", json=step)
        assert r.status_code == 422, r.text
        [decision] = r.json()["decisions"]
        assert decision["rule_id"] == "D7" and decision["article"], decision
        assert "stands at none" in decision["reason"], decision
    # A drawn expert declines only their own assignment; another expert may not.
    other = Caller("expert-2", "org-univ", "expert")
    r = await post(
        s, other, f"/v1/assignments/{ids['assignment_id']}/decline", json={"reason": "x"}
    )
    assert r.status_code == 403, r.text


async def test_intake_a_unit_neither_signs_off_as_cdo_nor_approves_its_own_framework_plan(
    start_service, issuer, event_space
):
    _, s, ids = await start("intake", start_service, issuer, event_space)
    r = await post(s, STAFF, f"/v1/projects/{ids['project_id']}/cdo-signoff")
    assert r.status_code == 403, r.text
    for unit in (STAFF, CDO):
        r = await post(
            s, unit, f"/v1/framework-plans/{ids['plan_id']}/approve", json={"opinion": "同意"}
        )
        assert r.status_code == 403, r.text


def opinion(items) -> dict:
    return {
        "checklist": {i: {"verdict": "satisfied", "comment": "符合"} for i in items},
        "recommendation": "approve",
        "summary": "同意",
    }


async def refused_to_own_org(s, caller, url, body):
    """The platform's separation of duties: a 403 saying so."""
    r = await post(s, caller, url, json=body)
    assert r.status_code == 403, (url, r.text)
    assert "separation of duties" in r.json()["detail"], r.text


async def test_review_a_reviewer_takes_no_step_on_their_own_organisations_project(
    start_service, issuer, event_space
):
    """A reviewer whose organisation is the applicant's neither concludes nor raises grounds
    (as before), nor lifts a J3 security order, gives a D3 security or secrecy opinion,
    suspends or lifts (F4), disposes of a change, grants the G2 pre-approval, records an acceptance or an evaluation
    result: each a 403 naming the separation of duties, where another reviewer succeeds."""
    running, s, ids = await start("review", start_service, issuer, event_space)
    case = f"/v1/cases/{ids['case_id']}"
    await refused_to_own_org(s, OWN, f"{case}/conclusion", {"conclusion": "reject", "reason": "x"})
    ground = {"ground": "unclear_needs_or_goals", "reason": "目标不清"}
    await refused_to_own_org(s, OWN, f"{case}/pre-checks", ground)

    # J3: unit A's own reviewer does not lift the security order against unit A; another does.
    resolution = f"/v1/rectifications/{ids['order_id']}/resolution"
    await refused_to_own_org(s, OWN, resolution, {"note": "已整改"})
    assert (await post(s, BUREAU, resolution, json={"note": "已整改"})).status_code == 200

    # D3: the security and secrecy opinions are not given from within unit A.
    await refused_to_own_org(s, OWN_SECURITY, f"{case}/opinions", opinion(SECURITY_ITEMS))
    await refused_to_own_org(s, OWN_SECRECY, f"{case}/opinions", opinion(SECRECY_ITEMS))
    attributes = {"on_government_cloud": True, "data_sharing_commitment": True}
    r = await s.http.put(f"{case}/attributes", headers=s.headers(BUREAU), json=attributes)
    assert r.status_code == 200, r.text
    for caller, items in (
        (EXPERT, D4),
        (CALLERS["security_reviewer"], SECURITY_ITEMS),
        (CALLERS["secrecy_reviewer"], SECRECY_ITEMS),
    ):
        r = await post(s, caller, f"{case}/opinions", json=opinion(items))
        assert r.status_code == 201, r.text
    r = await post(
        s, BUREAU, f"{case}/conclusion", json={"conclusion": "approve", "reason": "同意"}
    )
    assert r.status_code == 200, r.text
    step = {"document_number": "遂发改审批〔2026〕9号", "approved_amount": "800000.00"}
    assert (await post(s, NDRC, f"{case}/ndrc-approval", json=step)).status_code == 201

    # F4: unit A's reviewer neither suspends unit A's project nor lifts its suspension.
    halt = {"reason": "资金未落实"}
    await refused_to_own_org(s, OWN, f"{case}/suspension", halt)
    assert (await post(s, BUREAU, f"{case}/suspension", json=halt)).status_code == 201
    await refused_to_own_org(s, OWN, f"{case}/suspension/lift", {"note": "已落实"})
    r = await post(s, BUREAU, f"{case}/suspension/lift", json={"note": "已落实"})
    assert r.status_code == 200, r.text

    # F2: unit A's adjustment is not disposed of by unit A's reviewer.
    change = {
        "kind": "adjustment",
        "description": "优化技术方案",
        "reason": "plan_optimisation",
        "amount_adjusted": "300000.00",
        "new_total": "800000.00",
    }
    r = await post(s, STAFF, f"{case}/changes", json=change)
    assert r.status_code == 201 and r.json()["status"] == "awaiting_bureau", r.text
    disposal = f"/v1/changes/{r.json()['id']}/disposal"
    await refused_to_own_org(s, OWN, disposal, {"agree": True, "opinion": "同意"})
    assert (
        await post(s, BUREAU, disposal, json={"agree": True, "opinion": "同意"})
    ).status_code == 200

    # G2: nor is its pre-approval granted, nor its acceptance recorded, from within unit A.
    today = utcnow().astimezone(SHANGHAI).date()
    ask = {"trial_run_ended_on": (today - timedelta(days=1)).isoformat()}
    r = await post(s, STAFF, f"{case}/pre-approvals", json=ask)
    assert r.status_code == 201, r.text
    decision = f"/v1/pre-approvals/{r.json()['id']}/decision"
    await refused_to_own_org(s, OWN, decision, {"granted": True, "reason": "同意"})
    assert (
        await post(s, BUREAU, decision, json={"granted": True, "reason": "同意"})
    ).status_code == 200
    start_on = (today - timedelta(days=60)).isoformat()
    acceptance = {
        "stage": "single",
        "accepted_on": today.isoformat(),
        "trial_run_started_on": start_on,
        "went_live_on": start_on,
        "checked": ["secure_and_reliable_products", "crypto_and_security_review"],
    }
    await refused_to_own_org(s, OWN, f"{case}/acceptances", acceptance)

    # H1: nor the result of unit A's evaluation (one pending, as an acceptance opens it).
    async with running.runtime.db.unit_of_work() as uow:
        evaluation = Evaluation(
            case_id=ids["case_id"],
            project_id="p-review-a",
            org_id="org-a",
            status="pending",
            decisions=[],
        )
        uow.session.add(evaluation)
        await uow.session.flush()
        evaluation_id = evaluation.id
    result = f"/v1/evaluations/{evaluation_id}/result"
    await refused_to_own_org(s, OWN, result, {"grade": "pass", "summary": "达到绩效目标"})
    r = await post(s, BUREAU, result, json={"grade": "pass", "summary": "达到绩效目标"})
    assert r.status_code == 200, r.text
