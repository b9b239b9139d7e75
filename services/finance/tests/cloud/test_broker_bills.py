"""A cloud bill flows from cloud-broker over NATS to settlement with the right payer (L9-L11)."""

from decimal import Decimal

from govit.cloud_broker.v1 import events_pb2 as broker_events
from govit_kit.convert import to_money
from govit_kit.testing import publish_event, wait_until


async def issue(fin, line_id, org, mode, amount, level="city", funding="full", month="2026-10"):
    await publish_event(
        fin.space,
        "cloud_broker",
        "bill_line",
        "issued",
        broker_events.BillLineIssued(
            bill_line_id=line_id,
            period=month,
            org_id=org,
            platform_id="platform-1",
            service_mode=mode,
            amount=to_money(Decimal(amount)),
            usage_lines=3,
            unit_level=level,
            unit_funding=funding,
            rule_id="L9",
            article="SN C art17",
        ),
        subject=line_id,
        org_id=org,
    )


async def test_broker_lines_verified_by_the_bureau_and_split_by_payer(finance_for, issuer):
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await issue(fin, "bl-1", "org-tax", "general", "1000.00")
    await issue(fin, "bl-2", "org-tax", "dedicated", "500.00")
    await issue(fin, "bl-3", "org-hospital", "managed", "300.00", funding="self")
    await issue(fin, "bl-4", "org-county", "general", "400.00", level="county")
    await issue(fin, "bl-4", "org-county", "general", "400.00", level="county")  # redelivered
    # Finance's own record of a county unit (its finance pays) wins over the broker's copy.
    county = {"level": "county", "funding": "full", "local_finance_pays": True}
    await fin.call("PUT", "/v1/units/org-county/funding", json=county, expect=200)

    async def received():
        from finance.cloud.models import BrokerBillLine

        async with fin.running.runtime.db.sessions() as session:
            rows = (await session.execute(BrokerBillLine.__table__.select())).all()
        return len(rows) == 4

    await wait_until(received)
    verify = {
        "platform_id": "platform-1",
        "month": "2026-10",
        "adjustments": [{"org_id": "org-tax", "service_mode": "general", "idle_extra": "100.00"}],
    }
    await fin.call("POST", "/v1/cloud-bills/broker-verifications", json=verify, expect=403)
    wrong = {**verify, "adjustments": [{**verify["adjustments"][0], "org_id": "org-x"}]}
    r = await fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=wrong)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "adjustments[0]"
    r = await fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=verify)
    assert r.status_code == 201, r.text
    bill = r.json()
    owed = {(p["payer"], p["org_id"]): p["amount"] for p in bill["payables"]}
    assert owed == {
        ("city_finance", ""): "900.00",  # general, less the idle 100 cut (L11)
        ("unit", "org-tax"): "500.00",  # dedicated
        ("unit", "org-hospital"): "300.00",  # self-funded: everything
        ("county_finance", "org-county"): "400.00",
    }
    assert (bill["billed"], bill["deducted"], bill["payable_to_provider"]) == (
        "2200.00",
        "100.00",
        "2100.00",
    )
    payers = {(x["org_id"], x["service_mode"]): x["decisions"][0] for x in bill["lines"]}
    assert payers[("org-tax", "dedicated")]["rule_id"] == "L9"
    assert payers[("org-tax", "dedicated")]["article"] == "SN C art17"
    # The month's lines are settled once.
    r = await fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=verify)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "month"


