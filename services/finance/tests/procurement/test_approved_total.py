"""E1, E6 and E7 measure the project's approved total investment (批复总投资), not the submitted
one: the latest of the approving conclusion's total, the NDRC's approved estimate (D7) and an
approved adjustment's new total, by when review recorded it (a late older event changes
nothing). Each decision's figures say which total was measured."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.intake.v1 import events_pb2 as intake_events
from govit.review.v1 import events_pb2 as review_events
from govit.review.v1 import types_pb2
from govit_kit.convert import to_money, to_timestamp
from govit_kit.credit_code import with_check_character
from govit_kit.policy import SHANGHAI
from govit_kit.testing import publish_event, wait_until

T0 = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


def at(hours: int) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


async def applied(fin, event_id):
    async def done():
        inbox = fin.running.runtime.db.tables.inbox
        async with fin.running.runtime.db.sessions() as session:
            return await session.scalar(
                select(inbox.c.event_id).where(inbox.c.event_id == event_id)
            )

    await wait_until(done)


async def submitted(fin, project_id, total):
    event_id = await publish_event(
        fin.space,
        "intake",
        "project",
        "submitted",
        intake_events.ProjectSubmitted(
            project_id=project_id,
            org_id="org-a",
            name=f"project {project_id}",
            project_type="new",
            total_investment=to_money(Decimal(total)),
        ),
        subject=project_id,
        org_id="org-a",
        project_id=project_id,
    )
    await applied(fin, event_id)


async def concluded(fin, project_id, total, hours=0):
    """Review approves the project at `total` (the conclusion carries the reviewed total)."""
    event_id = await publish_event(
        fin.space,
        "review",
        "case",
        "concluded",
        review_events.ReviewCaseConcluded(
            case_id=f"case-{project_id}",
            project_id=project_id,
            org_id="org-a",
            conclusion=types_pb2.CONCLUSION_APPROVE,
            reason="ok",
            concluded_at=to_timestamp(at(hours)),
            total_investment=to_money(Decimal(total)),
        ),
        subject=f"case-{project_id}",
        org_id="org-a",
        project_id=project_id,
    )
    await applied(fin, event_id)


async def ndrc_approved(fin, project_id, amount, hours):
    event_id = await publish_event(
        fin.space,
        "review",
        "approval",
        "ndrc_approved",
        review_events.ApprovalStepRecorded(
            step_id=f"step-{project_id}-{hours}",
            case_id=f"case-{project_id}",
            project_id=project_id,
            org_id="org-a",
            step="ndrc_approval",
            document_number="遂发改审批〔2026〕12号",
            approved_amount=to_money(Decimal(amount)),
            recorded_at=to_timestamp(at(hours)),
        ),
        subject=f"case-{project_id}",
        org_id="org-a",
        project_id=project_id,
    )
    await applied(fin, event_id)


async def adjustment_approved(fin, project_id, change_id, base, new_total, hours):
    event_id = await publish_event(
        fin.space,
        "review",
        "change",
        "decided",
        review_events.ChangeRecorded(
            change_id=change_id,
            case_id=f"case-{project_id}",
            project_id=project_id,
            org_id="org-a",
            kind="adjustment",
            route="approval",
            status="approved",
            approved_total=to_money(Decimal(base)),
            new_total=to_money(Decimal(new_total)),
            amount_adjusted=to_money(abs(Decimal(new_total) - Decimal(base))),
            decisions=[common_pb2.Decision(rule_id="F2", outcome="allow", reason="approved")],
            actor=common_pb2.Actor(subject="nick", org_id="org-ndrc"),
            recorded_at=to_timestamp(at(hours)),
        ),
        subject=change_id,
        org_id="org-a",
        project_id=project_id,
    )
    await applied(fin, event_id)


def today():
    return dt.datetime.now(SHANGHAI).date().isoformat()


async def contractor(fin, n):
    code = with_check_character(f"91510900MA6XXX{n:03d}")
    body = {"name": f"公司{n}", "credit_code": code, "qualifications": ["ITSS-2"]}
    return (await fin.call("POST", "/v1/contractors", json=body, expect=201)).json()


async def procure(fin, project_id, contractor_id, amount, method="public_tender", token=None):
    body = {
        "project_id": project_id,
        "title": "系统建设",
        "method": method,
        "amount": amount,
        "contractor_id": contractor_id,
        "awarded_on": today(),
    }
    return await fin.call("POST", "/v1/procurements", token, json=body)


def contract_body(procurement_id, amount):
    """A contract meeting E4 and E5, without a supervisor or the major project's leadership."""
    return {
        "procurement_id": procurement_id,
        "amount": amount,
        "signed_on": today(),
        "warranty_months": 36,
        "free_om_months": 12,
        "copyright_to_government": True,
        "data_assets_to_government": True,
    }


def decision(body, rule_id):
    return next(d for d in body["decisions"] if d["rule_id"] == rule_id)


async def unsupervised_contract(fin, project_id, n):
    c = await contractor(fin, n)
    r = await procure(fin, project_id, c["id"], "1000000.00", token=fin.unit_a)
    assert r.status_code == 201, r.text
    body = contract_body(r.json()["id"], "1000000.00")
    return await fin.call("POST", "/v1/contracts", fin.unit_a, json=body)


