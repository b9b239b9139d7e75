"""Filing an application under each profile: every rule's outcome through the REST API."""

import hashlib

from intake_test_helpers import (
    C1_FORM,
    CATALOG_ROW,
    applied,
    new_project,
    rules_of,
    upload_required,
)
from sqlalchemy import select

from govit.intake.v1 import events_pb2 as intake_events
from govit.review.v1 import events_pb2 as review_events
from govit_kit.testing import publish_event, wait_until
from intake.orgs.models import SecurityRectification


async def test_pingdingshan_demand_after_31_july_is_refused_citing_b1(start_intake, client_for):
    c = client_for(await start_intake("pingdingshan"))
    # Plan year 2026: the profile's deadline is 2025-07-31 (PDS P art8), long past.
    late = await c.http.post("/v1/demand-calls", headers=c.bureau(), json={"plan_year": 2026})
    assert late.status_code == 201, late.text
    assert late.json()["deadline"] == "2025-07-31"
    # The profile sets the date; the bureau cannot move it.
    r = await c.http.post(
        "/v1/demand-calls", headers=c.bureau(), json={"plan_year": 2030, "deadline": "2029-12-31"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "deadline"
    assert "PDS P art8" in r.json()["detail"]
    assert (
        await c.http.post("/v1/demand-calls", headers=c.staff(), json={"plan_year": 2031})
    ).status_code == 403

    project = await new_project(c, demand_call_id=late.json()["id"], **C1_FORM)
    assert project["plan_year"] == 2026
    await upload_required(c, project["id"])
    r = await c.http.post(f"/v1/projects/{project['id']}/submit", headers=c.staff())
    assert r.status_code == 422, r.text
    assert rules_of(r.json()) == [("B1", "PDS P art8")]
    assert r.json()["decisions"][0]["figures"]["deadline"] == "2025-07-31"
    got = await c.http.get(f"/v1/projects/{project['id']}", headers=c.staff())
    assert got.json()["status"] == "draft"

    # The same application answering a call still open goes through.
    open_call = await c.http.post("/v1/demand-calls", headers=c.bureau(), json={"plan_year": 2099})
    assert open_call.json()["deadline"] == "2098-07-31"
    r = await c.http.patch(
        f"/v1/projects/{project['id']}",
        headers=c.staff(),
        json={"demand_call_id": open_call.json()["id"]},
    )
    assert r.status_code == 200 and r.json()["plan_year"] == 2099
    r = await c.http.post(f"/v1/projects/{project['id']}/submit", headers=c.staff())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "submitted" and r.json()["listing"] == "listed"


async def test_pingdingshan_c1_form_fields_are_named(start_intake, client_for):
    c = client_for(await start_intake("pingdingshan"))
    project = await new_project(c)
    await upload_required(c, project["id"])
    r = await c.http.post(f"/v1/projects/{project['id']}/submit", headers=c.staff())
    assert r.status_code == 422
    assert {d["figures"]["field"] for d in r.json()["decisions"]} == set(C1_FORM)
    assert set(rules_of(r.json())) == {("C1", "PDS P art9")}


async def test_yunyang_expansion_without_the_evaluation_is_refused_naming_c3(
    start_intake, client_for
):
    c = client_for(await start_intake("yunyang"))
    call = await c.http.post("/v1/demand-calls", headers=c.bureau(), json={"plan_year": 2099})
    assert call.json()["deadline"] == "2098-09-30"  # YY art7: end of September
    project = await new_project(
        c, project_type="expansion", demand_call_id=call.json()["id"], **C1_FORM
    )
    pid = project["id"]
    kinds = await upload_required(c, pid, skip={"predecessor_evaluation"})
    assert "predecessor_evaluation" not in kinds
    r = await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(), json=[CATALOG_ROW])
    assert r.status_code == 200, r.text
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 422, r.text
    assert rules_of(r.json()) == [("C3", "YY art14")]
    assert r.json()["decisions"][0]["figures"] == {"kind": "predecessor_evaluation"}
    assert "predecessor_evaluation" in r.json()["detail"]

    await upload_required(c, pid)
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 200, r.text
    assert r.json()["listing"] == "listed"  # 60万 >= 50万 (YY art7)


async def test_yunyang_below_50_wan_is_filed_only_and_needs_a_catalog(start_intake, client_for):
    c = client_for(await start_intake("yunyang"))
    call = await c.http.post("/v1/demand-calls", headers=c.bureau(), json={"plan_year": 2099})
    project = await new_project(
        c, total_investment="499999.99", demand_call_id=call.json()["id"], **C1_FORM
    )
    pid = project["id"]
    await upload_required(c, pid)
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 422 and rules_of(r.json()) == [("C2", "YY annex 2; YY art14")]
    await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(), json=[CATALOG_ROW])
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 200 and r.json()["listing"] == "filed"


