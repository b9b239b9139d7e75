"""Cloud-broker closes a billed month (govit.cloud_broker.billing_month.closed): per platform, the
number of bill lines it issued and their total. The bureau's verification of a platform's month
is refused (L10) while fewer lines have arrived than announced, and settles once all have; the
close may arrive before or after the lines, and again."""

from decimal import Decimal

from govit.cloud_broker.v1 import events_pb2 as broker_events
from govit_kit.convert import to_money
from govit_kit.testing import publish_event, wait_until

VERIFY = "/v1/cloud-bills/broker-verifications"


async def issue(fin, line_id, org, mode, amount, platform="pa", month="2026-10"):
    await publish_event(
        fin.space,
        "cloud_broker",
        "bill_line",
        "issued",
        broker_events.BillLineIssued(
            bill_line_id=line_id,
            period=month,
            org_id=org,
            platform_id=platform,
            service_mode=mode,
            amount=to_money(Decimal(amount)),
            usage_lines=2,
            unit_level="city",
            unit_funding="full",
            rule_id="L9",
            article="SN C art17",
        ),
        subject=line_id,
        org_id=org,
    )


async def close(fin, month="2026-10", event_id=None, msg_id=None, **platforms):
    """Cloud-broker's close of the month: platform=(lines, total)."""
    return await publish_event(
        fin.space,
        "cloud_broker",
        "billing_month",
        "closed",
        broker_events.BillingMonthClosed(
            period=month,
            platforms=[
                broker_events.BilledPlatform(
                    platform_id=p, bill_lines=n, amount=to_money(Decimal(total))
                )
                for p, (n, total) in platforms.items()
            ],
            rule_id="L10",
            article="SN C art5, art6",
        ),
        subject=month,
        event_id=event_id,
        msg_id=msg_id,
    )


async def kept(fin, lines, closes):
    """Wait until finance holds this many broker lines and month closes."""
    from finance.cloud.models import BrokerBillLine, BrokerMonthClose

    async def enough():
        async with fin.running.runtime.db.sessions() as session:
            got = len((await session.execute(BrokerBillLine.__table__.select())).all())
            shut = len((await session.execute(BrokerMonthClose.__table__.select())).all())
        return (got, shut) == (lines, closes)

    await wait_until(enough)


async def closes_kept(fin):
    from finance.cloud.models import BrokerMonthClose

    async with fin.running.runtime.db.sessions() as session:
        rows = (await session.execute(BrokerMonthClose.__table__.select())).all()
    return sorted((r.period, r.platform_id, r.bill_lines, str(r.amount), r.event_id) for r in rows)