async def test_suining_e6_measures_the_approved_total_not_the_submitted(finance_for):
    """Submitted at 380万, approved at 420万: SN P art29 (400万含以上) asks for a supervisor, so a
    contract without one is refused citing E6 on the approved total. Before, finance measured
    the submitted 380万 and signed it."""
    fin = await finance_for("suining")
    await submitted(fin, "p1", "3800000.00")
    await concluded(fin, "p1", "4200000.00")
    r = await unsupervised_contract(fin, "p1", 1)
    assert r.status_code == 422, r.text
    e6 = decision(r.json(), "E6")
    assert (e6["outcome"], e6["article"]) == ("refuse", "SN P art29")
    assert Decimal(e6["figures"]["project_total"]) == Decimal("4200000.00")
    assert e6["figures"]["project_total_basis"] == "approved"


async def test_suining_e6_takes_the_ndrc_estimate_and_the_adjustment_by_their_time(finance_for):
    """Concluded at 380万 (hour 0); the NDRC approves an estimate of 420万 (hour 2): supervision is
    needed. An approved adjustment down to 390万 (hour 3) lifts it; the NDRC's approval seen
    again late (hour 2, older than the adjustment) changes nothing. Before, finance knew neither
    event and measured the submission."""
    fin = await finance_for("suining")
    await submitted(fin, "p1", "3800000.00")
    await concluded(fin, "p1", "3800000.00", hours=0)
    await ndrc_approved(fin, "p1", "4200000.00", hours=2)
    r = await unsupervised_contract(fin, "p1", 1)
    assert r.status_code == 422 and decision(r.json(), "E6")["outcome"] == "refuse", r.text
    await adjustment_approved(fin, "p1", "chg-1", "4200000.00", "3900000.00", hours=3)
    await ndrc_approved(fin, "p1", "4200000.00", hours=2)
    r = await unsupervised_contract(fin, "p1", 2)
    assert r.status_code == 201, r.text
    e6 = decision(r.json(), "E6")
    assert e6["outcome"] == "allow"
    assert Decimal(e6["figures"]["project_total"]) == Decimal("3900000.00")
    assert e6["figures"]["project_total_basis"] == "approved"


async def test_suining_e6_measures_the_submission_while_nothing_is_approved(finance_for):
    """No approved total yet (a conclusion from before the event carried one): the submitted
    total is measured, and the figures say so."""
    fin = await finance_for("suining")
    await fin.project("p1", "4200000.00")  # its conclusion carries no total
    r = await unsupervised_contract(fin, "p1", 1)
    assert r.status_code == 422, r.text
    e6 = decision(r.json(), "E6")
    assert Decimal(e6["figures"]["project_total"]) == Decimal("4200000.00")
    assert e6["figures"]["project_total_basis"] == "submitted"


async def test_xianyang_e1_tenders_a_project_whose_approved_total_is_over_100(finance_for):
    """XY art11 (项目投资超过100万元的, 依法采取招标形式): submitted at 90万, approved at 120万, so its
    purchases are tendered: a competitive negotiation is refused citing E1 on the approved total.
    Before, the submitted 90万 let it through."""
    fin = await finance_for("xianyang")
    await submitted(fin, "p1", "900000.00")
    await concluded(fin, "p1", "1200000.00")
    c = await contractor(fin, 1)
    r = await procure(
        fin, "p1", c["id"], "300000.00", method="competitive_negotiation", token=fin.unit_a
    )
    assert r.status_code == 422, r.text
    e1 = decision(r.json(), "E1")
    assert (e1["outcome"], e1["article"]) == ("refuse", "XY art11, art12")
    assert Decimal(e1["figures"]["project_total"]) == Decimal("1200000.00")
    assert e1["figures"]["project_total_basis"] == "approved"


async def test_xianyang_e7_leadership_of_a_project_approved_over_100(finance_for):
    """XY art10 (总投资100万元以上 is a major project): submitted at 90万, approved at 120万 by an
    adjustment, so the unit's principal leader heads it and the bureau's expert joins the
    working group; a contract without them is refused citing E7. Before, finance measured the
    submitted 90万."""
    fin = await finance_for("xianyang")
    await submitted(fin, "p1", "900000.00")
    await concluded(fin, "p1", "900000.00", hours=0)
    await adjustment_approved(fin, "p1", "chg-1", "900000.00", "1200000.00", hours=1)
    c = await contractor(fin, 1)
    r = await procure(fin, "p1", c["id"], "300000.00", token=fin.unit_a)
    assert r.status_code == 201, r.text
    body = contract_body(r.json()["id"], "300000.00")
    r = await fin.call("POST", "/v1/contracts", fin.unit_a, json=body)
    assert r.status_code == 422, r.text
    e7 = decision(r.json(), "E7")
    assert (e7["outcome"], e7["article"]) == ("refuse", "XY art10")
    assert Decimal(e7["figures"]["project_total"]) == Decimal("1200000.00")
    assert e7["figures"]["project_total_basis"] == "approved"