async def test_suining_without_the_cdo_sign_off_is_refused_citing_c4(start_intake, client_for):
    c = client_for(await start_intake("suining"))
    await c.http.post(
        "/v1/organisations",
        headers=c.bureau(),
        json={
            "id": "org-a",
            "name": "遂宁市教育局",
            "credit_code": "12100000400010398P",
            "level": "city",
            "funding_class": "full",
            "cdo_subject": "cdo-org-a",
        },
    )
    pid = (await new_project(c))["id"]
    await upload_required(c, pid)
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 422, r.text
    assert rules_of(r.json()) == [("C4", "SN P art18")]

    # Only the unit's own registered chief data officer signs.
    assert (
        await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.staff())
    ).status_code == 403
    other_unit = c.cdo("org-b")
    assert (
        await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=other_unit)
    ).status_code == 404
    not_registered = c.cdo("org-a", subject="someone-else")
    r = await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=not_registered)
    assert r.status_code == 403
    # The refusal rests on C4: its decision and the profile's article, as rule refusals carry.
    assert "C4 (SN P art18)" in r.json()["detail"]
    assert rules_of(r.json()) == [("C4", "SN P art18")]
    assert r.json()["decisions"][0]["outcome"] == "refuse"
    r = await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo())
    assert r.status_code == 200, r.text
    assert r.json()["cdo_signed_by"] == "cdo-org-a" and r.json()["cdo_signed_at"]

    # A change after the sign-off needs a new one: the CDO approved what was there.
    await upload_required(c, pid)
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 422 and rules_of(r.json()) == [("C4", "SN P art18")]
    await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo())
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 200 and r.json()["status"] == "submitted"

    outbox = c.svc.runtime.db.tables.outbox
    async with c.svc.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
    types = [r.event_type for r in rows if r.project_id == pid]
    assert types == [
        "govit.intake.project.signed_off",
        "govit.intake.project.signed_off",
        "govit.intake.project.submitted",
    ]
    signed = [r for r in rows if r.project_id == pid and r.event_type.endswith("signed_off")]
    for row in signed:
        event = intake_events.ProjectSignedOff.FromString(row.payload)
        assert (event.rule.rule_id, event.rule.article) == ("C4", "SN P art18")


async def test_a_cdo_sign_off_where_c4_does_not_apply_cites_no_rule(start_intake, client_for):
    """Where the profile has no C4 (WH) the sign-off rests on no rule: a CDO not registered for
    the unit is refused by a plain identity check naming no rule, and the signed_off event
    carries no rule (not C4 with an empty article)."""
    c = client_for(await start_intake("wuhai"))
    await c.http.post(
        "/v1/organisations",
        headers=c.bureau(),
        json={
            "id": "org-a",
            "name": "乌海市教育局",
            "credit_code": "12100000400010398P",
            "level": "city",
            "funding_class": "full",
            "cdo_subject": "cdo-org-a",
        },
    )
    pid = (await new_project(c))["id"]
    r = await c.http.post(
        f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo("org-a", subject="someone-else")
    )
    assert r.status_code == 403
    assert "decisions" not in r.json() and "C4" not in r.json()["detail"]
    r = await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo())
    assert r.status_code == 200, r.text
    outbox = c.svc.runtime.db.tables.outbox
    async with c.svc.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
    [row] = [r for r in rows if r.project_id == pid and r.event_type.endswith("signed_off")]
    event = intake_events.ProjectSignedOff.FromString(row.payload)
    assert not event.HasField("rule")


async def test_suining_every_missing_kind_named_with_its_rule(start_intake, client_for):
    c = client_for(await start_intake("suining"))
    pid = (await new_project(c, project_type="service_purchase"))["id"]
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    kinds = {d["figures"].get("kind"): d["rule_id"] for d in r.json()["decisions"]}
    assert kinds == {
        "current_it_status": "C3",
        "no_duplication_statement": "C3",
        "system_integration": "C3",
        "cloud_and_data_status": "C3",
        "problem_and_result": "C3",
        "service_purchase_conditions": "C7",
        None: "C4",
    }


