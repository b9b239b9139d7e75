"""Spend against budget per unit, project and year, as JSON, CSV and xlsx."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook


async def test_spend_report_in_three_formats_and_only_ones_own(finance_for):
    fin = await finance_for("suining")
    line = await fin.project("p1", "4000000.00")
    await fin.project("p2", "90000.00", org="org-b")
    contract = await fin.contract("p1", "1000000.00")
    await fin.plan("p1", line["fiscal_year"])
    r = await fin.pay(contract, line, "250000.00")
    assert r.status_code == 201, r.text
    path = f"/v1/funding-lines/{line['id']}/entries"
    added = (await fin.call("POST", path, json={"amount": "100000.00"}, expect=201)).json()
    await fin.call(
        "POST", f"/v1/ledger-entries/{added['id']}/reversal", json={"memo": "撤回"}, expect=201
    )
    year = line["fiscal_year"]

    r = await fin.call("GET", "/v1/reports/spend", params={"fiscal_year": year}, expect=200)
    rows = {row["project_id"]: row for row in r.json()["items"]}
    assert set(rows) == {"p1", "p2"}
    assert {k: rows["p1"][k] for k in ("budget", "paid", "balance", "paid_percent")} == {
        "budget": "4000000.00",
        "paid": "250000.00",
        "balance": "3750000.00",
        "paid_percent": "6.25",
    }
    r = await fin.call("GET", "/v1/reports/spend", fin.unit_b, expect=200)
    assert [row["project_id"] for row in r.json()["items"]] == ["p2"]
    await fin.call("GET", "/v1/reports/spend", params={"format": "pdf"}, expect=422)

    r = await fin.call("GET", "/v1/reports/spend", params={"format": "csv"}, expect=200)
    assert r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert table[0]["project_id"] == "p1" and table[0]["paid"] == "250000.00"

    r = await fin.call("GET", "/v1/reports/spend", params={"format": "xlsx"}, expect=200)
    sheet = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["org_id", "project_id", "project_name", "fiscal_year", "line_kind"]
    p1 = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] == "p1")
    assert Decimal(str(p1[header.index("balance")])) == Decimal("3750000.00")
