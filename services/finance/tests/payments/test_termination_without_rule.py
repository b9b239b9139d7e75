"""A terminated project takes no payment. Where the profile has an article for the termination
(F5: SN P art31, PDS P art17) the payment is refused citing F5 and it; where it has none (wuhai,
yunyang, xianyang: review still terminates through the approver, citing F5 with no article)
the payment is a 409 conflict naming the termination, not a rule's refusal with an empty
article, and a payment held when the project is terminated is refused naming it as well."""

import datetime as dt

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.review.v1 import events_pb2 as review_events
from govit_kit.convert import to_timestamp
from govit_kit.policy import SHANGHAI
from govit_kit.testing import publish_event, wait_until

T0 = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


async def state(fin, status, hours, rule, change_id=""):
    """Review's case state event of p1, `hours` after T0, citing `rule`; waits until applied."""
    event_id = await publish_event(
        fin.space,
        "review",
        "case",
        status,
        review_events.CaseStateChanged(
            case_id="case-p1",
            project_id="p1",
            org_id="org-a",
            status=status,
            decisions=[
                common_pb2.Decision(
                    rule_id=rule[0], article=rule[1], outcome="allow", reason="bureau's order"
                )
            ],
            changed_at=to_timestamp(T0 + dt.timedelta(hours=hours)),
            change_id=change_id,
        ),
        subject="case-p1",
        org_id="org-a",
        project_id="p1",
    )

    async def applied():
        inbox = fin.running.runtime.db.tables.inbox
        async with fin.running.runtime.db.sessions() as session:
            return await session.scalar(
                select(inbox.c.event_id).where(inbox.c.event_id == event_id)
            )

    await wait_until(applied)


async def funded(fin):
    line = await fin.project("p1", "300000.00")
    await fin.plan("p1", dt.datetime.now(SHANGHAI).year)
    return line, await fin.contract("p1", "300000.00")


def refusals(body):
    return [(d["rule_id"], d["article"]) for d in body["decisions"] if d["outcome"] == "refuse"]


async def test_wuhai_a_terminated_projects_payment_is_a_conflict_naming_the_termination(
    finance_for,
):
    """F5 does not apply in wuhai; review's termination cites F5 with no article. Before, the
    payment was refused as "F5 (): the project is terminated"."""
    fin = await finance_for("wuhai")
    line, contract = await funded(fin)
    await state(fin, "terminated", 1, ("F5", ""), change_id="chg-9")
    r = await fin.pay(contract, line, "1000.00")
    assert r.status_code == 409, r.text
    body = r.json()
    assert "terminated" in body["detail"] and "chg-9" in body["detail"], body
    assert "case-p1" in body["detail"], body
    assert body["state"] == "terminated" and body["change_id"] == "chg-9", body
    assert "decisions" not in body
    assert await fin.balance(line) == 300000


async def test_xianyang_a_terminated_projects_payment_is_a_conflict(finance_for):
    """The same in xianyang (F5 does not apply), whatever other gate would pass."""
    fin = await finance_for("xianyang")
    line, contract = await funded(fin)
    await state(fin, "terminated", 1, ("F5", ""), change_id="chg-9")
    r = await fin.pay(contract, line, "1000.00")
    assert r.status_code == 409 and "chg-9" in r.json()["detail"], r.text


async def test_yunyang_a_payment_held_when_the_project_is_terminated_names_the_termination(
    finance_for,
):
    """Yunyang suspends (F4, YY art22) but has no F5: a payment held by the suspension is refused
    when the project is terminated, naming the termination, with no F5 refusal without article.
    A new payment is a 409. Before, both were refused citing F5 with an empty article."""
    fin = await finance_for("yunyang")
    line, contract = await funded(fin)
    await state(fin, "suspended", 1, ("F4", "YY art22"))
    r = await fin.pay(contract, line, "1000.00")
    held = r.json()
    assert held["status"] == "held", r.text
    await state(fin, "terminated", 2, ("F5", ""), change_id="chg-9")

    async def refused():
        r = await fin.call("GET", f"/v1/payments/{held['id']}", fin.unit_a, expect=200)
        return r.json() if r.json()["status"] == "refused" else None

    payment = await wait_until(refused)
    # Every stored refusal names its rule and article; the termination, which no rule refuses
    # here, is kept as the field it names (errors), not as a refusal without a rule id.
    assert all(rule_id and article for rule_id, article in refusals(payment)), payment
    [error] = payment["errors"]
    assert error["field"] == "project_id", payment
    assert "terminated" in error["message"] and "chg-9" in error["message"], payment
    r = await fin.pay(contract, line, "1000.00")
    assert r.status_code == 409 and "chg-9" in r.json()["detail"], r.text


async def test_pingdingshan_a_terminated_projects_payment_is_refused_citing_f5(finance_for):
    """Where F5 applies (PDS P art17: the termination is filed) nothing changes: the payment is
    refused citing F5 and its article, also when review's event names no article (the
    profile's)."""
    fin = await finance_for("pingdingshan")
    line, contract = await funded(fin)
    await state(fin, "terminated", 1, ("F5", ""), change_id="chg-9")
    r = await fin.pay(contract, line, "1000.00")
    assert r.status_code == 422, r.text
    assert ("F5", "PDS P art17") in refusals(r.json())
