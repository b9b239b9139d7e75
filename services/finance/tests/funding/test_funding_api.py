"""Finance opens a funding line when review approves a project it knows of."""

from decimal import Decimal

import httpx

from finance.main import spec
from govit.intake.v1 import events_pb2 as intake_events
from govit.review.v1 import events_pb2 as review_events
from govit.review.v1 import types_pb2
from govit_kit.convert import to_money
from govit_kit.testing import bearer, publish_event, wait_until


async def conclude(space, project_id, org, conclusion):
    await publish_event(
        space,
        "review",
        "case",
        "concluded",
        review_events.ReviewCaseConcluded(
            case_id=f"case-{project_id}",
            project_id=project_id,
            org_id=org,
            conclusion=conclusion,
            reason="ok",
        ),
        subject=f"case-{project_id}",
        org_id=org,
        project_id=project_id,
    )


async def submit(space, project_id, org, amount):
    await publish_event(
        space,
        "intake",
        "project",
        "submitted",
        intake_events.ProjectSubmitted(
            project_id=project_id,
            org_id=org,
            name="x",
            project_type="new",
            total_investment=to_money(Decimal(amount)),
        ),
        subject=project_id,
        org_id=org,
        project_id=project_id,
    )


async def test_approval_opens_line_even_when_it_overtakes_the_submission(
    start_service, event_space, issuer
):
    finance = await start_service(spec())
    officer = issuer.issue("fay", "org-finance", ["finance_officer"])
    unit_b = issuer.issue("bob", "org-b", ["unit_staff"])
    # The conclusion arrives first: finance retries it until the submission lands.
    await conclude(event_space, "p1", "org-a", types_pb2.CONCLUSION_APPROVE)
    await submit(event_space, "p1", "org-a", "450000.00")
    await submit(event_space, "p2", "org-a", "90000.00")
    await conclude(event_space, "p2", "org-a", types_pb2.CONCLUSION_REJECT)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{finance.http_port}") as http:

        async def lines(project_id, token=officer):
            r = await http.get(
                "/v1/funding-lines", params={"project_id": project_id}, headers=bearer(token)
            )
            assert r.status_code == 200, r.text
            return r.json()["items"]

        [line] = await wait_until(lambda: lines("p1"))
        assert Decimal(line["amount"]) == Decimal("450000.00")
        assert line["kind"] == "construction" and line["decisions"][0]["rule_id"] == "D7"
        assert await lines("p1", unit_b) == []

        async def rejection_applied():
            inbox = finance.runtime.db.tables.inbox
            async with finance.runtime.db.sessions() as session:
                return len((await session.execute(inbox.select())).all()) == 4

        await wait_until(rejection_applied)
        assert await lines("p2") == []
    async with finance.runtime.db.sessions() as session:
        dead = (await session.execute(finance.runtime.db.tables.dead_letter.select())).all()
    assert dead == []


async def test_investment_review_fixes_the_estimate_and_cuts_an_allocation_above_it(finance_for):
    """D7: the construction line opened on the bureau's approval takes the estimate finance's
    investment review approved; what was allocated above it is cut by an adjustment entry, and
    the same review delivered again changes nothing."""
    from govit.common.v1 import common_pb2 as c

    fin = await finance_for("suining")
    line = await fin.project("p1", "1000000.00")
    assert Decimal(line["approved_estimate"]) == Decimal("1000000.00")
    reviewed = review_events.ApprovalStepRecorded(
        step_id="s1",
        case_id="case-p1",
        project_id="p1",
        org_id="org-a",
        step="investment_review",
        document_number="遂财投评〔2026〕7号",
        approved_amount=to_money(Decimal("900000.00")),
        recorded_by=c.Actor(subject="fay", org_id="org-finance"),
    )
    for _ in range(2):  # a redelivery under a new message id: the inbox does not know it
        await publish_event(
            fin.space,
            "review",
            "approval",
            "investment_reviewed",
            reviewed,
            subject="case-p1",
            org_id="org-a",
            project_id="p1",
            event_id="investment-review-p1",
        )

    async def fixed():
        r = await fin.call("GET", f"/v1/funding-lines/{line['id']}", expect=200)
        return Decimal(r.json()["approved_estimate"]) == Decimal("900000.00") and r.json()

    after = await wait_until(fixed)
    assert (after["decisions"][-1]["rule_id"], after["decisions"][-1]["article"]) == (
        "D7",
        "SN P art14, art15, art24",
    )
    assert await fin.balance(line) == Decimal("900000.00")
    r = await fin.call("GET", f"/v1/funding-lines/{line['id']}/entries", expect=200)
    cuts = [e for e in r.json()["items"] if e["kind"] == "adjustment"]
    assert [Decimal(e["amount"]) for e in cuts] == [Decimal("-100000.00")]
    assert cuts[0]["booked_by"] == "service:finance"