async def test_a_unit_broker_marked_bears_its_idle_fees_that_year(finance_for, issuer):
    """L11: cloud-broker marks a unit that refused right-sizing (govit.cloud_broker.unit.marked);
    the idle-capacity fees on its bills of that year are its own, not cut from the provider's."""
    from govit.common.v1 import common_pb2

    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await issue(fin, "bl-1", "org-tax", "general", "1000.00")
    await issue(fin, "bl-2", "org-edu", "general", "1000.00")
    await publish_event(
        fin.space,
        "cloud_broker",
        "unit",
        "marked",
        broker_events.UnitMarked(
            org_id="org-tax",
            year=2026,
            finding_id="f-1",
            reason="refused the downsizing plan",
            rule_id="L11",
            article="SN C art13-14",
            marked_by=common_pb2.Actor(subject="dan", org_id="org-bureau"),
        ),
        subject="org-tax",
        org_id="org-tax",
    )

    async def received():
        from finance.cloud.models import BrokerBillLine, MarkedUnit

        async with fin.running.runtime.db.sessions() as session:
            lines = (await session.execute(BrokerBillLine.__table__.select())).all()
            marks = (await session.execute(MarkedUnit.__table__.select())).all()
        return len(lines) == 2 and len(marks) == 1

    await wait_until(received)
    idle = [
        {"org_id": org, "service_mode": "general", "idle_extra": "100.00"}
        for org in ("org-tax", "org-edu")
    ]
    verify = {"platform_id": "platform-1", "month": "2026-10", "adjustments": idle}
    r = await fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=verify)
    assert r.status_code == 201, r.text
    bill = r.json()
    owed = {(p["payer"], p["org_id"]): p["amount"] for p in bill["payables"]}
    # org-edu's idle 100 is cut from the provider; org-tax's is borne by the unit itself.
    assert owed == {("city_finance", ""): "1800.00", ("unit", "org-tax"): "100.00"}
    assert (bill["deducted"], bill["payable_to_provider"]) == ("100.00", "1900.00")
    flags = {x["org_id"]: [d["reason"] for d in x["decisions"][1:]] for x in bill["lines"]}
    assert "refused right-sizing" in flags["org-tax"][0]
    assert "cut from the provider" in flags["org-edu"][0]


async def test_a_line_issued_after_its_month_was_settled_goes_on_a_supplementary_bill(
    finance_for, issuer
):
    """L10: the bureau verified October's lines of platform-1; cloud-broker then issues another
    October line. It is verified as October's supplementary bill 1 (with its own payables and
    cloud_bill.settled), not left pending for good; once nothing is pending the month is a 422
    on `month` again. Before, the late line's verification was a 409 (the month's bill exists)
    and the line stayed unsettled."""
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await issue(fin, "bl-1", "org-tax", "general", "1000.00")

    async def kept(n):
        from finance.cloud.models import BrokerBillLine

        async def enough():
            async with fin.running.runtime.db.sessions() as session:
                rows = (await session.execute(BrokerBillLine.__table__.select())).all()
            return len(rows) == n

        await wait_until(enough)

    await kept(1)
    verify = {"platform_id": "platform-1", "month": "2026-10", "adjustments": []}
    r = await fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=verify)
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["supplement"] == 0 and first["billed"] == "1000.00"

    await issue(fin, "bl-9", "org-hospital", "managed", "300.00", funding="self")
    await kept(2)
    # The late line is listed as pending and late, naming the month's settled bill.
    await fin.call("GET", "/v1/broker-bill-lines", fin.unit_a, expect=403)
    r = await fin.call("GET", "/v1/broker-bill-lines", bureau, params={"month": "2026-10"})
    assert r.status_code == 200, r.text
    assert [(x["bill_line_id"], x["late"], x["settled_bills"]) for x in r.json()["items"]] == [
        ("bl-9", True, [first["id"]])
    ]
    r = await fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=verify)
    assert r.status_code == 201, r.text
    extra = r.json()
    assert (extra["month"], extra["supplement"], extra["billed"]) == ("2026-10", 1, "300.00")
    assert [(x["org_id"], x["amount"]) for x in extra["lines"]] == [("org-hospital", "300.00")]
    assert extra["payables"] == [{"payer": "unit", "org_id": "org-hospital", "amount": "300.00"}]
    # (Besides them, an L10 flag: cloud-broker sent no close of the month, so whether all its
    # lines have arrived is unknown.)
    l10 = [d for d in extra["decisions"] if d["rule_id"] == "L10" and d["outcome"] == "allow"]
    assert len(l10) == 2 and l10[1]["figures"]["settled_bills"] == [first["id"]]
    assert (await fin.emitted()).count("govit.finance.cloud_bill.settled") == 2
    # The first bill is as it was; nothing is pending now.
    r = await fin.call("GET", f"/v1/cloud-bills/{first['id']}", bureau, expect=200)
    assert r.json()["billed"] == "1000.00" and len(r.json()["lines"]) == 1
    r = await fin.call("GET", "/v1/broker-bill-lines", bureau, expect=200)
    assert r.json()["items"] == []
    r = await fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=verify)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "month"


