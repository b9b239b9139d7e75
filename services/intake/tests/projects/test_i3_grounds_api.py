"""I3's bars on new projects (YY art28, art30): finance's findings, consumed by intake, refuse a
unit's new application at submission while they stand; a clearing lifts the bar."""

from datetime import timedelta

from intake_test_helpers import C1_FORM, CATALOG_ROW, new_project, rules_of, upload_required
from sqlalchemy import select

from govit.finance.v1 import events_pb2 as finance_events
from govit_kit.db import utcnow
from govit_kit.testing import publish_event, wait_until
from intake.orgs.models import StandingGround

YY_I3 = ("I3", "YY art25, art28, art29, art30")


async def ready_project(c, org="org-a", project_type="new") -> str:
    """A draft complete under the running profile (form, materials, catalog, C4 sign-off)."""
    pid = (await new_project(c, org, project_type=project_type, **C1_FORM))["id"]
    await upload_required(c, pid, org)
    r = await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(org), json=[CATALOG_ROW])
    assert r.status_code == 200, r.text
    await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo(org))
    return pid


async def submit(c, pid: str, org="org-a"):
    return await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff(org))


async def status_of(c, pid: str, org="org-a") -> str:
    return (await c.http.get(f"/v1/projects/{pid}", headers=c.staff(org))).json()["status"]


async def grounds(c) -> dict[tuple[str, str], tuple[bool, str]]:
    """(ground, subject) -> (stands, event id) as intake holds them."""
    async with c.svc.runtime.db.sessions() as session:
        rows = (await session.scalars(select(StandingGround))).all()
    return {(r.ground, r.subject_id): (r.stands, r.event_id) for r in rows}


async def duplicate(space, project_id, collects_twice, org="org-a", **kw) -> str:
    msg = finance_events.DuplicateCollectionRecorded(
        project_id=project_id,
        org_id=org,
        collects_twice=collects_twice,
        document="云大数据〔2026〕7号" if collects_twice else "云大数据〔2026〕9号",
    )
    return await publish_event(
        space,
        "finance",
        "duplicate_collection",
        "recorded",
        msg,
        subject=project_id,
        org_id=org,
        project_id=project_id,
        **kw,
    )


async def integration(space, failed, org="org-a", **kw) -> str:
    msg = finance_events.UnitIntegrationRecorded(
        org_id=org, failed_to_integrate=failed, document="云大数据〔2026〕8号"
    )
    return await publish_event(
        space, "finance", "unit_integration", "recorded", msg, subject=org, org_id=org, **kw
    )


async def system_status(space, project_id, *, shares_data, security_compliant, org="org-a"):
    msg = finance_events.SystemStatusRecorded(
        project_id=project_id,
        org_id=org,
        accepted=True,
        security_compliant=security_compliant,
        shares_data=shares_data,
        in_catalog=True,
    )
    return await publish_event(
        space,
        "finance",
        "system_status",
        "recorded",
        msg,
        subject=project_id,
        org_id=org,
        project_id=project_id,
    )


async def held(c, key, *, stands: bool, event_id: str | None = None) -> None:
    async def there():
        row = (await grounds(c)).get(key)
        return row is not None and row[0] is stands and event_id in (None, row[1])

    await wait_until(there)


async def test_duplicate_collection_bars_new_and_extended_systems_until_cleared_yy_art28(
    start_intake, client_for, event_space
):
    c = client_for(await start_intake("yunyang"))
    new = await ready_project(c)
    expansion = await ready_project(c, project_type="expansion")
    operations = await ready_project(c, project_type="operations")
    other_unit = await ready_project(c, org="org-b")

    await duplicate(event_space, "sys-p1", True)
    await held(c, ("collects_twice", "sys-p1"), stands=True)

    r = await submit(c, new)
    assert r.status_code == 422, r.text
    assert rules_of(r.json()) == [YY_I3]
    decision = r.json()["decisions"][0]
    assert decision["figures"] == {
        "ground": "collects_twice",
        "ground_article": "YY art28",
        "project_id": "sys-p1",
        "document": "云大数据〔2026〕7号",
    }
    for words in ("YY art28", "sys-p1", "重复采集数据", "云大数据〔2026〕7号", "不得新建、改扩建"):
        assert words in r.json()["detail"]
    assert await status_of(c, new) == "draft"
    # 改扩建 is barred too (不得新建、改扩建政务信息系统); an O&M application is not a new system.
    r = await submit(c, expansion)
    assert r.status_code == 422 and rules_of(r.json()) == [YY_I3]
    assert (await submit(c, operations)).status_code == 200
    # Another unit is not touched.
    assert (await submit(c, other_unit, org="org-b")).status_code == 200

    # The bureau's re-check clears the finding: the bar is lifted.
    await duplicate(event_space, "sys-p1", False)
    await held(c, ("collects_twice", "sys-p1"), stands=False)
    r = await submit(c, new)
    assert r.status_code == 200 and r.json()["status"] == "submitted"


