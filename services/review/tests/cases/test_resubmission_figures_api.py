"""A resubmission after approve_after_revision is reviewed at its own figures: intake's new
project.submitted brings the revised name and total investment, D2 (SN P art22) chooses the
track again, and the conclusion carries the amount the round was reviewed at."""

from decimal import Decimal

from sqlalchemy import select

from govit.review.v1 import events_pb2
from govit_kit.convert import from_money
from govit_kit.testing import wait_until
from review.cases.rules import track_on_resubmission

D4 = ["technical_route", "security_and_om", "performance_goals"]  # any items: refused on track
SECRECY = ["secure_and_reliable", "electronic_records", "crypto_compliance"]


async def _payloads(api, event_type, message):
    outbox = api.service.runtime.db.tables.outbox
    async with api.service.runtime.db.sessions() as session:
        rows = await session.scalars(
            select(outbox.c.payload).where(outbox.c.event_type == event_type).order_by(outbox.c.seq)
        )
        return [message.FromString(p) for p in rows.all()]


async def _send_back(api, case_id: str) -> None:
    r = await api.call(
        "POST",
        f"/v1/cases/{case_id}/conclusion",
        api.reviewer,
        json={
            "conclusion": "approve_after_revision",
            "reason": "需完善",
            "required_revisions": ["改"],
        },
    )
    assert r.status_code == 200, r.text


async def _round(api, case_id: str, round_: int) -> dict:
    async def reopened():
        got = (await api.call("GET", f"/v1/cases/{case_id}", api.reviewer)).json()
        return got if (got["round"], got["status"]) == (round_, "open") else None

    return await wait_until(reopened)


def test_the_track_follows_the_resubmitted_amount_either_way():
    from govit_kit.policy import load_profile
    from review.cases.enums import Track

    suining = load_profile("suining")
    track, d = track_on_resubmission(
        suining,
        Decimal("900000.00"),
        previous_track=Track.FILING,
        previous_total=Decimal("100000.00"),
        round_=2,
    )
    assert track is Track.TECHNICAL_REVIEW
    assert (d.rule_id, d.article, d.outcome.value) == ("D2", "SN P art22", "allow")
    assert d.figures["round"] == 2 and d.figures["previous_track"] == "filing"
    assert "moves from filing to technical_review" in d.reason
    track, d = track_on_resubmission(
        suining,
        Decimal("299999.99"),
        previous_track=Track.TECHNICAL_REVIEW,
        previous_total=Decimal("450000.00"),
        round_=3,
    )
    assert track is Track.FILING and d.figures["total_investment"] == Decimal("299999.99")
    # Yunyang reviews every project: no amount takes a case off technical review.
    track, d = track_on_resubmission(
        load_profile("yunyang"),
        Decimal("1.00"),
        previous_track=Track.TECHNICAL_REVIEW,
        previous_total=Decimal("450000.00"),
        round_=2,
    )
    assert track is Track.TECHNICAL_REVIEW and (d.rule_id, d.article) == ("D2", "YY art10")
    assert "stays on technical_review" in d.reason


