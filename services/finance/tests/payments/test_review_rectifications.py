"""Review's rectification orders (J1, J2) hold a project's payments in wuhai until resolved (I4);
its suspension holds them (F4) and its termination ends them (F5)."""

from govit.review.v1 import events_pb2 as review_events
from govit_kit.testing import publish_event, wait_until


async def issue(fin, order_id, project_id, hold=True):
    await publish_event(
        fin.space,
        "review",
        "rectification",
        "issued",
        review_events.RectificationIssued(
            order_id=order_id,
            project_id=project_id,
            org_id="org-a",
            finding="not_on_cloud",
            description="系统未部署在政务云",
            hold_payments=hold,
        ),
        subject=order_id,
        org_id="org-a",
        project_id=project_id,
    )


async def resolve(fin, order_id, project_id):
    await publish_event(
        fin.space,
        "review",
        "rectification",
        "resolved",
        review_events.RectificationResolved(
            order_id=order_id, project_id=project_id, org_id="org-a", note="已整改"
        ),
        subject=order_id,
        org_id="org-a",
        project_id=project_id,
    )


async def orders(fin):
    from finance.payments.models import Rectification

    async with fin.running.runtime.db.sessions() as session:
        rows = (await session.execute(Rectification.__table__.select())).all()
    return {r.id: r.closed_at for r in rows}


async def test_order_holds_payments_until_review_resolves_it(finance_for):
    fin = await finance_for("wuhai")
    line = await fin.project("p1", "300000.00")
    contract = await fin.contract("p1", "300000.00")
    await issue(fin, "o-warn", "p1", hold=False)  # review says this one holds nothing
    await issue(fin, "o-1", "p1")
    await issue(fin, "o-1", "p1")  # redelivered
    # A resolution that overtakes its order keeps it closed.
    await resolve(fin, "o-2", "p1")
    await issue(fin, "o-2", "p1")
    await wait_until(lambda: _settled(fin))

    r = await fin.pay(contract, line, "1000.00")
    held = r.json()
    assert held["status"] == "held", r.text
    i4 = next(d for d in held["decisions"] if d["rule_id"] == "I4")
    assert i4["figures"]["open_rectifications"] == ["o-1"] and i4["article"] == "WH art20"

    await resolve(fin, "o-1", "p1")

    async def paid():
        r = await fin.call("GET", f"/v1/payments/{held['id']}", expect=200)
        return r.json()["status"] == "approved"

    await wait_until(paid)


async def _settled(fin):
    """o-1 open, o-2 closed whatever order the two consumers applied its events in."""
    now = await orders(fin)
    return set(now) == {"o-1", "o-2"} and now["o-1"] is None and now["o-2"] is not None


async def test_a_suspended_project_is_held_and_a_terminated_one_paid_nothing(finance_for):
    """F4 (SN P art31): while review has the project suspended, its payments are held, and
    checked again when the suspension is lifted; F5: once terminated, they are refused."""
    import datetime as dt

    from govit.common.v1 import common_pb2
    from govit_kit.policy import SHANGHAI
    from govit_kit.testing import wait_until

    fin = await finance_for("suining")
    year = dt.datetime.now(SHANGHAI).year
    line = await fin.project("p1", "300000.00")
    await fin.plan("p1", year)
    contract = await fin.contract("p1", "300000.00")

    async def state(status, rule_id, n):
        await publish_event(
            fin.space,
            "review",
            "case",
            {"concluded": "suspension_lifted"}.get(status, status),
            review_events.CaseStateChanged(
                case_id="case-p1",
                project_id="p1",
                org_id="org-a",
                status=status,
                decisions=[
                    common_pb2.Decision(
                        rule_id=rule_id, article="SN P art31", outcome="hold", reason="x"
                    )
                ],
            ),
            subject="case-p1",
            org_id="org-a",
            project_id="p1",
            event_id=f"state-{n}",
        )

    await state("suspended", "F4", 1)

    async def held():
        r = await fin.pay(contract, line, "1000.00", key=f"k-{dt.datetime.now().timestamp()}")
        return r if r.status_code == 201 and r.json()["status"] == "held" else None

    payment = (await wait_until(held)).json()
    hold = [d for d in payment["decisions"] if d["outcome"] == "hold"]
    assert [(d["rule_id"], d["article"]) for d in hold] == [("F4", "SN P art31")]
    await state("concluded", "F4", 2)

    async def paid():
        r = await fin.call("GET", f"/v1/payments/{payment['id']}", fin.unit_a, expect=200)
        return r.json()["status"] == "approved"

    await wait_until(paid)
    await state("terminated", "F5", 3)

    async def refused():
        r = await fin.pay(contract, line, "1000.00")
        return r if r.status_code == 422 else None

    decisions = (await wait_until(refused)).json()["decisions"]
    assert ("F5", "SN P art31") in [(d["rule_id"], d["article"]) for d in decisions]
