"""Organisations: credit-code check digit, levels and parents, events on every change, scope."""

import pytest

from govit.intake.v1 import events_pb2
from govit_kit.credit_code import check_character, credit_code_problem


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


COUNTY = {"id": "org-county", "name": "船山区数据局", "credit_code": "91110000600037341L",
          "level": "county", "funding_class": "full"}  # fmt: skip
OTHER_COUNTY = {"id": "org-other", "name": "射洪市数据局", "credit_code": "11510900MB1234567W",
                "level": "county", "funding_class": "full"}  # fmt: skip


def refused_field(r, status: int, field: str, *rules: tuple[str, str]) -> None:
    """A refusal naming the field and, where the profile has them, the rules it rests on."""
    assert r.status_code == status, r.text
    body = r.json()
    assert body["errors"][0]["field"] == field, body
    assert [(d["rule_id"], d["article"]) for d in body.get("decisions", [])] == list(rules)
    for rule_id, article in rules:
        assert f"{rule_id} ({article})" in body["detail"]


async def test_a_county_authority_registers_only_county_units_under_itself(
    start_intake, client_for
):
    svc = await start_intake("suining")
    c = client_for(svc)
    county = c.token("chen", "org-county", "county_reviewer")
    for org in (COUNTY, OTHER_COUNTY):
        r = await c.http.post("/v1/organisations", headers=c.bureau(), json=org)
        assert r.status_code == 201, r.text
    before = len(await outbox_events(svc))

    # Its own record is the bureau's to make (a new authority cannot register itself).
    newcomer = c.token("li", "org-county-2", "county_reviewer")
    itself = {**COUNTY, "id": "org-county-2", "credit_code": "12100000400010398P"}
    r = await c.http.post("/v1/organisations", headers=newcomer, json=itself)
    refused_field(r, 403, "parent_org_id", ("C6", "SN P art13"), ("L3", "SN C art12"),
                  ("L5", "SN C art13"))  # fmt: skip

    # A unit under it is a county unit: not a city one (L3 county-first review, L5 quota, L9 who
    # pays all follow the level), nor a park.
    unit = {"id": "org-cs-edu", "name": "船山区教育局", "credit_code": "12100000400010398P",
            "level": "city", "parent_org_id": "org-county", "funding_class": "full"}  # fmt: skip
    for level in ("city", "park"):
        r = await c.http.post("/v1/organisations", headers=county, json={**unit, "level": level})
        refused_field(r, 403, "level", ("C6", "SN P art13"), ("L3", "SN C art12"),
                      ("L5", "SN C art13"), ("L9", "SN C art17"))  # fmt: skip

    # A unit that already files projects here (unregistered) is not taken over by a county:
    # registering it under the county would open its applications and materials to it.
    r = await c.http.post(
        "/v1/projects",
        headers=c.staff("org-city-unit"),
        json={"name": "智慧教育", "project_type": "new", "total_investment": "600000.00"},
    )
    assert r.status_code == 201, r.text
    taken = {**unit, "id": "org-city-unit", "level": "county", "credit_code": "11510900MB7654327C"}
    r = await c.http.post("/v1/organisations", headers=county, json=taken)
    refused_field(r, 403, "id", ("C6", "SN P art13"))
    assert (await c.http.get("/v1/projects", headers=county)).json()["items"] == []
    # Another county's unit is not re-registered under this one.
    r = await c.http.post(
        "/v1/organisations",
        headers=c.bureau(),
        json={**unit, "id": "org-sh-edu", "level": "county", "parent_org_id": "org-other",
              "credit_code": "12510900MB1234567R"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    r = await c.http.post(
        "/v1/organisations",
        headers=county,
        json={**unit, "id": "org-sh-edu", "level": "county", "credit_code": "12510900MB76543279"},
    )
    assert r.status_code in (403, 409), r.text
    got = (await c.http.get("/v1/organisations/org-sh-edu", headers=c.bureau())).json()
    assert got["parent_org_id"] == "org-other" and got["version"] == 1
    assert len(await outbox_events(svc)) == before + 1  # the bureau's org-sh-edu only

    # A county unit under itself it registers; the bureau registers the one with projects.
    r = await c.http.post("/v1/organisations", headers=county, json={**unit, "level": "county"})
    assert r.status_code == 201, r.text
    r = await c.http.post("/v1/organisations", headers=c.bureau(), json=taken)
    assert r.status_code == 201, r.text


async def test_a_county_authority_changes_no_level_parent_or_funding(start_intake, client_for):
    svc = await start_intake("suining")
    c = client_for(svc)
    county = c.token("chen", "org-county", "county_reviewer")
    for org in (COUNTY, OTHER_COUNTY):
        r = await c.http.post("/v1/organisations", headers=c.bureau(), json=org)
        assert r.status_code == 201, r.text
    unit = {"id": "org-cs-edu", "name": "船山区教育局", "credit_code": "12100000400010398P",
            "level": "county", "parent_org_id": "org-county", "funding_class": "partial"}  # fmt: skip
    r = await c.http.post("/v1/organisations", headers=county, json=unit)
    assert r.status_code == 201, r.text
    body = {k: v for k, v in unit.items() if k != "id"}
    own = {k: v for k, v in COUNTY.items() if k != "id"}
    before = len(await outbox_events(svc))

    async def put(org_id, headers, json):
        etag = (await c.http.get(f"/v1/organisations/{org_id}", headers=c.bureau())).headers["ETag"]
        return await c.http.put(
            f"/v1/organisations/{org_id}", headers={**headers, "If-Match": etag}, json=json
        )

    # Its own record: not re-recorded as a city unit, nor given a parent, nor refunded.
    r = await put("org-county", county, {**own, "level": "city"})
    refused_field(r, 403, "level", ("C6", "SN P art13"), ("L3", "SN C art12"),
                  ("L5", "SN C art13"), ("L9", "SN C art17"))  # fmt: skip
    r = await put("org-county", county, {**own, "parent_org_id": "org-other"})
    refused_field(r, 403, "parent_org_id", ("C6", "SN P art13"), ("L3", "SN C art12"),
                  ("L5", "SN C art13"))  # fmt: skip
    r = await put("org-county", county, {**own, "funding_class": "partial"})
    refused_field(r, 403, "funding_class", ("L9", "SN C art17"))
    # Its unit's: the same three are the bureau's.
    r = await put("org-cs-edu", county, {**body, "level": "city", "parent_org_id": None})
    assert r.status_code == 403 and r.json()["errors"][0]["field"] in ("level", "parent_org_id")
    r = await put("org-cs-edu", county, {**body, "funding_class": "full"})
    refused_field(r, 403, "funding_class", ("L9", "SN C art17"))
    r = await put("org-cs-edu", county, {**body, "parent_org_id": "org-other"})
    refused_field(r, 403, "parent_org_id", ("C6", "SN P art13"), ("L3", "SN C art12"),
                  ("L5", "SN C art13"))  # fmt: skip
    for org_id, level, parent in (("org-county", "county", None),
                                  ("org-cs-edu", "county", "org-county")):  # fmt: skip
        got = (await c.http.get(f"/v1/organisations/{org_id}", headers=c.bureau())).json()
        assert (got["level"], got["parent_org_id"], got["version"]) == (level, parent, 1)
    assert len(await outbox_events(svc)) == before

    # What else the record holds it keeps: the name, its unit's CDO.
    r = await put("org-cs-edu", county, {**body, "cdo_subject": "cdo-cs", "cdo_name": "张三"})
    assert r.status_code == 200 and r.json()["cdo_subject"] == "cdo-cs", r.text
    r = await put("org-county", county, {**own, "name": "船山区大数据中心"})
    assert r.status_code == 200, r.text
    # The bureau changes level, parent and funding class.
    r = await put("org-cs-edu", c.bureau(), {**body, "funding_class": "full"})
    assert r.status_code == 200 and r.json()["funding_class"] == "full", r.text
