"""L4 read with L12 (SN C art11, art12): the working days during which an important
migration's submitted plan awaits the bureau's decision do not count against the unit's
deployment deadline. The plan's submission pauses the open deadline (the scheduler does not
raise it, the overdue list does not show it; GET /v1/deadlines/paused does, with the reason);
the bureau's decision, approval or refusal, resumes it with the working days that were left,
counted on the working-day calendar. A deadline already past due stays passed; ordinary
migrations and new systems are untouched.

The broker's scheduler stays idle here (`broker_no_scheduler`): each test raises passed
deadlines itself, at the instants it names, and the deadline clock is set where it matters."""

import base64
import json
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select, update

from cloud_broker.deadlines import service as deadline_service
from cloud_broker.deadlines.models import Deadline
from cloud_broker.deadlines.scheduled import raise_passed
from cloud_broker.requests.rules import BASE_MATERIALS, SN_MATERIALS
from govit.cloud_broker.v1 import events_pb2
from govit_kit.db import utcnow
from govit_kit.policy import SHANGHAI

MATERIALS = {name: f"doc:{name}" for name in {**BASE_MATERIALS, **SN_MATERIALS}}


def cst(day: str, hour: int = 10) -> datetime:
    """An instant on a Shanghai calendar day, in UTC."""
    d = datetime.fromisoformat(day).date()
    return datetime.combine(d, time(hour), tzinfo=SHANGHAI).astimezone(UTC)


def close_of(day: str) -> datetime:
    """The close of a Shanghai calendar day (when a due date falls), in UTC."""
    d = datetime.fromisoformat(day).date()
    return datetime.combine(d, time.max, tzinfo=SHANGHAI).astimezone(UTC)


def identity(user: str) -> str:
    return "console " + base64.b64encode(json.dumps({"user_id": user}).encode()).decode()


