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


async def applied(fin, event_id):
    inbox = fin.running.runtime.db.tables.inbox

    async def seen():
        async with fin.running.runtime.db.sessions() as session:
            return await session.scalar(
                select(inbox.c.event_id).where(inbox.c.event_id == event_id)
            )

    await wait_until(seen)


async def test_an_emergency_addition_sent_before_plan_adopted_existed_is_in_the_plan(
    finance_for,
):
    """A3 (PDS P art8): an emergency addition is in the plan at once. An event intake sent before
    it carried `plan_adopted` reads False: replayed now, the emergency item is still listed (I2
    passes); before, it was skipped and the project refused as outside the plan."""
    fin = await finance_for("pingdingshan")
    year = dt.datetime.now(SHANGHAI).year
    line = await fin.project("p1", "300000.00")
    contract = await fin.contract("p1", "300000.00")
    r = await fin.pay(contract, line, "1000.00")
    assert r.status_code == 422 and "I2" in [d["rule_id"] for d in r.json()["decisions"]]
    added = await publish_event(
        fin.space,
        "intake",
        "annual_plan",
        "item_added",
        intake_events.PlanItemAdded(
            plan_year=year,
            project_id="p1",
            org_id="org-a",
            emergency=True,
            document_reference="平政〔2026〕3号",
        ),
        subject=str(year),
        org_id="org-a",
        project_id="p1",
    )
    await applied(fin, added)
    r = await fin.pay(contract, line, "1000.00")
    assert r.status_code == 201, r.text
    [i2] = [d for d in r.json()["decisions"] if d["rule_id"] == "I2"]
    assert (i2["article"], i2["outcome"]) == ("PDS P art8", "allow")


async def test_a_decommission_sent_before_the_payload_named_its_project_still_counts(
    finance_for,
):
    """K1 (SN P art44): the system event's `project_id` came later; intake always put the
    system's project in the envelope, so an older event still stops the project's O&M funds.
    Before, such an event was taken for a system with no project and skipped."""
    from govit.common.v1 import common_pb2

    fin = await finance_for("suining")
    year = dt.datetime.now(SHANGHAI).year
    await fin.project("p1", "300000.00")
    await fin.plan("p1", year)
    contract = await fin.contract("p1", "300000.00")
    body = {"project_id": "p1", "fiscal_year": year, "kind": "om"}
    body |= {"source": "municipal_finance", "amount": "50000.00"}
    om = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
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
        ),
        subject="sys-1",
        org_id="org-a",
        project_id="p1",
    )
    await applied(fin, retired)
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 422, r.text
    [refusal] = [d for d in r.json()["decisions"] if d["outcome"] == "refuse"]
    assert (refusal["rule_id"], refusal["article"]) == ("K1", "SN P art44")
    # A system the register knows no project of (no project in payload or envelope): skipped.
    other = await publish_event(
        fin.space,
        "intake",
        "system",
        "merged",
        intake_events.SystemLifecycleChanged(
            system_id="sys-2",
            owner_org_id="org-a",
            action="merged",
            status="merged",
            rule=common_pb2.RuleRef(rule_id="K2", article="SN P art45"),
        ),
        subject="sys-2",
        org_id="org-a",
    )
    await applied(fin, other)
    from finance.payments.models import RetiredSystem

    async with fin.running.runtime.db.sessions() as session:
        assert list(await session.scalars(select(RetiredSystem.system_id))) == ["sys-1"]