async def test_pending_lines_page_with_the_cursor_in_the_body(finance_for, issuer):
    """The pending lines answer an object (`items`, `months`): a page's next cursor is its
    `next_cursor` (null on the last page, and without `limit` or `cursor`), no header."""
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    for i in range(5):
        await issue(fin, f"bl-{i}", f"org-{i}", "general", "100.00")

    async def received():
        r = await fin.call("GET", "/v1/broker-bill-lines", bureau, expect=200)
        return r.json() if len(r.json()["items"]) == 5 else None

    whole = await wait_until(received)
    assert whole["next_cursor"] is None
    seen, params = [], {"limit": 2}
    while True:
        r = await fin.call("GET", "/v1/broker-bill-lines", bureau, params=params, expect=200)
        assert "x-next-cursor" not in r.headers
        page = r.json()
        assert len(page["items"]) <= 2 and page["months"] == whole["months"]
        seen += [x["bill_line_id"] for x in page["items"]]
        if not page["next_cursor"]:
            break
        params = {"limit": 2, "cursor": page["next_cursor"]}
    assert seen == [x["bill_line_id"] for x in whole["items"]] and len(set(seen)) == 5


async def test_a_supplement_after_the_year_was_settled_is_flagged(monkeypatch, finance_for, issuer):
    """L18 (suining): October 2026 was verified and the provider's 2026 settled before a late
    October line came: its supplementary bill is settled and flagged L18 (outside the year's
    settlement), so finance sees it is not in what was settled with the provider. It happens on
    5 January 2027: a year is settled, and its quarters assessed, once they have ended."""
    import datetime as dt

    from finance.cloud import flows as cloud_flows

    at = dt.datetime(2027, 1, 5, 2, tzinfo=dt.UTC)  # 10:00 in China
    monkeypatch.setattr(cloud_flows, "utcnow", lambda: at)
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await issue(fin, "bl-1", "org-tax", "general", "1000.00")

    async def kept(n):
        from finance.cloud.models import BrokerBillLine

        async def enough():
            async with fin.running.runtime.db.sessions() as session:
                rows = (await session.execute(BrokerBillLine.__table__.select())).all()
            return len(rows) == n

        await wait_until(enough)

    await kept(1)
    verify = {"platform_id": "platform-1", "month": "2026-10", "adjustments": []}
    await fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=verify, expect=201)
    base = "/v1/cloud-providers/platform-1"
    terms = {"contract_ref": "SNZFY-2026-01", "pass_mark": "80.00", "penalty_ratio": "0.05"}
    await fin.call("PUT", f"{base}/contract", bureau, json=terms, expect=200)
    aspects = ("response", "satisfaction", "confidentiality", "assurance", "quality")
    for q in range(1, 5):
        body = {"year": 2026, "quarter": q, **dict.fromkeys(aspects, "90")}
        await fin.call("POST", f"{base}/assessments", bureau, json=body, expect=201)
    r = await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2026}, expect=201)
    settlement = r.json()

    await issue(fin, "bl-9", "org-tax", "dedicated", "200.00")
    await kept(2)
    r = await fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=verify)
    assert r.status_code == 201, r.text
    extra = r.json()
    assert extra["supplement"] == 1
    l18 = [d for d in extra["decisions"] if d["rule_id"] == "L18"]
    assert [(d["outcome"], d["article"]) for d in l18] == [("flag", "SN C art32, art35")], l18
    assert l18[0]["figures"]["settlement_id"] == settlement["id"]
