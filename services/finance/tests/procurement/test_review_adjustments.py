"""Review's adjustments (调整) reach finance in every profile: approved by the bureau where it
approves and files them (xianyang, F3: XY art15, `change.disposed`), or filed with the bureau
where that is all the profile asks (pingdingshan, F3: PDS P art17, `change.requested`, status
`filed`, route `filing`). Either grounds a supplementary contract within it (E3)."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.review.v1 import events_pb2 as review_events
from govit_kit.convert import to_money
from govit_kit.policy import SHANGHAI
from govit_kit.testing import publish_event, wait_until


async def change(fin, change_id, name, status, route, amount="50000.00"):
    return await publish_event(
        fin.space,
        "review",
        "change",
        name,
        review_events.ChangeRecorded(
            change_id=change_id,
            case_id="case-p1",
            project_id="p1",
            org_id="org-a",
            kind="adjustment",
            route=route,
            status=status,
            amount_adjusted=to_money(Decimal(amount)),
            decisions=[common_pb2.Decision(rule_id="F3", outcome="allow", reason="filed")],
            actor=common_pb2.Actor(subject="bea", org_id="org-data-bureau"),
        ),
        subject=change_id,
        org_id="org-a",
        project_id="p1",
    )


async def supplements(fin):
    await fin.project("p1", "4000000.00")
    contract = await fin.contract("p1", "1000000.00")
    path = f"/v1/contracts/{contract['id']}/supplements"
    today = dt.datetime.now(SHANGHAI).date().isoformat()

    async def sign(change_id, amount="30000.00"):
        body = {"adjustment_id": change_id, "amount": amount, "signed_on": today}
        return await fin.call("POST", path, fin.unit_a, json=body)

    return sign


async def grounded(sign, change_id):
    async def signed():
        r = await sign(change_id)
        return r if r.status_code == 201 else None

    return await wait_until(signed)


async def test_xianyang_adjustment_approved_by_the_bureau_grounds_a_supplement(finance_for):
    """The bureau's agreeing disposal is the approval (F3 bureau_approves, XY art15): finance
    takes it from `change.disposed`. Before, finance did not consume that subject and the
    supplement was refused on `adjustment_id` for good."""
    fin = await finance_for("xianyang")
    sign = await supplements(fin)
    await change(fin, "chg-refused", "disposed", "refused", "bureau_approval")
    await change(fin, "chg-1", "requested", "awaiting_bureau", "bureau_approval")
    r = await sign("chg-1")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "adjustment_id", r.text
    await change(fin, "chg-1", "disposed", "approved", "bureau_approval")
    r = await grounded(sign, "chg-1")
    assert r.json()["adjustment_id"] == "chg-1"
    # The refusal, disposed before the approval, grounds nothing.
    r = await sign("chg-refused")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "adjustment_id", r.text


async def test_pingdingshan_adjustment_filed_with_the_bureau_grounds_a_supplement(finance_for):
    """An adjustment filed with the bureau (F3 filing, PDS P art17 备案) is final when filed.
    Before, `filed` counted only on the `self_decided` route and the supplement was refused."""
    fin = await finance_for("pingdingshan")
    sign = await supplements(fin)
    first = await change(fin, "chg-1", "requested", "filed", "filing")
    again = await change(fin, "chg-1", "requested", "filed", "filing")  # sent twice
    r = await grounded(sign, "chg-1")
    assert r.json()["adjustment_id"] == "chg-1"
    inbox = fin.running.runtime.db.tables.inbox

    async def both_applied():
        async with fin.running.runtime.db.sessions() as session:
            ids = set(await session.scalars(select(inbox.c.event_id)))
        return {first, again} <= ids

    await wait_until(both_applied)
    from finance.procurement.models import Adjustment

    async with fin.running.runtime.db.sessions() as session:
        assert list(await session.scalars(select(Adjustment.id))) == ["chg-1"]
