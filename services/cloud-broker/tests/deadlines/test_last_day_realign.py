"""Due dates stored before the rest-day rule (民法典 art 203: a last day on a weekend or holiday
moves to the next working day) are brought onto it before the scheduler raises anything: L13's
monthly report (PDS C art14: by the 5th) and L7's transition (SN C art16: 3 months). Only open
ones move (not met, not raised); a moved one emits nothing (no service keeps the broker's
dates), and moving is done once: the next rounds find nothing to move.

The repro: pingdingshan's report on November 2026 was stored due Saturday 5 December; the rule
(rules.report_due) says Monday 7 December, and a filing on the Monday is judged on time, yet the
scheduler raised `deadline.passed` on Sunday 6 December."""

import asyncio
from contextlib import suppress
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from cloud_broker.deadlines.models import Deadline
from cloud_broker.deadlines.scheduled import raise_passed
from cloud_broker.provider import obligations, rules
from govit_kit.policy import SHANGHAI, Outcome

from ..provider.test_obligations import backdate


async def without_scheduler(b) -> None:
    """Stop the broker's own scheduler: its first round runs on the real clock, later than the
    rows here are due, and would race the rounds the test runs at the times it picks."""
    [task] = [t for t in b.running.tasks if t.get_name() == "scheduler"]
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task


def cst(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), SHANGHAI).astimezone(UTC)


def close_of(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.max, SHANGHAI).astimezone(UTC)


async def stored_before_the_rule(db, **row) -> str:
    """A deadline row as the broker stored it before the rest-day rule."""
    d = Deadline(org_id="", article="", **row)
    async with db.unit_of_work() as uow:
        uow.session.add(d)
        await uow.session.flush()
        return d.id


async def get(db, deadline_id: str) -> Deadline:
    async with db.sessions() as s:
        return await s.get(Deadline, deadline_id)


async def told(db, what: str) -> list[str]:
    ob = db.tables.outbox
    async with db.sessions() as s:
        return list(await s.scalars(select(ob.c.subject).where(ob.c.event_type.like(what))))


async def test_a_report_due_stored_on_a_saturday_moves_to_monday(broker_pds_no_scheduler):
    b = broker_pds_no_scheduler
    rt, db = b.running.runtime, b.running.runtime.db
    await without_scheduler(b)
    await b.catalog()
    await backdate(b)
    report = dict(
        subject_kind="provider_report",
        kind="monthly_report",
        rule_id="L13",
        reason="monthly report on 2026-11 due by the 5th of the next month",
        due_at=close_of("2026-12-05"),  # Saturday: as counted before the rule
    )
    pa = await stored_before_the_rule(db, subject_id="pa:2026-11", party="provider:pa", **report)
    # pb's row disagrees with the rule the other way (a day later than it): it is brought back.
    pb = await stored_before_the_rule(
        db, subject_id="pb:2026-11", party="provider:pb", **{**report, "due_at": cst("2026-12-08")}
    )
    rule = rules.report_due(rt.profile, "2026-11")
    assert rule.figures["due"] == close_of("2026-12-07")

    # Sunday 6 December: the scheduler's round stores nothing new, brings both rows onto the
    # rule and raises nothing.
    sunday = cst("2026-12-06")
    assert await obligations.ensure_report_deadlines(rt=rt, now=sunday) == 0
    assert await raise_passed(db, now=sunday, calendar=rt.calendar) == 0
    for deadline_id in (pa, pb):
        d = await get(db, deadline_id)
        assert (d.due_at, d.passed_at, d.met_at) == (close_of("2026-12-07"), None, None)
        assert (d.rule_id, d.reason) == ("L13", rule.reason)
        assert "民法典 art 203" in d.reason
    # A filing on Monday is on time, and the row agrees.
    monday = cst("2026-12-07", 18)
    assert rules.report_filed(rt.profile, "2026-11", monday).outcome is Outcome.ALLOW
    assert await raise_passed(db, now=monday, calendar=rt.calendar) == 0
    # Unfiled, it is raised once Monday has ended; moving told nothing.
    assert await raise_passed(db, now=cst("2026-12-08", 1), calendar=rt.calendar) == 2
    assert await told(db, "%.deadline.recounted") == []
    assert sorted(await told(db, "%.deadline.passed")) == ["pa:2026-11", "pb:2026-11"]


async def test_an_open_transition_stored_on_a_rest_day_moves_once(broker_no_scheduler):
    """SN C art16 (L7): 3 months from an exit approved on Saturday 5 September 2026 ended, as
    counted before the rule, on Saturday 5 December: the last day is Monday 7 December."""
    b = broker_no_scheduler
    rt, db = b.running.runtime, b.running.runtime.db
    await without_scheduler(b)
    transition = dict(
        subject_kind="resource_request",
        kind="transition",
        party="unit",
        rule_id="L7",
        reason="migrate and back up within the 3-month transition",
        due_at=close_of("2026-12-05"),
    )
    open_ = await stored_before_the_rule(db, subject_id="r-open", **transition)
    met = await stored_before_the_rule(
        db, subject_id="r-met", met_at=cst("2026-12-01"), **transition
    )
    raised = await stored_before_the_rule(
        db, subject_id="r-raised", passed_at=cst("2026-12-06", 0), **transition
    )
    weekday = await stored_before_the_rule(
        db, subject_id="r-weekday", **{**transition, "due_at": close_of("2026-12-10")}
    )

    assert await raise_passed(db, now=cst("2026-12-06"), calendar=rt.calendar) == 0
    d = await get(db, open_)
    assert (d.due_at, d.passed_at) == (close_of("2026-12-07"), None)
    assert d.reason.startswith(transition["reason"])
    assert "2026-12-05 is a rest day" in d.reason and "民法典 art 203" in d.reason
    # Met and raised rows are history; a working day stays.
    assert (await get(db, met)).due_at == close_of("2026-12-05")
    assert (await get(db, raised)).due_at == close_of("2026-12-05")
    assert (await get(db, weekday)).due_at == close_of("2026-12-10")
    # Once: the next round moves nothing and leaves the reason as it is.
    assert await raise_passed(db, now=cst("2026-12-07"), calendar=rt.calendar) == 0
    again = await get(db, open_)
    assert (again.due_at, again.reason) == (d.due_at, d.reason)
    assert await raise_passed(db, now=cst("2026-12-08", 1), calendar=rt.calendar) == 1
    assert await told(db, "%.deadline.recounted") == []
