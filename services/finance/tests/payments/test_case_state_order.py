"""Review's suspended, suspension_lifted and terminated events are separate consumers: applied in
any order, the project ends halted as the latest change left it (F4, F5: SN P art31)."""

import datetime as dt

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.review.v1 import events_pb2 as review_events
from govit_kit.convert import to_timestamp
from govit_kit.policy import SHANGHAI
from govit_kit.testing import publish_event, wait_until

T0 = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


def at(hours: int) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


async def state(fin, project_id, status, hours, event_id):
    """Review's case state event of `project_id`, changed `hours` after T0; waits until applied."""
    rule = ("F5", "SN P art31") if status == "terminated" else ("F4", "SN P art31")
    event_id = await publish_event(
        fin.space,
        "review",
        "case",
        {"concluded": "suspension_lifted"}.get(status, status),
        review_events.CaseStateChanged(
            case_id=f"case-{project_id}",
            project_id=project_id,
            org_id="org-a",
            status=status,
            decisions=[
                common_pb2.Decision(
                    rule_id=rule[0], article=rule[1], outcome="hold", reason="bureau's order"
                )
            ],
            changed_at=to_timestamp(at(hours)),
        ),
        subject=f"case-{project_id}",
        org_id="org-a",
        project_id=project_id,
        event_id=event_id,
    )

    async def applied():
        inbox = fin.running.runtime.db.tables.inbox
        async with fin.running.runtime.db.sessions() as session:
            return await session.scalar(
                select(inbox.c.event_id).where(inbox.c.event_id == event_id)
            )

    await wait_until(applied)


async def funded(fin, project_id):
    year = dt.datetime.now(SHANGHAI).year
    line = await fin.project(project_id, "300000.00")
    await fin.plan(project_id, year)
    return line, await fin.contract(project_id, "300000.00")


def cited(payment, outcome):
    return [(d["rule_id"], d["article"]) for d in payment["decisions"] if d["outcome"] == outcome]


async def test_a_lift_that_overtook_its_suspension_leaves_the_project_going(finance_for):
    """The lift (hour 2) is applied before its suspension (hour 1): the suspension is older than
    the lift finance recorded and holds nothing. Before, the late suspension held the project's
    payments for good (F4 with no lift to come)."""
    fin = await finance_for("suining")
    line, contract = await funded(fin, "p1")
    await state(fin, "p1", "concluded", 2, "lift-1")
    await state(fin, "p1", "suspended", 1, "suspend-1")
    r = await fin.pay(contract, line, "1000.00")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text
    # A newer suspension still holds, and its own lift releases what it held.
    await state(fin, "p1", "suspended", 3, "suspend-2")
    r = await fin.pay(contract, line, "1000.00")
    held = r.json()
    assert held["status"] == "held" and cited(held, "hold") == [("F4", "SN P art31")], r.text
    await state(fin, "p1", "concluded", 4, "lift-2")
    r = await fin.call("GET", f"/v1/payments/{held['id']}", fin.unit_a, expect=200)
    assert r.json()["status"] == "approved"


async def test_a_late_lift_of_an_earlier_suspension_releases_nothing(finance_for):
    """Suspended at hour 1, lifted at hour 2, suspended again at hour 3; the first lift arrives
    after the second suspension: the project stays suspended and the payment held (F4). Before,
    the late lift released payments during an active suspension."""
    fin = await finance_for("suining")
    line, contract = await funded(fin, "p1")
    await state(fin, "p1", "suspended", 1, "suspend-1")
    await state(fin, "p1", "suspended", 3, "suspend-2")
    await state(fin, "p1", "concluded", 2, "lift-1")
    r = await fin.pay(contract, line, "1000.00")
    held = r.json()
    assert held["status"] == "held" and cited(held, "hold") == [("F4", "SN P art31")], r.text
    # A redelivery of the first suspension (another copy, another id) changes nothing either.
    await state(fin, "p1", "suspended", 1, "suspend-1-again")
    await state(fin, "p1", "concluded", 4, "lift-2")
    r = await fin.call("GET", f"/v1/payments/{held['id']}", fin.unit_a, expect=200)
    assert r.json()["status"] == "approved"


async def test_a_termination_stays_final_whatever_arrives_after_it(finance_for):
    """The termination (hour 2) is applied before an older suspension (hour 1) and a lift that
    would follow it: payments stay refused citing F5. Before, the late suspension turned F5's
    refusal into an F4 hold."""
    fin = await finance_for("suining")
    line, contract = await funded(fin, "p1")
    await state(fin, "p1", "terminated", 2, "terminate")
    await state(fin, "p1", "suspended", 1, "suspend-1")
    r = await fin.pay(contract, line, "1000.00")
    assert r.status_code == 422, r.text
    assert ("F5", "SN P art31") in cited(r.json(), "refuse")
    assert not cited(r.json(), "hold")
    await state(fin, "p1", "concluded", 3, "lift-1")
    r = await fin.pay(contract, line, "1000.00")
    assert r.status_code == 422 and ("F5", "SN P art31") in cited(r.json(), "refuse"), r.text


async def test_a_termination_refuses_the_payments_the_suspension_held(finance_for):
    """Suspended (F4), a payment is held; the project is then terminated (F5): the held payment
    is checked again and refused citing F5 and its article, with its payment.released. A
    redelivered termination (another copy, another id) changes nothing. Before, nothing looked
    at the held payment again and it stayed held for good."""
    fin = await finance_for("suining")
    line, contract = await funded(fin, "p1")
    await state(fin, "p1", "suspended", 1, "suspend-1")
    r = await fin.pay(contract, line, "1000.00")
    held = r.json()
    assert held["status"] == "held", r.text
    await state(fin, "p1", "terminated", 2, "terminate")
    r = await fin.call("GET", f"/v1/payments/{held['id']}", fin.unit_a, expect=200)
    refused = r.json()
    assert refused["status"] == "refused", r.text
    assert cited(refused, "refuse") == [("F5", "SN P art31")]
    assert not cited(refused, "hold")
    assert refused["treasury_reference"] is None
    assert (await fin.emitted()).count("govit.finance.payment.released") == 1
    assert await fin.balance(line) == 300000
    await state(fin, "p1", "terminated", 2, "terminate-again")
    r = await fin.call("GET", f"/v1/payments/{held['id']}", fin.unit_a, expect=200)
    assert r.json()["status"] == "refused" and r.json()["decisions"] == refused["decisions"]
    assert (await fin.emitted()).count("govit.finance.payment.released") == 1


async def test_a_termination_citing_no_rule_refuses_with_the_profiles_article(finance_for):
    """Review's termination names no rule: the held payment is refused citing F5 with the
    profile's article (SN P art31), not an empty one."""
    fin = await finance_for("suining")
    line, contract = await funded(fin, "p1")
    await state(fin, "p1", "suspended", 1, "suspend-1")
    held = (await fin.pay(contract, line, "1000.00")).json()
    assert held["status"] == "held"
    await publish_event(
        fin.space,
        "review",
        "case",
        "terminated",
        review_events.CaseStateChanged(
            case_id="case-p1",
            project_id="p1",
            org_id="org-a",
            status="terminated",
            changed_at=to_timestamp(at(2)),
        ),
        subject="case-p1",
        org_id="org-a",
        project_id="p1",
    )

    async def refused():
        r = await fin.call("GET", f"/v1/payments/{held['id']}", fin.unit_a, expect=200)
        return r.json() if r.json()["status"] == "refused" else None

    await wait_until(refused)
    assert cited(await refused(), "refuse") == [("F5", "SN P art31")]