async def test_open_security_rectification_blocks_new_submissions_j3(start_intake, client_for):
    c = client_for(await start_intake("suining"))
    pid = (await new_project(c))["id"]
    await upload_required(c, pid)
    await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo())
    path = "/v1/organisations/org-a/rectifications/rect-1"
    body = {"finding": "密码应用不符合要求"}
    # A unit id longer than the 64 characters stored for it is named (it was a 500).
    r = await c.http.put(
        f"/v1/organisations/{'x' * 65}/rectifications/rect-1", headers=c.bureau(), json=body
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "org_id", r.text
    assert (await c.http.put(path, headers=c.staff(), json=body)).status_code == 403
    r = await c.http.put(path, headers=c.bureau(), json=body)
    assert r.status_code == 200 and r.json()["closed_at"] is None
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 422 and rules_of(r.json()) == [("J3", "SN P art43")]
    # SN P art43 bars new projects (不得新建信息化项目): an O&M application still goes in.
    om = (await new_project(c, project_type="operations"))["id"]
    await upload_required(c, om)
    await c.http.post(f"/v1/projects/{om}/cdo-signoff", headers=c.cdo())
    r = await c.http.post(f"/v1/projects/{om}/submit", headers=c.staff())
    assert r.status_code == 200, r.text
    # Another unit's rectification does not touch org-a ...
    await c.http.put("/v1/organisations/org-b/rectifications/rect-2", headers=c.bureau(), json=body)
    # Recording the same order again changes nothing.
    assert (await c.http.put(path, headers=c.bureau(), json=body)).status_code == 200
    r = await c.http.post(f"{path}/close", headers=c.bureau())
    assert r.status_code == 200 and r.json()["closed_at"]
    closed_at = r.json()["closed_at"]
    r = await c.http.post(f"{path}/close", headers=c.bureau())
    assert r.status_code == 200 and r.json()["closed_at"] == closed_at
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 200, r.text

    # The bar and its lifting are facts of their own: one event each, under the unit's org_id
    # (the unit reads them in the audit log), citing J3 with the profile's article.
    outbox = c.svc.runtime.db.tables.outbox
    async with c.svc.runtime.db.sessions() as session:
        rows = (
            await session.execute(
                select(outbox)
                .where(outbox.c.event_type.like("govit.intake.security_rectification.%"))
                .order_by(outbox.c.seq)
            )
        ).all()
    assert [(r.event_type, r.subject, r.org_id) for r in rows] == [
        ("govit.intake.security_rectification.opened", "rect-1", "org-a"),
        ("govit.intake.security_rectification.opened", "rect-2", "org-b"),
        ("govit.intake.security_rectification.closed", "rect-1", "org-a"),
    ]
    opened, closed = (
        intake_events.SecurityRectificationChanged.FromString(rows[i].payload) for i in (0, 2)
    )
    assert (opened.rectification_id, opened.org_id, opened.finding) == (
        "rect-1", "org-a", "密码应用不符合要求"
    )  # fmt: skip
    assert not opened.HasField("closed_at") and opened.actor.subject == "bureau-1"
    assert (opened.rule.rule_id, opened.rule.article) == ("J3", "SN P art43")
    assert closed.HasField("closed_at") and closed.opened_at == opened.opened_at


async def test_review_rectification_orders_bar_and_free_the_unit_j3(
    start_intake, client_for, event_space
):
    c = client_for(await start_intake("suining"))
    pid = (await new_project(c))["id"]
    await upload_required(c, pid)
    await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo())

    async def order(name, message) -> None:
        await publish_event(
            event_space, "review", "rectification", name, message, subject="order-1", org_id="org-a"
        )

    issued = review_events.RectificationIssued(
        order_id="order-1", org_id="org-a", finding="密码应用不符合要求", blocks_new_projects=True
    )
    await order("issued", issued)

    async def projected(closed: bool):
        async with c.svc.runtime.db.sessions() as session:
            row = await session.get(SecurityRectification, "order-1")
        return row is not None and (row.closed_at is not None) == closed

    await wait_until(lambda: projected(closed=False))
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 422 and rules_of(r.json()) == [("J3", "SN P art43")]
    resolved = review_events.RectificationResolved(
        order_id="order-1", org_id="org-a", blocks_new_projects=True
    )
    await order("resolved", resolved)

    await wait_until(lambda: projected(closed=True))
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 200 and r.json()["status"] == "submitted"


