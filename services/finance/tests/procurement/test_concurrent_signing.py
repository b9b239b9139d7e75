"""Concurrent signings on PostgreSQL: one original contract per procurement, and E3's cap on one
adjustment holds when supplements on different parents race."""

import asyncio
import datetime as dt
from collections import Counter

from govit_kit.policy import SHANGHAI


def today():
    return dt.datetime.now(SHANGHAI).date().isoformat()


async def test_concurrent_signings_make_one_original_contract(finance_for):
    fin = await finance_for("suining")
    await fin.project("p1", "4000000.00")
    body = {"name": "公司1", "credit_code": "91510900MA6XXXXX0F", "qualifications": ["ITSS-2"]}
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


async def test_e3_cap_of_one_adjustment_holds_across_concurrent_parents(finance_for):
    fin = await finance_for("suining")
    await fin.project("p1", "40000000.00")
    # Each parent's own E3 cap (10% of 2000000) leaves room for every round below.
    parents = [await fin.contract("p1", "2000000.00", fin.unit_a) for _ in range(2)]
    for n in range(4):
        adjustment = {
            "project_id": "p1",
            "document": f"遂数据〔2026〕{n + 1}号",
            "amount": "60000.00",
            "approved_on": today(),
        }
        adjustment = (await fin.call("POST", "/v1/adjustments", json=adjustment, expect=201)).json()
        # 40000 on either parent fits the adjustment alone; both together (80000) do not.
        supplement = {"adjustment_id": adjustment["id"], "amount": "40000.00", "signed_on": today()}
        answers = await asyncio.gather(
            *[
                fin.call(
                    "POST", f"/v1/contracts/{p['id']}/supplements", fin.unit_a, json=supplement
                )
                for p in parents
            ]
        )
        assert sorted(r.status_code for r in answers) == [201, 422], [r.text for r in answers]
        refused = next(r.json() for r in answers if r.status_code == 422)
        assert "E3" in str(refused) and "60000" in str(refused), refused
