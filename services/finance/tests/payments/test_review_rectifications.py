"""Review's rectification orders (J1, J2) hold a project's payments in wuhai until resolved (I4)."""

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
