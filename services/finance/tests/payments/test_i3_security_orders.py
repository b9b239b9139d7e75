"""I3 (YY art29: 对不符合密码应用和网络安全要求…的政务信息系统, 财政部门不予安排运行维护经费): while
review's rectification order for a crypto or security finding on a project is open, its O&M
payments are refused in yunyang, naming the order; once review resolves it they are paid again.
The same order bars the unit's new projects (J3, intake's)."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.review.v1 import events_pb2 as review_events
from govit_kit.policy import SHANGHAI
from govit_kit.testing import publish_event, wait_until

I3_ARTICLE = "YY art25, art28, art29, art30"
COMPLIANT = {"accepted": True, "security_compliant": True, "shares_data": True, "in_catalog": True}


async def om_project(fin, project_id):
    """An approved yunyang project in this year's plan, its system accepted and compliant, a
    contract and an O&M line: its O&M payments pass every gate."""
    year = dt.datetime.now(SHANGHAI).year
    construction = await fin.project(project_id, "300000.00")
    await fin.plan(project_id, year)
    contract = await fin.contract(project_id, "300000.00")
    body = {"project_id": project_id, "fiscal_year": year, "kind": "om"}
    body |= {"source": "municipal_finance", "amount": "50000.00"}
    om = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
    await fin.call("PUT", f"/v1/projects/{project_id}/system-status", json=COMPLIANT, expect=200)
    return construction, contract, om


async def issue(fin, order_id, project_id, *, finding="crypto", security=True, event_id=None):
    """Review's order as yunyang's review emits it: no I4 there, so it holds no payments."""
    return await publish_event(
        fin.space,
        "review",
        "rectification",
        "issued",
        review_events.RectificationIssued(
            order_id=order_id,
            project_id=project_id,
            org_id="org-a",
            finding=finding,
            description="密码应用安全性评估未通过",
            security=security,
            hold_payments=False,
            blocks_new_projects=security,
        ),
        subject=order_id,
        org_id="org-a",
        project_id=project_id,
        event_id=event_id,
    )


async def resolve(fin, order_id, project_id, event_id=None):
    return await publish_event(
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
        event_id=event_id,
    )


async def applied(fin, *event_ids):
    inbox = fin.running.runtime.db.tables.inbox
    async with fin.running.runtime.db.sessions() as session:
        seen = await session.scalars(
            select(inbox.c.event_id).where(inbox.c.event_id.in_(event_ids))
        )
        return set(seen) == set(event_ids)


async def order_rows(fin):
    from finance.payments.models import Rectification

    async with fin.running.runtime.db.sessions() as session:
        rows = (await session.execute(select(Rectification))).scalars().all()
    return {
        r.id: (r.closed_at is None, r.security, r.holds_payments, r.document, r.project_id)
        for r in rows
    }


async def test_open_security_order_refuses_om_until_review_resolves_it(finance_for):
    fin = await finance_for("yunyang")
    construction, contract, om = await om_project(fin, "p1")
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text

    # A non-security order (not on the cloud) is no ground of I3.
    done = await issue(fin, "o-cloud", "p1", finding="not_on_cloud", security=False)
    await wait_until(lambda: applied(fin, done))
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text

    # The crypto order, delivered twice (the same event, and review's relay sending it again).
    first = await issue(fin, "o-sec", "p1", event_id="ev-sec")
    await issue(fin, "o-sec", "p1", event_id="ev-sec")
    again = await issue(fin, "o-sec", "p1", event_id="ev-sec-again")
    await wait_until(lambda: applied(fin, first, again))

    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 422, r.text
    [refusal] = [d for d in r.json()["decisions"] if d["outcome"] == "refuse"]
    assert (refusal["rule_id"], refusal["article"]) == ("I3", I3_ARTICLE)
    assert (
        "o-sec (crypto)" in refusal["reason"]
        and "不符合密码应用和网络安全要求" in refusal["reason"]
    )
    assert "o-cloud" not in refusal["reason"]
    assert refusal["figures"] == {"open_security_orders": ["o-sec"]}
    assert "I3 (YY art25, art28, art29, art30)" in r.json()["detail"]
    # Kept once, open, as a security order that holds no payments (no I4 in yunyang); the
    # non-security order that holds nothing is not kept.
    assert await order_rows(fin) == {"o-sec": (True, True, False, "crypto", "p1")}
    # Construction payments are not O&M: not refused.
    r = await fin.pay(contract, construction, "1000.00")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text

    # Review resolves it (twice): O&M is paid again, and a late redelivery of the issue does not
    # reopen it.
    for event_id in ("ev-res", "ev-res-again"):
        await resolve(fin, "o-sec", "p1", event_id=event_id)
    await wait_until(lambda: applied(fin, "ev-res", "ev-res-again"))
    late = await issue(fin, "o-sec", "p1", event_id="ev-sec-late")
    await wait_until(lambda: applied(fin, late))
    assert (await order_rows(fin))["o-sec"][0] is False
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text


async def test_a_resolution_that_overtakes_its_security_order_refuses_nothing(finance_for):
    fin = await finance_for("yunyang")
    _, contract, om = await om_project(fin, "p2")
    done = await resolve(fin, "o-early", "p2")
    await wait_until(lambda: applied(fin, done))
    done = await issue(fin, "o-early", "p2", finding="security")
    await wait_until(lambda: applied(fin, done))
    # Kept closed, now knowing what it was.
    assert await order_rows(fin) == {"o-early": (False, True, False, "security", "p2")}
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text


async def test_a_held_om_payment_released_while_a_security_order_is_open_is_refused(finance_for):
    """F4 (YY art22) held the O&M payment; when the suspension is lifted it is checked again,
    and review's crypto order opened meanwhile refuses it (I3) instead of paying it."""
    fin = await finance_for("yunyang")
    _, contract, om = await om_project(fin, "p3")

    async def state(status, n):
        return await publish_event(
            fin.space,
            "review",
            "case",
            {"concluded": "suspension_lifted"}.get(status, status),
            review_events.CaseStateChanged(
                case_id="case-p3",
                project_id="p3",
                org_id="org-a",
                status=status,
                decisions=[
                    common_pb2.Decision(
                        rule_id="F4", article="YY art22", outcome="hold", reason="x"
                    )
                ],
            ),
            subject="case-p3",
            org_id="org-a",
            project_id="p3",
            event_id=f"state-p3-{n}",
        )

    await state("suspended", 1)
    await wait_until(lambda: applied(fin, "state-p3-1"))
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    held = r.json()
    assert r.status_code == 201 and held["status"] == "held", r.text
    done = await issue(fin, "o-p3", "p3")
    await wait_until(lambda: applied(fin, done))
    await state("concluded", 2)

    async def decided():
        r = await fin.call("GET", f"/v1/payments/{held['id']}", expect=200)
        return r.json() if r.json()["status"] != "held" else None

    payment = await wait_until(decided)
    assert payment["status"] == "refused"
    [refusal] = [d for d in payment["decisions"] if d["outcome"] == "refuse"]
    assert (refusal["rule_id"], refusal["article"]) == ("I3", I3_ARTICLE)
    assert refusal["figures"] == {"open_security_orders": ["o-p3"]}
    assert await fin.balance(om) == Decimal("50000.00")  # nothing paid


async def test_elsewhere_a_security_order_refuses_no_om_funds(finance_for):
    """Suining has no I3: review's security order bars new projects there (J3, SN P art43) but
    finance does not refuse O&M funds for it."""
    fin = await finance_for("suining")
    year = dt.datetime.now(SHANGHAI).year
    await fin.project("p4", "300000.00")
    await fin.plan("p4", year)
    contract = await fin.contract("p4", "300000.00")
    body = {"project_id": "p4", "fiscal_year": year, "kind": "om"}
    body |= {"source": "municipal_finance", "amount": "50000.00"}
    om = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
    done = await issue(fin, "o-p4", "p4")
    await wait_until(lambda: applied(fin, done))
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text