async def test_close_before_the_lines_refuses_the_month_until_all_have_arrived(finance_for, issuer):
    """The close overtakes the lines: the month is refused (409, L10 with SN C art5, art6) with
    the count, listed as incomplete, and settled once the last line is in."""
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await close(fin, pa=(3, "1800.00"), pb=(1, "100.00"))
    await kept(fin, 0, 2)
    verify = {"platform_id": "pa", "month": "2026-10", "adjustments": []}
    # Nothing has arrived yet: not "no lines" (422) but the month's lines still to come.
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 409, r.text
    assert "0 of 3 bill lines of 2026-10 for platform pa have arrived" in r.json()["detail"]

    await issue(fin, "bl-1", "org-a", "general", "1000.00")
    await issue(fin, "bl-2", "org-a", "dedicated", "500.00")
    await kept(fin, 2, 2)
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 409, r.text
    problem = r.json()
    assert "2 of 3 bill lines of 2026-10 for platform pa have arrived" in problem["detail"]
    assert "L10 (SN C art5, art6)" in problem["detail"]
    assert (problem["rule_id"], problem["article"]) == ("L10", "SN C art5, art6")
    assert (problem["bill_lines_arrived"], problem["bill_lines_announced"]) == (2, 3)
    assert (problem["amount_arrived"], problem["amount_announced"]) == ("1500.00", "1800.00")
    assert "govit.finance.cloud_bill.settled" not in await fin.emitted()

    # The listing shows the month's close next to its pending lines.
    r = await fin.call("GET", "/v1/broker-bill-lines", bureau, params={"platform_id": "pa"})
    assert r.status_code == 200, r.text
    assert [x["bill_line_id"] for x in r.json()["items"]] == ["bl-1", "bl-2"]
    assert r.json()["months"] == [
        {
            "platform_id": "pa",
            "month": "2026-10",
            "closed": True,
            "bill_lines_announced": 3,
            "amount_announced": "1800.00",
            "bill_lines_arrived": 2,
            "amount_arrived": "1500.00",
            "bill_lines_pending": 2,
            "complete": False,
        }
    ]
    # Platform pb's month, closed with nothing arrived, is listed too (no filter).
    r = await fin.call("GET", "/v1/broker-bill-lines", fin.auditor, expect=200)
    assert [(m["platform_id"], m["complete"]) for m in r.json()["months"]] == [
        ("pa", False),
        ("pb", False),
    ]

    await issue(fin, "bl-3", "org-b", "general", "300.00")
    await kept(fin, 3, 2)
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 201, r.text
    bill = r.json()
    assert (bill["billed"], bill["supplement"]) == ("1800.00", 0)
    l10 = [d for d in bill["decisions"] if d["rule_id"] == "L10"]
    assert [d["outcome"] for d in l10] == ["allow", "allow"]
    assert "all 3 bill lines" in l10[1]["reason"]
    assert l10[1]["figures"]["bill_lines"] == 3 and l10[1]["figures"]["amount"] == "1800.00"
    # Settled whole: the month is no longer waiting, and a second verification has nothing.
    r = await fin.call("GET", "/v1/broker-bill-lines", bureau, params={"platform_id": "pa"})
    assert r.json() == {"items": [], "months": [], "next_cursor": None}
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "month"


async def test_lines_before_the_close_and_its_redelivery(finance_for, issuer):
    """The lines come first, then the close, then the close again (JetStream's redelivery of the
    same event, and the same close re-sent under a new id): one close kept, the first, and the
    month settles."""
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await issue(fin, "bl-1", "org-a", "general", "1000.00")
    await issue(fin, "bl-2", "org-b", "general", "250.50")
    await kept(fin, 2, 0)
    first = await close(fin, pa=(2, "1250.50"))
    await kept(fin, 2, 1)
    await close(fin, event_id=first, msg_id="again", pa=(2, "1250.50"))
    await close(fin, pa=(2, "1250.50"))
    # A later close naming other figures for a month already closed changes nothing either.
    await close(fin, pa=(5, "9999.00"))
    await close(fin, month="2026-11", pa=(1, "10.00"))
    await kept(fin, 2, 2)
    assert (await closes_kept(fin))[0] == ("2026-10", "pa", 2, "1250.50", first)
    verify = {"platform_id": "pa", "month": "2026-10", "adjustments": []}
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 201, r.text
    assert r.json()["billed"] == "1250.50"


async def test_a_total_that_differs_from_the_close_is_refused(finance_for, issuer):
    """As many lines as announced, but not the announced total: refused, naming both totals."""
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await issue(fin, "bl-1", "org-a", "general", "1000.00")
    await close(fin, pa=(1, "1000.01"))
    await kept(fin, 1, 1)
    verify = {"platform_id": "pa", "month": "2026-10", "adjustments": []}
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert "1 of 1 bill lines of 2026-10 for platform pa have arrived" in detail
    assert "1000.00" in detail and "1000.01" in detail


async def test_without_a_close_the_month_settles_flagged_as_of_unknown_completeness(
    finance_for, issuer
):
    """No close for the month (a month billed before cloud-broker announced closes, or its close
    still on the way): settled as before, with an L10 flag saying completeness is unknown; a
    later close with more lines makes the rest wait, then a supplementary bill."""
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await issue(fin, "bl-1", "org-a", "general", "1000.00")
    await kept(fin, 1, 0)
    r = await fin.call("GET", "/v1/broker-bill-lines", bureau, expect=200)
    assert [
        (m["closed"], m["complete"], m["bill_lines_announced"]) for m in r.json()["months"]
    ] == [(False, None, None)]
    verify = {"platform_id": "pa", "month": "2026-10", "adjustments": []}
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 201, r.text
    first = r.json()
    flags = [d for d in first["decisions"] if d["outcome"] == "flag"]
    assert [(d["rule_id"], d["article"]) for d in flags] == [("L10", "SN C art5, art6")]
    assert "unknown" in flags[0]["reason"] and flags[0]["figures"]["bill_lines_arrived"] == 1

    # The close arrives, announcing a line still on its way: the supplement waits for it.
    await close(fin, pa=(2, "1300.00"))
    await kept(fin, 1, 1)
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 409 and "1 of 2 bill lines" in r.json()["detail"], r.text
    await issue(fin, "bl-2", "org-a", "dedicated", "300.00")
    await kept(fin, 2, 1)
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 201, r.text
    extra = r.json()
    assert (extra["supplement"], extra["billed"]) == (1, "300.00")
    assert not [d for d in extra["decisions"] if d["outcome"] == "flag"]


