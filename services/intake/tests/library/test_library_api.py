"""Library, annual plan and funding eligibility (B2-B4, A3), and rebaselines."""

import asyncio

import grpc
import pytest
from intake_test_helpers import approve, new_project, rules_of, submitted_project
from sqlalchemy import select

from govit.intake.v1 import events_pb2
from govit.intake.v1 import intake_service_pb2 as pb
from govit.intake.v1 import intake_service_pb2_grpc as pb_grpc
from govit_kit.auth import Principal, Role
from govit_kit.errors import RuleRefused
from intake.library import flows
from intake.library.schemas import PlanItemCreate


async def test_outside_the_annual_plan_a_project_cannot_reach_funding_b2(
    start_intake, client_for, event_space, issuer
):
    svc = await start_intake("suining")
    c = client_for(svc)
    pid = await submitted_project(c)
    other = await submitted_project(c)
    # Not approved yet: not in the library, so not on any plan (B3).
    assert (
        await c.http.post("/v1/annual-plans", headers=c.bureau(), json={"year": 2027})
    ).status_code == 201
    r = await c.http.post(
        "/v1/annual-plans/2027/items",
        headers=c.bureau(),
        json={"project_id": pid, "priority_type": "integration", "reason": "整合分散系统"},
    )
    assert r.status_code == 409
    await approve(c, event_space, pid)
    await approve(c, event_space, other)
    got = (await c.http.get(f"/v1/projects/{pid}", headers=c.staff())).json()
    assert got["status"] == "approved"

    # B4: suining's plan names each project's priority type.
    r = await c.http.post(
        "/v1/annual-plans/2027/items",
        headers=c.bureau(),
        json={"project_id": pid, "reason": "整合分散系统"},
    )
    assert r.status_code == 422 and rules_of(r.json()) == [("B4", "SN P art19(一)")]
    r = await c.http.post(
        "/v1/annual-plans/2027/items",
        headers=c.staff(),
        json={"project_id": pid, "priority_type": "integration", "reason": "x"},
    )
    assert r.status_code == 403
    r = await c.http.post(
        "/v1/annual-plans/2027/items",
        headers=c.bureau(),
        json={"project_id": pid, "priority_type": "integration", "reason": "整合分散系统"},
    )
    assert r.status_code == 201, r.text

    async def eligibility(project_id, headers, year=2027):
        r = await c.http.get(
            f"/v1/projects/{project_id}/funding-eligibility",
            params={"fiscal_year": year},
            headers=headers,
        )
        assert r.status_code == 200, r.text
        return r.json()

    finance = c.token("fred", "org-finance", "finance_officer")
    # On a draft plan: not yet.
    assert (await eligibility(pid, finance))["allowed"] is False
    r = await c.http.post("/v1/annual-plans/2027/adopt", headers=c.bureau())
    assert r.status_code == 200 and r.json()["status"] == "adopted"
    ok = await eligibility(pid, finance)
    assert ok["allowed"] is True and ok["decisions"][0]["rule_id"] == "B2"
    refused = await eligibility(other, finance)
    assert refused["allowed"] is False
    assert (refused["decisions"][0]["rule_id"], refused["decisions"][0]["article"]) == (
        "B2",
        "SN P art17",
    )
    assert refused["decisions"][0]["outcome"] == "refuse"
    assert (await eligibility(pid, finance, year=2028))["allowed"] is False

    # The same over gRPC, as finance asks it, on behalf of its officer.
    async with grpc.aio.insecure_channel(f"127.0.0.1:{svc.grpc_port}") as ch:
        stub = pb_grpc.IntakeServiceStub(ch)
        md = [("authorization", finance["authorization"])]
        resp = await stub.CheckFundingEligibility(
            pb.CheckFundingEligibilityRequest(project_id=other, fiscal_year=2027), metadata=md
        )
        assert resp.allowed is False
        assert (resp.decisions[0].rule_id, resp.decisions[0].article) == ("B2", "SN P art17")
        resp = await stub.CheckFundingEligibility(
            pb.CheckFundingEligibilityRequest(project_id=pid, fiscal_year=2027), metadata=md
        )
        assert resp.allowed is True

    # Adopted: only an emergency addition with its approving document (A3) joins it.
    body = {"project_id": other, "priority_type": "security_gap", "reason": "安全事件"}
    r = await c.http.post("/v1/annual-plans/2027/items", headers=c.bureau(), json=body)
    assert r.status_code == 422 and rules_of(r.json()) == [("A3", "SN P art17")]
    r = await c.http.post(
        "/v1/annual-plans/2027/items", headers=c.bureau(), json={**body, "emergency": True}
    )
    assert r.status_code == 422 and rules_of(r.json()) == [("A3", "SN P art17")]
    r = await c.http.post(
        "/v1/annual-plans/2027/items",
        headers=c.bureau(),
        json={**body, "emergency": True, "document_reference": "遂府函〔2027〕12号"},
    )
    assert r.status_code == 201, r.text
    assert (await eligibility(other, finance))["allowed"] is True
    # Finance lists a draft plan's items at adoption, an emergency addition at once.
    outbox = svc.runtime.db.tables.outbox
    async with svc.runtime.db.sessions() as session:
        rows = await session.execute(
            select(outbox.c.payload)
            .where(outbox.c.event_type == "govit.intake.annual_plan.item_added")
            .order_by(outbox.c.seq)
        )
        added = [events_pb2.PlanItemAdded.FromString(p) for (p,) in rows]
        # Opening the plan is announced too (the bureau's, no unit's org_id), once: a second
        # opening of the year is a 409.
        opened = (
            await session.execute(
                select(outbox.c.subject, outbox.c.org_id, outbox.c.payload).where(
                    outbox.c.event_type == "govit.intake.annual_plan.opened"
                )
            )
        ).all()
    assert [(a.project_id, a.plan_adopted) for a in added] == [(pid, False), (other, True)]
    assert [(subject, org) for subject, org, _ in opened] == [("2027", None)]
    plan_opened = events_pb2.AnnualPlanOpened.FromString(opened[0].payload)
    assert (plan_opened.plan_year, plan_opened.opened_by.subject) == (2027, "bureau-1")
    assert plan_opened.HasField("opened_at")
    r = await c.http.post("/v1/annual-plans", headers=c.bureau(), json={"year": 2027})
    assert r.status_code == 409

    # A unit sees only its own items of the plan.
    plan = (await c.http.get("/v1/annual-plans/2027", headers=c.staff("org-b"))).json()
    assert plan["items"] == []
    plan = (await c.http.get("/v1/annual-plans/2027", headers=c.staff())).json()
    assert {i["project_id"] for i in plan["items"]} == {pid, other}


