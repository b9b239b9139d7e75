"""Acceptance and evaluation over REST in pingdingshan: the final acceptance waits six stable
months (G1); it opens the evaluation (H1), flagged once when overdue and recorded for finance."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from govit_kit.policy import SHANGHAI
from govit_kit.testing import bearer
from review.acceptance import flows as acceptance_flows
from review.acceptance.models import Evaluation
from review.scheduled import sweep

# 10:00 on 6 December 2026 in China: the evaluation due on 10 July 2027 is not yet overdue (it
# would be on the real clock from 11 July 2027).
NOW = datetime(2026, 12, 6, 2, tzinfo=UTC)


async def test_pingdingshan_initial_then_final_then_evaluation(review_for, monkeypatch):
    monkeypatch.setattr(acceptance_flows, "utcnow", lambda: NOW)
    api = await review_for("pingdingshan")
    unit = api.token("alice", "org-a", "unit_staff")
    other = api.token("bob", "org-b", "unit_staff")
    case = await api.open_case("p-acc", "org-a", "800000.00")
    url = f"/v1/cases/{case['id']}/acceptances"
    initial = {"stage": "initial", "accepted_on": "2026-01-10"}
    # Not approved yet: nothing to accept.
    assert (await api.call("POST", url, api.reviewer, json=initial)).status_code == 409
    approve = {"conclusion": "approve", "reason": "同意"}
    # No D5 or D8 in pingdingshan: undeclared attributes are refused citing A1 (cloud first).
    r = await api.call("POST", f"/v1/cases/{case['id']}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 422
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [
        ("A1", "PDS P art2; PDS C art3")
    ]
    await api.declare(case["id"], unit)
    r = await api.call("POST", f"/v1/cases/{case['id']}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 200, r.text

    assert (await api.call("POST", url, unit, json=initial)).status_code == 403
    tomorrow = (NOW.astimezone(SHANGHAI).date() + timedelta(days=1)).isoformat()
    r = await api.call("POST", url, api.reviewer, json={**initial, "accepted_on": tomorrow})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "accepted_on"
    r = await api.call("POST", url, api.reviewer, json=initial)
    assert r.status_code == 201 and r.json()["om_eligible"] is False

    # Final acceptance one day short of six stable months: refused, citing G1.
    final = {"stage": "final", "accepted_on": "2026-07-09"}
    r = await api.call("POST", url, api.reviewer, json=final)
    assert r.status_code == 422, r.text
    [g1] = r.json()["decisions"]
    assert (g1["rule_id"], g1["article"], g1["figures"]["earliest"]) == (
        "G1",
        "PDS P art18",
        "2026-07-10",
    )
    r = await api.call("POST", url, api.reviewer, json={**final, "accepted_on": "2026-07-10"})
    assert r.status_code == 201 and r.json()["om_eligible"] is True
    assert (await api.call("GET", url, other)).status_code == 404

    # H1: the evaluation is due within 12 months of the final acceptance; 10 July 2027 is a
    # Saturday, so the last day is Monday 12 July (民法典 art 203).
    [ev] = (await api.call("GET", "/v1/evaluations", unit)).json()["items"]
    assert ev["due_on"] == "2027-07-12" and ev["decisions"][0]["article"] == "PDS P art19"
    assert "民法典 art 203" in ev["decisions"][0]["reason"]
    assert (await api.call("GET", "/v1/evaluations", other)).json()["items"] == []
    flags = "/v1/evaluations/overdue-flags"
    assert (await api.call("POST", flags, api.reviewer)).json() == []
    async with api.service.runtime.db.unit_of_work() as uow:
        await uow.session.execute(
            update(Evaluation).where(Evaluation.id == ev["id"]).values(due_on=date(2026, 1, 1))
        )
    # The daily sweep flags it, acting as the platform across every unit; then nothing is left.
    assert await sweep(api.service.runtime) == (0, 1, 0)
    assert (await api.call("POST", flags, api.reviewer)).json() == []  # flagged once
    overdue = (
        await api.call("GET", "/v1/evaluations", api.reviewer, params={"overdue": True})
    ).json()
    assert [e["id"] for e in overdue["items"]] == [ev["id"]]
    assert overdue["items"][0]["decisions"][-1]["outcome"] == "flag"

    r = await api.call(
        "POST",
        f"/v1/evaluations/{ev['id']}/result",
        api.reviewer,
        json={"grade": "fail", "summary": "未达到绩效目标"},
    )
    assert r.status_code == 200 and r.json()["status"] == "recorded"
    # H2: the failed evaluation is flagged on the unit's next approval.
    nxt = await api.open_case("p-next", "org-a", "200000.00")
    await api.declare(nxt["id"])
    r = await api.call(
        "POST",
        f"/v1/cases/{nxt['id']}/conclusion",
        api.reviewer,
        json={"conclusion": "approve", "reason": "同意"},
    )
    [concluded] = (await api.call("GET", f"/v1/cases/{nxt['id']}/conclusions", api.reviewer)).json()
    assert [(d["rule_id"], d["outcome"], d["article"]) for d in concluded["decisions"]][-1] == (
        "H2",
        "flag",
        "PDS P art19",
    )
    types = await api.event_types()
    assert [t for t in types if ".acceptance." in t or ".evaluation." in t] == [
        "govit.review.acceptance.recorded",
        "govit.review.acceptance.recorded",
        "govit.review.evaluation.overdue",
        "govit.review.evaluation.recorded",
    ]


CATALOG_ROW = {  # one complete row of YY annex 2
    "department": "县不动产登记中心",
    "resource_name": "不动产登记信息",
    "format_category": "数据库类",
    "format_type": "oracle",
    "item_name": "权利人名称",
    "data_type": "C",
    "data_length": 100,
    "share_type": "有条件共享",
    "share_method": "接口",
    "open_to_public": False,
    "open_conditions": None,
    "update_cycle": "每日",
}


async def test_yunyang_catalog_from_intake_then_evaluation_window(review_for):
    api = await review_for("yunyang", with_intake=True)
    unit = api.token("alice", "org-a", "unit_staff")

    async def approved(with_catalog: bool) -> dict:
        """A project intake holds (with or without its catalog), its case approved in review."""
        r = await api.intake.post(
            "/v1/projects",
            headers=bearer(unit),
            json={"name": "不动产登记平台", "project_type": "new", "total_investment": "300000"},
        )
        assert r.status_code == 201, r.text
        pid = r.json()["id"]
        if with_catalog:
            r = await api.intake.put(
                f"/v1/projects/{pid}/catalog", headers=bearer(unit), json=[CATALOG_ROW]
            )
            assert r.status_code == 200, r.text
        case = await api.open_case(pid, "org-a", "300000.00")
        if with_catalog:  # the pool's one expert, drawn again
            draw = {"specialty": "it", "count": 1}
            r = await api.call("POST", f"/v1/cases/{case['id']}/draws", api.reviewer, json=draw)
            assert r.status_code == 201, r.text
            expert = api.token("ed", "org-univ", "expert")
        else:
            expert = await api.draw_expert(case["id"], "ed")
        assert (await api.opinion(case["id"], expert, ["technical_route"])).status_code == 201
        r = await api.call(
            "POST",
            f"/v1/cases/{case['id']}/conclusion",
            api.reviewer,
            json={"conclusion": "approve", "reason": "同意"},
        )
        assert r.status_code == 200, r.text
        return case

    bare, case = await approved(with_catalog=False), await approved(with_catalog=True)
    accepted = (date.today() - timedelta(days=30)).isoformat()
    body = {
        "accepted_on": accepted,
        "completed_on": accepted,
        "archives_accepted": True,
        # G3 (YY art25): below 500万 too, the same materials as at or above.
        "materials": [
            "summary",
            "financial_report",
            "audit_report",
            "security_assessment",
            "crypto_assessment",
            "data_dictionary",
        ],
        "checked": [
            "secure_and_reliable_products",
            "crypto_and_security_review",
            "energy_efficiency",
        ],
    }
    # The caller no longer vouches for the catalog: the flag is an unknown field.
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/acceptances",
        api.reviewer,
        json={**body, "data_catalog_complete": True},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "data_catalog_complete"
    # Intake holds no catalog for the first project: refused with intake's own C2 decision.
    r = await api.call("POST", f"/v1/cases/{bare['id']}/acceptances", api.reviewer, json=body)
    assert r.status_code == 422, r.text
    [c2] = r.json()["decisions"]
    assert (c2["rule_id"], c2["article"], c2["outcome"]) == ("C2", "YY annex 2; YY art14", "refuse")
    assert "empty" in c2["reason"]
    # A case whose project intake never held (opened by a stray event): refused, citing C2.
    ghost = await api.open_case("p-ghost", "org-a", "300000.00")
    draw = {"specialty": "it", "count": 1}
    r = await api.call("POST", f"/v1/cases/{ghost['id']}/draws", api.reviewer, json=draw)
    assert r.status_code == 201, r.text
    expert = api.token("ed", "org-univ", "expert")
    assert (await api.opinion(ghost["id"], expert, ["technical_route"])).status_code == 201
    approve = {"conclusion": "approve", "reason": "同意"}
    r = await api.call("POST", f"/v1/cases/{ghost['id']}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 200, r.text
    r = await api.call("POST", f"/v1/cases/{ghost['id']}/acceptances", api.reviewer, json=body)
    assert r.status_code == 422 and [d["rule_id"] for d in r.json()["decisions"]] == ["C2"]
    assert "intake holds no application" in r.json()["decisions"][0]["reason"]
    # Below 500万 without its materials: refused, citing G3 and the article.
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/acceptances",
        api.reviewer,
        json={**body, "materials": ["summary"]},
    )
    assert r.status_code == 422, r.text
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [("G3", "YY art25")]
    # An application after the acceptance it asked for is not a fact.
    tomorrow = (date.fromisoformat(accepted) + timedelta(days=1)).isoformat()
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/acceptances",
        api.reviewer,
        json={**body, "applied_on": tomorrow},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "applied_on"
    # The second project's catalog is complete in intake: accepted, the check kept as a fact.
    r = await api.call("POST", f"/v1/cases/{case['id']}/acceptances", api.reviewer, json=body)
    assert r.status_code == 201, r.text
    assert [d["rule_id"] for d in r.json()["decisions"]] == ["G1", "G3", "C2", "G6"]
    assert r.json()["facts"]["catalog"] == {
        "complete": True,
        "entries": 1,
        "project_type": "new",
        "source": "intake",
    }
    [ev] = (await api.call("GET", "/v1/evaluations", api.reviewer)).json()["items"]
    r = await api.call(
        "POST",
        f"/v1/evaluations/{ev['id']}/result",
        api.reviewer,
        json={"grade": "pass", "summary": "太早"},
    )
    assert r.status_code == 422 and r.json()["decisions"][0]["article"] == "YY art27"


async def test_xianyang_g6_needs_the_security_evaluation(review_for):
    """XY art17: 未经验收、安全评测不合格或验收不合格的项目,不得投入使用 — the bureau accepts and
    certifies the security evaluation together; without a passed one nothing goes into use."""
    api = await review_for("xianyang")
    case = await api.open_case("p-xy", "org-a", "800000.00")
    await api.declare(case["id"], api.token("alice", "org-a", "unit_staff"))
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/conclusion",
        api.reviewer,
        json={"conclusion": "approve", "reason": "同意"},
    )
    assert r.status_code == 200, r.text
    url = f"/v1/cases/{case['id']}/acceptances"
    start = date.today() - timedelta(days=200)
    body = {
        "accepted_on": (date.today() - timedelta(days=10)).isoformat(),
        "trial_run_started_on": start.isoformat(),
        "went_live_on": start.isoformat(),
    }
    for evaluation in (None, "failed"):
        extra = {"security_evaluation": evaluation} if evaluation else {}
        r = await api.call("POST", url, api.reviewer, json={**body, **extra})
        assert r.status_code == 422, r.text
        [g6] = r.json()["decisions"]
        assert (g6["rule_id"], g6["outcome"], g6["article"]) == ("G6", "refuse", "XY art17")
    assert (await api.call("GET", url, api.reviewer)).json() == []
    r = await api.call("POST", url, api.reviewer, json={**body, "security_evaluation": "passed"})
    assert r.status_code == 201, r.text
    assert r.json()["om_eligible"] is True
    assert r.json()["facts"]["security_evaluation"] == "passed"
    assert [(d["rule_id"], d["outcome"]) for d in r.json()["decisions"]][:2] == [
        ("G1", "allow"),
        ("G6", "allow"),
    ]