async def file_existing(broker, impact, **materials) -> str:
    """File (submit) an existing system's request of org-a; its id."""
    body = {
        "service_mode": "general",
        "items": [{"sku": "ecs.vcpu", "quantity": 4}],
        "materials": {**MATERIALS, "past_usage": "doc:past-usage", **materials},
        "new_system": False,
        "migration_impact": impact,
    }
    r = await broker.http.post("/v1/resource-requests", headers=broker.unit(), json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def to_configured(broker, rid, platform="pa") -> None:
    """Approve, allocate and have the provider configure the resources (L4's deadline starts)."""
    await broker.to_approved(rid)
    r = await broker.http.post(
        f"/v1/resource-requests/{rid}/allocate",
        headers=broker.admin,
        json={"platform_id": platform},
    )
    assert r.status_code == 200, r.text
    r = await broker.http.get(
        "/v1/provider/work-orders", headers=broker.provider(platform), params={"status": "queued"}
    )
    [order] = [o for o in r.json()["items"] if o["spec"]["request_id"] == rid]
    h = {**broker.provider(platform), "X-Broker-API-Originating-Identity": identity("zhang.san")}
    r = await broker.http.post(f"/v1/provider/work-orders/{order['id']}/claim", headers=h)
    assert r.status_code == 200, r.text
    r = await broker.http.post(
        f"/v1/provider/work-orders/{order['id']}/complete",
        headers=h,
        json={"resource_ids": [f"ecs-{rid[:8]}"]},
    )
    assert r.status_code == 202, r.text


async def deployment(broker, rid) -> Deadline:
    async with broker.running.runtime.db.sessions() as s:
        return await s.scalar(
            select(Deadline).where(Deadline.subject_id == rid, Deadline.kind == "deployment")
        )


async def set_due(broker, rid, due: datetime) -> None:
    """Time travel: the deployment deadline falls due at `due` (as if configured earlier)."""
    async with broker.running.runtime.db.unit_of_work() as uow:
        await uow.session.execute(
            update(Deadline)
            .where(Deadline.subject_id == rid, Deadline.kind == "deployment")
            .values(due_at=due)
        )


async def passed_events(broker) -> int:
    ob = broker.running.runtime.db.tables.outbox
    async with broker.running.runtime.db.sessions() as s:
        return await s.scalar(select(func.count()).where(ob.c.event_type.like("%.deadline.passed")))


async def listed(broker, which, headers) -> list[dict]:
    r = await broker.http.get(f"/v1/deadlines/{which}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def act_decisions(broker, rid, action) -> list[list[dict]]:
    """The decisions of each history row of this action, in order."""
    r = await broker.http.get(f"/v1/resource-requests/{rid}/history", headers=broker.unit())
    assert r.status_code == 200, r.text
    return [h["decisions"] for h in r.json() if h["action"] == action]


def l4(decisions) -> list[dict]:
    return [d for d in decisions if d["rule_id"] == "L4"]


class Clock:
    """The deadlines' clock (pausing, resuming), set by the test."""

    def __init__(self, monkeypatch):
        self.now = utcnow()
        monkeypatch.setattr(deadline_service, "utcnow", lambda: self.now)


async def test_a_pending_plan_pauses_the_deadline_which_resumes_across_the_holidays(
    broker_no_scheduler, monkeypatch
):
    broker = broker_no_scheduler
    clock = Clock(monkeypatch)
    await broker.catalog()
    rid = await file_existing(broker, "important")
    await to_configured(broker, rid)
    # Configured so that the unit's 10 working days end on Wednesday 2026-09-30.
    await set_due(broker, rid, close_of("2026-09-30"))

    # Thursday 2026-09-24 the unit submits its plan: 3 working days are left (Friday 25th is
    # Mid-Autumn Festival, then a weekend; Mon 28th, Tue 29th, Wed 30th count).
    clock.now = cst("2026-09-24")
    await broker.step(rid, "migration-plan", broker.unit(), document="doc:plan-v1")
    d = await deployment(broker, rid)
    assert (d.paused_at, d.paused_working_days, d.due_at) == (
        clock.now,
        3,
        close_of("2026-09-30"),
    )
    assert "L4 (SN C art11)" in d.pause_reason and "L12 (SN C art12)" in d.pause_reason
    [[held]] = [l4(ds) for ds in await act_decisions(broker, rid, "migration_plan_submitted")]
    assert (held["outcome"], held["figures"]["working_days_left"]) == ("hold", 3)

    # The bureau takes its time: past the old due date, nothing is raised, nothing overdue.
    db = broker.running.runtime.db
    assert await raise_passed(db, now=cst("2026-10-08", 12)) == 0
    assert await passed_events(broker) == 0
    assert await listed(broker, "overdue", broker.admin) == []
    assert await listed(broker, "overdue", broker.unit()) == []
    [item] = await listed(broker, "paused", broker.unit())
    assert (item["subject_id"], item["kind"], item["party"]) == (rid, "deployment", "unit")
    assert (item["paused_working_days"], item["pause_reason"]) == (3, d.pause_reason)
    assert [i["id"] for i in await listed(broker, "paused", broker.admin)] == [item["id"]]
    assert await listed(broker, "paused", broker.unit("org-b")) == []

    # A revised plan while the first still waits changes nothing: paused since the 24th.
    clock.now = cst("2026-09-29")
    await broker.step(rid, "migration-plan", broker.unit(), document="doc:plan-v2")
    d = await deployment(broker, rid)
    assert (d.paused_at, d.paused_working_days) == (cst("2026-09-24"), 3)
    [_, again] = await act_decisions(broker, rid, "migration_plan_submitted")
    assert l4(again) == []

    # Friday 2026-10-09 the bureau approves: the 3 working days run again from then, Saturday
    # 10th (a make-up workday), Monday 12th, Tuesday 13th. The days it waited did not count:
    # Sep 28-30, Oct 8-9 (Oct 1-7 are the National Day holidays).
    clock.now = cst("2026-10-09")
    await broker.step(rid, "migration-plan/decision", broker.admin, approve=True, reason="可行")
    d = await deployment(broker, rid)
    assert (d.due_at, d.paused_at, d.paused_working_days, d.passed_at) == (
        close_of("2026-10-13"),
        None,
        None,
        None,
    )
    [[due]] = [l4(ds) for ds in await act_decisions(broker, rid, "migration_plan_approved")]
    assert due["outcome"] == "deadline"
    assert datetime.fromisoformat(due["figures"]["due"]) == close_of("2026-10-13")
    assert (due["figures"]["working_days"], due["figures"]["paused_working_days"]) == (3, 5)
    # The event says so too (its decisions carry no figures: the reason names the date).
    ob = db.tables.outbox
    async with db.sessions() as s:
        payload = await s.scalar(
            select(ob.c.payload).where(
                ob.c.subject == rid, ob.c.event_type.like("%.migration_plan_approved")
            )
        )
    event = events_pb2.ResourceRequestMigration.FromString(payload)
    [shown] = [x for x in event.decisions if x.rule_id == "L4"]
    assert (shown.article, shown.outcome) == ("SN C art11", "deadline")
    assert "2026-10-13" in shown.reason
    assert await listed(broker, "paused", broker.admin) == []

    # The resumed deadline is due at the close of the 13th, and raised once after it.
    assert await raise_passed(db, now=cst("2026-10-13", 23)) == 0
    assert await raise_passed(db, now=cst("2026-10-14", 1)) == 1
    assert await passed_events(broker) == 1


async def test_a_plan_filed_first_starts_the_deadline_paused_and_each_decision_resumes_it(
    broker_no_scheduler,
):
    broker = broker_no_scheduler
    rt = broker.running.runtime
    days = rt.profile.rule("L4").figures["deployment_working_days"]
    await broker.catalog()
    rid = await file_existing(broker, "important", migration_plan="doc:plan-v1")

    # Configured while the plan waits: the deadline starts paused with all its working days.
    await to_configured(broker, rid)
    d = await deployment(broker, rid)
    assert d.paused_at is not None and d.paused_working_days == days
    assert await raise_passed(rt.db, now=utcnow() + timedelta(days=90)) == 0
    assert [i["subject_id"] for i in await listed(broker, "paused", broker.admin)] == [rid]

    # Refused: the unit's turn again, its working days run from the refusal.
    before = utcnow()
    await broker.step(
        rid, "migration-plan/decision", broker.admin, approve=False, reason="回退方案不完整"
    )
    after = utcnow()
    d = await deployment(broker, rid)
    assert d.paused_at is None
    assert d.due_at in {
        rt.calendar.add_working_days(before, days),
        rt.calendar.add_working_days(after, days),
    }
    [[due]] = [l4(ds) for ds in await act_decisions(broker, rid, "migration_plan_refused")]
    assert (due["outcome"], due["figures"]["working_days"]) == ("deadline", days)
    assert await listed(broker, "paused", broker.admin) == []

    # Resubmitted: paused again, with what is left; approved: running again.
    await broker.step(rid, "migration-plan", broker.unit(), document="doc:plan-v2")
    d = await deployment(broker, rid)
    assert d.paused_at is not None
    assert d.paused_working_days == rt.calendar.working_days_between(d.paused_at, d.due_at)
    assert await raise_passed(rt.db, now=utcnow() + timedelta(days=90)) == 0
    await broker.step(rid, "migration-plan/decision", broker.admin2, approve=True, reason="可行")
    d = await deployment(broker, rid)
    assert d.paused_at is None and d.due_at > utcnow()
    await broker.step(rid, "deploy", broker.unit())
    assert (await deployment(broker, rid)).met_at is not None


async def test_a_deadline_past_due_before_the_plan_was_submitted_stays_passed(
    broker_no_scheduler, monkeypatch
):
    broker = broker_no_scheduler
    clock = Clock(monkeypatch)
    db = broker.running.runtime.db
    await broker.catalog()
    rid = await file_existing(broker, "important")
    await to_configured(broker, rid)
    await set_due(broker, rid, close_of("2026-09-30"))

    # The plan comes on 2026-10-09, after the due date, before the scheduler's round: the
    # unit was already late, so nothing is paused.
    clock.now = cst("2026-10-09")
    await broker.step(rid, "migration-plan", broker.unit(), document="doc:plan")
    d = await deployment(broker, rid)
    assert (d.paused_at, d.paused_working_days, d.passed_at) == (None, None, None)
    [submitted] = await act_decisions(broker, rid, "migration_plan_submitted")
    assert l4(submitted) == []
    assert await listed(broker, "paused", broker.admin) == []
    assert await raise_passed(db, now=cst("2026-10-09", 11)) == 1
    [item] = await listed(broker, "overdue", broker.unit())
    assert (item["subject_id"], item["paused_at"]) == (rid, None)

    # Neither a revised plan nor the bureau's decision moves it: it stays passed.
    await broker.step(rid, "migration-plan", broker.unit(), document="doc:plan-v2")
    clock.now = cst("2026-10-12")
    await broker.step(rid, "migration-plan/decision", broker.admin, approve=True, reason="可行")
    d = await deployment(broker, rid)
    assert (d.due_at, d.paused_at) == (close_of("2026-09-30"), None)
    assert d.passed_at == cst("2026-10-09", 11)
    [approved] = await act_decisions(broker, rid, "migration_plan_approved")
    assert l4(approved) == []
    assert [i["subject_id"] for i in await listed(broker, "overdue", broker.admin)] == [rid]
    assert await passed_events(broker) == 1


async def test_ordinary_migrations_and_new_systems_keep_their_deadline_running(
    broker_no_scheduler,
):
    broker = broker_no_scheduler
    db = broker.running.runtime.db
    await broker.catalog()
    ordinary = await file_existing(broker, "ordinary")
    new = (await broker.file(await broker.approved_project()))["id"]
    for rid in (ordinary, new):
        await to_configured(broker, rid)
    start = (utcnow() + timedelta(days=2)).isoformat()
    await broker.step(
        ordinary, "migration-notice", broker.unit(), affected_org_ids=[], planned_start=start
    )
    for rid in (ordinary, new):
        d = await deployment(broker, rid)
        assert d.paused_at is None and d.due_at > utcnow()
        await set_due(broker, rid, utcnow() - timedelta(hours=1))
    assert await listed(broker, "paused", broker.admin) == []
    assert await raise_passed(db) == 2
    items = await listed(broker, "overdue", broker.unit())
    assert sorted(i["subject_id"] for i in items) == sorted([ordinary, new])
    assert {(i["kind"], i["paused_at"], i["pause_reason"]) for i in items} == {
        ("deployment", None, None)
    }


async def test_on_postgresql_a_pause_waits_for_a_scheduler_round_that_marked_it_passed(
    broker_no_scheduler,
):
    """The scheduler's round marks a deadline passed (its row locked, FOR UPDATE SKIP LOCKED)
    while the plan's submission pauses it: the pause waits for the round, then sees the
    deadline passed and leaves it so; a deadline is never both passed and paused."""
    import asyncio

    rt = broker_no_scheduler.running.runtime
    db = rt.db
    assert db.engine.dialect.name == "postgresql"
    due = utcnow() + timedelta(days=20)
    async with db.unit_of_work() as uow:
        row = Deadline(
            subject_kind="resource_request",
            subject_id="r-race",
            kind="deployment",
            org_id="org-a",
            party="unit",
            rule_id="L4",
            article="SN C art11",
            reason="deploy the system within 10 working days",
            due_at=due,
        )
        uow.session.add(row)

    async def pause():
        async with db.unit_of_work() as uow:
            paused = await deadline_service.pause(
                session=uow.session,
                calendar=rt.calendar,
                subject_kind="resource_request",
                subject_id="r-race",
                kind="deployment",
                reason="paused",
            )
            return paused is not None

    round_at = due + timedelta(minutes=1)
    async with db.unit_of_work() as round_:  # a scheduler round, mid-way
        [taken] = (
            await round_.session.scalars(
                select(Deadline)
                .where(Deadline.subject_id == "r-race", Deadline.passed_at.is_(None))
                .with_for_update(skip_locked=True)
            )
        ).all()
        taken.passed_at = round_at
        await round_.session.flush()
        pausing = asyncio.create_task(pause())
        await asyncio.sleep(0.5)
        assert not pausing.done()  # it waits on the round's lock
    assert await pausing is False
    async with db.sessions() as s:
        d = await s.scalar(select(Deadline).where(Deadline.subject_id == "r-race"))
    assert (d.passed_at, d.paused_at, d.paused_working_days) == (round_at, None, None)
