"""I2 and I3 facts from intake's annual plan and review's acceptance events (yunyang)."""

import datetime as dt

from sqlalchemy import select

from govit.intake.v1 import events_pb2 as intake_events
from govit.review.v1 import events_pb2 as review_events
from govit_kit.policy import SHANGHAI
from govit_kit.testing import publish_event, wait_until


async def test_plan_and_acceptance_events_open_om_funds(finance_for):
    fin = await finance_for("yunyang")
    year = dt.datetime.now(SHANGHAI).year
    await fin.project("p1", "300000.00")
    contract = await fin.contract("p1", "300000.00")
    body = {
        "project_id": "p1",
        "fiscal_year": year,
        "kind": "om",
        "source": "municipal_finance",
        "amount": "50000.00",
    }
    om = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
    # On the draft plan: not yet in the plan for funding (I2).
    added = await publish_event(
        fin.space,
        "intake",
        "annual_plan",
        "item_added",
        intake_events.PlanItemAdded(
            plan_year=year, project_id="p1", org_id="org-a", priority_type="shared_platform"
        ),
        subject=str(year),
        org_id="org-a",
        project_id="p1",
    )

    async def applied():
        inbox = fin.running.runtime.db.tables.inbox
        async with fin.running.runtime.db.sessions() as session:
            return await session.scalar(select(inbox.c.event_id).where(inbox.c.event_id == added))

    await wait_until(applied)
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert "I2" in [d["rule_id"] for d in r.json()["decisions"]]
    for _ in range(2):  # the adoption lists it; a redelivery adds nothing
        await fin.plan("p1", year)

    async def acceptance(eligible):
        await publish_event(
            fin.space,
            "review",
            "acceptance",
            "recorded",
            review_events.AcceptanceRecorded(
                acceptance_id=f"acc-{eligible}",
                case_id="case-p1",
                project_id="p1",
                org_id="org-a",
                stage="single",
                accepted_on="2026-06-30",
                om_eligible=eligible,
            ),
            subject=f"acc-{eligible}",
            org_id="org-a",
            project_id="p1",
        )

    await acceptance(False)

    async def refused_rules():
        r = await fin.pay(contract, om, "1000.00", purpose="om")
        return [(d["rule_id"], d["reason"]) for d in r.json().get("decisions", [])]

    async def only_i3_not_accepted():
        rules = await refused_rules()
        return rules if [r for r, _ in rules] == ["I3"] and "not accepted" in rules[0][1] else None

    # In the plan now (no I2), but not accepted (I3).
    await wait_until(only_i3_not_accepted)
    await acceptance(True)

    async def only_sharing_and_catalog():
        rules = await refused_rules()
        return rules if rules and "not accepted" not in rules[0][1] else None

    [(rule, reason)] = await wait_until(only_sharing_and_catalog)
    assert rule == "I3" and "share" in reason and "catalog" in reason
    # Review's acceptance says nothing of either: not recorded, not "does not share".
    assert "no record that the system shares its data" in reason
    assert "no record that the system is in the system catalog" in reason
    assert "does not share" not in reason and "outside" not in reason
    status = (await fin.call("GET", "/v1/projects/p1/system-status", expect=200)).json()
    assert (status["shares_data"], status["in_catalog"]) == (None, None)
    recorded = {"accepted": True, "security_compliant": True}
    recorded |= {"shares_data": False, "in_catalog": True}
    await fin.call("PUT", "/v1/projects/p1/system-status", json=recorded, expect=200)
    [(rule, reason)] = await refused_rules()
    assert rule == "I3" and reason == "the system does not share its data"
    status = {"accepted": True, "security_compliant": True, "shares_data": True, "in_catalog": True}
    await fin.call("PUT", "/v1/projects/p1/system-status", json=status, expect=200)
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text
    assert (await fin.emitted()).count("govit.finance.payment.approved") == 1


async def test_a_decommissioned_system_gets_no_more_om_funds(finance_for):
    """K1 (SN P art44): once the register decommissions the project's system, its O&M payments
    are refused citing the rule of the register's action; construction payments are not."""
    from govit.common.v1 import common_pb2

    fin = await finance_for("suining")
    year = dt.datetime.now(SHANGHAI).year
    construction = await fin.project("p1", "300000.00")
    await fin.plan("p1", year)
    contract = await fin.contract("p1", "300000.00")
    body = {"project_id": "p1", "fiscal_year": year, "kind": "om"}
    body |= {"source": "municipal_finance", "amount": "50000.00"}
    om = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201, r.text
    retired = await publish_event(
        fin.space,
        "intake",
        "system",
        "decommissioned",
        intake_events.SystemLifecycleChanged(
            system_id="sys-1",
            owner_org_id="org-a",
            action="decommissioned",
            status="decommissioned",
            grounds="low_value",
            rule=common_pb2.RuleRef(rule_id="K1", article="SN P art44"),
            project_id="p1",
        ),
        subject="sys-1",
        org_id="org-a",
        project_id="p1",
    )

    async def applied():
        inbox = fin.running.runtime.db.tables.inbox
        async with fin.running.runtime.db.sessions() as session:
            return await session.scalar(select(inbox.c.event_id).where(inbox.c.event_id == retired))

    await wait_until(applied)
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 422, r.text
    [refusal] = [d for d in r.json()["decisions"] if d["outcome"] == "refuse"]
    assert (refusal["rule_id"], refusal["article"]) == ("K1", "SN P art44")
    assert refusal["figures"] == {"system_id": "sys-1"}
    r = await fin.pay(contract, construction, "1000.00")
    assert r.status_code == 201, r.text
