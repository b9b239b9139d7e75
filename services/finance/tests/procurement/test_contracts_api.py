"""Procurement and contracts over REST, with each refusal naming its rule and article."""

import datetime as dt
from decimal import Decimal

from govit_kit.credit_code import with_check_character
from govit_kit.policy import SHANGHAI

CREDIT = "91510900MA6XXXXX{}"


def today():
    return dt.datetime.now(SHANGHAI).date()


async def contractor(fin, n, qualifications=("ITSS-2",)):
    body = {
        "name": f"公司{n}",
        "credit_code": with_check_character(CREDIT.format(n)),
        "qualifications": list(qualifications),
    }
    return (await fin.call("POST", "/v1/contractors", json=body, expect=201)).json()


async def procure(fin, project_id, contractor_id, amount, method="public_tender", token=None, **kw):
    body = {
        "project_id": project_id,
        "title": "系统建设",
        "method": method,
        "amount": amount,
        "contractor_id": contractor_id,
        "awarded_on": today().isoformat(),
        **kw,
    }
    return await fin.call("POST", "/v1/procurements", token, json=body)


def contract_body(procurement_id, amount, **kw):
    return {
        "procurement_id": procurement_id,
        "amount": amount,
        "signed_on": today().isoformat(),
        "warranty_months": 36,
        "free_om_months": 12,
        "copyright_to_government": True,
        "data_assets_to_government": True,
        **kw,
    }


async def test_suining_contract_terms_and_supplements_up_to_ten_percent(finance_for):
    fin = await finance_for("suining")
    await fin.project("p1", "4000000.00")
    c = await contractor(fin, 1)
    r = await procure(fin, "p1", c["id"], "1000000.00", token=fin.unit_a)
    assert r.status_code == 201, r.text
    procurement = r.json()
    # Another unit cannot record on p1 nor see it.
    r = await procure(fin, "p1", c["id"], "1000000.00", token=fin.unit_b)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "project_id"
    r = await fin.call("GET", "/v1/procurements", fin.unit_b, expect=200)
    assert r.json()["items"] == []

    # A 400万 project needs supervision (E6), free O&M at least a year (E4), assets assigned (E5):
    # one refusal names all three.
    r = await fin.call(
        "POST",
        "/v1/contracts",
        fin.unit_a,
        json=contract_body(
            procurement["id"], "1000000.00", free_om_months=11, data_assets_to_government=False
        ),
        expect=422,
    )
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [
        ("E4", "SN P art34"),
        ("E5", "SN P art11"),
        ("E6", "SN P art29"),
    ]
    body = contract_body(procurement["id"], "1000000.00", supervisor="某监理公司")
    contract = (await fin.call("POST", "/v1/contracts", fin.unit_a, json=body, expect=201)).json()
    await fin.call("GET", f"/v1/contracts/{contract['id']}", fin.unit_b, expect=404)
    await fin.call("POST", "/v1/contracts", fin.unit_a, json=body, expect=409)

    # Supplements: only on an approved adjustment of this project; together at most 10% (E3).
    sup = {"adjustment_id": "none", "amount": "60000.00", "signed_on": today().isoformat()}
    path = f"/v1/contracts/{contract['id']}/supplements"
    r = await fin.call("POST", path, fin.unit_a, json=sup, expect=422)
    assert r.json()["errors"][0]["field"] == "adjustment_id"
    adj = {"project_id": "p1", "document": "遂数据〔2026〕1号", "amount": "150000.00"}
    adj["approved_on"] = today().isoformat()
    await fin.call("POST", "/v1/adjustments", fin.unit_a, json=adj, expect=403)
    adjustment = (await fin.call("POST", "/v1/adjustments", json=adj, expect=201)).json()
    sup["adjustment_id"] = adjustment["id"]
    await fin.call("POST", path, fin.unit_a, json=sup, expect=201)
    r = await fin.call("POST", path, fin.unit_a, json={**sup, "amount": "40100.00"}, expect=422)
    [refusal] = r.json()["decisions"]
    assert (refusal["rule_id"], refusal["article"]) == ("E3", "SN P art30")
    assert refusal["figures"]["supplements_total"] == "100100.00"  # 10.01%
    r = await fin.call("POST", path, fin.unit_a, json={**sup, "amount": "40000.00"}, expect=201)
    assert r.json()["decisions"][0]["figures"]["supplements_total"] == "100000.00"  # exactly 10%
    r = await fin.call("GET", "/v1/contracts", params={"project_id": "p1"}, expect=200)
    assert len(r.json()["items"]) == 3


