"""D5's judged grounds (SN P art19(二) item 5's second half, 6, 7, 9: unclear goals, non-shared
infrastructure, data security, ...): no declaration shows them, so the bureau's reviewer raises
one on a case with a written reason. It is a pre-check like the declared ones: it refuses an
approving conclusion, citing D5 with its item, until cleared or overruled in writing."""

import pytest

from govit_kit.policy import load_profile
from review.cases.rules import GROUNDS, JUDGED_GROUNDS, d5_item, judged_ground


def test_judged_grounds_are_the_items_no_declaration_shows():
    assert {g: i for g, (i, _) in JUDGED_GROUNDS.items()} == {
        "no_collaborative_office": 5,
        "unclear_needs_or_goals": 6,
        "not_shared_infrastructure": 7,
        "data_security_unmet": 9,
    }
    assert not set(JUDGED_GROUNDS) & set(GROUNDS)
    d = judged_ground(load_profile("suining"), "not_shared_infrastructure", "自建独立机房")
    assert (d.rule_id, d.article, d.outcome) == ("D5", "SN P art19(二)", "refuse")
    assert d.figures == {"ground": "not_shared_infrastructure", "item": 7}
    assert d.reason.endswith("(item 7): 自建独立机房")
    assert (d5_item("no_data_sharing_commitment"), d5_item("data_security_unmet")) == (5, 9)


