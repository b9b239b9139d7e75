"""J1-J3 over the profiles: the order's basis and holds, the ladder, the bar on new projects."""

from datetime import UTC, datetime, timedelta

import pytest

from govit_kit.policy import calendar_for, load_profile
from review.rectification.enums import Finding, Sanction
from review.rectification.rules import new_project_gate, next_sanction, order_decisions

DUE = datetime(2026, 10, 9, 15, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("profile", "finding", "expected", "blocks"),
    [
        (
            "suining",
            Finding.SECURITY,
            [("J1", "deadline", "SN P art37"), ("J3", "refuse", "SN P art43")],
            True,
        ),
        (
            "yunyang",
            Finding.CRYPTO,
            [("J1", "deadline", "YY art32"), ("J3", "refuse", "YY art29")],
            True,
        ),
        ("yunyang", Finding.NOT_SHARING_DATA, [("J1", "deadline", "YY art32")], False),
        (
            "wuhai",
            Finding.SECURITY,
            [("J2", "deadline", "WH art20"), ("I4", "hold", "WH art20")],
            False,
        ),
        ("suining", Finding.SERIOUS_DELAY, [("F4", "deadline", "SN P art31")], False),
        ("pingdingshan", Finding.OTHER, [("J1", "allow", "")], False),
    ],
)
def test_order_decisions(profile, finding, expected, blocks):
    decisions, got_blocks = order_decisions(load_profile(profile), finding, DUE)
    assert [(d.rule_id, d.outcome.value, d.article) for d in decisions] == expected
    assert got_blocks is blocks


def test_ladder_climbs_only_when_overdue():
    p = load_profile("suining")
    assert next_sanction(p, 0, DUE, DUE)[0] is None  # due at the close of the day: not yet
    late = DUE + timedelta(microseconds=1)
    steps = [next_sanction(p, level, DUE, late) for level in range(5)]
    assert [s for s, _ in steps] == [*Sanction, None]
    assert [d.outcome.value for _, d in steps[:4]] == ["flag", "hold", "hold", "hold"]
    assert all(d.article == "SN P art37" for _, d in steps)


@pytest.mark.parametrize("profile", ["wuhai", "pingdingshan", "xianyang"])
def test_no_ladder_where_j1_does_not_apply(profile):
    # Only SN P art37 and YY art32 escalate to criticism, deferral, suspension and termination.
    late = DUE + timedelta(days=400)
    for level in range(5):
        sanction, decision = next_sanction(load_profile(profile), level, DUE, late)
        assert sanction is None and decision.outcome.value == "allow"


def test_deadline_counts_working_days_over_national_day():
    # Issued on 2026-09-30 with 3 working days: the National Day holiday does not count.
    cal = calendar_for(load_profile("suining"))
    issued = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
    due = cal.add_working_days(issued, 3)
    assert due.date() > datetime(2026, 10, 8).date()
    assert cal.working_days_between(issued, due) == 3


@pytest.mark.parametrize(
    ("profile", "n", "rule"),
    [("suining", 1, "J3"), ("yunyang", 2, "J3"), ("suining", 0, None), ("wuhai", 1, None)],
)
def test_new_project_gate(profile, n, rule):
    d = new_project_gate(load_profile(profile), n)
    assert (d.rule_id if d else None) == rule