async def test_a_failed_evaluation_refuses_om_funds_without_a_written_reason(finance_for):
    """H2 (SN P art37): the performance evaluation is a basis for the next O&M funds. Before any
    evaluation, and after a passed one, an O&M line opens naming the grade; after a failed one
    it is refused unless the officer writes why, and an older result arriving late is ignored."""
    import datetime as dt

    from govit_kit.convert import to_timestamp

    fin = await finance_for("suining")
    await fin.project("p1", "1000000.00")
    om = {"project_id": "p1", "fiscal_year": 2027, "kind": "om", "source": "municipal_finance"}
    r = await fin.call("POST", "/v1/funding-lines", json={**om, "amount": "1.00"}, expect=201)
    assert r.json()["decisions"][-1]["reason"] == "no performance evaluation is recorded yet"

    async def evaluated(grade, evaluation_id, days_ago):
        at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
        await publish_event(
            fin.space,
            "review",
            "evaluation",
            "recorded",
            review_events.EvaluationRecorded(
                evaluation_id=evaluation_id,
                case_id="case-p1",
                project_id="p1",
                org_id="org-a",
                grade=grade,
                recorded_at=to_timestamp(at),
            ),
            subject=evaluation_id,
            org_id="org-a",
            project_id="p1",
        )

    await evaluated("fail", "ev-2", days_ago=1)
    await evaluated("good", "ev-1", days_ago=30)  # the older result, delivered late

    async def refused():
        r = await fin.call("POST", "/v1/funding-lines", json={**om, "amount": "2.00"})
        return r if r.status_code == 422 else None

    [refusal] = (await wait_until(refused)).json()["decisions"]
    assert (refusal["rule_id"], refusal["article"]) == ("H2", "SN P art37")
    assert refusal["figures"]["grade"] == "fail"
    reason = "运维合同已签, 整改方案已报数据局"
    r = await fin.call(
        "POST",
        "/v1/funding-lines",
        json={**om, "amount": "3.00", "evaluation_override_reason": reason},
        expect=201,
    )
    h2 = r.json()["decisions"][-1]
    assert h2["rule_id"] == "H2" and reason in h2["reason"]
    # A construction line is not O&M: H2 does not stand in its way.
    body = {**om, "kind": "construction", "amount": "4.00"}
    await fin.call("POST", "/v1/funding-lines", json=body, expect=201)


async def test_a_round_two_approval_opens_the_line_at_the_amount_it_approved(finance_for):
    """Round 1 was submitted at 45万 and sent back; round 2, resubmitted at 90万, is approved and
    its conclusion reaches finance before the resubmission does (separate consumers). The line
    opens at the approved 90万 the conclusion carries, and the late submission changes nothing."""
    fin = await finance_for("suining")
    await submit(fin.space, "p9", "org-a", "450000.00")

    async def known():
        async with fin.running.runtime.db.sessions() as session:
            from finance.funding.models import ProjectCopy

            return await session.get(ProjectCopy, "p9")

    await wait_until(known)
    await publish_event(
        fin.space,
        "review",
        "case",
        "concluded",
        review_events.ReviewCaseConcluded(
            case_id="case-p9",
            project_id="p9",
            org_id="org-a",
            conclusion=types_pb2.CONCLUSION_APPROVE,
            reason="ok",
            round=2,
            total_investment=to_money(Decimal("900000.00")),
        ),
        subject="case-p9",
        org_id="org-a",
        project_id="p9",
    )

    async def line():
        r = await fin.call("GET", "/v1/funding-lines", params={"project_id": "p9"}, expect=200)
        return r.json()["items"]

    [opened] = await wait_until(line)
    assert (Decimal(opened["amount"]), Decimal(opened["approved_estimate"])) == (
        Decimal("900000.00"),
        Decimal("900000.00"),
    )
    await submit(fin.space, "p9", "org-a", "900000.00")  # round 2's submission, late

    async def copied():
        copy = await known()
        return copy.total_investment == Decimal("900000.00")

    await wait_until(copied)
    assert await fin.balance(opened) == Decimal("900000.00")
    assert len(await line()) == 1


