"""H1 evaluations stored before the rest-day rule (民法典 art 203) kept the counted last day when
it fell on a weekend or holiday. A pending one not yet flagged is brought onto the rule before
the sweep (or the bureau) flags anything, once; flagged and recorded ones are history.

Pingdingshan (PDS P art19): within 12 months of the final acceptance of 10 July 2026, i.e. by
Saturday 10 July 2027 as counted before the rule; the last day is Monday 12 July."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from review.acceptance import flows as acceptance_flows
from review.acceptance.models import Evaluation
from review.scheduled import sweep

# 10:00 on Sunday 11 July 2027 in China.
SUNDAY = datetime(2027, 7, 11, 2, tzinfo=UTC)


def stored_before_the_rule(project: str, **over) -> Evaluation:
    row = dict(
        case_id=f"c-{project}",
        project_id=project,
        org_id="org-a",
        earliest_on=None,
        due_on=date(2027, 7, 10),
        status="pending",
        decisions=[
            {
                "rule_id": "H1",
                "article": "PDS P art19",
                "outcome": "deadline",
                "reason": "within 12 months of final acceptance",
                "figures": {"due": "2027-07-10"},
            }
        ],
    )
    return Evaluation(**{**row, **over})


async def test_an_evaluation_due_on_a_saturday_moves_to_monday(review_for, monkeypatch):
    clock = {"now": SUNDAY}
    monkeypatch.setattr(acceptance_flows, "utcnow", lambda: clock["now"])
    api = await review_for("pingdingshan")
    rt = api.service.runtime
    flagged_at = datetime(2027, 7, 11, 0, tzinfo=UTC)
    async with rt.db.unit_of_work() as uow:
        rows = [
            stored_before_the_rule("p-open"),
            stored_before_the_rule("p-flagged", overdue_flagged_at=flagged_at),
            stored_before_the_rule("p-recorded", status="recorded"),
            stored_before_the_rule("p-weekday", due_on=date(2027, 7, 9)),
        ]
        uow.session.add_all(rows)
    ids = {r.project_id: r.id for r in rows}

    # Sunday: the sweep brings the open one onto the rule first and flags only the Friday one.
    assert await sweep(rt) == (0, 1, 0)

    async def get(project: str) -> Evaluation:
        async with rt.db.sessions() as s:
            return await s.scalar(select(Evaluation).where(Evaluation.id == ids[project]))

    ev = await get("p-open")
    assert (ev.due_on, ev.overdue_flagged_at, ev.status) == (date(2027, 7, 12), None, "pending")
    [h1] = ev.decisions
    assert (h1["rule_id"], h1["outcome"], h1["figures"]["due"]) == ("H1", "deadline", "2027-07-12")
    assert h1["reason"].startswith("within 12 months of final acceptance (")
    assert "2027-07-10 is a rest day" in h1["reason"] and "民法典 art 203" in h1["reason"]
    assert (await get("p-flagged")).due_on == date(2027, 7, 10)
    assert (await get("p-recorded")).due_on == date(2027, 7, 10)
    assert (await get("p-weekday")).overdue_flagged_at is not None
    overdue = (
        await api.call("GET", "/v1/evaluations", api.reviewer, params={"overdue": True})
    ).json()["items"]
    assert ids["p-open"] not in [e["id"] for e in overdue]

    # Once: Monday's sweep moves nothing more; Tuesday's flags it.
    clock["now"] = datetime(2027, 7, 12, 2, tzinfo=UTC)
    assert await sweep(rt) == (0, 0, 0)
    assert (await get("p-open")).decisions == ev.decisions
    clock["now"] = datetime(2027, 7, 13, 2, tzinfo=UTC)
    assert await sweep(rt) == (0, 1, 0)
    assert "overdue since 2027-07-12" in (await get("p-open")).decisions[-1]["reason"]