async def test_a_resubmission_above_the_threshold_goes_to_technical_review(review_for):
    """Filed below 30万, resubmitted at 90万: round 2 is a technical review, so D5's pre-checks
    and D3's joint opinions are required before approval; the conclusion carries 90万."""
    api = await review_for("suining")
    case = await api.open_case("p-up", "org-a", "100000.00", name="网格化治理")
    assert case["track"] == "filing"
    await _send_back(api, case["id"])
    await api.open_case("p-up", "org-a", "900000.00", name="网格化治理(二期)")
    got = await _round(api, case["id"], 2)
    assert (got["track"], Decimal(got["total_investment"]), got["project_name"]) == (
        "technical_review",
        Decimal("900000.00"),
        "网格化治理(二期)",
    )
    d2 = got["decisions"][-1]
    assert (d2["rule_id"], d2["article"]) == ("D2", "SN P art22") and len(got["decisions"]) == 2
    assert d2["figures"]["round"] == 2 and d2["figures"]["previous_track"] == "filing"
    assert d2["figures"]["total_investment"] == "900000.00"

    url = f"/v1/cases/{case['id']}/conclusion"
    approve = {"conclusion": "approve", "reason": "同意"}
    r = await api.call("POST", url, api.reviewer, json=approve)
    assert r.status_code == 422, r.text
    assert [d["rule_id"] for d in r.json()["decisions"]] == ["D5", "D3", "D3", "D3"]
    await api.declare(case["id"])
    expert = await api.draw_expert(case["id"], "ed")  # a filing case takes no draw: this one does
    await api.joint_review(case["id"], expert)
    r = await api.call("POST", url, api.reviewer, json=approve)
    assert r.status_code == 200, r.text

    [resubmitted] = await _payloads(
        api, "govit.review.case.resubmitted", events_pb2.CaseResubmitted
    )
    assert resubmitted.track == "technical_review" and resubmitted.round == 2
    assert [d.rule_id for d in resubmitted.decisions] == ["D2"]
    assert from_money(resubmitted.total_investment) == Decimal("900000.00")
    concluded = await _payloads(api, "govit.review.case.concluded", events_pb2.ReviewCaseConcluded)
    assert [(c.round, from_money(c.total_investment)) for c in concluded] == [
        (1, Decimal("100000.00")),
        (2, Decimal("900000.00")),
    ]


async def test_a_resubmission_below_the_threshold_is_filed(review_for):
    """Reviewed at 45万, resubmitted at 25万: round 2 is filing only. The expert drawn in round 1
    stays on the record but gives no opinion; the bureau concludes without joint opinions."""
    api = await review_for("suining")
    case = await api.open_case("p-down", "org-a", "450000.00")
    expert = await api.draw_expert(case["id"], "ed")
    await api.declare(case["id"])
    await api.joint_review(case["id"], expert)
    await _send_back(api, case["id"])
    await api.open_case("p-down", "org-a", "250000.00")
    got = await _round(api, case["id"], 2)
    assert (got["track"], Decimal(got["total_investment"])) == ("filing", Decimal("250000.00"))
    assert got["decisions"][-1]["figures"]["previous_track"] == "technical_review"
    assert (await api.opinion(case["id"], expert, D4)).status_code == 409
    assert (await api.opinion(case["id"], api.secrecy, SECRECY)).status_code == 409
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/conclusion",
        api.reviewer,
        json={"conclusion": "approve", "reason": "同意备案"},
    )
    assert r.status_code == 200, r.text
    h = (await api.call("GET", f"/v1/cases/{case['id']}/history", api.reviewer)).json()
    assert {o["round"] for o in h["opinions"]} == {1}  # round 1's opinions stay as they were


async def test_intake_resubmission_after_the_units_own_takes_its_figures(review_for):
    """The unit reopened the case in review first; intake's resubmission then joins round 2 and
    brings its figures (it does not open round 3). The same figures again change nothing."""
    api = await review_for("suining")
    case = await api.open_case("p-join", "org-a", "100000.00")
    await _send_back(api, case["id"])
    unit = api.token("alice", "org-a", "unit_staff")
    r = await api.call(
        "POST", f"/v1/cases/{case['id']}/resubmission", unit, json={"note": "已按意见修改"}
    )
    assert r.status_code == 200 and r.json()["track"] == "filing"
    await api.open_case("p-join", "org-a", "900000.00")

    async def joined():
        got = (await api.call("GET", f"/v1/cases/{case['id']}", api.reviewer)).json()
        return got if got["track"] == "technical_review" else None

    got = await wait_until(joined)
    assert (got["round"], got["status"], Decimal(got["total_investment"])) == (
        2,
        "open",
        Decimal("900000.00"),
    )
    await api.open_case("p-join", "org-a", "900000.00")  # the same figures again

    async def applied():
        inbox = api.service.runtime.db.tables.inbox
        async with api.service.runtime.db.sessions() as session:
            return len((await session.execute(inbox.select())).all()) == 3

    await wait_until(applied)
    again = (await api.call("GET", f"/v1/cases/{case['id']}", api.reviewer)).json()
    assert (again["round"], len(again["decisions"])) == (2, 2)
