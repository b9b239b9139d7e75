"""Payments checked against the funding gates over REST and NATS: every failing rule is named;
an open audit finding holds a payment until it is resolved (I4)."""

import datetime as dt
from decimal import Decimal

import pytest

from govit_kit.policy import SHANGHAI
from govit_kit.testing import wait_until


async def test_wuhai_payment_held_on_open_finding_then_released_when_it_closes(finance_for):
    fin = await finance_for("wuhai")
    line = await fin.project("p1", "500000.00")
    contract = await fin.contract("p1", "300000.00", fin.unit_a)
    await fin.finding("f1", "p1")
    await fin.finding("f2", "p1")

    async def open_findings():
        from finance.payments.models import AuditFinding

        async with fin.running.runtime.db.sessions() as session:
            return len(list((await session.execute(AuditFinding.__table__.select())).all())) == 2

    await wait_until(open_findings)
    r = await fin.pay(contract, line, "100000.00")
    assert r.status_code == 201, r.text
    held = r.json()
    assert held["status"] == "held" and held["treasury_reference"] is None
    i4 = next(d for d in held["decisions"] if d["rule_id"] == "I4")
    assert (i4["outcome"], i4["article"]) == ("hold", "WH art20")
    assert i4["figures"]["open_findings"] == ["f1", "f2"]
    assert await fin.balance(line) == Decimal("500000.00")  # nothing paid while held
    # Another unit neither sees the payment nor pays on the contract.
    await fin.call("GET", f"/v1/payments/{held['id']}", fin.unit_b, expect=404)
    r = await fin.pay(contract, line, "1.00", token=fin.unit_b)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "contract_id"

    async def status():
        r = await fin.call("GET", f"/v1/payments/{held['id']}", fin.unit_a, expect=200)
        return r.json()

    # One finding closes: still held by the other.
    await fin.finding("f1", "p1", resolved=True)
    await fin.finding("f1", "p1", resolved=True)  # a second resolution changes nothing
    await wait_until(lambda: _resolved_count(fin, 1))
    assert (await status())["status"] == "held"
    await fin.finding("f2", "p1", resolved=True)
    paid = await wait_until(lambda: _status_is(status, "approved"))
    assert paid["treasury_reference"].startswith("GK")
    assert {d["rule_id"]: d["outcome"] for d in paid["decisions"]} == {"I1": "allow", "I4": "allow"}
    assert await fin.balance(line) == Decimal("400000.00")

    # An open rectification order holds too, and its closure releases.
    r = await fin.call(
        "POST",
        "/v1/rectifications",
        fin.auditor,
        json={"project_id": "p1", "document": "乌数据整改〔2026〕3号", "ordered_on": "2026-01-05"},
        expect=201,
    )
    order = r.json()
    r = await fin.pay(contract, line, "50000.00")
    assert r.status_code == 201 and r.json()["status"] == "held"
    await fin.call("POST", f"/v1/rectifications/{order['id']}/closure", fin.unit_a, expect=403)
    await fin.call("POST", f"/v1/rectifications/{order['id']}/closure", fin.auditor, expect=200)
    r = await fin.call("GET", f"/v1/payments/{r.json()['id']}", expect=200)
    assert r.json()["status"] == "approved"
    assert await fin.balance(line) == Decimal("350000.00")
    emitted = await fin.emitted()
    for kind in ("payment.held", "payment.released", "payment.approved", "rectification.closed"):
        assert f"govit.finance.{kind}" in emitted
    assert emitted.count("govit.finance.payment.approved") == 2


async def _resolved_count(fin, n):
    from finance.payments.models import AuditFinding

    async with fin.running.runtime.db.sessions() as session:
        rows = (await session.execute(AuditFinding.__table__.select())).all()
    return sum(1 for r in rows if r.status == "resolved") == n


async def _status_is(status, wanted):
    current = await status()
    return current if current["status"] == wanted else None


async def test_wuhai_unreviewed_project_refused_naming_i1_and_the_hold(finance_for):
    fin = await finance_for("wuhai")
    await fin.project("p2", "200000.00", approve=False)
    body = {
        "project_id": "p2",
        "fiscal_year": 2026,
        "kind": "construction",
        "source": "municipal_finance",
        "amount": "200000.00",
    }
    line = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
    contract = await fin.contract("p2", "200000.00")
    await fin.finding("f9", "p2")
    await wait_until(lambda: _finding_known(fin, "f9"))
    r = await fin.pay(contract, line, "10.00")
    assert r.status_code == 422, r.text
    assert [(d["rule_id"], d["outcome"], d["article"]) for d in r.json()["decisions"]] == [
        ("I1", "refuse", "WH art12"),
        ("I4", "hold", "WH art20"),
    ]
    r = await fin.call("GET", "/v1/payments", expect=200)
    assert r.json()["items"] == []  # a refusal changes nothing