async def test_a_resolution_before_its_issue_leaves_the_unit_free_j3(
    start_intake, client_for, event_space
):
    """Issue and resolution travel on different subjects: the resolution may arrive first. It
    leaves a closed row, and the late issue (or its replay) does not open the order again."""
    c = client_for(await start_intake("suining"))
    pid = (await new_project(c))["id"]
    await upload_required(c, pid)
    await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo())

    async def order(name, message) -> str:
        return await publish_event(
            event_space, "review", "rectification", name, message, subject="order-1", org_id="org-a"
        )

    resolved = review_events.RectificationResolved(
        order_id="order-1", org_id="org-a", blocks_new_projects=False
    )
    await applied(c, "review-rectification-resolved", await order("resolved", resolved))
    issued = review_events.RectificationIssued(
        order_id="order-1", org_id="org-a", finding="密码应用不符合要求", blocks_new_projects=True
    )
    for _ in range(2):  # the late issue, then its replay (a new event id: not the inbox's)
        await applied(c, "review-rectification-issued", await order("issued", issued))
    async with c.svc.runtime.db.sessions() as session:
        row = await session.get(SecurityRectification, "order-1")
    assert row is not None and row.closed_at is not None and row.org_id == "org-a"
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 200 and r.json()["status"] == "submitted", r.text


async def test_classified_projects_are_recorded_and_nothing_more_a2(start_intake, client_for):
    c = client_for(await start_intake("suining"))
    project = await new_project(c, classified=True)
    assert project["status"] == "recorded" and project["classified"] is True
    r = await c.http.post(f"/v1/projects/{project['id']}/submit", headers=c.staff())
    assert r.status_code == 422 and rules_of(r.json()) == [("A2", "SN P art49")]
    r = await c.http.put(
        f"/v1/projects/{project['id']}/materials/other",
        params={"filename": "x.pdf"},
        headers={**c.staff(), "content-type": "application/pdf"},
        content=b"%PDF",
    )
    assert r.status_code == 409


async def test_materials_hash_size_type_limit_and_scope(start_intake, client_for):
    c = client_for(await start_intake("suining", material_max_bytes=1000))
    pid = (await new_project(c))["id"]
    url = f"/v1/projects/{pid}/materials/crypto_plan"
    content = "密码应用方案".encode() * 10
    r = await c.http.put(
        url,
        params={"filename": "密码应用方案.pdf"},
        headers={**c.staff(), "content-type": "application/pdf"},
        content=content,
    )
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["sha256"] == hashlib.sha256(content).hexdigest()
    assert (m["size_bytes"], m["content_type"], m["filename"]) == (
        len(content),
        "application/pdf",
        "密码应用方案.pdf",
    )
    got = await c.http.get(f"{url}/content", headers=c.staff())
    assert got.content == content and got.headers["x-content-sha256"] == m["sha256"]
    assert (await c.http.get(f"{url}/content", headers=c.staff("org-b"))).status_code == 404

    too_big = await c.http.put(
        url,
        params={"filename": "big.pdf"},
        headers={**c.staff(), "content-type": "application/pdf"},
        content=b"x" * 1001,
    )
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "body"
    exe = await c.http.put(
        url,
        params={"filename": "x.exe"},
        headers={**c.staff(), "content-type": "application/x-msdownload"},
        content=b"MZ",
    )
    assert exe.status_code == 422 and exe.json()["errors"][0]["field"] == "Content-Type"
    unknown_kind = await c.http.put(
        f"/v1/projects/{pid}/materials/love_letter",
        params={"filename": "x.pdf"},
        headers={**c.staff(), "content-type": "application/pdf"},
        content=b"%PDF",
    )
    assert unknown_kind.status_code == 422
    listed = await c.http.get(f"/v1/projects/{pid}/materials", headers=c.staff())
    assert [x["sha256"] for x in listed.json()] == [m["sha256"]]  # the refused ones left nothing
    other = await c.http.put(
        url,
        params={"filename": "x.pdf"},
        headers={**c.staff("org-b"), "content-type": "application/pdf"},
        content=b"%PDF",
    )
    assert other.status_code == 404


