"""The OCDS export validates, offline, against the OCDS 1.1.5 release package schema."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from govit_kit.policy import SHANGHAI
from govit_kit.testing import counted_statements

SCHEMAS = Path("/work/shared/schemas/ocds-1.1.5")


def validator():
    """The release package schema, with its reference to the release schema kept local."""
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return jsonschema.Draft4Validator(
        package, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def errors_of(document):
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(document)]


def test_the_validator_catches_a_broken_package():
    # A check that could fail: a release without its ocid and with a method outside the codelist.
    broken = {
        "uri": "https://example.org/p",
        "version": "1.1",
        "publishedDate": "2026-01-01T00:00:00Z",
        "publisher": {"name": "x"},
        "releases": [
            {
                "id": "r1",
                "date": "2026-01-01T00:00:00Z",
                "tag": ["award"],
                "initiationType": "tender",
                "tender": {"id": "t", "procurementMethod": "public_tender"},
            }
        ],
    }
    found = errors_of(broken)
    assert any("ocid" in e for e in found) and any("procurementMethod" in e for e in found)
    # Formats are checked too (rfc3339-validator, rfc3987): a date or a URI that is not one.
    found = errors_of({**broken, "publishedDate": "2026-01-01", "uri": "not a uri"})
    assert any("publishedDate" in e and "date-time" in e for e in found), found
    assert any("'uri'" in e and "uri" in e for e in found), found


async def test_release_package_of_a_procurement_with_contract_and_supplement(finance_for):
    fin = await finance_for("suining")
    await fin.project("p1", "4000000.00")
    contract = await fin.contract("p1", "1234567.89", fin.unit_a)
    today = dt.datetime.now(SHANGHAI).date().isoformat()
    adj = {"project_id": "p1", "document": "遂数据调〔2026〕7号", "amount": "100000.01"}
    adjustment = (
        await fin.call("POST", "/v1/adjustments", json={**adj, "approved_on": today}, expect=201)
    ).json()
    sup = {"adjustment_id": adjustment["id"], "amount": "100000.01", "signed_on": today}
    await fin.call("POST", f"/v1/contracts/{contract['id']}/supplements", json=sup, expect=201)

    r = await fin.call("GET", "/v1/ocds/release-package", fin.unit_a, expect=200)
    package = json.loads(r.text, parse_float=Decimal)
    assert errors_of(json.loads(r.text)) == []
    [release] = package["releases"]
    assert release["ocid"].startswith("ocds-govit-")
    assert release["tag"] == ["award", "contract", "contractAmendment"]
    assert release["tender"]["procurementMethod"] == "open"
    assert release["tender"]["procurementMethodDetails"] == "公开招标"
    [ocds_contract] = release["contracts"]
    # Exact amounts: the contract with its supplement, to the fen.
    assert ocds_contract["value"] == {"amount": Decimal("1334567.90"), "currency": "CNY"}
    assert "遂数据调〔2026〕7号" in ocds_contract["amendments"][0]["rationale"]
    supplier = next(p for p in release["parties"] if "supplier" in p["roles"])
    assert supplier["identifier"]["scheme"] == "CN-USCC"

    # Another unit's export holds none of it (and OCDS has no empty package).
    await fin.call("GET", "/v1/ocds/release-package", fin.unit_b, expect=404)
    r = await fin.call("GET", "/v1/ocds/release-package", params={"project_id": "p1"}, expect=200)
    assert errors_of(json.loads(r.text)) == []


async def test_category_is_ocds_main_procurement_category_where_one_is_given(finance_for):
    fin = await finance_for("wuhai")  # no L10 there: a unit's cloud procurement is recorded
    await fin.project("p1", "4000000.00")
    code = "91510900MA6000009U"
    body = {"name": "某云公司", "credit_code": code, "qualifications": ["ITSS-2"]}
    contractor = (await fin.call("POST", "/v1/contractors", json=body, expect=201)).json()
    today = dt.datetime.now(SHANGHAI).date().isoformat()
    expected = {}
    for category, ocds in [("cloud_services", "services"), ("goods", "goods"), (None, None)]:
        body = {
            "project_id": "p1",
            "title": f"采购 {category}",
            "method": "public_tender",
            "amount": "10000.00",
            "contractor_id": contractor["id"],
            "awarded_on": today,
        }
        if category:
            body["category"] = category
        r = await fin.call("POST", "/v1/procurements", fin.unit_a, json=body, expect=201)
        expected[f"ocds-govit-{r.json()['id']}"] = ocds
    r = await fin.call("GET", "/v1/ocds/release-package", fin.unit_a, expect=200)
    assert errors_of(json.loads(r.text)) == []
    releases = json.loads(r.text)["releases"]
    assert {x["ocid"]: x["tender"].get("mainProcurementCategory") for x in releases} == expected


def _dumps_one_replace_per_amount(document):
    """The writer as it was (one replace over the whole text per amount): the reference the
    one-pass writer must match byte for byte."""
    exact = {}

    def mark(value):
        if isinstance(value, Decimal):
            token = f"__decimal_{len(exact)}__"
            exact[f'"{token}"'] = format(value, "f")
            return token
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(document), ensure_ascii=False)
    for token, number in exact.items():
        text = text.replace(token, number)
    return text


def test_dumps_writes_amounts_exactly_in_one_pass():
    from finance.ocds.export import dumps

    amounts = [Decimal("1334567.90"), Decimal("0.01"), Decimal("1E+3"), Decimal("-5.5")]
    document = {
        "releases": [
            {
                "ocid": f"ocds-{i}",
                "title": "补充合同 __decimal_0__",  # text like a token stays text
                "value": {"amount": amounts[i % len(amounts)], "currency": "CNY"},
                "list": [amounts[(i + 1) % len(amounts)], None, True, 1.5, "x"],
            }
            for i in range(25)  # more than ten amounts: tokens 1 and 10 must not collide
        ]
    }
    text = dumps(document)
    assert text == _dumps_one_replace_per_amount(document)
    assert json.loads(text, parse_float=Decimal)["releases"][0]["value"]["amount"] == Decimal(
        "1334567.90"
    )
    assert '"amount": 1000,' in text and '"amount": -5.5,' in text
    # A title (a user's text) spelled like a token stays that text, not an amount.
    title = {"title": "__decimal_0__", "value": {"amount": Decimal("7.00")}}
    assert json.loads(dumps(title)) == {"title": "__decimal_0__", "value": {"amount": 7.0}}


async def test_release_package_takes_the_same_queries_for_more_procurements(finance_for):
    # The contractors, contracts and adjustments of a package are read a few queries for all,
    # not a few per procurement: three procurements take the queries one does.

    fin = await finance_for("suining")
    today = dt.datetime.now(SHANGHAI).date().isoformat()

    async def procured(project_id):
        await fin.project(project_id, "4000000.00")
        contract = await fin.contract(project_id, "1000.00", fin.unit_a)
        adj = {"project_id": project_id, "document": f"调〔2026〕{project_id}号"}
        body = {**adj, "amount": "10.01", "approved_on": today}
        adjustment = (await fin.call("POST", "/v1/adjustments", json=body, expect=201)).json()
        sup = {"adjustment_id": adjustment["id"], "amount": "10.01", "signed_on": today}
        await fin.call("POST", f"/v1/contracts/{contract['id']}/supplements", json=sup, expect=201)

    engine = fin.running.runtime.db.engine

    async def queries_of_the_package():
        with counted_statements(engine, ignore=("outbox", "inbox")) as ran:
            r = await fin.call("GET", "/v1/ocds/release-package", fin.unit_a, expect=200)
        return ran.count, json.loads(r.text, parse_float=Decimal)["releases"]

    await procured("p1")
    one, releases = await queries_of_the_package()
    assert len(releases) == 1
    await procured("p2")
    await procured("p3")
    three, releases = await queries_of_the_package()
    assert len(releases) == 3
    assert three == one, f"{one} queries for one procurement, {three} for three"
    for r in releases:
        [contract] = r["contracts"]
        assert contract["value"]["amount"] == Decimal("1010.01")
        assert r["tag"] == ["award", "contract", "contractAmendment"]
        assert contract["amendments"][0]["rationale"].startswith("补充合同, 调整批复 调〔2026〕p")
