"""E6's written exemption: SN P art29 asks for supervision of a 400万 project 原则上 (in
principle), so the data bureau may exempt a project in writing, and the contract is then signed
without a supervisor on a decision citing E6, its article and the exemption. YY art20 (实行工程
监理制 ... 应当委托) has no such room: an exemption is refused there naming E6 and YY art20."""

from decimal import Decimal

from finance.procurement import rules
from govit_kit.policy import Outcome, load_profile

from .test_contracts_api import contract_body, contractor, procure

PATH = "/v1/supervision-exemptions"
EXEMPTION = {
    "project_id": "p1",
    "reason": "系统由国家部委统建下发,本地仅做部署配置,监理由部委统一委托",
    "document": "遂数据函〔2026〕12号",
}


async def awarded(fin, project_id, n, amount="4000000.00"):
    await fin.project(project_id, amount)
    c = await contractor(fin, n)
    r = await procure(fin, project_id, c["id"], "1000000.00", token=fin.unit_a)
    assert r.status_code == 201, r.text
    return r.json()


async def test_suining_bureau_exemption_lets_an_unsupervised_contract_through(finance_for):
    fin = await finance_for("suining")
    procurement = await awarded(fin, "p1", 1)
    body = contract_body(procurement["id"], "1000000.00")
    r = await fin.call("POST", "/v1/contracts", fin.unit_a, json=body, expect=422)
    assert [(d["rule_id"], d["outcome"]) for d in r.json()["decisions"]] == [("E6", "refuse")]

    # Only the data bureau records it: not the unit, not finance.
    await fin.call("POST", PATH, fin.unit_a, json=EXEMPTION, expect=403)
    await fin.call("POST", PATH, fin.officer, json=EXEMPTION, expect=403)
    # The written reason and the document are both required.
    for missing in ("reason", "document"):
        body_without = {k: v for k, v in EXEMPTION.items() if k != missing}
        r = await fin.call("POST", PATH, fin.bureau, json=body_without, expect=422)
        assert r.json()["errors"][0]["field"] == missing
    r = await fin.call("POST", PATH, fin.bureau, json={**EXEMPTION, "reason": "  "}, expect=422)
    r = await fin.call(
        "POST", PATH, fin.bureau, json={**EXEMPTION, "project_id": "nope"}, expect=422
    )
    assert r.json()["errors"][0]["field"] == "project_id"

    exemption = (await fin.call("POST", PATH, fin.bureau, json=EXEMPTION, expect=201)).json()
    assert exemption["project_id"] == "p1" and exemption["org_id"] == "org-a"
    assert exemption["reason"] == EXEMPTION["reason"]
    assert exemption["document"] == EXEMPTION["document"]
    assert exemption["recorded_by"] == "bea" and exemption["recorded_at"]
    [d] = exemption["decisions"]
    assert (d["rule_id"], d["article"]) == ("E6", "SN P art29")
    # One per project: a second is a 409.
    await fin.call("POST", PATH, fin.bureau, json=EXEMPTION, expect=409)
    assert (await fin.emitted()).count("govit.finance.supervision_exemption.recorded") == 1

    # The contract refused before now goes through on E6, citing the exemption.
    r = await fin.call("POST", "/v1/contracts", fin.unit_a, json=body, expect=201)
    [e6] = [d for d in r.json()["decisions"] if d["rule_id"] == "E6"]
    assert (e6["outcome"], e6["article"]) == ("allow", "SN P art29")
    assert EXEMPTION["document"] in e6["reason"] and EXEMPTION["reason"] in e6["reason"]
    assert "bea" in e6["reason"]
    assert e6["figures"]["exemption_id"] == exemption["id"]
    assert e6["figures"]["exemption_document"] == EXEMPTION["document"]
    assert e6["figures"]["exemption_recorded_by"] == "bea"

    # The unit reads its project's exemption; another unit sees none.
    r = await fin.call("GET", PATH, fin.unit_a, params={"project_id": "p1"}, expect=200)
    assert [x["id"] for x in r.json()["items"]] == [exemption["id"]]
    r = await fin.call("GET", PATH, fin.unit_b, expect=200)
    assert r.json()["items"] == []


async def test_suining_without_an_exemption_still_refused(finance_for):
    """An exemption is the project's own: another project at 400万 still needs supervision."""
    fin = await finance_for("suining")
    await awarded(fin, "p1", 1)
    other = await awarded(fin, "p2", 2)
    await fin.call("POST", PATH, fin.bureau, json=EXEMPTION, expect=201)
    body = contract_body(other["id"], "1000000.00")
    r = await fin.call("POST", "/v1/contracts", fin.unit_a, json=body, expect=422)
    [refusal] = r.json()["decisions"]
    assert (refusal["rule_id"], refusal["article"]) == ("E6", "SN P art29")


async def test_yunyang_refuses_an_exemption_naming_e6_and_its_article(finance_for):
    fin = await finance_for("yunyang")
    await fin.project("p1", "300000.00")
    r = await fin.call("POST", PATH, fin.bureau, json=EXEMPTION, expect=422)
    [refusal] = r.json()["decisions"]
    assert (refusal["rule_id"], refusal["article"], refusal["outcome"]) == (
        "E6",
        "YY art20",
        "refuse",
    )
    assert "govit.finance.supervision_exemption.recorded" not in await fin.emitted()
    r = await fin.call("GET", PATH, fin.bureau, expect=200)
    assert r.json()["items"] == []


async def test_where_e6_does_not_apply_there_is_nothing_to_exempt(finance_for):
    fin = await finance_for("wuhai")
    await fin.project("p1", "5000000.00")
    r = await fin.call("POST", PATH, fin.bureau, json=EXEMPTION, expect=409)
    assert "E6" in r.text


def test_rule_honours_an_exemption_only_where_the_profile_allows_one():
    exemption = rules.Exemption(
        id="x1", reason="部委统建", document="遂数据函〔2026〕12号", recorded_by="bea"
    )

    def e6(profile, **kw):
        [d] = [
            d
            for d in rules.contract_terms(
                load_profile(profile),
                project_total=Decimal("4000000.00"),
                warranty_months=36,
                free_om_months=12,
                copyright_to_government=True,
                data_assets_to_government=True,
                supervisor=None,
                **kw,
            )
            if d.rule_id == "E6"
        ]
        return d

    assert e6("suining").outcome is Outcome.REFUSE
    allowed = e6("suining", exemption=exemption)
    assert (allowed.outcome, allowed.article) == (Outcome.ALLOW, "SN P art29")
    assert "遂数据函〔2026〕12号" in allowed.reason and "bea" in allowed.reason
    # Yunyang's article leaves no room: even an exemption on record does not let it through.
    refused = e6("yunyang", exemption=exemption)
    assert (refused.outcome, refused.article) == (Outcome.REFUSE, "YY art20")
    assert rules.exemption_allowed(load_profile("suining")).outcome is Outcome.ALLOW
    assert rules.exemption_allowed(load_profile("yunyang")).outcome is Outcome.REFUSE
