"""Real objects for the authorisation tests, made over each service's REST API (and, where a
service learns of them from another, by publishing that service's event): owned by unit A
(org-a) or provider "pa". Each seeder returns the path parameters that name them."""

from __future__ import annotations

from decimal import Decimal

from authz_support import CALLERS, Seeder, new_project_body

from cloud_broker.requests.rules import BASE_MATERIALS, SN_MATERIALS
from govit.intake.v1 import events_pb2 as intake_events
from govit.review.v1 import events_pb2 as review_events
from govit.review.v1 import types_pb2 as review_types
from govit_kit.convert import to_money
from govit_kit.testing import publish_event, wait_until

STAFF, CDO = CALLERS["unit_staff"], CALLERS["unit_cdo"]
BUREAU, ADMIN = CALLERS["bureau_reviewer"], CALLERS["bureau_cloud_admin"]
FINANCE, PROVIDER = CALLERS["finance_officer"], CALLERS["cloud_provider"]

CATALOG_ROW = {
    "department": "市数据局",
    "resource_name": "人口基础信息",
    "format_category": "数据库类",
    "format_type": "oracle",
    "item_name": "姓名",
    "data_type": "C",
    "data_length": 50,
    "share_type": "有条件共享",
    "share_method": "接口",
    "open_to_public": False,
    "update_cycle": "每日",
}


async def submitted(space, project_id: str, org: str = "org-a", amount: str = "800000") -> None:
    """Intake's ProjectSubmitted, as review and finance hear it."""
    await publish_event(
        space,
        "intake",
        "project",
        "submitted",
        intake_events.ProjectSubmitted(
            project_id=project_id,
            org_id=org,
            name=f"project {project_id}",
            project_type="new",
            total_investment=to_money(Decimal(amount)),
        ),
        subject=project_id,
        org_id=org,
        project_id=project_id,
    )


async def concluded(space, project_id: str, org: str = "org-a") -> None:
    """Review's approving conclusion, as intake and finance hear it."""
    await publish_event(
        space,
        "review",
        "case",
        "concluded",
        review_events.ReviewCaseConcluded(
            case_id=f"case-{project_id}",
            project_id=project_id,
            org_id=org,
            conclusion=review_types.CONCLUSION_APPROVE,
            reason="ok",
        ),
        subject=f"case-{project_id}",
        org_id=org,
        project_id=project_id,
    )


async def seed_intake(s: Seeder) -> dict:
    """Unit A registered, its approved project (in the library) with a material and a catalog,
    a system, a framework plan and a demand call."""
    org = {
        "id": "org-a",
        "name": "某市某局",
        "credit_code": "91350100M000100Y43",
        "level": "city",
        "funding_class": "full",
    }
    await s.call(BUREAU, "POST", "/v1/organisations", 201, json=org)
    # The framework plan's other participant: a plan names units intake knows (C5).
    other = {**org, "id": "org-c", "name": "某市另一局", "credit_code": "91110000600037341L"}
    await s.call(BUREAU, "POST", "/v1/organisations", 201, json=other)
    project = await s.call(STAFF, "POST", "/v1/projects", 201, json=new_project_body())
    pid = project["id"]
    await s.call(
        STAFF,
        "PUT",
        f"/v1/projects/{pid}/materials/feasibility_study",
        200,
        params={"filename": "fs.pdf"},
        content=b"%PDF-1.4 feasibility",
        headers={"content-type": "application/pdf"},
    )
    await s.call(STAFF, "PUT", f"/v1/projects/{pid}/catalog", 200, json=[CATALOG_ROW])
    # Review approves it: the project enters the library (B3), whose entries are unit A's too.
    await concluded(s.space, pid)

    async def in_library():
        r = await s.http.get(f"/v1/library/{pid}", headers=s.headers(BUREAU))
        return r.status_code == 200

    await wait_until(in_library)
    system = await s.call(
        BUREAU, "POST", "/v1/systems", 201, json={"name": "人口库", "owner_org_id": "org-a"}
    )
    plan = {
        "name": "跨部门协同",
        "participant_org_ids": ["org-a", "org-c"],
        "goals": "g",
        "data_flows": "d",
        "interfaces": "i",
    }
    framework = await s.call(STAFF, "POST", "/v1/framework-plans", 201, json=plan)
    call = await s.call(
        BUREAU, "POST", "/v1/demand-calls", 201, json={"plan_year": 2027, "deadline": "2027-09-30"}
    )
    return {
        "project_id": pid,
        "kind": "feasibility_study",
        "system_id": system["id"],
        "plan_id": framework["id"],
        "call_id": call["id"],
        "year": 2027,
        "org_id": "org-a",
    }


