"""H1 at the edges of its window, in every profile with H1, over REST and at fixed instants
(China time): an evaluation is overdue from the day after its due date, never on the due date
itself (within 12 months: the last day is still in time); and its result is recorded from its
earliest date on (YY art27 12-24 months, XY art19 after a year of operation), not the day before."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from govit_kit.policy import SHANGHAI, load_profile
from review.acceptance import flows as acceptance_flows
from review.acceptance.enums import EvaluationStatus
from review.acceptance.models import Evaluation
from review.acceptance.rules import evaluation_window

FLAGS = "/v1/evaluations/overdue-flags"


def china(day: date, at: time) -> datetime:
    """The UTC instant of `at` on `day` in China."""
    return datetime.combine(day, at, tzinfo=SHANGHAI).astimezone(UTC)


async def pending_evaluation(api, profile: str, accepted: date, live: date | None) -> Evaluation:
    """A pending evaluation with the window the profile's H1 gives (stored as acceptance does)."""
    earliest, due, decision = evaluation_window(
        load_profile(profile), accepted_on=accepted, went_live_on=live
    )
    ev = Evaluation(
        case_id="case-h1",
        project_id="p-h1",
        org_id="org-a",
        earliest_on=earliest,
        due_on=due,
        status=EvaluationStatus.PENDING.value,
        decisions=[decision.to_dict()],
    )
    async with api.service.runtime.db.unit_of_work() as uow:
        uow.session.add(ev)
    return ev


@pytest.mark.parametrize(
    ("profile", "accepted", "live", "due", "article"),
    [
        ("pingdingshan", date(2026, 3, 31), None, date(2027, 3, 31), "PDS P art19"),
        ("suining", date(2026, 3, 31), date(2026, 3, 31), date(2027, 3, 31), "SN P art36"),
        ("yunyang", date(2026, 1, 31), None, date(2028, 1, 31), "YY art27"),
    ],
)
async def test_h1_overdue_from_the_day_after_the_due_date(
    review_for, monkeypatch, profile, accepted, live, due, article
):
    api = await review_for(profile)
    ev = await pending_evaluation(api, profile, accepted, live)
    assert ev.due_on == due
    overdue = {"overdue": True}
    # The last instant of the due date in China: still in time, nothing flagged.
    monkeypatch.setattr(acceptance_flows, "utcnow", lambda: china(due, time(23, 59, 59)))
    assert (await api.call("POST", FLAGS, api.reviewer)).json() == []
    r = await api.call("GET", "/v1/evaluations", api.reviewer, params=overdue)
    assert r.json()["items"] == []
    # The first instant of the next day: overdue, flagged once, citing H1 and the article.
    monkeypatch.setattr(acceptance_flows, "utcnow", lambda: china(due + timedelta(1), time()))
    [flagged] = (await api.call("POST", FLAGS, api.reviewer)).json()
    assert flagged["id"] == ev.id
    flag = flagged["decisions"][-1]
    assert (flag["rule_id"], flag["article"], flag["outcome"]) == ("H1", article, "flag")
    assert due.isoformat() in flag["reason"]
    assert (await api.call("POST", FLAGS, api.reviewer)).json() == []
    r = await api.call("GET", "/v1/evaluations", api.reviewer, params=overdue)
    assert [e["id"] for e in r.json()["items"]] == [ev.id]


async def test_h1_xianyang_has_no_due_date_and_is_never_flagged(review_for, monkeypatch):
    """XY art19 (经过1年运行后) sets when the evaluation may start, not a deadline."""
    api = await review_for("xianyang")
    ev = await pending_evaluation(api, "xianyang", date(2026, 3, 1), date(2026, 5, 1))
    assert (ev.earliest_on, ev.due_on) == (date(2027, 5, 1), None)
    monkeypatch.setattr(acceptance_flows, "utcnow", lambda: china(date(2036, 1, 1), time()))
    assert (await api.call("POST", FLAGS, api.reviewer)).json() == []


@pytest.mark.parametrize(
    ("profile", "accepted", "live", "earliest", "article"),
    [
        ("yunyang", date(2026, 1, 31), date(2026, 3, 31), date(2027, 3, 31), "YY art27"),
        ("xianyang", date(2026, 3, 1), date(2026, 5, 1), date(2027, 5, 1), "XY art19"),
    ],
)
async def test_h1_result_from_the_earliest_date_not_the_day_before(
    review_for, monkeypatch, profile, accepted, live, earliest, article
):
    api = await review_for(profile)
    ev = await pending_evaluation(api, profile, accepted, live)
    assert ev.earliest_on == earliest
    url = f"/v1/evaluations/{ev.id}/result"
    body = {"grade": "pass", "summary": "达到绩效目标"}
    # The last instant of the day before, in China: too early, refused citing H1.
    eve = china(earliest - timedelta(1), time(23, 59, 59))
    monkeypatch.setattr(acceptance_flows, "utcnow", lambda: eve)
    r = await api.call("POST", url, api.reviewer, json=body)
    assert r.status_code == 422, r.text
    [refusal] = r.json()["decisions"]
    assert (refusal["rule_id"], refusal["article"], refusal["outcome"]) == ("H1", article, "refuse")
    assert earliest.isoformat() in refusal["reason"]
    # The first instant of the earliest date: recorded.
    monkeypatch.setattr(acceptance_flows, "utcnow", lambda: china(earliest, time()))
    r = await api.call("POST", url, api.reviewer, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "recorded"
    assert r.json()["decisions"][0]["rule_id"] == "H1"