async def test_yunyang_blacklisted_contractor_not_awarded_until_the_ban_ends(finance_for):
    fin = await finance_for("yunyang")
    await fin.project("p1", "300000.00")
    ended, running = await contractor(fin, 1), await contractor(fin, 2)
    # On 29 February the day five years back is 28 February (that ban ended yesterday).
    t = today()
    five_years_ago = t.replace(year=t.year - 5, day=min(t.day, 28) if t.month == 2 else t.day)
    for c, start in [(ended, five_years_ago), (running, five_years_ago + dt.timedelta(days=1))]:
        r = await fin.call(
            "POST",
            f"/v1/contractors/{c['id']}/blacklistings",
            json={"reason": "串通投标", "banned_from": start.isoformat()},
            expect=201,
        )
        assert r.json()["decisions"][0]["rule_id"] == "E2"
    # The ban that started five years ago ends today; the other one tomorrow.
    r = await fin.call("GET", f"/v1/contractors/{running['id']}", fin.unit_a, expect=200)
    assert r.json()["banned_until"] == (today() + dt.timedelta(days=1)).isoformat()
    r = await fin.call("GET", f"/v1/contractors/{ended['id']}", expect=200)
    assert r.json()["banned_until"] is None
    r = await procure(fin, "p1", running["id"], "300000.00")
    assert r.status_code == 422, r.text
    [refusal] = r.json()["decisions"]
    assert (refusal["rule_id"], refusal["article"]) == ("E2", "YY art35")
    r = await procure(fin, "p1", ended["id"], "300000.00")
    assert r.status_code == 201, r.text
    # The profile fixes the length: a different end is refused naming the field.
    r = await fin.call(
        "POST",
        f"/v1/contractors/{ended['id']}/blacklistings",
        json={"reason": "x", "banned_from": "2026-01-01", "banned_until": "2027-01-01"},
        expect=422,
    )
    assert r.json()["errors"][0]["field"] == "banned_until"
    # The message names the last banned day and the first free one (banned_until), not a day
    # that is already free as the ban's end.
    message = r.json()["errors"][0]["message"]
    assert "last banned day is 2030-12-31" in message and "free from 2031-01-01" in message
    # Yunyang supervises every project (E6).
    [procurement] = (await fin.call("GET", "/v1/procurements", expect=200)).json()["items"]
    body = contract_body(procurement["id"], "300000.00")
    r = await fin.call("POST", "/v1/contracts", json=body, expect=422)
    assert [d["rule_id"] for d in r.json()["decisions"]] == ["E6"]
    await fin.call("POST", "/v1/contracts", json={**body, "supervisor": "监理"}, expect=201)


async def test_xianyang_tenders_every_purchase_of_a_project_above_100_wan(finance_for):
    # XY art11: 项目投资超过100万元的,依法采取招标形式 — the project's investment decides
    # (measured_on: project_investment), so splitting it into small purchases escapes nothing.
    fin = await finance_for("xianyang")
    c = await contractor(fin, 1)
    # Exactly 100万 is not above it (超过): an inquiry is allowed.
    await fin.project("p100", "1000000.00")
    r = await procure(fin, "p100", c["id"], "1000000.00", method="inquiry")
    assert r.status_code == 201, r.text
    assert r.json()["decisions"][0]["figures"]["measured_on"] == "project_investment"
    # One fen above: even a 90万 inquiry purchase of it is refused, citing E1 and its article.
    await fin.project("p1", "1000000.01")
    r = await procure(fin, "p1", c["id"], "900000.00", method="inquiry")
    assert r.status_code == 422, r.text
    [refusal] = r.json()["decisions"]
    assert (refusal["rule_id"], refusal["article"]) == ("E1", "XY art11, art12")
    assert refusal["figures"]["project_total"] == "1000000.01"
    assert refusal["figures"]["amount"] == "900000.00"
    assert "XY art11, art12" in r.json()["detail"]
    r = await procure(fin, "p1", c["id"], "900000.00", method="competitive_negotiation")
    assert r.status_code == 422, r.text
    r = await procure(fin, "p1", c["id"], "900000.00", method="public_tender")
    assert r.status_code == 201, r.text
    r = await procure(fin, "p1", c["id"], "1000000.01", awarded_on="2999-01-01")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "awarded_on"
    # Suining keeps no blacklist (E2 does not apply there), Xianyang needs the ban's end.
    r = await fin.call(
        "POST",
        f"/v1/contractors/{c['id']}/blacklistings",
        json={"reason": "x", "banned_from": "2026-01-01"},
        expect=422,
    )
    assert r.json()["errors"][0]["field"] == "banned_until"
    # E2 cited with XY's article (before: "(E2)" alone).
    assert r.json()["detail"] == "the profile sets no ban length (E2 (XY art9)): give its end"


