"""Steps of a project's whole life through the platform's public APIs, for the per-profile
scenarios (tests/integration/test_lifecycle.py).

Every step talks REST to one of the five service processes, except the simulated cloud
provider, which works its orders over the provider gRPC API (WatchWorkOrders, ClaimWorkOrder,
CompleteWorkOrder, AttestWipe, ReportUtilisation). A step asserts what is the same in every
profile and returns what the scenario needs to assert what differs; a step that the profile
refuses is called through `expect_refusal`, which returns the (rule id, article) pairs cited.
"""

from __future__ import annotations

import asyncio
import calendar
import io
import subprocess
import sys
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import grpc
import httpx

from govit.cloud_broker.v1 import provider_service_pb2 as ppb
from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc
from govit.cloud_broker.v1 import types_pb2
from govit_kit.auth import TokenIssuer
from govit_kit.platform import Platform
from govit_kit.policy import SHANGHAI, WorkingCalendar
from govit_kit.testing import wait_until

EVENT_WAIT_S = 30.0
PROBLEM = "application/problem+json"
PLATFORM_ID = "pa"  # the simulated provider's platform
IDENTITY = "console eyJ1c2VyX2lkIjogIndhbmcud3UifQ=="  # OSB originating identity: wang.wu

D4_ITEMS = [
    "mandatory_requirements",
    "resource_sharing",
    "technical_route",
    "technology_trends",
    "security_and_om",
    "implementation_plan",
    "implementation_conditions",
    "performance_goals",
]
SECRECY_ITEMS = ["secure_and_reliable", "electronic_records", "crypto_compliance"]
G5_ITEMS = ["secure_and_reliable_products", "crypto_and_security_review", "energy_efficiency"]
G3_MATERIALS = [
    "summary",
    "financial_report",
    "audit_report",
    "security_assessment",
    "crypto_assessment",
    "data_dictionary",
]
CATALOG_ROW = {
    "department": "市不动产登记中心",
    "resource_name": "不动产登记信息",
    "format_category": "数据库类",
    "format_type": "oracle",
    "item_name": "权利人名称",
    "data_type": "C",
    "data_length": 100,
    "share_type": "有条件共享",
    "share_method": "接口",
    "open_to_public": False,
    "open_conditions": None,
    "update_cycle": "每日",
}


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def today() -> date:
    """Today where the platform's deadlines are counted (Asia/Shanghai)."""
    return datetime.now(SHANGHAI).date()


def add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_after(day: date, months: int) -> date:
    """The last day of a period of `months` from `day`: add_months, moved off a rest day to the
    next working day (民法典 art 203) as the platform counts it (the built-in profiles have no
    calendar overrides)."""
    return WorkingCalendar().roll_to_workday(add_months(day, months))


def credit_code(n: int) -> str:
    """A well-formed unified social credit code (GB 32100-2015) for contractor n."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    first = f"91510900MA6{n:06d}"[:17]
    total = sum(alphabet.index(c) * w for c, w in zip(first, weights, strict=True))
    return first + alphabet[(31 - total % 31) % 31]


def cited(decisions: list[dict], outcome: str | None = None) -> list[tuple[str, str]]:
    """(rule id, article) of the decisions, optionally of one outcome only."""
    return [
        (d["rule_id"], d["article"])
        for d in decisions
        if outcome is None or d["outcome"] == outcome
    ]


def refusals(r: httpx.Response) -> list[tuple[str, str]]:
    """The (rule id, article) pairs a 422 rule-refused problem cites."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers
    problem = r.json()
    assert problem["decisions"], problem
    return cited(problem["decisions"], "refuse")


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, (r.request.method, str(r.request.url), r.status_code, r.text)
    return r.json()


