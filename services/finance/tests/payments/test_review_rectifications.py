"""Review's rectification orders (J1, J2) hold a project's payments in wuhai until resolved (I4);
its suspension holds them (F4) and its termination ends them (F5)."""

from govit.review.v1 import events_pb2 as review_events
from govit_kit.testing import publish_event, wait_until


async def issue(fin, order_id, project_id, hold=True, security=False):
    await publish_event(
        fin.space,
        "review",
        "rectification",
        "issued",
        review_events.RectificationIssued(
            order_id=order_id,
            project_id=project_id,
            org_id="org-a",
            finding="security" if security else "not_on_cloud",
            description="系统未部署在政务云",
            security=security,
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
    # Kept (for I3 where it applies), but it holds nothing either: only hold_payments holds.
    await issue(fin, "o-sec", "p1", hold=False, security=True)
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
    """o-1 open, o-2 closed whatever order the two consumers applied its events in; the
    security order o-sec open."""
    now = await orders(fin)
    return (
        set(now) == {"o-1", "o-2", "o-sec"}
        and now["o-1"] is None
        and now["o-sec"] is None
        and now["o-2"] is not None
    )


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


async def test_wuhai_next_year_funds_only_lost_to_an_order_past_its_deadline(
    finance_for, monkeypatch
):
    """WH art20: a unit that 不按要求进行整改 gets no next year's funds. An order issued late in
    2026 and not yet due when the 2027 line is opened has not been failed; one past its deadline
    and still open has."""
    import datetime as dt

    from finance.funding import flows as funding_flows
    from govit_kit.convert import to_timestamp
    from govit_kit.policy import SHANGHAI

    fin = await finance_for("wuhai")
    await fin.project("p7", "100000.00")
    await fin.project("p8", "100000.00")

    def at(day):
        return to_timestamp(dt.datetime(*day, 18, tzinfo=SHANGHAI))

    async def issue_due(order_id, project_id, due):
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
                hold_payments=True,
                issued_at=at((2026, 12, 28)),
                due_at=at(due),
            ),
            subject=order_id,
            org_id="org-a",
            project_id=project_id,
        )

    await issue_due("o-not-due", "p7", (2027, 1, 10))
    await wait_until(lambda: _known(fin, "o-not-due"))
    # An audit finding raised in 2026 and still open holds p7's payments (I4, J2), but it is
    # not a failed rectification: it does not take the unit's next year's funds.
    await fin.finding("f-open", "p7")
    await wait_until(lambda: _finding_known(fin, "f-open"))
    opened = dt.datetime(2027, 1, 2, 10, tzinfo=SHANGHAI)
    monkeypatch.setattr(funding_flows, "utcnow", lambda: opened.astimezone(dt.UTC))
    body = {"kind": "om", "source": "municipal_finance", "amount": "10000.00", "fiscal_year": 2027}
    r = await fin.call("POST", "/v1/funding-lines", json={**body, "project_id": "p7"}, expect=201)
    i4 = next(d for d in r.json()["decisions"] if d["rule_id"] == "I4")
    assert i4["outcome"] == "allow"

    await issue_due("o-overdue", "p8", (2026, 12, 30))
    await wait_until(lambda: _known(fin, "o-overdue"))
    r = await fin.call("POST", "/v1/funding-lines", json={**body, "project_id": "p8"}, expect=422)
    [refusal] = r.json()["decisions"]
    assert (refusal["rule_id"], refusal["article"]) == ("I4", "WH art20")
    assert refusal["figures"]["unrectified"] == ["o-overdue"]


async def _known(fin, order_id):
    return order_id in await orders(fin)


async def _finding_known(fin, finding_id):
    from finance.payments.models import AuditFinding

    async with fin.running.runtime.db.sessions() as session:
        return await session.get(AuditFinding, finding_id) is not None


async def test_a_recounted_first_deadline_replaces_the_one_kept(finance_for):
    """Review counted the order's first deadline on a provisional calendar and counted it again
    once the year was published (rectification.recounted, level 0): finance keeps the new date,
    which WH art20 compares. A later deadline's recount (level 1) is not the first one."""
    import datetime as dt

    from sqlalchemy import select

    from finance.payments.models import Rectification
    from govit_kit.convert import to_timestamp
    from govit_kit.policy import SHANGHAI

    fin = await finance_for("wuhai")
    await fin.project("p9", "100000.00")

    def at(day):
        return dt.datetime(*day, 23, 59, 59, tzinfo=SHANGHAI)

    await publish_event(
        fin.space,
        "review",
        "rectification",
        "issued",
        review_events.RectificationIssued(
            order_id="o-r",
            project_id="p9",
            org_id="org-a",
            finding="not_on_cloud",
            description="系统未部署在政务云",
            hold_payments=True,
            issued_at=to_timestamp(at((2027, 1, 28))),
            due_at=to_timestamp(at((2027, 2, 17))),
        ),
        subject="o-r",
        org_id="org-a",
        project_id="p9",
    )
    await wait_until(lambda: _known(fin, "o-r"))

    async def recounted(level, due, previous):
        event_id = await publish_event(
            fin.space,
            "review",
            "rectification",
            "recounted",
            review_events.RectificationRecounted(
                order_id="o-r",
                project_id="p9",
                org_id="org-a",
                level=level,
                due_at=to_timestamp(at(due)),
                previous_due_at=to_timestamp(at(previous)),
            ),
            subject="o-r",
            org_id="org-a",
            project_id="p9",
        )
        inbox = fin.running.runtime.db.tables.inbox

        async def applied():
            async with fin.running.runtime.db.sessions() as session:
                return await session.scalar(
                    select(inbox.c.event_id).where(inbox.c.event_id == event_id)
                )

        await wait_until(applied)

    async def due():
        async with fin.running.runtime.db.sessions() as session:
            return (await session.get(Rectification, "o-r")).due_at

    await recounted(0, (2027, 2, 19), (2027, 2, 17))

    async def moved():
        return await due() == at((2027, 2, 19))

    assert await moved()
    await recounted(1, (2027, 3, 19), (2027, 3, 17))
    assert await due() == at((2027, 2, 19))
