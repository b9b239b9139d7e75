"""J1's 暂缓安排投资计划 (SN P art37, YY art32): while an overdue rectification order of a unit
stands escalated to `investment_deferred`, its projects join no annual plan; review's
resolution lifts it. Events are published as review's relay publishes them."""

from intake_test_helpers import applied, approve, rules_of, submitted_project
from sqlalchemy import func, select

from govit.intake.v1 import events_pb2
from govit.review.v1 import events_pb2 as review_events
from govit_kit.db import new_id
from govit_kit.testing import publish_event
from intake.orgs.models import InvestmentDeferral

ITEM = {"priority_type": "integration", "reason": "整合分散系统"}
EMERGENCY = {"emergency": True, "document_reference": "遂府函〔2027〕12号"}


def escalated(level: int, sanction: str, order_id: str = "order-1", org_id: str = "org-a"):
    return review_events.RectificationEscalated(
        order_id=order_id, project_id="p-order", org_id=org_id, level=level, sanction=sanction
    )


def resolved(order_id: str = "order-1", org_id: str = "org-a"):
    return review_events.RectificationResolved(
        order_id=order_id, project_id="p-order", org_id=org_id, blocks_new_projects=False
    )


async def order_event(c, space, name: str, message, event_id: str | None = None) -> str:
    """Publish review's rectification event and wait until intake applied it."""
    eid = await publish_event(
        space,
        "review",
        "rectification",
        name,
        message,
        subject=message.order_id,
        org_id=message.org_id,
        project_id=message.project_id,
        event_id=event_id,
        msg_id=new_id(),  # a redelivery of the same id is not dropped by JetStream
    )
    await applied(c, f"review-rectification-{name}", eid)
    return eid


async def setup(start_intake, client_for, space, profile: str = "suining", projects: int = 2):
    c = client_for(await start_intake(profile))
    pids = [await submitted_project(c) for _ in range(projects)]
    for pid in pids:
        await approve(c, space, pid)
    r = await c.http.post("/v1/annual-plans", headers=c.bureau(), json={"year": 2027})
    assert r.status_code == 201, r.text
    return c, pids


async def add(c, pid: str, **extra):
    return await c.http.post(
        "/v1/annual-plans/2027/items", headers=c.bureau(), json={"project_id": pid, **ITEM, **extra}
    )


async def j1_grounds(c, headers=None) -> list[tuple]:
    r = await c.http.get("/v1/organisations/org-a/grounds", headers=headers or c.staff())
    assert r.status_code == 200, r.text
    return [(g["order_id"], g["sanction"], g["stands"]) for g in r.json() if g["rule_id"] == "J1"]


async def test_a_deferred_unit_joins_no_plan_until_the_order_is_resolved_j1(
    start_intake, client_for, event_space
):
    c, (pid, urgent) = await setup(start_intake, client_for, event_space)
    # The first step, 通报批评, is a notice: nothing is deferred.
    await order_event(c, event_space, "escalated", escalated(1, "notice_of_criticism"))
    assert await j1_grounds(c) == []
    await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"))

    r = await add(c, pid)
    assert r.status_code == 422, r.text
    assert rules_of(r.json()) == [("J1", "SN P art37")]
    decision = r.json()["decisions"][0]
    assert decision["figures"]["order_ids"] == ["order-1"] and "order-1" in r.json()["detail"]
    # An emergency (A3) is not arranged by the plan: it is not deferred.
    assert (await add(c, urgent, **EMERGENCY)).status_code == 201
    assert await j1_grounds(c) == [("order-1", "investment_deferred", True)]
    assert await j1_grounds(c, c.bureau()) == [("order-1", "investment_deferred", True)]

    # The next step (暂停项目建设) keeps the deferral; the resolution lifts it.
    await order_event(c, event_space, "escalated", escalated(3, "construction_suspended"))
    assert (await add(c, pid)).status_code == 422
    await order_event(c, event_space, "resolved", resolved())
    r = await add(c, pid)
    assert r.status_code == 201, r.text
    assert await j1_grounds(c) == [("order-1", "construction_suspended", False)]


async def test_an_escalation_after_its_resolution_defers_nothing_j1(
    start_intake, client_for, event_space
):
    """Escalation and resolution travel on different subjects: the resolution may come first."""
    c, (pid,) = await setup(start_intake, client_for, event_space, projects=1)
    await order_event(c, event_space, "resolved", resolved())
    await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"))
    await order_event(c, event_space, "escalated", escalated(3, "construction_suspended"))
    r = await add(c, pid)
    assert r.status_code == 201, r.text
    assert await j1_grounds(c) == []


async def test_a_redelivered_escalation_changes_nothing_j1(start_intake, client_for, event_space):
    c, (pid,) = await setup(start_intake, client_for, event_space, projects=1)
    first = await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"))
    await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"), first)
    # A replay under a new id (the inbox does not know it) neither.
    await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"))
    async with c.svc.runtime.db.sessions() as session:
        rows = await session.scalar(select(func.count()).select_from(InvestmentDeferral))
    assert rows == 1
    assert rules_of((await add(c, pid)).json()) == [("J1", "SN P art37")]
    await order_event(c, event_space, "resolved", resolved())
    # The resolution's redelivery and a late replay of the escalation leave it lifted.
    await order_event(c, event_space, "resolved", resolved())
    await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"), first)
    await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"))
    assert (await add(c, pid)).status_code == 201
    assert await j1_grounds(c) == [("order-1", "investment_deferred", False)]