async def test_where_l10_does_not_apply_an_incomplete_month_is_a_plain_conflict(
    finance_for, issuer
):
    """Yunyang has no L10: an incomplete month is still not settled (the bill would be short),
    but the 409 names no rule or article; a month with no close settles without a flag."""
    fin = await finance_for("yunyang")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await issue(fin, "bl-1", "org-a", "general", "1000.00")
    await issue(fin, "bl-9", "org-a", "general", "5.00", platform="pb")
    await close(fin, pa=(2, "1500.00"))
    await kept(fin, 2, 1)
    verify = {"platform_id": "pa", "month": "2026-10", "adjustments": []}
    r = await fin.call("POST", VERIFY, bureau, json=verify)
    assert r.status_code == 409, r.text
    assert "1 of 2 bill lines of 2026-10 for platform pa have arrived" in r.json()["detail"]
    assert "rule_id" not in r.json() and "article" not in r.json()
    r = await fin.call("POST", VERIFY, bureau, json={**verify, "platform_id": "pb"})
    assert r.status_code == 201, r.text
    assert [d["outcome"] for d in r.json()["decisions"]] == ["allow", "allow"]


async def test_the_waiting_months_group_only_the_months_still_waiting(finance_for, issuer):
    """`months` groups the lines of the platforms' months still waiting (lines pending, or a
    close whose lines have not all arrived), not every line finance ever received: months
    settled whole, with their close or with one that came after and matches, are not read. A
    close that came after its month was settled, announcing lines still on their way, waits."""
    import json

    from govit_kit.testing import counted_statements

    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    settled = ["2026-07", "2026-08", "2026-09"]
    for i, month in enumerate(settled):
        await issue(fin, f"old-{i}", "org-a", "general", "100.00", month=month)
        if month != "2026-09":
            await close(fin, month=month, pa=(1, "100.00"))
    await kept(fin, 3, 2)
    for month in settled:
        verify = {"platform_id": "pa", "month": month, "adjustments": []}
        await fin.call("POST", VERIFY, bureau, json=verify, expect=201)
    # 2026-09 was settled without a close; its close comes after, and matches.
    await close(fin, month="2026-09", pa=(1, "100.00"))
    # 2026-06 was settled without a close; its close announces a line still on its way.
    await issue(fin, "june-1", "org-a", "general", "50.00", month="2026-06")
    await kept(fin, 4, 3)
    verify = {"platform_id": "pa", "month": "2026-06", "adjustments": []}
    await fin.call("POST", VERIFY, bureau, json=verify, expect=201)
    await close(fin, month="2026-06", pa=(2, "80.00"))
    await issue(fin, "bl-1", "org-a", "general", "1000.00")  # 2026-10, pending
    await kept(fin, 5, 4)

    engine = fin.running.runtime.db.engine
    with counted_statements(engine) as ran:
        r = await fin.call("GET", "/v1/broker-bill-lines", bureau, expect=200)
    assert [(m["month"], m["complete"], m["bill_lines_pending"]) for m in r.json()["months"]] == [
        ("2026-06", False, 0),
        ("2026-10", None, 1),
    ]
    [(grouping, parameters)] = ran.naming("GROUP BY", "broker_bill_line")
    async with engine.connect() as conn:
        rows = await conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + grouping, parameters)
        plan = rows.scalar()
        await conn.rollback()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert plan[0]["Plan"]["Actual Rows"] == 2, plan  # the two months waiting, not all five