async def _finding_known(fin, finding_id):
    from finance.payments.models import AuditFinding

    async with fin.running.runtime.db.sessions() as session:
        return await session.get(AuditFinding, finding_id) is not None


async def test_yunyang_refusal_names_plan_om_and_balance_then_pays(finance_for):
    fin = await finance_for("yunyang")
    await fin.project("p1", "300000.00")
    contract = await fin.contract("p1", "300000.00")
    year = dt.datetime.now(SHANGHAI).year
    body = {
        "project_id": "p1",
        "fiscal_year": year,
        "kind": "om",
        "source": "municipal_finance",
        "amount": "20000.00",
    }
    om = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
    r = await fin.pay(contract, om, "20000.01", purpose="om")
    assert r.status_code == 422, r.text
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [
        ("I2", "YY art7"),
        ("I3", "YY art25, art28, art29, art30"),
        ("I5", "YY art23"),
    ]
    # A construction payment from the O&M line is a wrong field, not a rule.
    r = await fin.pay(contract, om, "1.00", purpose="construction")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "funding_line_id"
    listing = {"project_id": "p1", "fiscal_year": year, "document": "云阳县年度计划"}
    await fin.call("POST", "/v1/plan-listings", json=listing, expect=201)
    status = {
        "accepted": True,
        "security_compliant": False,
        "shares_data": True,
        "in_catalog": True,
    }
    await fin.call("PUT", "/v1/projects/p1/system-status", json=status, expect=200)
    r = await fin.pay(contract, om, "20000.00", purpose="om")
    assert [d["rule_id"] for d in r.json()["decisions"]] == ["I3"]
    assert "security" in r.json()["decisions"][0]["reason"]
    await fin.call(
        "PUT", "/v1/projects/p1/system-status", json={**status, "security_compliant": True}
    )
    r = await fin.pay(contract, om, "20000.00", purpose="om")
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "approved" and await fin.balance(om) == Decimal("0.00")
    emitted = await fin.emitted()
    assert "govit.finance.plan_listing.recorded" in emitted
    assert emitted.count("govit.finance.system_status.recorded") == 2
    assert emitted.count("govit.finance.payment.approved") == 1  # refusals emit nothing


async def _yunyang_om_ready(fin, project_id, amount):
    """A yunyang project in this year's plan, its system accepted, compliant, sharing and
    catalogued; returns its contract and O&M line."""
    await fin.project(project_id, amount)
    contract = await fin.contract(project_id, amount)
    year = dt.datetime.now(SHANGHAI).year
    body = {
        "project_id": project_id,
        "fiscal_year": year,
        "kind": "om",
        "source": "municipal_finance",
        "amount": amount,
    }
    om = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
    await fin.plan(project_id, year)
    status = {"accepted": True, "security_compliant": True, "shares_data": True, "in_catalog": True}
    await fin.call("PUT", f"/v1/projects/{project_id}/system-status", json=status, expect=200)
    return contract, om