async def test_suining_sets_no_tender_line_of_its_own(finance_for):
    # SN P art25: the procurement laws decide the method; the profile sets no figure, so a
    # large project's inquiry purchase is recorded as before.
    fin = await finance_for("suining")
    await fin.project("p1", "9000000.00")
    c = await contractor(fin, 1)
    r = await procure(fin, "p1", c["id"], "900000.00", method="inquiry")
    assert r.status_code == 201, r.text
    [e1] = [d for d in r.json()["decisions"] if d["rule_id"] == "E1"]
    assert (e1["article"], e1["outcome"]) == ("SN P art25", "allow")


async def test_adjustments_come_from_review_once_approved_or_filed_by_the_unit(finance_for):
    """Review's change events ground supplements (E3): an adjustment approved by its approver
    (F2) or decided and filed by the unit (F1); one still awaiting the bureau grounds nothing."""
    from govit.common.v1 import common_pb2
    from govit.review.v1 import events_pb2 as review_events
    from govit_kit.convert import to_money
    from govit_kit.testing import publish_event, wait_until

    fin = await finance_for("suining")
    await fin.project("p1", "4000000.00")
    c = await contractor(fin, 1)
    procurement = (await procure(fin, "p1", c["id"], "1000000.00")).json()
    body = contract_body(procurement["id"], "1000000.00", supervisor="某监理公司")
    contract = (await fin.call("POST", "/v1/contracts", fin.unit_a, json=body, expect=201)).json()
    path = f"/v1/contracts/{contract['id']}/supplements"

    async def change(change_id, name, status, route):
        await publish_event(
            fin.space,
            "review",
            "change",
            name,
            review_events.ChangeRecorded(
                change_id=change_id,
                case_id="case-p1",
                project_id="p1",
                org_id="org-a",
                kind="adjustment",
                route=route,
                status=status,
                amount_adjusted=to_money(Decimal("50000.00")),
                actor=common_pb2.Actor(subject="ndrc-1", org_id="org-ndrc"),
            ),
            subject=change_id,
            org_id="org-a",
            project_id="p1",
        )

    await change("chg-waiting", "requested", "awaiting_bureau", "approval")
    await change("chg-approved", "decided", "approved", "approval")
    await change("chg-filed", "requested", "filed", "self_decided")
    sup = {"amount": "30000.00", "signed_on": today().isoformat()}

    async def grounded(change_id):
        r = await fin.call("POST", path, fin.unit_a, json={**sup, "adjustment_id": change_id})
        return r if r.status_code == 201 else None

    await wait_until(lambda: grounded("chg-approved"))
    await wait_until(lambda: grounded("chg-filed"))
    # The waiting change was delivered before the others, yet it grounds nothing.
    r = await fin.call(
        "POST", path, fin.unit_a, json={**sup, "adjustment_id": "chg-waiting"}, expect=422
    )
    assert r.json()["errors"][0]["field"] == "adjustment_id"
    # Within what the approved adjustment allowed (50000): 30000 signed, 30000 more is refused.
    r = await fin.call(
        "POST", path, fin.unit_a, json={**sup, "adjustment_id": "chg-approved"}, expect=422
    )
    [refusal] = r.json()["decisions"]
    assert (refusal["rule_id"], refusal["figures"]["adjustment_amount"]) == ("E3", "50000.00")


async def test_a_contractor_credit_code_is_checked_as_intake_checks_a_units(finance_for):
    """GB 32100-2015's check character: finance refuses what intake's register refuses (the
    kit's one validator), naming the character the standard gives; trimmed and upper-cased."""
    fin = await finance_for("suining")
    body = {"name": "某公司", "credit_code": "91510900MA62X1234X", "qualifications": ["ITSS-2"]}
    r = await fin.call("POST", "/v1/contractors", json=body, expect=422)
    error = r.json()["errors"][0]
    assert error["field"] == "credit_code"
    assert "check character is X, GB 32100-2015 gives P" in error["message"], r.text
    r = await fin.call(
        "POST", "/v1/contractors", json={**body, "credit_code": " 91510900ma62x1234p "}, expect=201
    )
    assert r.json()["credit_code"] == "91510900MA62X1234P"