async def test_a_redelivered_or_late_finding_changes_nothing(start_intake, client_for, event_space):
    c = client_for(await start_intake("yunyang"))
    before = utcnow()
    finding = await duplicate(event_space, "sys-p1", True)
    await held(c, ("collects_twice", "sys-p1"), stands=True, event_id=finding)
    cleared = await duplicate(event_space, "sys-p1", False)
    await held(c, ("collects_twice", "sys-p1"), stands=False, event_id=cleared)

    # The finding again, redelivered (same id) and then an older one arriving late.
    await duplicate(event_space, "sys-p1", True, event_id=finding, msg_id="again")
    await duplicate(event_space, "sys-p1", True, event_time=before - timedelta(minutes=5))
    # Events of one subject are applied in order: once this one is held, those were seen.
    marker = await duplicate(event_space, "sys-p9", True, org="org-b")
    await held(c, ("collects_twice", "sys-p9"), stands=True, event_id=marker)

    assert (await grounds(c))[("collects_twice", "sys-p1")] == (False, cleared)
    assert (await submit(c, await ready_project(c))).status_code == 200


async def test_a_system_not_sharing_its_data_bars_new_projects_yy_art28(
    start_intake, client_for, event_space
):
    c = client_for(await start_intake("yunyang"))
    pid = await ready_project(c)
    await system_status(event_space, "sys-p2", shares_data=False, security_compliant=True)
    await held(c, ("not_sharing_data", "sys-p2"), stands=True)
    r = await submit(c, pid)
    assert r.status_code == 422 and rules_of(r.json()) == [YY_I3]
    assert r.json()["decisions"][0]["figures"] == {
        "ground": "not_sharing_data",
        "ground_article": "YY art28",
        "project_id": "sys-p2",
    }
    assert "未按要求共享数据资源" in r.json()["detail"] and "sys-p2" in r.json()["detail"]

    # Sharing again lifts it; finance's security_compliant=false does not bar here (YY art29's
    # bar is J3's, through review's rectification orders).
    await system_status(event_space, "sys-p2", shares_data=True, security_compliant=False)
    await held(c, ("not_sharing_data", "sys-p2"), stands=False)
    assert (await submit(c, pid)).status_code == 200


async def test_a_unit_that_failed_to_integrate_gets_no_new_project_yy_art30(
    start_intake, client_for, event_space
):
    c = client_for(await start_intake("yunyang"))
    new = await ready_project(c)
    expansion = await ready_project(c, project_type="expansion")
    await integration(event_space, True)
    await integration(event_space, True, org="org-c")
    await held(c, ("not_integrated", "org-a"), stands=True)
    r = await submit(c, new)
    assert r.status_code == 422 and rules_of(r.json()) == [YY_I3]
    assert r.json()["decisions"][0]["figures"] == {
        "ground": "not_integrated",
        "ground_article": "YY art30",
        "document": "云大数据〔2026〕8号",
    }
    assert "应整合而未整合" in r.json()["detail"] and "不支持新建信息化项目" in r.json()["detail"]
    # YY art30 speaks of 新建 only: the unit may still extend a system.
    assert (await submit(c, expansion)).status_code == 200
    # org-c's finding is not org-a's; another unit's application goes through.
    assert (await submit(c, await ready_project(c, org="org-b"), org="org-b")).status_code == 200

    await integration(event_space, False)
    await held(c, ("not_integrated", "org-a"), stands=False)
    assert (await submit(c, new)).status_code == 200


async def test_every_standing_ground_is_named_and_the_unit_reads_its_own(
    start_intake, client_for, event_space
):
    c = client_for(await start_intake("yunyang"))
    pid = await ready_project(c)
    await duplicate(event_space, "sys-p1", True)
    await integration(event_space, True)
    await held(c, ("collects_twice", "sys-p1"), stands=True)
    await held(c, ("not_integrated", "org-a"), stands=True)
    r = await submit(c, pid)
    assert r.status_code == 422
    assert sorted(d["figures"]["ground"] for d in r.json()["decisions"]) == [
        "collects_twice",
        "not_integrated",
    ]
    r = await c.http.get("/v1/organisations/org-a/grounds", headers=c.staff())
    assert r.status_code == 200, r.text
    assert sorted((g["ground"], g["project_id"], g["stands"]) for g in r.json()) == [
        ("collects_twice", "sys-p1", True),
        ("not_integrated", None, True),
    ]
    assert (
        r.json() == (await c.http.get("/v1/organisations/org-a/grounds", headers=c.bureau())).json()
    )
    # Another unit's grounds are not org-b's to read.
    r = await c.http.get("/v1/organisations/org-a/grounds", headers=c.staff("org-b"))
    assert r.status_code == 404


async def test_other_profiles_are_not_barred(start_intake, client_for, event_space):
    # Suining has no I3: the facts are kept, but they bar nothing.
    c = client_for(await start_intake("suining"))
    pid = (await new_project(c))["id"]
    await upload_required(c, pid)
    await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo())
    await duplicate(event_space, "sys-p1", True)
    await integration(event_space, True)
    await system_status(event_space, "sys-p2", shares_data=False, security_compliant=False)
    await held(c, ("collects_twice", "sys-p1"), stands=True)
    await held(c, ("not_integrated", "org-a"), stands=True)
    await held(c, ("not_sharing_data", "sys-p2"), stands=True)
    r = await submit(c, pid)
    assert r.status_code == 200, r.text