@dataclass
class Lifecycle:
    """One scenario's platform, clients and people; what the steps made so far."""

    profile: str
    platform: Platform
    api: object  # conftest.Clients
    issuer: TokenIssuer
    workdir: Path
    tokens: dict[str, str] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        issue = self.issuer.issue
        self.tokens = {
            "unit": issue("alice@org-a", "org-a", ["unit_staff"]),
            "cdo": issue("carol@org-a", "org-a", ["unit_cdo"]),
            "reviewer": issue("rita@org-data-bureau", "org-data-bureau", ["bureau_reviewer"]),
            "ndrc": issue("ned@org-ndrc", "org-ndrc", ["ndrc_officer"]),
            "finance": issue("fred@org-finance", "org-finance", ["finance_officer"]),
            "cloud_admin": issue("cai@org-data-bureau", "org-data-bureau", ["bureau_cloud_admin"]),
            "provider": issue(
                "robot@org-pa", "org-pa", ["cloud_provider"], provider_id=PLATFORM_ID
            ),
            "auditor": issue("audrey@org-audit", "org-audit", ["auditor"]),
            "expert": issue("ed@org-univ", "org-univ", ["expert"]),
            "security": issue("sam@org-cac", "org-cac", ["security_reviewer"]),
            "secrecy": issue("sue@org-secrecy", "org-secrecy", ["secrecy_reviewer"]),
        }

    def mark(self, label: str) -> None:
        """Note how long the scenario has run when it reaches a step (printed at the end)."""
        self.facts.setdefault("timeline", []).append((label, time.monotonic()))

    def timeline(self) -> str:
        marks = self.facts.get("timeline", [])
        return (
            " ".join(f"{label}={t - marks[0][1]:.1f}s" for label, t in marks[1:]) if marks else ""
        )

    def h(self, who: str) -> dict[str, str]:
        return auth(self.tokens[who])

    @property
    def grpc_target(self) -> str:
        return f"127.0.0.1:{self.platform.services['cloud_broker'].grpc_port}"

    # --- B1: the demand call ---------------------------------------------------------------

    async def demand_call(self, *, deadline_month: int | None) -> dict:
        """The bureau opens the call of the next plan year whose deadline has not passed: the
        profile's month of the year before (YY, PDS), else a date the bureau names."""
        t = today()
        body: dict = {}
        if deadline_month is None:
            body = {"plan_year": t.year + 1, "deadline": (t + timedelta(days=30)).isoformat()}
        else:
            year = t.year + 1 if t.month <= deadline_month else t.year + 2
            body = {"plan_year": year}
        call = ok(
            await self.api.intake.post("/v1/demand-calls", headers=self.h("reviewer"), json=body),
            201,
        )
        if deadline_month is not None:
            deadline = date.fromisoformat(call["deadline"])
            # The last day of the profile's month of the year before the plan year.
            assert (deadline.year, deadline.month) == (call["plan_year"] - 1, deadline_month)
            assert (deadline + timedelta(days=1)).day == 1
        self.facts["call"] = call
        return call

    # --- C: the application -----------------------------------------------------------------

    async def draft(self, name: str, amount: str) -> dict:
        """A unit's draft with every C1 form field, on the open demand call if there is one."""
        call = self.facts.get("call")
        year = call["plan_year"] if call else today().year + 1
        body = {
            "name": name,
            "project_type": "new",
            "total_investment": amount,
            **({"demand_call_id": call["id"]} if call else {}),
            "supervising_department": "市政务服务和大数据管理局",
            "leader_name": "李四",
            "leader_phone": "0825-2222222",
            "contact_name": "王五",
            "contact_phone": "13800000000",
            "background": "上级部门明确要求:不动产登记全程网办。",
            "basis_documents": [{"name": "关于推进不动产登记全程网办的通知", "number": "2026-1"}],
            "preparation_status": "已完成可行性研究报告及概算。",
            "schedule": "明年一季度招标,年底上线。",
            "yearly_funding": [{"year": year, "amount": amount}],
        }
        r = await self.api.intake.post(
            "/v1/projects",
            headers={**self.h("unit"), "idempotency-key": uuid.uuid4().hex},
            json=body,
        )
        project = ok(r, 201)
        assert project["status"] == "draft"
        assert project["plan_year"] == (call["plan_year"] if call else None), project
        return project

    async def complete(self, pid: str, *, catalog: bool = True) -> list[dict]:
        """Upload every material the profile requires, and the data resource catalog (C2)."""
        required = ok(
            await self.api.intake.get(
                f"/v1/projects/{pid}/required-materials", headers=self.h("unit")
            )
        )
        for m in required:
            r = await self.api.intake.put(
                f"/v1/projects/{pid}/materials/{m['kind']}",
                params={"filename": f"{m['kind']}.pdf"},
                headers={**self.h("unit"), "content-type": "application/pdf"},
                content=f"%PDF-1.7 {m['kind']}".encode(),
            )
            ok(r)
        if catalog:
            ok(
                await self.api.intake.put(
                    f"/v1/projects/{pid}/catalog", headers=self.h("unit"), json=[CATALOG_ROW]
                )
            )
        return required

    async def sign_off(self, pid: str) -> dict:
        return ok(
            await self.api.intake.post(f"/v1/projects/{pid}/cdo-signoff", headers=self.h("cdo"))
        )

    async def submit(self, pid: str) -> httpx.Response:
        return await self.api.intake.post(f"/v1/projects/{pid}/submit", headers=self.h("unit"))

    async def apply(self, name: str, amount: str, *, sign_off: bool) -> dict:
        """Draft, complete, (sign off,) submit: the submitted project."""
        project = await self.draft(name, amount)
        await self.complete(project["id"])
        if sign_off:
            await self.sign_off(project["id"])
        submitted = ok(await self.submit(project["id"]))
        assert submitted["status"] == "submitted"
        return submitted

    # --- D: review and the approval chain ---------------------------------------------------

    async def case_of(self, pid: str) -> dict:
        """Review's case of the project, opened by intake's event."""

        async def opened():
            r = await self.api.review.get(
                "/v1/cases", params={"project_id": pid}, headers=self.h("reviewer")
            )
            return ok(r)["items"]

        items = await wait_until(opened, timeout=EVENT_WAIT_S)
        assert len(items) == 1, items
        return items[0]

    async def draw_expert(self, case_id: str) -> dict:
        """D6/D3/D1: one expert drawn at random from the pool, the draw recorded."""
        r = await self.api.review.get("/v1/pool-members", headers=self.h("reviewer"))
        if not ok(r)["items"]:
            ok(
                await self.api.review.post(
                    "/v1/pool-members",
                    headers=self.h("reviewer"),
                    json={
                        "pool": "expert",
                        "name": "张工",
                        "subject": "ed@org-univ",
                        "employer_org_id": "org-univ",
                        "specialties": ["it"],
                    },
                ),
                201,
            )
        draw = ok(
            await self.api.review.post(
                f"/v1/cases/{case_id}/draws",
                headers=self.h("reviewer"),
                json={"pool": "expert", "specialty": "it", "count": 1},
            ),
            201,
        )
        assert len(draw["picked"]) == 1 and draw["seed"]
        verified = ok(
            await self.api.review.get(
                f"/v1/draws/{draw['id']}/verification", headers=self.h("auditor")
            )
        )
        assert verified["matches"] is True
        return draw

    async def joint_opinions(self, case_id: str) -> None:
        """The drawn expert's D4 checklist, the security and the secrecy opinions (D3)."""
        for who, items in (
            ("expert", D4_ITEMS),
            ("security", ["information_security"]),
            ("secrecy", SECRECY_ITEMS),
        ):
            ok(
                await self.api.review.post(
                    f"/v1/cases/{case_id}/opinions",
                    headers=self.h(who),
                    json={
                        "checklist": {i: {"verdict": "satisfied"} for i in items},
                        "recommendation": "approve",
                        "summary": "同意",
                    },
                ),
                201,
            )

    async def conclude(self, case_id: str) -> dict:
        """The project's attributes declared (the D5/D8 pre-checks run; approval waits for
        them), then the bureau's approving conclusion."""
        ok(
            await self.api.review.put(
                f"/v1/cases/{case_id}/attributes",
                headers=self.h("reviewer"),
                json={"on_government_cloud": True, "data_sharing_commitment": True},
            )
        )
        case = ok(
            await self.api.review.post(
                f"/v1/cases/{case_id}/conclusion",
                headers=self.h("reviewer"),
                json={"conclusion": "approve", "reason": "技术方案合理"},
            )
        )
        assert case["status"] == "concluded" and case["conclusion"] == "approve"
        assert case["chain_stage"] == "bureau_opinion"
        return case

    async def ndrc_approval(self, case_id: str, amount: str) -> httpx.Response:
        return await self.api.review.post(
            f"/v1/cases/{case_id}/ndrc-approval",
            headers=self.h("ndrc"),
            json={"document_number": "发改审批〔2026〕12号", "approved_amount": amount},
        )

    async def approval_chain(self, case_id: str, amount: str) -> tuple[dict, dict]:
        """D7: the NDRC's approval of the study and estimate, then finance's investment review."""
        ndrc = ok(await self.ndrc_approval(case_id, amount), 201)
        review = ok(
            await self.api.review.post(
                f"/v1/cases/{case_id}/investment-review",
                headers=self.h("finance"),
                json={"document_number": "财评〔2026〕3号", "approved_amount": amount},
            ),
            201,
        )
        case = ok(await self.api.review.get(f"/v1/cases/{case_id}", headers=self.h("reviewer")))
        assert case["chain_stage"] == "investment_review", case
        assert Decimal(case["approved_investment"]) == Decimal(amount)
        return ndrc, review

    async def project_status(self, pid: str, status: str) -> dict:
        async def reached():
            got = ok(await self.api.intake.get(f"/v1/projects/{pid}", headers=self.h("unit")))
            return got if got["status"] == status else None

        return await wait_until(reached, timeout=EVENT_WAIT_S)

    # --- B2/I: funding line and the annual plan ---------------------------------------------

    async def funding_line(self, pid: str) -> dict:
        """Finance's construction line, opened by review's approval."""

        async def opened():
            r = await self.api.finance.get(
                "/v1/funding-lines", params={"project_id": pid}, headers=self.h("finance")
            )
            return ok(r)["items"]

        lines = await wait_until(opened, timeout=EVENT_WAIT_S)
        assert len(lines) == 1, lines
        return lines[0]

    async def adopt_plan(self, year: int, pid: str, priority_type: str | None) -> dict:
        """The bureau puts the library project on the year's plan and adopts it (B2, B3)."""
        r = await self.api.intake.post(
            "/v1/annual-plans", headers=self.h("reviewer"), json={"year": year}
        )
        assert r.status_code in (201, 409), r.text
        item = {"project_id": pid, "reason": "整合分散系统"}
        if priority_type:
            item["priority_type"] = priority_type
        ok(
            await self.api.intake.post(
                f"/v1/annual-plans/{year}/items", headers=self.h("reviewer"), json=item
            ),
            201,
        )
        plan = ok(
            await self.api.intake.post(f"/v1/annual-plans/{year}/adopt", headers=self.h("reviewer"))
        )
        assert plan["status"] == "adopted"
        return plan

    # --- E: procurement and contract --------------------------------------------------------

    async def contractor(self) -> dict:
        return ok(
            await self.api.finance.post(
                "/v1/contractors",
                headers=self.h("finance"),
                json={
                    "name": "四川某信息技术有限公司",
                    "credit_code": credit_code(1),
                    "qualifications": ["ITSS-2", "CMMI-3"],
                },
            ),
            201,
        )

    async def procure(
        self, pid: str, contractor_id: str, amount: str, method: str
    ) -> httpx.Response:
        return await self.api.finance.post(
            "/v1/procurements",
            headers=self.h("unit"),
            json={
                "project_id": pid,
                "title": "系统建设",
                "method": method,
                "amount": amount,
                "contractor_id": contractor_id,
                "awarded_on": today().isoformat(),
            },
        )

    async def contract(self, procurement_id: str, amount: str, **terms) -> httpx.Response:
        body = {
            "procurement_id": procurement_id,
            "amount": amount,
            "signed_on": today().isoformat(),
            "warranty_months": 36,
            "free_om_months": 12,
            "copyright_to_government": True,
            "data_assets_to_government": True,
            "supervisor": "某监理公司",
            "principal_leader_heads": True,
            "bureau_expert_in_working_group": True,
            **terms,
        }
        return await self.api.finance.post("/v1/contracts", headers=self.h("unit"), json=body)

    async def pay(self, contract_id: str, line_id: str, amount: str) -> httpx.Response:
        return await self.api.finance.post(
            "/v1/payments",
            headers={**self.h("unit"), "idempotency-key": uuid.uuid4().hex},
            json={
                "contract_id": contract_id,
                "funding_line_id": line_id,
                "amount": amount,
                "purpose": "construction",
            },
        )

    async def pay_once_allowed(self, contract_id: str, line_id: str, amount: str) -> dict:
        """Pay as soon as finance has taken in the fact it waited for (an event): a refusal
        records nothing, so asking again is safe."""

        async def paid():
            r = await self.pay(contract_id, line_id, amount)
            if r.status_code == 422:
                return None
            return ok(r, 201)

        return await wait_until(paid, timeout=EVENT_WAIT_S)

    # --- L: the cloud resource --------------------------------------------------------------

    async def cloud_catalog(self) -> None:
        admin = self.h("cloud_admin")
        ok(
            await self.api.cloud_broker.post(
                "/v1/catalog/platforms", headers=admin, json={"id": PLATFORM_ID, "name": "PA"}
            ),
            201,
        )
        for sku, price in (
            ("ecs.vcpu", "120.00"),
            ("ecs.memory", "30.00"),
            ("evs.storage", "0.50"),
        ):
            ok(
                await self.api.cloud_broker.post(
                    f"/v1/catalog/skus/{sku}/prices",
                    headers=admin,
                    json={
                        "platform_id": PLATFORM_ID,
                        "unit_price": price,
                        "valid_from": "2020-01-01",
                    },
                ),
                201,
            )

    async def file_resource_request(self, pid: str) -> tuple[dict, dict]:
        """The unit files a request with the materials L2 asks in this jurisdiction."""
        required = ok(
            await self.api.cloud_broker.get(
                "/v1/resource-requests/materials", headers=self.h("unit")
            )
        )
        names = required["materials"]
        materials = {m: f"doc:{m}" for m in (names if isinstance(names, dict) else names)}
        req = ok(
            await self.api.cloud_broker.post(
                "/v1/resource-requests",
                headers=self.h("unit"),
                json={
                    "project_id": pid,
                    "service_mode": "general",
                    "items": [
                        {"sku": "ecs.vcpu", "quantity": 8},
                        {"sku": "ecs.memory", "quantity": 32},
                        {"sku": "evs.storage", "quantity": 500},
                    ],
                    "materials": materials,
                },
            ),
            201,
        )
        assert req["status"] == "submitted"
        return req, required

    async def step(self, rid: str, action: str, who: str, **body) -> dict:
        r = await self.api.cloud_broker.post(
            f"/v1/resource-requests/{rid}/{action}", headers=self.h(who), json=body or None
        )
        return ok(r)

    async def history(self, rid: str) -> list[dict]:
        return ok(
            await self.api.cloud_broker.get(
                f"/v1/resource-requests/{rid}/history", headers=self.h("unit")
            )
        )

    async def provision(self, rid: str) -> list[str]:
        """Accept, approve and allocate; the simulated provider, watching its orders over gRPC,
        claims the order and reports the resource back; the unit deploys, the bureau activates."""
        resource_ids = [f"ecs-{rid[:8]}"]
        md = [("authorization", f"Bearer {self.tokens['provider']}")]
        async with grpc.aio.insecure_channel(self.grpc_target) as channel:
            stub = ppb_grpc.ProviderServiceStub(channel)
            watch = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=md)
            try:
                await self.step(rid, "accept", "cloud_admin")
                await self.step(rid, "approve", "cloud_admin")
                await self.step(rid, "allocate", "cloud_admin", platform_id=PLATFORM_ID)
                order = await self._next_order(watch, rid, "provision")
            finally:
                watch.cancel()
            assert order.request_id == rid and order.status == "queued"
            # L16: the order carries what provisioning needs, nothing of the unit's materials.
            assert {(i.sku, i.quantity) for i in order.items} == {
                ("ecs.vcpu", 8),
                ("ecs.memory", 32),
                ("evs.storage", 500),
            }
            claimed = await stub.ClaimWorkOrder(
                ppb.ClaimWorkOrderRequest(
                    order_id=order.order_id, lease_seconds=60, originating_identity=IDENTITY
                ),
                metadata=md,
            )
            assert claimed.work_order.status == "claimed"
            await stub.ReportProgress(
                ppb.ReportProgressRequest(order_id=order.order_id, percent=50), metadata=md
            )
            done = await stub.CompleteWorkOrder(
                ppb.CompleteWorkOrderRequest(
                    order_id=order.order_id,
                    resource_ids=resource_ids,
                    originating_identity=IDENTITY,
                ),
                metadata=md,
            )
            await self._operation_succeeded(stub, md, done.operation)
        req = ok(
            await self.api.cloud_broker.get(f"/v1/resource-requests/{rid}", headers=self.h("unit"))
        )
        assert req["status"] == "configured" and req["resource_ids"] == resource_ids, req
        await self.step(rid, "deploy", "unit")
        active = await self.step(rid, "activate", "cloud_admin")
        assert active["status"] == "active" and active["activated_at"]
        return resource_ids

    async def _next_order(self, watch, rid: str, kind: str):
        while True:
            pushed = await asyncio.wait_for(watch.read(), EVENT_WAIT_S)
            assert pushed is not grpc.aio.EOF, "the work-order stream ended"
            order = pushed.work_order
            if order.request_id == rid and order.kind == kind:
                return order

    async def _operation_succeeded(self, stub, md, operation) -> None:
        async def settled():
            got = await stub.GetOperation(
                ppb.GetOperationRequest(operation_id=operation.operation_id), metadata=md
            )
            return got.operation if got.operation.state in ("succeeded", "failed") else None

        op = operation if operation.state == "succeeded" else await wait_until(settled)
        assert op.state == "succeeded", op

    async def register_existing(self, project_id: str, in_use_since: date) -> dict:
        """存量资源登记 (L10): the bureau gives the unit a cloud account and takes on its books a
        resource already running on the provider's platform, the same size as a provisioned one."""
        admin = self.h("cloud_admin")
        ok(await self.api.cloud_broker.put("/v1/units/org-a", headers=admin, json={"name": "A"}))
        body = {
            "org_id": "org-a",
            "project_id": project_id,
            "service_mode": "general",
            "items": [
                {"sku": "ecs.vcpu", "quantity": 8},
                {"sku": "ecs.memory", "quantity": 32},
                {"sku": "evs.storage", "quantity": 500},
            ],
            "platform_id": PLATFORM_ID,
            "resource_ids": [f"ecs-legacy-{uuid.uuid4().hex[:8]}"],
            "in_use_since": in_use_since.isoformat(),
            "reason": "上云前已在运行的存量系统",
        }
        headers = {**admin, "Idempotency-Key": f"existing-{body['resource_ids'][0]}"}
        return ok(
            await self.api.cloud_broker.post(
                "/v1/resource-requests/existing", headers=headers, json=body
            ),
            201,
        )

    async def report_utilisation(self, rid: str, period: str, cpu: str) -> int:
        """The provider streams the month's figures over gRPC (ReportUtilisation)."""
        md = [("authorization", f"Bearer {self.tokens['provider']}")]

        def batches():
            yield ppb.ReportUtilisationRequest(
                figures=[
                    types_pb2.UtilisationFigure(
                        resource_id=rid,
                        period=period,
                        cpu_avg_percent=cpu,
                        memory_avg_percent="45",
                        storage_used_gb="300",
                        storage_total_gb="500",
                    )
                ]
            )

        async with grpc.aio.insecure_channel(self.grpc_target) as channel:
            stub = ppb_grpc.ProviderServiceStub(channel)
            resp = await stub.ReportUtilisation(batches(), metadata=md)
        return resp.accepted

    async def classify(self, period: str) -> httpx.Response:
        return await self.api.cloud_broker.post(
            "/v1/utilisation/classifications",
            headers=self.h("cloud_admin"),
            json={"period": period},
        )

    async def exit_and_reclaim(self, rid: str, resource_ids: list[str]) -> dict:
        """L7: the unit applies to exit, the bureau approves, the unit confirms the transition;
        the provider gets the deprovision order over gRPC, attests the wipe and completes it."""
        md = [("authorization", f"Bearer {self.tokens['provider']}")]
        exited = await self.step(
            rid, "exit", "unit", stopped_use_on=today().isoformat(), reason="系统整合,停止使用"
        )
        assert exited["status"] == "exit_requested"
        approved = await self.step(rid, "approve-exit", "cloud_admin")
        assert approved["status"] == "transition"
        async with grpc.aio.insecure_channel(self.grpc_target) as channel:
            stub = ppb_grpc.ProviderServiceStub(channel)
            watch = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=md)
            try:
                wiping = await self.step(rid, "confirm-transition", "unit")
                assert wiping["status"] == "wiping"
                order = await self._next_order(watch, rid, "deprovision")
            finally:
                watch.cancel()
            assert list(order.resource_ids) == resource_ids
            await stub.ClaimWorkOrder(
                ppb.ClaimWorkOrderRequest(order_id=order.order_id), metadata=md
            )
            # L7: nothing is reclaimed before the wipe is attested.
            try:
                await stub.CompleteWorkOrder(
                    ppb.CompleteWorkOrderRequest(
                        order_id=order.order_id, resource_ids=resource_ids
                    ),
                    metadata=md,
                )
            except grpc.aio.AioRpcError as err:
                assert err.code() is grpc.StatusCode.FAILED_PRECONDITION, err
            else:
                raise AssertionError("a reclaim completed before the wipe was attested")
            await stub.AttestWipe(
                ppb.AttestWipeRequest(
                    order_id=order.order_id,
                    resource_ids=resource_ids,
                    method="crypto-erase",
                    attested_by="李四",
                    # L17 (SN C art31): the operation logs outlive the wipe by a year and more.
                    operation_logs_kept_until=(today() + timedelta(days=400)).isoformat(),
                ),
                metadata=md,
            )
            done = await stub.CompleteWorkOrder(
                ppb.CompleteWorkOrderRequest(order_id=order.order_id, resource_ids=resource_ids),
                metadata=md,
            )
            await self._operation_succeeded(stub, md, done.operation)
        req = ok(
            await self.api.cloud_broker.get(f"/v1/resource-requests/{rid}", headers=self.h("unit"))
        )
        assert req["status"] == "reclaimed", req
        return {"exit": exited, "approve_exit": approved, "request": req}

    # --- G, H: acceptance and evaluation ----------------------------------------------------

    async def accept(self, case_id: str, **facts) -> httpx.Response:
        body = {"stage": "single", "accepted_on": today().isoformat(), **facts}
        return await self.api.review.post(
            f"/v1/cases/{case_id}/acceptances", headers=self.h("reviewer"), json=body
        )

    async def pre_approval(self, case_id: str, trial_run_ended_on: str) -> dict:
        """G2: the unit asks for the bureau's pre-approval of acceptance after the trial run,
        and the bureau grants it; returns the granted pre-approval."""
        asked = ok(
            await self.api.review.post(
                f"/v1/cases/{case_id}/pre-approvals",
                headers=self.h("unit"),
                json={"trial_run_ended_on": trial_run_ended_on, "note": "试运行结束"},
            ),
            201,
        )
        return ok(
            await self.api.review.post(
                f"/v1/pre-approvals/{asked['id']}/decision",
                headers=self.h("reviewer"),
                json={"granted": True, "reason": "符合技术方案审查意见"},
            )
        )

    async def evaluation_of(self, pid: str) -> dict | None:
        items = ok(await self.api.review.get("/v1/evaluations", headers=self.h("reviewer")))[
            "items"
        ]
        mine = [e for e in items if e["project_id"] == pid]
        assert len(mine) <= 1, mine
        return mine[0] if mine else None

    async def evaluation_result(self, evaluation_id: str) -> httpx.Response:
        return await self.api.review.post(
            f"/v1/evaluations/{evaluation_id}/result",
            headers=self.h("reviewer"),
            json={"grade": "good", "summary": "绩效目标基本达成"},
        )

    # --- J4, L17: the audit bundle ----------------------------------------------------------

    async def audit_types(self, pid: str) -> list[str]:
        items: list[dict] = []
        cursor = None
        while True:
            params = {"project_id": pid, "limit": 100, **({"cursor": cursor} if cursor else {})}
            page = ok(
                await self.api.audit.get("/v1/entries", params=params, headers=self.h("auditor"))
            )
            items += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                return [e["event_type"] for e in items]

    async def audit_bundle(self, pid: str, must_hold: list[str]) -> dict:
        """Wait until the log holds the project's events, export its bundle and verify it
        offline with `govit-audit-verify` against the published key; a changed byte fails it."""

        async def logged():
            types = await self.audit_types(pid)
            return types if set(must_hold) <= set(types) else None

        types = await wait_until(logged, timeout=EVENT_WAIT_S)
        r = await self.api.audit.post(
            "/v1/exports", headers=self.h("auditor"), json={"project_id": pid}
        )
        assert r.status_code in (200, 201), r.text
        bundle = self.workdir / f"bundle-{self.profile}.zip"
        bundle.write_bytes(r.content)
        key = self.workdir / f"audit-{self.profile}.pem"
        key.write_text(ok_text(await self.api.audit.get("/v1/public-key")))
        verify = [str(Path(sys.executable).with_name("govit-audit-verify"))]
        good = await asyncio.to_thread(
            subprocess.run,
            [*verify, str(bundle), "--public-key", str(key)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert good.returncode == 0, (good.stdout, good.stderr)
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            lines = z.read("entries.jsonl").decode().splitlines()
            manifest = z.read("manifest.json").decode()
        # Tamper: drop the last entry but keep the manifest: the verifier names the problem.
        tampered = self.workdir / f"tampered-{self.profile}.zip"
        with zipfile.ZipFile(tampered, "w") as z:
            z.writestr("manifest.json", manifest)
            z.writestr("entries.jsonl", "\n".join(lines[:-1]) + "\n")
        bad = await asyncio.to_thread(
            subprocess.run,
            [*verify, str(tampered), "--public-key", str(key)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert bad.returncode == 1, (bad.stdout, bad.stderr)
        # The bundle holds every entry of the project the log listed (and any logged since).
        assert len(lines) >= len(types), (len(lines), types)
        return {"types": types, "entries": len(lines), "verify_output": good.stdout}


def ok_text(r: httpx.Response) -> str:
    assert r.status_code == 200, r.text
    return r.text


def this_month() -> str:
    """The month under way where L11 counts months (Asia/Shanghai), as YYYY-MM."""
    return f"{today():%Y-%m}"


def last_month() -> str:
    """The month before the one under way (Asia/Shanghai), as YYYY-MM."""
    first = add_months(today().replace(day=1), -1)
    return f"{first.year:04d}-{first.month:02d}"