async def test_a_reviewer_raises_a_judged_ground_that_blocks_approval(review_for):
    api = await review_for("suining")
    unit = api.token("alice", "org-a", "unit_staff")
    other = api.token("bob", "org-b", "unit_staff")
    own_reviewer = api.token("rex", "org-a", "bureau_reviewer")
    case = await api.open_case("p-judged", "org-a", "450000.00")
    url = f"/v1/cases/{case['id']}"
    await api.declare(case["id"], unit, new_data_centre=True)
    await api.joint_review(case["id"], await api.draw_expert(case["id"], "ed"))
    vague = {"ground": "unclear_needs_or_goals", "reason": "绩效目标不可量化,未列出指标值"}

    # Who may raise it: the bureau's reviewer, not the unit, not a reviewer of the unit itself.
    assert (await api.call("POST", f"{url}/pre-checks", unit, json=vague)).status_code == 403
    assert (await api.call("POST", f"{url}/pre-checks", other, json=vague)).status_code == 403
    r = await api.call("POST", f"{url}/pre-checks", own_reviewer, json=vague)
    assert r.status_code == 403 and "separation of duties" in r.json()["detail"], r.text
    # A declared ground, an unknown one or no written reason: 422 naming the field.
    for bad, field in (
        ({"ground": "new_data_centre", "reason": "x"}, "ground"),
        ({"ground": "no_data_sharing_commitment", "reason": "x"}, "ground"),
        ({"ground": "unaccepted_predecessor", "reason": "x"}, "ground"),
        ({"ground": "colour", "reason": "x"}, "ground"),
        ({"ground": "data_security_unmet", "reason": " "}, "reason"),
        ({"ground": "data_security_unmet"}, "reason"),
    ):
        r = await api.call("POST", f"{url}/pre-checks", api.reviewer, json=bad)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field, r.text

    r = await api.call("POST", f"{url}/pre-checks", api.reviewer, json=vague)
    assert r.status_code == 201, r.text
    raised = r.json()
    assert (raised["rule_id"], raised["article"], raised["status"]) == (
        "D5",
        "SN P art19(二)",
        "raised",
    )
    assert (raised["raised_by"], raised["raise_reason"]) == ("rita", vague["reason"])
    assert "(item 6)" in raised["reason"]
    r = await api.call("POST", f"{url}/pre-checks", api.reviewer, json=vague)
    assert r.status_code == 409  # raised already
    # The unit sees it (it is what to revise); another unit does not see the case.
    assert raised["id"] in [
        p["id"] for p in (await api.call("GET", f"{url}/pre-checks", unit)).json()
    ]
    assert (await api.call("GET", f"{url}/pre-checks", other)).status_code == 404

    # A judged ground is not the declaration's to clear: clearance of a declared one is a 409.
    declared = {
        p["ground"]: p["id"] for p in (await api.call("GET", f"{url}/pre-checks", unit)).json()
    }
    clear = {"reason": "已补充"}
    r = await api.call(
        "POST",
        f"{url}/pre-checks/{declared['new_data_centre']}/clearance",
        api.reviewer,
        json=clear,
    )
    assert r.status_code == 409
    await api.declare(case["id"], unit)  # the data centre is gone; the judged ground stays
    statuses = {
        p["ground"]: p["status"] for p in (await api.call("GET", f"{url}/pre-checks", unit)).json()
    }
    assert statuses == {"new_data_centre": "cleared", "unclear_needs_or_goals": "raised"}

    approve = {"conclusion": "approve", "reason": "同意"}
    r = await api.call("POST", f"{url}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 422, r.text
    [d5] = r.json()["decisions"]
    assert (d5["rule_id"], d5["article"], d5["outcome"]) == ("D5", "SN P art19(二)", "refuse")
    assert d5["figures"] == {"ground": "unclear_needs_or_goals", "item": 6}

    # Another judged ground, overruled in writing as any raised ground is: it no longer blocks.
    r = await api.call(
        "POST",
        f"{url}/pre-checks",
        api.reviewer,
        json={"ground": "data_security_unmet", "reason": "未做数据分类分级"},
    )
    security = r.json()
    r = await api.call(
        "POST",
        f"{url}/pre-checks/{security['id']}/overrule",
        api.reviewer,
        json={"reason": "已纳入建设内容,验收时核查"},
    )
    assert r.status_code == 200 and r.json()["status"] == "overruled"
    r = await api.call(
        "POST",
        f"{url}/pre-checks",
        api.reviewer,
        json={"ground": "data_security_unmet", "reason": "再次提出"},
    )
    assert r.status_code == 409  # overruled in writing stays overruled

    # Cleared in writing by the bureau (not by the unit), it no longer blocks; raised again, it does.
    path = f"{url}/pre-checks/{raised['id']}/clearance"
    assert (await api.call("POST", path, unit, json=clear)).status_code == 403
    r = await api.call("POST", path, api.reviewer, json={"reason": " "})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = await api.call("POST", path, api.reviewer, json={"reason": "修改稿已列出量化指标"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["cleared_by"]) == ("cleared", "rita")
    assert (await api.call("POST", path, api.reviewer, json=clear)).status_code == 409
    r = await api.call("POST", f"{url}/pre-checks", api.reviewer, json=vague)
    assert r.status_code == 201 and r.json()["id"] == raised["id"]
    assert r.json()["cleared_by"] is None
    r = await api.call("POST", f"{url}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 422
    await api.call("POST", path, api.reviewer, json={"reason": "修改稿已列出量化指标"})
    r = await api.call("POST", f"{url}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 200, r.text
    # A concluded case takes no new ground.
    r = await api.call(
        "POST",
        f"{url}/pre-checks",
        api.reviewer,
        json={"ground": "not_shared_infrastructure", "reason": "x"},
    )
    assert r.status_code == 409
    types = await api.event_types()
    # Two declarations, three raisings, two clearances; one overrule.
    assert types.count("govit.review.case.pre_checked") == 7
    assert types.count("govit.review.pre_check.overruled") == 1


@pytest.mark.parametrize("profile", ["pingdingshan", "wuhai", "xianyang", "yunyang"])
async def test_no_judged_ground_where_the_profile_has_no_d5(review_for, profile):
    api = await review_for(profile)
    case = await api.open_case("p-nod5", "org-a", "450000.00")
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/pre-checks",
        api.reviewer,
        json={"ground": "unclear_needs_or_goals", "reason": "目标不明确"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "ground" and r.json()["rule_id"] == "D5"
    assert (await api.call("GET", f"/v1/cases/{case['id']}/pre-checks", api.reviewer)).json() == []