async def seed_review(s: Seeder) -> dict:
    """A case opened on unit A's submitted project."""
    await submitted(s.space, "p-review-a")

    async def opened():
        r = await s.call(BUREAU, "GET", "/v1/cases", params={"project_id": "p-review-a"})
        return r.get("items")

    [case] = await wait_until(opened)
    # The matrix's expert is drawn for the case: what a drawn expert may do is then exercised.
    expert = CALLERS["expert"]
    member = {"pool": "expert", "name": "专家", "subject": expert.subject, "specialties": ["it"]}
    member = await s.call(BUREAU, "POST", "/v1/pool-members", 201, json=member)
    draw = await s.call(
        BUREAU, "POST", f"/v1/cases/{case['id']}/draws", 201, json={"specialty": "it", "count": 1}
    )
    [assignment] = await s.call(BUREAU, "GET", f"/v1/cases/{case['id']}/assignments", 200)
    order = {
        "case_id": case["id"],
        "finding": "security",
        "description": "整改",
        "due_working_days": 10,
    }
    order = await s.call(BUREAU, "POST", "/v1/rectifications", 201, json=order)
    return {
        "case_id": case["id"],
        "org_id": "org-a",
        "member_id": member["id"],
        "draw_id": draw["id"],
        "assignment_id": assignment["id"],
        "order_id": order["id"],
    }


MATERIALS = {name: f"doc:{name}" for name in {**BASE_MATERIALS, **SN_MATERIALS}}


async def approved_project(s: Seeder, intake, unit=STAFF) -> str:
    """A project of the unit (A by default) that intake (beside the broker) holds as approved."""
    project = await intake.call(unit, "POST", "/v1/projects", 201, json=new_project_body())
    pid = project["id"]
    await intake.call(unit, "POST", f"/v1/projects/{pid}/submit")
    await concluded(s.space, pid, unit.org)

    async def approved():
        return (await intake.call(unit, "GET", f"/v1/projects/{pid}"))["status"] == "approved"

    await wait_until(approved)
    return pid


async def file_request(s: Seeder, pid: str, unit=STAFF) -> str:
    """A request of the unit (A by default) for 8 vCPU on its project; returns its id."""
    body = {
        "project_id": pid,
        "service_mode": "general",
        "items": [{"sku": "ecs.vcpu", "quantity": 8}],
        "materials": MATERIALS,
    }
    return (await s.call(unit, "POST", "/v1/resource-requests", 201, json=body))["id"]


