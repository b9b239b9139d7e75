"""Concurrent signings on PostgreSQL: one original contract per procurement."""

import asyncio
import datetime as dt
from collections import Counter

from govit_kit.policy import SHANGHAI


def today():
    return dt.datetime.now(SHANGHAI).date().isoformat()


async def test_concurrent_signings_make_one_original_contract(finance_for):
    fin = await finance_for("suining")
    await fin.project("p1", "4000000.00")
    body = {"name": "公司1", "credit_code": "91510900MA6XXXXX01", "qualifications": ["ITSS-2"]}
    contractor = (await fin.call("POST", "/v1/contractors", json=body, expect=201)).json()
    body = {
        "project_id": "p1",
        "title": "系统建设",
        "method": "public_tender",
        "amount": "1000000.00",
        "contractor_id": contractor["id"],
        "awarded_on": today(),
    }
    procurement = await fin.call("POST", "/v1/procurements", fin.unit_a, json=body, expect=201)
    contract = {
        "procurement_id": procurement.json()["id"],
        "amount": "1000000.00",
        "signed_on": today(),
        "warranty_months": 36,
        "free_om_months": 12,
        "copyright_to_government": True,
        "data_assets_to_government": True,
        "supervisor": "某监理公司",
        "principal_leader_heads": True,
        "bureau_expert_in_working_group": True,
    }
    answers = await asyncio.gather(
        *[fin.call("POST", "/v1/contracts", fin.unit_a, json=contract) for _ in range(8)]
    )
    assert Counter(r.status_code for r in answers) == {201: 1, 409: 7}, [r.text for r in answers]
    listed = await fin.call("GET", "/v1/contracts", params={"project_id": "p1"}, expect=200)
    originals = [c for c in listed.json()["items"] if not c.get("parent_contract_id")]
    assert len(originals) == 1