async def test_yunyang_system_collecting_data_twice_gets_no_om_until_cleared(finance_for):
    fin = await finance_for("yunyang")
    contract, om = await _yunyang_om_ready(fin, "p1", "100000.00")
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text
    path = "/v1/projects/p1/duplicate-collection"
    finding = {"collects_twice": True, "document": "云大数据〔2026〕7号"}
    # The data bureau finds it; neither finance nor the unit may record it.
    await fin.call("PUT", path, fin.officer, json=finding, expect=403)
    await fin.call("PUT", path, fin.unit_a, json=finding, expect=403)
    await fin.call(
        "PUT", "/v1/projects/nope/duplicate-collection", fin.bureau, json=finding, expect=404
    )
    await fin.call("GET", path, fin.unit_a, expect=404)  # nothing recorded yet
    r = await fin.call("PUT", path, fin.bureau, json=finding, expect=200)
    assert r.json()["collects_twice"] is True and r.json()["recorded_by"] == "bea"
    # The unit reads the finding on its own project; another unit gets a 404, not its existence.
    r = await fin.call("GET", path, fin.unit_a, expect=200)
    assert (r.json()["collects_twice"], r.json()["document"]) == (True, "云大数据〔2026〕7号")
    await fin.call("GET", path, fin.unit_b, expect=404)
    await fin.call("GET", "/v1/projects/p1/system-status", fin.unit_b, expect=404)
    r = await fin.call("GET", "/v1/projects/p1/system-status", fin.unit_a, expect=200)
    assert r.json()["accepted"] is True
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 422, r.text
    [i3] = r.json()["decisions"]
    assert (i3["rule_id"], i3["article"]) == ("I3", "YY art25, art28, art29, art30")
    assert "重复采集数据" in i3["reason"] and "云大数据〔2026〕7号" in i3["reason"]
    # A construction payment does not ask (I3 is about O&M funds).
    line = (await fin.call("GET", "/v1/funding-lines", params={"project_id": "p1"})).json()
    construction = next(x for x in line["items"] if x["kind"] == "construction")
    r = await fin.pay(contract, construction, "1000.00")
    assert r.status_code == 201, r.text
    # The bureau's re-check clears it: O&M is paid again.
    clear = {"collects_twice": False, "document": "云大数据〔2026〕9号 复核"}
    await fin.call("PUT", path, fin.bureau, json=clear, expect=200)
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text
    assert await fin.balance(om) == Decimal("98000.00")
    emitted = await fin.emitted()
    assert emitted.count("govit.finance.duplicate_collection.recorded") == 2


async def test_yunyang_unit_that_failed_to_integrate_gets_no_om_until_cleared(finance_for):
    fin = await finance_for("yunyang")
    contract, om = await _yunyang_om_ready(fin, "p1", "100000.00")
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201, r.text
    finding = {"failed_to_integrate": True, "document": "云大数据〔2026〕8号"}
    await fin.call(
        "PUT", "/v1/units/org-a/system-integration", fin.officer, json=finding, expect=403
    )
    await fin.call(
        "PUT", "/v1/units/org-a/system-integration", fin.unit_a, json=finding, expect=403
    )
    # Another unit's finding does not touch org-a's payments.
    await fin.call(
        "PUT", "/v1/units/org-b/system-integration", fin.bureau, json=finding, expect=200
    )
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201, r.text
    r = await fin.call(
        "PUT", "/v1/units/org-a/system-integration", fin.bureau, json=finding, expect=200
    )
    assert r.json()["org_id"] == "org-a" and r.json()["failed_to_integrate"] is True
    r = await fin.call("GET", "/v1/units/org-a/system-integration", fin.unit_a, expect=200)
    assert (r.json()["failed_to_integrate"], r.json()["document"]) == (True, "云大数据〔2026〕8号")
    await fin.call("GET", "/v1/units/org-a/system-integration", fin.unit_b, expect=404)
    await fin.call("GET", "/v1/units/org-c/system-integration", fin.officer, expect=404)
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 422, r.text
    [i3] = r.json()["decisions"]
    assert (i3["rule_id"], i3["article"]) == ("I3", "YY art25, art28, art29, art30")
    assert "应整合而未整合" in i3["reason"] and "云大数据〔2026〕8号" in i3["reason"]
    clear = {"failed_to_integrate": False, "document": "云大数据〔2026〕10号 整合完成"}
    await fin.call("PUT", "/v1/units/org-a/system-integration", fin.bureau, json=clear, expect=200)
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text
    assert await fin.balance(om) == Decimal("97000.00")
    emitted = await fin.emitted()
    assert emitted.count("govit.finance.unit_integration.recorded") == 3


async def test_i3_findings_leave_other_profiles_unchanged(finance_for):
    fin = await finance_for("suining")
    line = await fin.project("p1", "100000.00")
    contract = await fin.contract("p1", "100000.00")
    await fin.plan("p1", line["fiscal_year"])
    body = {**{k: line[k] for k in ("project_id", "fiscal_year", "source")}}
    body.update(kind="om", amount="10000.00")
    om = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
    await fin.call(
        "PUT",
        "/v1/projects/p1/duplicate-collection",
        fin.bureau,
        json={"collects_twice": True, "document": "遂数据〔2026〕1号"},
        expect=200,
    )
    await fin.call(
        "PUT",
        "/v1/units/org-a/system-integration",
        fin.bureau,
        json={"failed_to_integrate": True, "document": "遂数据〔2026〕2号"},
        expect=200,
    )
    r = await fin.pay(contract, om, "1000.00", purpose="om")
    assert r.status_code == 201, r.text
    assert "I3" not in {d["rule_id"] for d in r.json()["decisions"]}


