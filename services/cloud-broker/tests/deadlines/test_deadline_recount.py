"""A due date counted on the provisional calendar of a year nobody had published (the statute's
holidays, without the State Council's bridging days and make-up workdays) is counted again once
the year is published or declared, before the scheduler marks anything passed: L4's deployment
deadline, running or paused for the migration plan (L12), and L6's. The recount is logged and
told (`deadline.recounted`); the scheduler then raises the deadline on its true date.

The broker's scheduler stays idle (`broker_no_scheduler`); the tests set the flows' clock to
2027, a year chinese-calendar 1.11.0 does not know, and then enter a notice for it."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from cloud_broker.deadlines import service as deadline_service
from cloud_broker.deadlines.models import Deadline
from cloud_broker.deadlines.scheduled import raise_passed
from cloud_broker.requests import flows as request_flows
from govit.cloud_broker.v1 import events_pb2
from govit_kit.convert import from_timestamp
from govit_kit.policy import WorkingCalendar, provisional_holidays

from .test_deployment_pause import close_of, cst, deployment, file_existing, to_configured

# A hypothetical notice for 2027 shaped like 2026's: the statutory holidays on weekdays and
# their substitute days off, bridging days 11 and 12 February, Saturday 20 February worked.
NOTICE_2027 = {
    **{d: False for d in provisional_holidays(2027) if d.weekday() < 5},
    date(2027, 2, 11): False,
    date(2027, 2, 12): False,
    date(2027, 2, 20): True,
}


# 2027 unpublished whatever chinese-calendar is installed (govit_kit.testing): the recount is
# tested above all once the library knows the year.
pytestmark = pytest.mark.usefixtures("unpublished_after_2026")


class Clock:
    """The flows' and the deadlines' clock, set by the test."""

    def __init__(self, monkeypatch, now: datetime):
        self.now = now
        monkeypatch.setattr(request_flows, "utcnow", lambda: self.now)
        monkeypatch.setattr(deadline_service, "utcnow", lambda: self.now)


async def recounted(db) -> list[events_pb2.DeadlineRecounted]:
    ob = db.tables.outbox
    async with db.sessions() as s:
        rows = await s.scalars(
            select(ob.c.payload).where(ob.c.event_type.like("%.deadline.recounted"))
        )
        return [events_pb2.DeadlineRecounted.FromString(p) for p in rows]


async def test_a_deployment_deadline_is_recounted_when_the_notice_is_entered(
    broker_no_scheduler, monkeypatch
):
    broker = broker_no_scheduler
    rt, db = broker.running.runtime, broker.running.runtime.db
    Clock(monkeypatch, cst("2027-01-28"))
    await broker.catalog()
    rid = await file_existing(broker, "ordinary")
    await to_configured(broker, rid)
    # Counted on the provisional calendar: 10 working days end on Wednesday 17 February.
    d = await deployment(broker, rid)
    assert d.due_at == close_of("2027-02-17") and d.provisional_years == "2027"
    assert (d.counted_from, d.working_days) == (cst("2027-01-28"), 10)
    r = await broker.http.get("/v1/deadlines/overdue", headers=broker.admin)
    assert r.status_code == 200
    # Still provisional: the sweep changes nothing, and tells nothing.
    assert await raise_passed(db, now=cst("2027-01-29"), calendar=rt.calendar) == 0
    assert (await deployment(broker, rid)).due_at == close_of("2027-02-17")
    assert await recounted(db) == []

    # The operator enters the State Council's notice: 8-12 February off. The sweep recounts
    # before it raises anything: due Friday 19 February, not passed on the 18th.
    monkeypatch.setattr(rt, "calendar", WorkingCalendar(NOTICE_2027))
    assert await raise_passed(db, now=cst("2027-02-18", 12), calendar=rt.calendar) == 0
    d = await deployment(broker, rid)
    assert (d.due_at, d.provisional_years, d.passed_at) == (close_of("2027-02-19"), None, None)
    [told] = await recounted(db)
    assert (told.deadline_id, told.subject_id, told.kind, told.rule_id) == (
        d.id,
        rid,
        "deployment",
        "L4",
    )
    assert from_timestamp(told.due_at) == close_of("2027-02-19")
    assert from_timestamp(told.previous_due_at) == close_of("2027-02-17")
    assert told.calendar == ""
    # Counted once: the next sweep neither recounts nor tells again; it raises on the true date.
    assert await raise_passed(db, now=cst("2027-02-19", 23), calendar=rt.calendar) == 0
    assert await raise_passed(db, now=cst("2027-02-20", 1), calendar=rt.calendar) == 1
    assert len(await recounted(db)) == 1


async def test_a_paused_deployment_deadline_keeps_the_days_left_on_the_true_calendar(
    broker_no_scheduler, monkeypatch
):
    broker = broker_no_scheduler
    rt, db = broker.running.runtime, broker.running.runtime.db
    clock = Clock(monkeypatch, cst("2027-01-28"))
    await broker.catalog()
    rid = await file_existing(broker, "important")
    await to_configured(broker, rid)
    # Monday 15 February the unit submits its plan: on the provisional calendar 2 working days
    # are left (16th, 17th); 6 of the 10 were used (29 January, 1-4 and 15 February) once the
    # notice makes 11 and 12 February holidays, so 4 are.
    clock.now = cst("2027-02-15")
    await broker.step(rid, "migration-plan", broker.unit(), document="doc:plan-v1")
    d = await deployment(broker, rid)
    assert (d.paused_working_days, d.provisional_years) == (2, "2027")
    monkeypatch.setattr(rt, "calendar", WorkingCalendar(NOTICE_2027))
    assert await raise_passed(db, now=cst("2027-02-25"), calendar=rt.calendar) == 0
    d = await deployment(broker, rid)
    assert d.paused_at == cst("2027-02-15") and d.paused_working_days == 4
    assert d.due_at == close_of("2027-02-19") and d.provisional_years is None
    assert d.pause_reason.endswith("; 4 working days left")
    # The bureau approves on Monday 1 March: 4 working days run from then, due Friday 5th.
    clock.now = cst("2027-03-01")
    await broker.step(rid, "migration-plan/decision", broker.admin, approve=True, reason="可行")
    d = await deployment(broker, rid)
    assert (d.due_at, d.paused_at) == (close_of("2027-03-05"), None)


async def test_a_resumed_deadline_is_recounted_across_its_pause(broker_no_scheduler, monkeypatch):
    broker = broker_no_scheduler
    rt, db = broker.running.runtime, broker.running.runtime.db
    clock = Clock(monkeypatch, cst("2027-01-20"))
    await broker.catalog()
    # The plan filed first: the deadline starts paused with its 10 working days.
    rid = await file_existing(broker, "important", migration_plan="doc:plan-v1")
    await to_configured(broker, rid)
    # Resumed on Wednesday 27 January: 10 working days on the provisional calendar end on
    # Tuesday 16 February; with the notice on Thursday 18 February.
    clock.now = cst("2027-01-27")
    await broker.step(rid, "migration-plan/decision", broker.admin, approve=True, reason="可行")
    d = await deployment(broker, rid)
    assert (d.due_at, d.provisional_years) == (close_of("2027-02-16"), "2027")
    monkeypatch.setattr(rt, "calendar", WorkingCalendar(NOTICE_2027))
    assert await raise_passed(db, now=cst("2027-02-17", 12), calendar=rt.calendar) == 0
    d = await deployment(broker, rid)
    assert (d.due_at, d.provisional_years) == (close_of("2027-02-18"), None)
    async with db.sessions() as s:
        listed = await s.scalar(select(Deadline.id).where(Deadline.passed_at.is_not(None)))
    assert listed is None