async def test_the_adoption_leaves_out_a_deferred_units_draft_items_j1(
    start_intake, client_for, event_space
):
    c, (pid, urgent) = await setup(start_intake, client_for, event_space)
    assert (await add(c, pid)).status_code == 201
    assert (await add(c, urgent, **EMERGENCY)).status_code == 201
    # org-b's project, with its own order resolved: not deferred.
    b = await submitted_project(c, org="org-b")
    await approve(c, event_space, b, org="org-b")
    assert (await add(c, b)).status_code == 201
    await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"))
    await order_event(
        c, event_space, "escalated", escalated(2, "investment_deferred", "o-b", "org-b")
    )
    await order_event(c, event_space, "resolved", resolved("o-b", "org-b"))

    r = await c.http.post("/v1/annual-plans/2027/adopt", headers=c.bureau())
    assert r.status_code == 200, r.text
    # The adoption answers with the plan's items as a GET shows them, the left-out one too.
    shown = (await c.http.get("/v1/annual-plans/2027", headers=c.bureau())).json()["items"]
    assert len(shown) == 3 and r.json()["items"] == shown
    outbox = c.svc.runtime.db.tables.outbox
    async with c.svc.runtime.db.sessions() as session:
        payload = await session.scalar(
            select(outbox.c.payload).where(
                outbox.c.event_type == "govit.intake.annual_plan.adopted"
            )
        )
    assert sorted(events_pb2.AnnualPlanAdopted.FromString(payload).project_ids) == sorted(
        [urgent, b]
    )
    items = (await c.http.get("/v1/annual-plans/2027", headers=c.staff())).json()["items"]
    left = {i["project_id"]: i["left_out"] for i in items}
    assert left[urgent] is None
    assert (left[pid]["rule_id"], left[pid]["article"], left[pid]["outcome"]) == (
        "J1",
        "SN P art37",
        "refuse",
    )
    finance = c.token("fred", "org-finance", "finance_officer")
    r = await c.http.get(
        f"/v1/projects/{pid}/funding-eligibility", params={"fiscal_year": 2027}, headers=finance
    )
    assert r.json()["allowed"] is False and r.json()["decisions"][0]["rule_id"] == "B2"


async def test_a_left_out_project_comes_back_as_an_emergency_a3(
    start_intake, client_for, event_space
):
    c, (pid,) = await setup(start_intake, client_for, event_space, projects=1)
    assert (await add(c, pid)).status_code == 201
    await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"))
    assert (await c.http.post("/v1/annual-plans/2027/adopt", headers=c.bureau())).status_code == 200
    await order_event(c, event_space, "resolved", resolved())
    finance = c.token("fred", "org-finance", "finance_officer")

    async def fundable() -> bool:
        r = await c.http.get(
            f"/v1/projects/{pid}/funding-eligibility", params={"fiscal_year": 2027}, headers=finance
        )
        return r.json()["allowed"]

    assert await fundable() is False
    # After adoption only an emergency joins (A3); a plain addition is still refused.
    r = await add(c, pid)
    assert r.status_code == 422 and rules_of(r.json()) == [("A3", "SN P art17")], r.text
    r = await add(c, pid, **EMERGENCY)
    assert r.status_code == 201, r.text
    items = (await c.http.get("/v1/annual-plans/2027", headers=c.staff())).json()["items"]
    assert [(i["project_id"], i["left_out"], i["emergency"]) for i in items] == [(pid, None, True)]
    assert await fundable() is True
    # Once back on the plan, it is there once.
    assert (await add(c, pid, **EMERGENCY)).status_code == 409


async def test_a_profile_without_j1_defers_nothing(start_intake, client_for, event_space):
    # Xianyang's rules have no ladder (J1 does not apply): such an event, were it sent, bars nothing.
    c, (pid,) = await setup(start_intake, client_for, event_space, "xianyang", projects=1)
    await order_event(c, event_space, "escalated", escalated(2, "investment_deferred"))
    r = await add(c, pid)
    assert r.status_code == 201, r.text
    assert await j1_grounds(c) == []
    r = await c.http.post("/v1/annual-plans/2027/adopt", headers=c.bureau())
    assert r.status_code == 200
    items = (await c.http.get("/v1/annual-plans/2027", headers=c.staff())).json()["items"]
    assert [i["left_out"] for i in items] == [None]


async def test_without_a3_an_emergency_flag_skips_nothing(start_intake, client_for, event_space):
    """Xianyang has no A3: an emergency addition would skip B1 and J1 on no article, so the
    flag is refused (422 naming `emergency`) and nothing is added; the same project joins as an
    ordinary item."""
    c, (pid,) = await setup(start_intake, client_for, event_space, "xianyang", projects=1)
    r = await add(c, pid, **EMERGENCY)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "emergency", r.text
    items = (await c.http.get("/v1/annual-plans/2027", headers=c.staff())).json()["items"]
    assert items == []
    assert (await add(c, pid)).status_code == 201