async def seed_broker(s: Seeder, intake: Seeder) -> dict:
    """Platforms "pa" and "pb" with prices; unit A's request; a work order of provider "pa"."""
    for p in ("pa", "pb"):
        await s.call(ADMIN, "POST", "/v1/catalog/platforms", 201, json={"id": p, "name": p})
        await s.call(
            ADMIN,
            "POST",
            "/v1/catalog/skus/ecs.vcpu/prices",
            201,
            json={"platform_id": p, "unit_price": "120.00", "valid_from": "2020-01-01"},
        )
    pid = await approved_project(s, intake)
    allocated = await file_request(s, pid)
    for step in ("accept", "approve"):
        await s.call(ADMIN, "POST", f"/v1/resource-requests/{allocated}/{step}", 200)
    await s.call(
        ADMIN,
        "POST",
        f"/v1/resource-requests/{allocated}/allocate",
        200,
        json={"platform_id": "pa"},
    )
    orders = await s.call(PROVIDER, "GET", "/v1/provider/work-orders", 200)
    [order] = orders["items"]
    await s.call(PROVIDER, "POST", f"/v1/provider/work-orders/{order['id']}/claim", 200)
    operation = await s.call(
        PROVIDER,
        "POST",
        f"/v1/provider/work-orders/{order['id']}/complete",
        202,
        json={"resource_ids": ["vm-1"]},
    )
    # The provider's report configured the allocated request; deployed and active, unit A files
    # a change to it.
    await s.call(STAFF, "POST", f"/v1/resource-requests/{allocated}/deploy", 200)
    await s.call(ADMIN, "POST", f"/v1/resource-requests/{allocated}/activate", 200)
    change = await s.call(
        STAFF,
        "POST",
        f"/v1/resource-requests/{allocated}/changes",
        201,
        json={"items": [{"sku": "ecs.vcpu", "quantity": 16}], "reason": "扩容"},
    )
    request = await file_request(s, pid)
    return {
        "change_id": change["id"],
        "request_id": request,
        "resource_id": allocated,  # what a provider's utilisation figures are about
        "order_id": order["id"],
        "operation_id": operation["id"],
        "code": "ecs.vcpu",
        "project_id": pid,
        "org_id": "org-a",
        "provider_id": "pa",
        "platform_id": "pa",
    }


async def seed_finance(s: Seeder) -> dict:
    """Unit A's reviewed project with its funding line, a contract on it and a payment."""
    pid = "p-fin-a"
    await submitted(s.space, pid, amount="500000")
    await concluded(s.space, pid)

    async def line():
        r = await s.call(FINANCE, "GET", "/v1/funding-lines", params={"project_id": pid})
        return r.get("items")

    [funding] = await wait_until(line)
    contractor = await s.call(
        FINANCE,
        "POST",
        "/v1/contractors",
        201,
        json={"name": "某公司", "credit_code": "91510900MA60000000", "qualifications": ["ITSS-2"]},
    )
    procurement = await s.call(
        FINANCE,
        "POST",
        "/v1/procurements",
        201,
        json={
            "project_id": pid,
            "title": "系统建设",
            "method": "public_tender",
            "amount": "300000.00",
            "contractor_id": contractor["id"],
            "awarded_on": "2026-03-02",
        },
    )
    contract = await s.call(
        STAFF,
        "POST",
        "/v1/contracts",
        201,
        json={
            "procurement_id": procurement["id"],
            "amount": "300000.00",
            "signed_on": "2026-03-02",
            "warranty_months": 36,
            "free_om_months": 12,
            "copyright_to_government": True,
            "data_assets_to_government": True,
            "supervisor": "某监理公司",
            "principal_leader_heads": True,
            "bureau_expert_in_working_group": True,
        },
    )
    payment = await s.call(
        STAFF,
        "POST",
        "/v1/payments",
        201,
        json={
            "contract_id": contract["id"],
            "funding_line_id": funding["id"],
            "amount": "1000.00",
            "purpose": "construction",
        },
    )
    # The I3 facts on unit A's project and on unit A, for their read endpoints.
    await s.call(
        FINANCE,
        "PUT",
        f"/v1/projects/{pid}/system-status",
        200,
        json={
            "accepted": True,
            "security_compliant": True,
            "shares_data": True,
            "in_catalog": True,
        },
    )
    for path, body in (
        (f"/v1/projects/{pid}/duplicate-collection", {"collects_twice": False}),
        ("/v1/units/org-a/system-integration", {"failed_to_integrate": False}),
    ):
        await s.call(BUREAU, "PUT", path, 200, json={**body, "document": "数据局复核 2026-1"})
    return {
        "project_id": pid,
        "line_id": funding["id"],
        "funding_line_id": funding["id"],
        "contractor_id": contractor["id"],
        "procurement_id": procurement["id"],
        "contract_id": contract["id"],
        "payment_id": payment["id"],
        "org_id": "org-a",
        "provider_id": "pa",
    }
