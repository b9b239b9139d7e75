"""Organisations: credit-code check digit, levels and parents, events on every change, scope."""

import pytest

from govit.intake.v1 import events_pb2
from intake.orgs.credit_code import check_character, credit_code_problem


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("91350100M000100Y43", True),
        ("91110000600037341L", True),
        ("12100000400010398P", True),
        ("91350100M000100Y44", False),  # wrong check character
        ("91350100M000100Y4", False),  # 17 characters
        ("9135010OM000100Y43", False),  # O is not in the alphabet
        ("91A50100M000100Y43", False),  # division code not digits
    ],
)
def test_credit_code(code, ok):
    assert (credit_code_problem(code) is None) is ok


def test_check_character_zero_when_sum_divides():
    # 31 - 0 would be 31, written as 0.
    assert check_character("00000000000000000") == "0"


async def outbox_events(svc, prefix="govit.intake.organisation"):
    outbox = svc.runtime.db.tables.outbox
    async with svc.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
    return [r for r in rows if r.event_type.startswith(prefix)]


async def test_register_update_and_scope(start_intake, client_for):
    svc = await start_intake("suining")
    c = client_for(svc)
    city = {
        "id": "org-city",
        "name": "遂宁市数据局",
        "credit_code": "11510900MB1234567X",
        "level": "city",
        "funding_class": "full",
    }
    bad = await c.http.post("/v1/organisations", headers=c.bureau(), json=city)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "credit_code"
    assert "GB 32100-2015" in bad.json()["detail"]
    city["credit_code"] = "91110000600037341L"
    r = await c.http.post("/v1/organisations", headers=c.bureau(), json=city)
    assert r.status_code == 201, r.text
    unit = {
        "id": "org-a",
        "name": "船山区教育局",
        "credit_code": "12100000400010398P",
        "level": "county",
        "parent_org_id": "org-city",
        "funding_class": "partial",
        "cdo_subject": "cdo-org-a",
        "cdo_name": "张三",
    }
    # Units do not register themselves.
    assert (await c.http.post("/v1/organisations", headers=c.staff(), json=unit)).status_code == 403
    orphan = {**unit, "parent_org_id": "org-nowhere"}
    r = await c.http.post("/v1/organisations", headers=c.bureau(), json=orphan)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "parent_org_id"
    r = await c.http.post("/v1/organisations", headers=c.bureau(), json=unit)
    assert r.status_code == 201
    dup = {**unit, "id": "org-b"}  # same credit code twice
    assert (await c.http.post("/v1/organisations", headers=c.bureau(), json=dup)).status_code == 409

    # A unit reads its own record, not another's; the bureau reads all.
    assert (await c.http.get("/v1/organisations/org-a", headers=c.staff())).status_code == 200
    assert (await c.http.get("/v1/organisations/org-city", headers=c.staff())).status_code == 404
    mine = (await c.http.get("/v1/organisations", headers=c.staff())).json()["items"]
    assert [o["id"] for o in mine] == ["org-a"]
    counties = await c.http.get("/v1/organisations?level=county", headers=c.bureau())
    assert [o["id"] for o in counties.json()["items"]] == ["org-a"]

    got = await c.http.get("/v1/organisations/org-a", headers=c.bureau())
    changed = {k: v for k, v in unit.items() if k != "id"} | {"cdo_subject": "cdo-new"}
    stale = await c.http.put(
        "/v1/organisations/org-a", headers={**c.bureau(), "If-Match": '"9"'}, json=changed
    )
    assert stale.status_code == 412
    r = await c.http.put(
        "/v1/organisations/org-a",
        headers={**c.bureau(), "If-Match": got.headers["ETag"]},
        json=changed,
    )
    assert r.status_code == 200 and r.json()["cdo_subject"] == "cdo-new"

    events = await outbox_events(svc)
    assert [e.event_type for e in events] == [
        "govit.intake.organisation.registered",
        "govit.intake.organisation.registered",
        "govit.intake.organisation.updated",
    ]
    last = events_pb2.OrganisationChanged.FromString(events[-1].payload)
    assert (last.org_id, last.cdo_subject, last.level, last.parent_org_id) == (
        "org-a",
        "cdo-new",
        "county",
        "org-city",
    )
    assert last.funding_class == "partial" and last.version == 2
