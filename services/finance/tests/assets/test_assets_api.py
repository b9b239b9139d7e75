"""G7's registration duty over REST (SN P art11: 项目中形成的固定资产和无形资产全部按照国有资产管理
规定登记和管理; XY art20: 按照市财政固定资产管理要求,及时完成项目固定资产登记): the unit registers
its project's assets, finance lists the accepted projects whose assets are not registered, with
no deadline (the articles set none). Pingdingshan's G7 is the report filing (review's), and
wuhai and yunyang have no G7: no registration there."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from finance.assets.rules import registers_assets
from govit.review.v1 import events_pb2 as review_events
from govit_kit.policy import SHANGHAI, load_profile
from govit_kit.testing import publish_event, wait_until

ENTRIES = [
    {"name": "服务器(托管)", "asset_class": "fixed", "amount": "120000.00"},
    {"name": "平台软件著作权", "asset_class": "intangible", "amount": "380000.01"},
]


def body(**kw) -> dict:
    return {
        "registered_on": "2026-08-01",
        "document": "遂财资〔2026〕12号",
        "entries": ENTRIES,
    } | kw


@pytest.mark.parametrize(
    ("profile", "registers"),
    [
        ("suining", True),
        ("xianyang", True),
        ("pingdingshan", False),
        ("wuhai", False),
        ("yunyang", False),
    ],
)
def test_which_profiles_register_assets(profile, registers):
    assert registers_assets(load_profile(profile)) is registers


async def accepted(fin, project_id: str, org: str = "org-a", stage: str = "single") -> None:
    """Review records the project's acceptance; finance keeps it (I3's system status)."""
    await publish_event(
        fin.space,
        "review",
        "acceptance",
        "recorded",
        review_events.AcceptanceRecorded(
            acceptance_id=f"acc-{project_id}-{stage}",
            case_id=f"case-{project_id}",
            project_id=project_id,
            org_id=org,
            stage=stage,
            accepted_on="2026-06-30",
            om_eligible=True,
        ),
        subject=f"acc-{project_id}-{stage}",
        org_id=org,
        project_id=project_id,
    )


async def unregistered(fin, token=None) -> list[str]:
    r = await fin.call("GET", "/v1/asset-registrations/unregistered", token, expect=200)
    return [i["project_id"] for i in r.json()["items"]]


@pytest.mark.parametrize("profile", ["suining", "xianyang"])
async def test_the_unit_registers_and_finance_lists_the_unregistered(finance_for, profile):
    fin = await finance_for(profile)
    await fin.project("p-a1", "500000.00")
    await fin.project("p-a2", "300000.00")
    await fin.project("p-b1", "300000.00", org="org-b")
    await fin.project("p-open", "300000.00")  # not accepted: not listed
    for pid, org in (("p-a1", "org-a"), ("p-a2", "org-a"), ("p-b1", "org-b")):
        await accepted(fin, pid, org)
    await accepted(fin, "p-open", stage="initial")  # an initial acceptance is not one

    async def listed():
        got = await unregistered(fin)
        return got if len(got) == 3 else None

    assert await wait_until(listed) == ["p-a1", "p-a2", "p-b1"]
    r = await fin.call("GET", "/v1/asset-registrations/unregistered", expect=200)
    flag = r.json()["items"][0]
    article = load_profile(profile).rule("G7").article
    assert flag["due_on"] is None and flag["accepted"] is True
    assert [(d["rule_id"], d["article"], d["outcome"]) for d in flag["decisions"]] == [
        ("G7", article, "flag")
    ]
    assert flag["decisions"][0]["figures"] == {"deadline": None}
    # A unit sees only its own.
    assert await unregistered(fin, fin.unit_a) == ["p-a1", "p-a2"]
    assert await unregistered(fin, fin.unit_b) == ["p-b1"]

    url = "/v1/projects/p-a1/asset-registrations"
    # Bad input names the field and records nothing.
    tomorrow = (datetime.now(SHANGHAI).date() + timedelta(days=1)).isoformat()
    for bad, field in (
        (body(registered_on=tomorrow), "registered_on"),
        (body(entries=[]), "entries"),
        (body(entries=[{**ENTRIES[0], "amount": "0.00"}]), "entries.0.amount"),
        (body(entries=[{**ENTRIES[0], "amount": "1.001"}]), "entries.0.amount"),
        (body(entries=[{**ENTRIES[0], "asset_class": "land"}]), "entries.0.asset_class"),
        (body(document=" "), "document"),
    ):
        r = await fin.call("POST", url, fin.unit_a, json=bad)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field, r.text
    # Another unit's project is not found; finance reads, the unit registers.
    assert (await fin.call("POST", url, fin.unit_b, json=body())).status_code == 404
    assert (await fin.call("GET", url, fin.unit_b)).status_code == 404
    assert (await fin.call("POST", url, fin.officer, json=body())).status_code == 403
    r = await fin.call("POST", "/v1/projects/p-none/asset-registrations", fin.unit_a, json=body())
    assert r.status_code == 404

    r = await fin.call("POST", url, fin.unit_a, json=body())
    assert r.status_code == 201, r.text
    reg = r.json()
    assert Decimal(reg["total"]) == Decimal("500000.01")
    assert [(e["name"], e["asset_class"], Decimal(e["amount"])) for e in reg["entries"]] == [
        ("服务器(托管)", "fixed", Decimal("120000.00")),
        ("平台软件著作权", "intangible", Decimal("380000.01")),
    ]
    [allow] = reg["decisions"]
    assert (allow["rule_id"], allow["article"], allow["outcome"]) == ("G7", article, "allow")
    for token in (fin.unit_a, fin.officer, fin.auditor, fin.bureau):
        r = await fin.call("GET", url, token, expect=200)
        assert [x["id"] for x in r.json()] == [reg["id"]]
    assert await unregistered(fin) == ["p-a2", "p-b1"]
    assert await unregistered(fin, fin.unit_a) == ["p-a2"]
    # A later registration (assets formed in a later phase) is recorded as well.
    r = await fin.call("POST", url, fin.unit_a, json=body(entries=ENTRIES[:1]))
    assert r.status_code == 201
    assert len((await fin.call("GET", url, fin.unit_a, expect=200)).json()) == 2
    assert (await fin.emitted()).count("govit.finance.asset_registration.recorded") == 2


@pytest.mark.parametrize("profile", ["pingdingshan", "wuhai", "yunyang"])
async def test_no_registration_where_the_profile_has_none(finance_for, profile):
    fin = await finance_for(profile)
    await fin.project("p-x", "300000.00")
    r = await fin.call("POST", "/v1/projects/p-x/asset-registrations", fin.unit_a, json=body())
    assert r.status_code == 409 and r.json()["rule_id"] == "G7", r.text
    r = await fin.call("GET", "/v1/asset-registrations/unregistered", fin.officer)
    assert r.status_code == 409 and r.json()["rule_id"] == "G7"
    assert "govit.finance.asset_registration.recorded" not in await fin.emitted()
