"""The books never edit: entries and reversals; a balance at any moment; surplus returned (I5)."""

from datetime import UTC, datetime
from decimal import Decimal


async def test_entries_reversals_balance_at_a_moment_and_closing(finance_for):
    fin = await finance_for("suining")
    line = await fin.project("p1", "450000.00")
    assert line["amount"] == "450000.00" and line["approved_estimate"] == "450000.00"
    path = f"/v1/funding-lines/{line['id']}"

    async def balance(at=None):
        params = {"at": at.isoformat()} if at else {}
        r = await fin.call("GET", f"{path}/balance", params=params, expect=200)
        return Decimal(r.json()["balance"])

    assert await balance() == Decimal("450000.00")
    before_adjustment = datetime.now(UTC)
    added = (
        await fin.call(
            "POST", f"{path}/entries", json={"amount": "50000.01", "memo": "追加"}, expect=201
        )
    ).json()
    assert await balance() == Decimal("500000.01")
    before_reversal = datetime.now(UTC)
    reversal = (
        await fin.call(
            "POST",
            f"/v1/ledger-entries/{added['id']}/reversal",
            json={"memo": "误录"},
            expect=201,
        )
    ).json()
    assert reversal["amount"] == "-50000.01" and reversal["reverses_entry_id"] == added["id"]
    # History stays: the balance as the books stood before each step.
    assert await balance() == Decimal("450000.00")
    assert await balance(before_reversal) == Decimal("500000.01")
    assert await balance(before_adjustment) == Decimal("450000.00")
    entries = (await fin.call("GET", f"{path}/entries", expect=200)).json()["items"]
    assert [e["kind"] for e in entries] == ["allocation", "adjustment", "reversal"]

    # A second reversal of the same entry, and reversing a reversal, are conflicts.
    await fin.call(
        "POST", f"/v1/ledger-entries/{added['id']}/reversal", json={"memo": "x"}, expect=409
    )
    await fin.call(
        "POST", f"/v1/ledger-entries/{reversal['id']}/reversal", json={"memo": "x"}, expect=409
    )
    # A cut below zero is refused naming the field; a unit may not book; others' lines stay hidden.
    r = await fin.call("POST", f"{path}/entries", json={"amount": "-450000.01"}, expect=422)
    assert r.json()["errors"][0]["field"] == "amount"
    r = await fin.call("POST", f"{path}/entries", json={"amount": "1.001"}, expect=422)
    await fin.call("POST", f"{path}/entries", fin.unit_a, json={"amount": "1.00"}, expect=403)
    await fin.call("GET", f"{path}/balance", fin.unit_b, expect=404)
    await fin.call("GET", f"{path}/balance", fin.unit_a, expect=200)
    await fin.call("GET", f"{path}/balance", params={"at": "2026-01-01T00:00:00"}, expect=422)
    # A moment UTC has no day for is named, not a 500.
    r = await fin.call(
        "GET", f"{path}/balance", params={"at": "9999-12-31T23:59:59-14:00"}, expect=422
    )
    assert r.json()["errors"][0]["field"] == "at"

    # Closing returns the surplus to the treasury (I5, SN P art21) and ends booking.
    closed = (await fin.call("POST", f"{path}/closing", expect=200)).json()
    assert closed["status"] == "closed"
    assert closed["decisions"][-1]["rule_id"] == "I5"
    assert closed["decisions"][-1]["article"] == "SN P art21"
    assert closed["decisions"][-1]["figures"]["surplus"] == "450000.00"
    parts = (await fin.call("GET", f"{path}/balance", expect=200)).json()
    assert parts["balance"] == "0.00" and parts["surplus_return"] == "-450000.00"
    await fin.call("POST", f"{path}/entries", json={"amount": "1.00"}, expect=409)


async def test_finance_opens_om_and_cloud_lines_with_their_source(finance_for):
    fin = await finance_for("yunyang")
    await fin.project("p2", "100000.00")
    body = {
        "project_id": "p2",
        "fiscal_year": 2027,
        "kind": "om",
        "source": "own_income",
        "amount": "12000.50",
    }
    line = (await fin.call("POST", "/v1/funding-lines", json=body, expect=201)).json()
    assert (line["kind"], line["source"], line["fiscal_year"]) == ("om", "own_income", 2027)
    r = await fin.call("GET", f"/v1/funding-lines/{line['id']}/balance", expect=200)
    assert r.json()["balance"] == "12000.50"
    r = await fin.call("POST", "/v1/funding-lines", json={**body, "project_id": "nope"}, expect=422)
    assert r.json()["errors"][0]["field"] == "project_id"
    r = await fin.call("POST", "/v1/funding-lines", json={**body, "source": "bank"}, expect=422)
    await fin.call("POST", "/v1/funding-lines", fin.unit_a, json=body, expect=403)