async def test_an_investment_review_after_the_line_closed_is_recorded_not_booked(finance_for):
    """D7: the approval's construction line was closed at year end (its surplus returned) before
    finance's investment review reached this service. The review still finds that line: the
    estimate is recorded on it and the cut it would have had is flagged (D7, no entry, no dead
    letter); the same review sent again under another id adds nothing."""
    from govit.common.v1 import common_pb2 as c

    fin = await finance_for("suining")
    line = await fin.project("p1", "1000000.00")
    r = await fin.call("POST", f"/v1/funding-lines/{line['id']}/closing", expect=200)
    assert r.json()["status"] == "closed"
    entries_before = (
        await fin.call("GET", f"/v1/funding-lines/{line['id']}/entries", expect=200)
    ).json()["items"]
    reviewed = review_events.ApprovalStepRecorded(
        step_id="s1",
        case_id="case-p1",
        project_id="p1",
        org_id="org-a",
        step="investment_review",
        document_number="遂财投评〔2026〕8号",
        approved_amount=to_money(Decimal("900000.00")),
        recorded_by=c.Actor(subject="fay", org_id="org-finance"),
    )
    for _ in range(2):
        await publish_event(
            fin.space,
            "review",
            "approval",
            "investment_reviewed",
            reviewed,
            subject="case-p1",
            org_id="org-a",
            project_id="p1",
        )

    async def applied():
        inbox = fin.running.runtime.db.tables.inbox
        async with fin.running.runtime.db.sessions() as session:
            rows = (await session.execute(inbox.select())).all()
        return len(rows) == 4  # the submission, the conclusion and the review twice

    await wait_until(applied)
    got = (await fin.call("GET", f"/v1/funding-lines/{line['id']}", expect=200)).json()
    assert (got["status"], Decimal(got["approved_estimate"])) == ("closed", Decimal("900000.00"))
    d7 = [d for d in got["decisions"] if d["rule_id"] == "D7"]
    assert [(d["outcome"], d["article"]) for d in d7] == [
        ("allow", "SN P art14, art15, art24"),  # the approval that opened the line
        ("flag", "SN P art14, art15, art24"),
    ]
    assert d7[-1]["figures"]["cut_not_booked"] == "100000.00"
    assert d7[-1]["figures"]["document_number"] == "遂财投评〔2026〕8号"
    entries = (await fin.call("GET", f"/v1/funding-lines/{line['id']}/entries", expect=200)).json()
    assert entries["items"] == entries_before and await fin.balance(line) == Decimal("0.00")
    async with fin.running.runtime.db.sessions() as session:
        dead = (await session.execute(fin.running.runtime.db.tables.dead_letter.select())).all()
    assert dead == []


async def test_an_investment_review_cuts_an_open_line_no_further_than_its_balance(finance_for):
    """D7 on an open line from which 950000 of 1000000 was paid already: the review approves
    900000, a cut of 100000, but the line holds 50000. The cut booked is 50000 (the balance ends
    at zero, as an officer's own adjustment must), and the 50000 not cut is a D7 flag on the
    line naming it; the same review sent again adds nothing. Before, the whole 100000 was booked
    and the balance went to -50000."""
    import datetime as dt

    from govit.common.v1 import common_pb2 as c
    from govit_kit.policy import SHANGHAI

    fin = await finance_for("suining")
    line = await fin.project("p1", "1000000.00")
    await fin.plan("p1", dt.datetime.now(SHANGHAI).year)
    contract = await fin.contract("p1", "1000000.00")
    r = await fin.pay(contract, line, "950000.00")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text
    reviewed = review_events.ApprovalStepRecorded(
        step_id="s1",
        case_id="case-p1",
        project_id="p1",
        org_id="org-a",
        step="investment_review",
        document_number="遂财投评〔2026〕9号",
        approved_amount=to_money(Decimal("900000.00")),
        recorded_by=c.Actor(subject="fay", org_id="org-finance"),
    )
    for _ in range(2):  # a redelivery under another id
        await publish_event(
            fin.space,
            "review",
            "approval",
            "investment_reviewed",
            reviewed,
            subject="case-p1",
            org_id="org-a",
            project_id="p1",
        )

    async def applied():
        inbox = fin.running.runtime.db.tables.inbox
        async with fin.running.runtime.db.sessions() as session:
            rows = (
                await session.execute(
                    inbox.select().where(inbox.c.event_type.like("%investment_reviewed"))
                )
            ).all()
        return len(rows) == 2

    await wait_until(applied)
    got = (await fin.call("GET", f"/v1/funding-lines/{line['id']}", expect=200)).json()
    assert (got["status"], Decimal(got["approved_estimate"])) == ("open", Decimal("900000.00"))
    d7 = [d for d in got["decisions"] if d["rule_id"] == "D7"]
    assert [(d["outcome"], d["article"]) for d in d7] == [
        ("allow", "SN P art14, art15, art24"),
        ("flag", "SN P art14, art15, art24"),
    ]
    figures = d7[-1]["figures"]
    assert (figures["cut_booked"], figures["cut_not_booked"], figures["balance_before"]) == (
        "50000.00",
        "50000.00",
        "50000.00",
    )
    assert await fin.balance(line) == Decimal("0.00")
    entries = (await fin.call("GET", f"/v1/funding-lines/{line['id']}/entries", expect=200)).json()
    cuts = [Decimal(e["amount"]) for e in entries["items"] if e["kind"] == "adjustment"]
    assert cuts == [Decimal("-50000.00")]
