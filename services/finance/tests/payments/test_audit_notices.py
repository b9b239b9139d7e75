"""Audit's notices reach finance as findings it lists: L7's late exits (SN C art16: 由管理部门
通报审计部门和财政部门) among them, a unit seeing only its own."""

from govit_kit.testing import wait_until


async def _listed(fin, token=None, **params):
    r = await fin.call("GET", "/v1/audit-findings", token=token, params=params, expect=200)
    return [f["finding_id"] for f in r.json()["items"]]


async def test_finance_lists_audits_notices_and_a_unit_only_its_own(finance_for):
    fin = await finance_for("suining")
    late = {"rule": ("L7", "SN C art16"), "check": "exit-application-late"}
    await fin.finding("f-late-a", "", org="org-a", summary="exit applied for late", **late)
    await fin.finding("f-late-b", "", org="org-b", summary="exit applied for late", **late)
    await fin.finding("f-cloud-a", "p1", org="org-a")
    await wait_until(lambda: _count(fin, 3))

    r = await fin.call("GET", "/v1/audit-findings", params={"rule_id": "L7"}, expect=200)
    notices = r.json()["items"]
    assert sorted(n["finding_id"] for n in notices) == ["f-late-a", "f-late-b"]
    a = next(n for n in notices if n["finding_id"] == "f-late-a")
    # The article is suining's for L7, the status open until audit resolves it.
    assert (a["org_id"], a["article"], a["status"]) == ("org-a", "SN C art16", "open")
    assert a["summary"] == "exit applied for late"

    assert sorted(await _listed(fin, fin.auditor)) == ["f-cloud-a", "f-late-a", "f-late-b"]
    # A unit sees its own findings only, filters or not.
    assert sorted(await _listed(fin, fin.unit_a)) == ["f-cloud-a", "f-late-a"]
    assert await _listed(fin, fin.unit_b, rule_id="L7") == ["f-late-b"]
    assert await _listed(fin, fin.unit_b, project_id="p1") == []

    await fin.finding("f-late-a", "", org="org-a", resolved=True, **late)
    await wait_until(lambda: _open_count(fin, 1, rule_id="L7"))
    assert await _listed(fin, status="resolved") == ["f-late-a"]


async def test_a_malformed_rule_id_is_a_422_naming_it(finance_for):
    fin = await finance_for("suining")
    r = await fin.call("GET", "/v1/audit-findings", params={"rule_id": "L7; drop"}, expect=422)
    assert "rule_id" in r.text


async def _count(fin, n):
    return len(await _listed(fin)) == n


async def _open_count(fin, n, **params):
    return len(await _listed(fin, status="open", **params)) == n
