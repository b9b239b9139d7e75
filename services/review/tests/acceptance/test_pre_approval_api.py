"""G2 over REST in suining (SN P art32, art13): after the trial run the unit asks the data
bureau for its pre-approval of acceptance (履约验收前置核准); the bureau grants or refuses it with
a reason; the project is accepted only once it is granted. Another unit sees nothing of it."""

from datetime import date, datetime, timedelta

from govit_kit.policy import SHANGHAI


def today() -> date:
    """Today in China: the day the service counts in (the bureau's grant is dated by it)."""
    return datetime.now(SHANGHAI).date()


G5_ITEMS = ["secure_and_reliable_products", "crypto_and_security_review", "energy_efficiency"]


async def approved_case(api, project_id: str) -> dict:
    """A suining case declared, jointly reviewed, approved and approved by the NDRC."""
    case = await api.open_case(project_id, "org-a", "500000.00")
    await api.declare(case["id"])
    await api.joint_review(case["id"], await api.draw_expert(case["id"], f"ed-{project_id}"))
    url = f"/v1/cases/{case['id']}"
    r = await api.call(
        "POST", f"{url}/conclusion", api.reviewer, json={"conclusion": "approve", "reason": "同意"}
    )
    assert r.status_code == 200, r.text
    step = {"document_number": "遂发改审批〔2026〕9号", "approved_amount": "500000.00"}
    assert (await api.call("POST", f"{url}/ndrc-approval", api.ndrc, json=step)).status_code == 201
    return case


def cited(decisions, outcome=None):
    return [
        (d["rule_id"], d["article"])
        for d in decisions
        if outcome is None or d["outcome"] == outcome
    ]


G2 = ("G2", "SN P art13, art32")


async def test_suining_acceptance_waits_for_the_bureaus_pre_approval(review_for):
    api = await review_for("suining")
    unit = api.token("alice", "org-a", "unit_staff")
    other = api.token("bob", "org-b", "unit_staff")
    pending = await api.open_case("p-pre-pending", "org-a", "500000.00")
    ended = (today() - timedelta(days=2)).isoformat()
    ask = {"trial_run_ended_on": ended, "note": "试运行已结束"}
    # Not approved yet: nothing to pre-approve.
    r = await api.call("POST", f"/v1/cases/{pending['id']}/pre-approvals", unit, json=ask)
    assert r.status_code == 409, r.text

    case = await approved_case(api, "p-pre")
    url = f"/v1/cases/{case['id']}"
    start = (today() - timedelta(days=60)).isoformat()
    accept = {
        "stage": "single",
        "accepted_on": today().isoformat(),
        "trial_run_started_on": start,
        "went_live_on": start,
        "checked": G5_ITEMS,
    }
    # No pre-approval: the acceptance is refused citing G2, and nothing is recorded.
    r = await api.call("POST", f"{url}/acceptances", api.reviewer, json=accept)
    assert r.status_code == 422, r.text
    assert cited(r.json()["decisions"]) == [G2]

    # Only the owning unit asks; not before the trial run has ended.
    assert (await api.call("POST", f"{url}/pre-approvals", other, json=ask)).status_code == 404
    r = await api.call("POST", f"{url}/pre-approvals", api.reviewer, json=ask)
    assert r.status_code == 403
    tomorrow = (today() + timedelta(days=2)).isoformat()
    r = await api.call("POST", f"{url}/pre-approvals", unit, json={"trial_run_ended_on": tomorrow})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "trial_run_ended_on"
    r = await api.call("POST", f"{url}/pre-approvals", unit, json=ask)
    assert r.status_code == 201, r.text
    first = r.json()
    assert (first["status"], first["trial_run_ended_on"]) == ("requested", ended)
    assert cited(first["decisions"], "allow") == [G2]
    r = await api.call("POST", f"{url}/pre-approvals", unit, json=ask)
    assert r.status_code == 409 and r.json()["state"] == "requested"

    # The bureau refuses, with its reason; the unit may not decide; a stranger sees nothing.
    no = {"granted": False, "reason": "性能测试未达到技术方案审查意见要求"}
    decide = f"/v1/pre-approvals/{first['id']}/decision"
    assert (await api.call("POST", decide, unit, json=no)).status_code == 403
    r = await api.call("POST", decide, api.reviewer, json={"granted": False, "reason": " "})
    assert r.status_code == 422
    r = await api.call("POST", decide, api.reviewer, json=no)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["reason"]) == ("refused", no["reason"])
    assert r.json()["decisions"][-1]["outcome"] == "refuse"
    assert (await api.call("POST", decide, api.reviewer, json=no)).status_code == 409
    r = await api.call("POST", f"{url}/acceptances", api.reviewer, json=accept)
    assert r.status_code == 422 and cited(r.json()["decisions"]) == [G2]

    # Asked again after the refusal, granted: the acceptance goes through, citing it.
    second = (await api.call("POST", f"{url}/pre-approvals", unit, json=ask)).json()
    yes = {"granted": True, "reason": "符合技术方案审查意见"}
    r = await api.call("POST", f"/v1/pre-approvals/{second['id']}/decision", api.reviewer, json=yes)
    assert r.status_code == 200 and r.json()["status"] == "granted"
    r = await api.call("POST", f"{url}/pre-approvals", unit, json=ask)
    assert r.status_code == 409 and r.json()["state"] == "granted"
    r = await api.call("POST", f"{url}/acceptances", api.reviewer, json=accept)
    assert r.status_code == 201, r.text
    [g2] = [d for d in r.json()["decisions"] if d["rule_id"] == "G2"]
    assert (g2["outcome"], g2["article"]) == ("allow", G2[1])
    assert g2["figures"]["pre_approval_id"] == second["id"]

    listed = await api.call("GET", f"{url}/pre-approvals", unit)
    assert [p["status"] for p in listed.json()] == ["refused", "granted"]
    assert (await api.call("GET", f"{url}/pre-approvals", other)).status_code == 404
    types = [t for t in await api.event_types() if t.startswith("govit.review.pre_approval.")]
    assert types == [
        "govit.review.pre_approval.requested",
        "govit.review.pre_approval.refused",
        "govit.review.pre_approval.requested",
        "govit.review.pre_approval.granted",
    ]


async def test_no_pre_approval_where_the_profile_has_no_g2(review_for):
    api = await review_for("yunyang")
    unit = api.token("alice", "org-a", "unit_staff")
    case = await api.open_case("p-pre-yy", "org-a", "500000.00")
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/pre-approvals",
        unit,
        json={"trial_run_ended_on": today().isoformat()},
    )
    assert r.status_code == 409 and r.json()["rule_id"] == "G2", r.text