async def test_suining_overrun_without_approved_change_refused_citing_i6(finance_for):
    fin = await finance_for("suining")
    line = await fin.project("p1", "4000000.00")
    contract = await fin.contract("p1", "1000000.00", fin.unit_a)
    r = await fin.pay(contract, line, "1000.00")
    # B2: nothing is paid before the project is on the adopted annual plan of the line's year.
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [("B2", "SN P art17")]
    await fin.plan("p1", line["fiscal_year"])
    r = await fin.pay(contract, line, "1000000.01")
    assert r.status_code == 422
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [("I6", "SN P art30")]
    # Above the line's balance too: I5 (earmarked funds) refuses it, as a rule.
    r = await fin.pay(contract, line, "4000000.01")
    assert r.status_code == 422 and r.json()["type"].endswith("rule-refused"), r.text
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [
        ("I5", "SN P art21"),
        ("I6", "SN P art30"),
    ]
    today = dt.datetime.now(SHANGHAI).date().isoformat()
    adj = {"project_id": "p1", "document": "批复", "amount": "100000.00", "approved_on": today}
    adjustment = (await fin.call("POST", "/v1/adjustments", json=adj, expect=201)).json()
    sup = {"adjustment_id": adjustment["id"], "amount": "100000.00", "signed_on": today}
    await fin.call("POST", f"/v1/contracts/{contract['id']}/supplements", json=sup, expect=201)
    r = await fin.pay(contract, line, "600000.00", key="pay-p1-0001")
    assert r.status_code == 201, r.text
    # A retry with the same key replays the first answer: paid once.
    again = await fin.pay(contract, line, "600000.00", key="pay-p1-0001")
    assert again.json()["id"] == r.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await fin.balance(line) == Decimal("3400000.00")
    assert r.json()["decisions"][-1]["figures"]["contract_total"] == "1100000.00"
    r = await fin.pay(contract, line, "500000.01")
    assert [d["rule_id"] for d in r.json()["decisions"]] == ["I6"]
    r = await fin.pay(contract, line, "500000.00")
    assert r.status_code == 201
    assert await fin.balance(line) == Decimal("2900000.00")
    r = await fin.call("GET", "/v1/payments", fin.unit_b, expect=200)
    assert r.json()["items"] == []
    r = await fin.call("GET", "/v1/payments", params={"project_id": "p1"}, expect=200)
    assert len(r.json()["items"]) == 2


async def test_xianyang_balance_exceeded_named_on_the_amount(finance_for):
    fin = await finance_for("xianyang")
    line = await fin.project("p1", "100000.00")
    contract = await fin.contract("p1", "500000.00")
    r = await fin.pay(contract, line, "100000.01")
    # No I5 in xianyang: the balance is no rule's refusal but a wrong amount for the line, a
    # 422 invalid-input on `amount` citing no rule (before: rule-refused with no rule).
    assert r.status_code == 422
    assert r.json()["type"].endswith("invalid-input"), r.text
    assert "decisions" not in r.json()
    assert [e["field"] for e in r.json()["errors"]] == ["amount"]
    assert "100000.00" in r.json()["detail"]
    r = await fin.pay(contract, line, "100000.00")
    assert r.status_code == 201 and r.json()["decisions"][0]["rule_id"] == "I1"


async def test_wuhai_held_payment_refused_on_release_when_the_line_no_longer_covers_it(
    finance_for,
):
    fin = await finance_for("wuhai")
    line = await fin.project("p3", "100000.00")
    contract = await fin.contract("p3", "100000.00")
    await fin.finding("f3", "p3")
    await wait_until(lambda: _finding_known(fin, "f3"))
    held = (await fin.pay(contract, line, "80000.00")).json()
    assert held["status"] == "held"
    # While it waits, finance cuts the line below the held amount.
    path = f"/v1/funding-lines/{line['id']}/entries"
    await fin.call("POST", path, json={"amount": "-30000.00", "memo": "压减"}, expect=201)
    await fin.finding("f3", "p3", resolved=True)

    async def decided():
        r = await fin.call("GET", f"/v1/payments/{held['id']}", expect=200)
        return r.json() if r.json()["status"] != "held" else None

    refused = await wait_until(decided)
    assert refused["status"] == "refused" and refused["treasury_reference"] is None
    # No I5 in wuhai: the shortfall is kept as the field it names, never as a refusal without
    # a rule id (before: a "refuse" decision with rule_id "").
    assert all(d["rule_id"] for d in refused["decisions"]), refused
    [shortfall] = refused["errors"]
    assert shortfall["field"] == "amount" and "70000.00" in shortfall["message"]
    assert await fin.balance(line) == Decimal("70000.00")
    assert "govit.finance.payment.released" in await fin.emitted()
    assert "govit.finance.payment.approved" not in await fin.emitted()