async def test_planned_and_actual_with_rebaselines(start_intake, client_for, event_space):
    c = client_for(await start_intake("suining"))
    pid = await submitted_project(c)
    await approve(c, event_space, pid)
    entry = (await c.http.get(f"/v1/library/{pid}", headers=c.staff())).json()
    assert entry["planned_cost"] == "600000.00" and entry["rebaselines"] == []
    url = f"/v1/library/{pid}/baseline"
    r = await c.http.put(
        url, headers=c.bureau(), json={"planned_start": "2027-03-01", "planned_end": "2027-12-31"}
    )
    assert r.status_code == 200 and r.json()["rebaselines"] == []  # first baseline: no reason
    r = await c.http.put(url, headers=c.bureau(), json={"planned_end": "2028-06-30"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = await c.http.put(url, headers=c.staff(), json={"planned_end": "2028-06-30", "reason": "x"})
    assert r.status_code == 403  # units do not move their own baseline
    r = await c.http.put(
        url,
        headers={**c.bureau(), "If-Match": f'"{r.json().get("version", 99)}"'},
        json={"planned_end": "2028-06-30", "planned_cost": "650000.00", "reason": "需求变更"},
    )
    assert r.status_code == 412
    r = await c.http.put(
        url,
        headers=c.bureau(),
        json={"planned_end": "2028-06-30", "planned_cost": "650000.00", "reason": "需求变更"},
    )
    assert r.status_code == 200, r.text
    history = r.json()["rebaselines"]
    assert {(h["field"], h["old_value"], h["new_value"], h["reason"]) for h in history} == {
        ("planned_cost", "600000.00", "650000.00", "需求变更"),
        ("planned_end", "2027-12-31", "2028-06-30", "需求变更"),
    }
    r = await c.http.put(
        f"/v1/library/{pid}/actuals",
        headers=c.staff(),
        json={"actual_cost": "700000.00", "actual_end": "2028-07-10"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["cost_variance"] == "50000.00" and r.json()["end_slip_days"] == 10
    assert (await c.http.get(f"/v1/library/{pid}", headers=c.staff("org-b"))).status_code == 404
    listed = (await c.http.get("/v1/library", headers=c.staff("org-b"))).json()["items"]
    assert listed == []

    outbox = c.svc.runtime.db.tables.outbox
    async with c.svc.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
    types = [r.event_type for r in rows if r.project_id == pid]
    assert types.count("govit.intake.project.entered_library") == 1
    assert types.count("govit.intake.project.rebaselined") == 2
    assert types.count("govit.intake.project.actuals_reported") == 1


async def test_a_start_after_the_end_is_a_422_naming_the_field(
    start_intake, client_for, event_space
):
    """Planned and actual dates: the start is on or before the end, whether both come in one
    request or one side is sent against the stored other; a refused update changes nothing."""
    c = client_for(await start_intake("suining"))
    pid = await submitted_project(c)
    await approve(c, event_space, pid)
    url = f"/v1/library/{pid}/baseline"
    r = await c.http.put(
        url, headers=c.bureau(), json={"planned_start": "2027-01-01", "planned_end": "2026-01-01"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "planned_end", r.text
    r = await c.http.put(
        url, headers=c.bureau(), json={"planned_start": "2027-03-01", "planned_end": "2027-12-31"}
    )
    assert r.status_code == 200, r.text
    # One side against the stored other.
    r = await c.http.put(
        url, headers=c.bureau(), json={"planned_end": "2027-01-31", "reason": "提前"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "planned_end", r.text
    r = await c.http.put(
        url, headers=c.bureau(), json={"planned_start": "2028-01-01", "reason": "推迟"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "planned_start", r.text
    entry = (await c.http.get(f"/v1/library/{pid}", headers=c.staff())).json()
    assert (entry["planned_start"], entry["planned_end"]) == ("2027-03-01", "2027-12-31")
    assert entry["rebaselines"] == []

    url = f"/v1/library/{pid}/actuals"
    r = await c.http.put(
        url, headers=c.staff(), json={"actual_start": "2027-06-01", "actual_end": "2027-05-01"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "actual_end", r.text
    r = await c.http.put(url, headers=c.staff(), json={"actual_start": "2027-04-01"})
    assert r.status_code == 200, r.text
    r = await c.http.put(url, headers=c.staff(), json={"actual_end": "2027-03-31"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "actual_end", r.text
    entry = (await c.http.get(f"/v1/library/{pid}", headers=c.staff())).json()
    assert (entry["actual_start"], entry["actual_end"]) == ("2027-04-01", None)
    outbox = c.svc.runtime.db.tables.outbox
    async with c.svc.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select())).all()
    types = [r.event_type for r in rows if r.project_id == pid]
    assert types.count("govit.intake.project.actuals_reported") == 1
    assert types.count("govit.intake.project.rebaselined") == 0


async def test_yunyang_rolling_plan_b5(start_intake, client_for, event_space):
    c = client_for(await start_intake("yunyang"))
    pid = await submitted_project(c)
    await approve(c, event_space, pid)
    await c.http.post("/v1/annual-plans", headers=c.bureau(), json={"year": 2028})
    r = await c.http.post(
        "/v1/annual-plans/2028/items",
        headers=c.bureau(),
        json={"project_id": pid, "reason": "轻重缓急:急"},  # YY has no B4 types
    )
    assert r.status_code == 201, r.text
    r = await c.http.get("/v1/annual-plans/rolling", params={"from_year": 2027}, headers=c.bureau())
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"year": 2027, "status": None, "projects": 0, "planned_cost": "0"},
        {"year": 2028, "status": "draft", "projects": 1, "planned_cost": "600000.00"},
        {"year": 2029, "status": None, "projects": 0, "planned_cost": "0"},
    ]
    other = await c.http.get(
        "/v1/annual-plans/rolling", params={"from_year": 2027}, headers=c.staff("org-b")
    )
    assert other.json()[1]["projects"] == 0


async def test_a_plan_year_out_of_range_is_named_not_an_overflow(start_intake, client_for):
    c = client_for(await start_intake())
    for method, path in (
        ("GET", "/v1/annual-plans/{}"),
        ("POST", "/v1/annual-plans/{}/adopt"),
        ("POST", "/v1/annual-plans/{}/items"),
    ):
        for year in (10_593_830_157, 1999):
            body = {"project_id": "p-1", "reason": "急"} if path.endswith("items") else None
            r = await c.http.request(method, path.format(year), headers=c.bureau(), json=body)
            assert r.status_code == 422, (path, year, r.text)
            assert r.json()["errors"][0]["field"] == "year"


async def test_only_demands_filed_under_the_years_call_join_its_plan_b1(
    start_intake, client_for, event_space
):
    """B1 (SN P art17): once the bureau opened the 2028 demand call, a project filed outside it
    does not join the 2028 plan (refused naming B1); one filed under it does; a year without a
    call has no such bar."""
    svc = await start_intake("suining")
    c = client_for(svc)
    r = await c.http.post(
        "/v1/demand-calls",
        headers=c.bureau(),
        json={"plan_year": 2028, "deadline": "2099-12-31"},
    )
    assert r.status_code == 201, r.text
    call_id = r.json()["id"]
    answered = await submitted_project(c, demand_call_id=call_id)
    outside = await submitted_project(c)
    for pid in (answered, outside):
        await approve(c, event_space, pid)
    for year in (2028, 2029):
        r = await c.http.post("/v1/annual-plans", headers=c.bureau(), json={"year": year})
        assert r.status_code == 201, r.text
    item = {"priority_type": "integration", "reason": "整合分散系统"}
    r = await c.http.post(
        "/v1/annual-plans/2028/items", headers=c.bureau(), json={"project_id": outside, **item}
    )
    assert r.status_code == 422, r.text
    assert rules_of(r.json()) == [("B1", "SN P art17")]
    assert r.json()["decisions"][0]["figures"]["demand_call_id"] == call_id
    for year, pid in ((2028, answered), (2029, outside)):
        r = await c.http.post(
            f"/v1/annual-plans/{year}/items", headers=c.bureau(), json={"project_id": pid, **item}
        )
        assert r.status_code == 201, r.text


async def test_an_item_added_and_the_adoption_take_turns_on_the_plan_b2(
    start_intake, client_for, event_space
):
    """On PostgreSQL: add_item and adopt both lock the plan's row. An adoption that starts while
    an item is being added waits, and lists it (finance's I2 pays what the list names); an item
    added while the adoption is under way waits, and is then one after adoption (A3)."""
    svc = await start_intake("suining")
    c = client_for(svc)
    first, second, third = [await submitted_project(c) for _ in range(3)]
    for pid in (first, second, third):
        await approve(c, event_space, pid)
    for year in (2027, 2028):
        r = await c.http.post("/v1/annual-plans", headers=c.bureau(), json={"year": year})
        assert r.status_code == 201, r.text
    rt = svc.runtime
    bureau = Principal("bureau-1", "org-data-bureau", frozenset({Role.BUREAU_REVIEWER}))

    def item(pid: str) -> PlanItemCreate:
        return PlanItemCreate(project_id=pid, priority_type="integration", reason="整合分散系统")

    async def add(uow, pid: str, year: int = 2027):
        return await flows.add_item(
            uow=uow, who=bureau, profile=rt.profile, year=year, data=item(pid)
        )

    async def adopt() -> list[str]:
        async with rt.db.unit_of_work() as uow:
            await flows.adopt(uow=uow, who=bureau, profile=rt.profile, year=2027)
            adopted = events_pb2.AnnualPlanAdopted.FromString(uow.outbox_rows[-1]["payload"])
        return list(adopted.project_ids)

    async with rt.db.unit_of_work() as uow:
        await add(uow, first)
    async with rt.db.unit_of_work() as uow:
        await add(uow, second)  # added, not committed yet
        adoption = asyncio.create_task(adopt())
        await asyncio.sleep(1.0)
        waits = not adoption.done()
    assert waits, "the adoption did not wait for the item being added"
    assert sorted(await adoption) == sorted([first, second])

    # The other way round (the 2028 plan): the adoption holds the plan, a plain addition waits,
    # then is refused as one after adoption (A3: only an emergency, with its document).
    async with rt.db.unit_of_work() as uow:
        await flows.adopt(uow=uow, who=bureau, profile=rt.profile, year=2028)

        async def late() -> None:
            async with rt.db.unit_of_work() as other:
                await add(other, third, 2028)

        addition = asyncio.create_task(late())
        await asyncio.sleep(1.0)
        waits = not addition.done()
    assert waits, "the addition did not wait for the adoption"
    try:
        await addition
    except RuleRefused as exc:
        assert [d.rule_id for d in exc.decisions] == ["A3"]
    else:
        raise AssertionError("an item was added to the draft behind its adoption")


@pytest.mark.parametrize(
    ("profile", "cited", "not_cited"),
    [
        ("suining", "(B3 (SN P art16, art17); B2 (SN P art17))", ()),
        # No B3 (library) in yunyang: only its B2 is cited, never "B3".
        ("yunyang", "(B2 (YY art7))", ("B3",)),
        # Neither applies: no rule id at all (before: "(B3/B2 )", ids with no article).
        ("wuhai", "", ("B3", "B2")),
    ],
)
async def test_an_unapproved_project_refused_from_the_plan_cites_only_rules_in_force(
    start_intake, client_for, profile, cited, not_cited
):
    c = client_for(await start_intake(profile))
    pid = (await new_project(c))["id"]
    r = await c.http.post("/v1/annual-plans", headers=c.bureau(), json={"year": 2027})
    assert r.status_code == 201, r.text
    item = {"project_id": pid, "priority_type": "integration", "reason": "整合分散系统"}
    r = await c.http.post("/v1/annual-plans/2027/items", headers=c.bureau(), json=item)
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert detail.startswith("only approved projects in the library join the plan")
    assert cited in detail and "()" not in detail and " )" not in detail, detail
    for rule_id in not_cited:
        assert rule_id not in detail, detail