async def test_lists_are_scoped_filtered_and_paged(start_intake, client_for):
    c = client_for(await start_intake("xianyang"))
    for i, amount in enumerate(["100000.00", "600000.00", "2000000.00"]):
        await new_project(c, name=f"项目{i}", total_investment=amount)
    await new_project(
        c, "org-b", name="别人的项目", project_type="operations", total_investment="50000"
    )
    mine = await c.http.get("/v1/projects", headers=c.staff())
    assert [p["name"] for p in mine.json()["items"]] == ["项目0", "项目1", "项目2"]
    # A unit cannot widen its scope by naming another org.
    r = await c.http.get("/v1/projects", params={"org_id": "org-b"}, headers=c.staff())
    assert r.json()["items"] == []
    r = await c.http.get(
        "/v1/projects", params={"min_amount": "500000", "max_amount": "1000000"}, headers=c.bureau()
    )
    assert [p["name"] for p in r.json()["items"]] == ["项目1"]
    r = await c.http.get("/v1/projects", params={"project_type": "operations"}, headers=c.bureau())
    assert [p["org_id"] for p in r.json()["items"]] == ["org-b"]
    page1 = await c.http.get("/v1/projects", params={"limit": 2}, headers=c.bureau())
    assert len(page1.json()["items"]) == 2 and page1.json()["next_cursor"]
    page2 = await c.http.get(
        "/v1/projects",
        params={"limit": 2, "cursor": page1.json()["next_cursor"]},
        headers=c.bureau(),
    )
    assert len(page2.json()["items"]) == 2 and page2.json()["next_cursor"] is None
    r = await c.http.get("/v1/projects", params={"name": "别人"}, headers=c.bureau())
    assert [p["name"] for p in r.json()["items"]] == ["别人的项目"]
    r = await c.http.get("/v1/projects", params={"status": "nonsense"}, headers=c.bureau())
    assert r.status_code == 422
    # Amounts past NUMERIC(18,2) or with more than fen are named, not an overflow (a 500).
    for field, value in (("max_amount", "5.4e16"), ("min_amount", "1e30"), ("max_amount", "1.001")):
        r = await c.http.get("/v1/projects", params={field: value}, headers=c.bureau())
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field


async def test_pingdingshan_upper_level_funded_project_is_filed_b6(start_intake, client_for):
    c = client_for(await start_intake("pingdingshan"))
    project = await new_project(c, upper_level_funded=True, **C1_FORM)
    r = await c.http.get(f"/v1/projects/{project['id']}/required-materials", headers=c.staff())
    assert r.json() == []
    r = await c.http.post(f"/v1/projects/{project['id']}/submit", headers=c.staff())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "filed"
    outbox = c.svc.runtime.db.tables.outbox
    async with c.svc.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select())).all()
    assert [r.event_type for r in rows] == ["govit.intake.project.filed"]  # no review case


async def test_suining_off_cloud_needs_the_justification_a1(start_intake, client_for):
    c = client_for(await start_intake("suining"))
    pid = (await new_project(c, cloud_exception=True))["id"]
    await upload_required(c, pid, skip={"cloud_exception_justification"})
    await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo())
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 422
    assert rules_of(r.json())[0][0] == "A1" and len(rules_of(r.json())) == 1
    r = await c.http.patch(f"/v1/projects/{pid}", headers=c.staff(), json={"name": None})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name"


async def test_xianyang_classified_project_goes_through_the_normal_flow(start_intake, client_for):
    # XY has no A2: art14 keeps classified (涉密) projects inside the measures, so one is an
    # ordinary draft that keeps its flag; submitting it is no 500 and no A2 refusal.
    c = client_for(await start_intake("xianyang"))
    project = await new_project(c, classified=True, cloud_exception=True)
    assert project["status"] == "draft" and project["classified"] is True
    pid = project["id"]
    r = await c.http.patch(f"/v1/projects/{pid}", headers=c.staff(), json={"schedule": "2027年"})
    assert r.status_code == 200, r.text
    # Off the cloud: A1 (XY art8) is cloud first for non-classified systems, so a classified one
    # owes no justification; a non-classified one does.
    r = await c.http.get(f"/v1/projects/{pid}/required-materials", headers=c.staff())
    assert r.status_code == 200 and r.json() == []
    plain = await new_project(c, cloud_exception=True)
    r = await c.http.get(f"/v1/projects/{plain['id']}/required-materials", headers=c.staff())
    assert [(m["kind"], m["rule_id"], m["article"]) for m in r.json()] == [
        ("cloud_exception_justification", "A1", "XY art8; XY 整合 art4")
    ]
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "submitted" and r.json()["classified"] is True
    outbox = c.svc.runtime.db.tables.outbox
    async with c.svc.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select())).all()
    assert [r.event_type for r in rows] == ["govit.intake.project.submitted"]  # review's case
    # Submitted once, it is no longer the unit's to submit again (no second event).
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 409, r.text


async def test_wuhai_classified_project_is_still_only_recorded_citing_a2(start_intake, client_for):
    c = client_for(await start_intake("wuhai"))
    project = await new_project(c, classified=True)
    assert project["status"] == "recorded" and project["classified"] is True
    r = await c.http.post(f"/v1/projects/{project['id']}/submit", headers=c.staff())
    assert r.status_code == 422 and rules_of(r.json()) == [("A2", "WH art21")]
    assert "WH art21" in r.json()["detail"]