async def test_wuhai_unit_that_has_not_rectified_gets_no_next_year_funds(finance_for):
    fin = await finance_for("wuhai")
    await fin.project("p5", "100000.00")
    order = (
        await fin.call(
            "POST",
            "/v1/rectifications",
            json={"project_id": "p5", "document": "整改通知", "ordered_on": "2025-03-01"},
            expect=201,
        )
    ).json()
    body = {
        "project_id": "p5",
        "kind": "om",
        "source": "municipal_finance",
        "amount": "10000.00",
    }
    r = await fin.call("POST", "/v1/funding-lines", json={**body, "fiscal_year": 2026}, expect=422)
    [refusal] = r.json()["decisions"]
    assert (refusal["rule_id"], refusal["article"]) == ("I4", "WH art20")
    assert refusal["figures"]["unrectified"] == [order["id"]]
    # The order's own year is not "next year"; once rectified, next year's funds open.
    await fin.call("POST", "/v1/funding-lines", json={**body, "fiscal_year": 2025}, expect=201)
    await fin.call("POST", f"/v1/rectifications/{order['id']}/closure", expect=200)
    r = await fin.call("POST", "/v1/funding-lines", json={**body, "fiscal_year": 2026}, expect=201)
    assert [d["rule_id"] for d in r.json()["decisions"]] == ["I1", "I4"]


async def test_wuhai_finance_order_not_yet_due_keeps_next_year_funds(finance_for):
    """A finance order with a deadline (due_on) counts against next year's funds only once the
    deadline has passed with the order open (I4, WH art20)."""
    fin = await finance_for("wuhai")
    await fin.project("p6", "100000.00")
    order = {"project_id": "p6", "document": "整改通知", "ordered_on": "2025-03-01"}
    await fin.call("POST", "/v1/rectifications", json={**order, "due_on": "2025-02-28"}, expect=422)
    far = (
        await fin.call(
            "POST", "/v1/rectifications", json={**order, "due_on": "2099-12-31"}, expect=201
        )
    ).json()
    assert far["due_at"].startswith("2099-12-31T16:00:00")  # the day's end in China
    body = {"project_id": "p6", "kind": "om", "source": "municipal_finance", "amount": "10.00"}
    await fin.call("POST", "/v1/funding-lines", json={**body, "fiscal_year": 2026}, expect=201)
    past = (
        await fin.call(
            "POST", "/v1/rectifications", json={**order, "due_on": "2025-06-30"}, expect=201
        )
    ).json()
    r = await fin.call("POST", "/v1/funding-lines", json={**body, "fiscal_year": 2026}, expect=422)
    assert r.json()["decisions"][0]["figures"]["unrectified"] == [past["id"]]


@pytest.mark.parametrize("due_on", ["9999-12-31", "2101-01-01"])
async def test_a_deadline_past_the_last_fiscal_year_is_a_422_on_due_on(finance_for, due_on):
    """I4 counts a missed deadline against the next fiscal year's funds, and finance records
    fiscal years up to 2100: a later due_on is the client's mistake (422 naming it), not a 500,
    and nothing is recorded."""
    from sqlalchemy import func, select

    from finance.payments.models import Rectification

    fin = await finance_for("wuhai")
    await fin.project("p7", "100000.00")
    order = {"project_id": "p7", "document": "整改通知", "ordered_on": "2025-03-01"}
    r = await fin.call("POST", "/v1/rectifications", json={**order, "due_on": due_on}, expect=422)
    assert [e["field"] for e in r.json()["errors"]] == ["due_on"], r.text
    async with fin.running.runtime.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Rectification)) == 0
    r = await fin.call("POST", "/v1/rectifications", json={**order, "due_on": "2100-12-31"})
    assert r.status_code == 201, r.text
