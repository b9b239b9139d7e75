"""Finance under test: a running service per profile, with tokens and event helpers."""

import datetime as dt
from decimal import Decimal

import httpx
import pytest_asyncio
from sqlalchemy import select

from finance.main import spec
from govit.audit.v1 import events_pb2 as audit_events
from govit.common.v1 import common_pb2
from govit.intake.v1 import events_pb2 as intake_events
from govit.review.v1 import events_pb2 as review_events
from govit.review.v1 import types_pb2
from govit_kit.convert import to_money
from govit_kit.credit_code import with_check_character
from govit_kit.policy import SHANGHAI
from govit_kit.testing import bearer, publish_event, wait_until


class Finance:
    """A running finance service, its REST client and the tokens of its callers."""

    def __init__(self, running, http, issuer, space):
        self.running, self.http, self.space = running, http, space
        self.officer = issuer.issue("fay", "org-finance", ["finance_officer"])
        self.auditor = issuer.issue("aud", "org-audit", ["auditor"])
        self.unit_a = issuer.issue("ann", "org-a", ["unit_staff"])
        self.unit_b = issuer.issue("bob", "org-b", ["unit_staff"])
        self.bureau = issuer.issue("bea", "org-data-bureau", ["bureau_reviewer"])

    async def call(self, method, path, token=None, expect=None, headers=None, **kw):
        headers = {**bearer(token or self.officer), **(headers or {})}
        r = await self.http.request(method, path, headers=headers, **kw)
        if expect is not None:
            assert r.status_code == expect, r.text
        return r

    async def project(self, project_id, amount, *, org="org-a", approve=True):
        """Intake submits the project, review concludes; returns its construction line."""
        await publish_event(
            self.space,
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
        conclusion = types_pb2.CONCLUSION_APPROVE if approve else types_pb2.CONCLUSION_REJECT
        await publish_event(
            self.space,
            "review",
            "case",
            "concluded",
            review_events.ReviewCaseConcluded(
                case_id=f"case-{project_id}",
                project_id=project_id,
                org_id=org,
                conclusion=conclusion,
                reason="ok",
            ),
            subject=f"case-{project_id}",
            org_id=org,
            project_id=project_id,
        )

        async def concluded():
            async with self.running.runtime.db.sessions() as session:
                from finance.funding.models import ProjectCopy

                copy = await session.get(ProjectCopy, project_id)
                return copy is not None and copy.review_conclusion is not None

        await wait_until(concluded)
        r = await self.call("GET", "/v1/funding-lines", params={"project_id": project_id})
        lines = r.json()["items"]
        return lines[0] if lines else None

    async def plan(self, project_id, year, *, org="org-a"):
        """Intake adopts the year's annual plan with the project on it (B2, I2)."""
        await publish_event(
            self.space,
            "intake",
            "annual_plan",
            "adopted",
            intake_events.AnnualPlanAdopted(plan_year=year, project_ids=[project_id]),
            subject=str(year),
            org_id=org,
            project_id=project_id,
        )

        async def listed():
            from finance.payments.models import PlanListing

            async with self.running.runtime.db.sessions() as session:
                return await session.scalar(
                    select(PlanListing.id).where(
                        PlanListing.project_id == project_id, PlanListing.fiscal_year == year
                    )
                )

        await wait_until(listed)

    async def contract(self, project_id, amount, token=None):
        """A contractor awarded by public tender and a contract meeting every profile's terms."""
        self.contractors = getattr(self, "contractors", 0) + 1
        code = with_check_character(f"91510900MA6{self.contractors:06d}")
        body = {"name": f"公司{code}", "credit_code": code, "qualifications": ["ITSS-2"]}
        contractor = (await self.call("POST", "/v1/contractors", json=body, expect=201)).json()
        today = dt.datetime.now(SHANGHAI).date().isoformat()
        body = {
            "project_id": project_id,
            "title": "系统建设",
            "method": "public_tender",
            "amount": amount,
            "contractor_id": contractor["id"],
            "awarded_on": today,
        }
        procurement = (await self.call("POST", "/v1/procurements", json=body, expect=201)).json()
        body = {
            "procurement_id": procurement["id"],
            "amount": amount,
            "signed_on": today,
            "warranty_months": 36,
            "free_om_months": 12,
            "copyright_to_government": True,
            "data_assets_to_government": True,
            "supervisor": "某监理公司",
            "principal_leader_heads": True,
            "bureau_expert_in_working_group": True,
        }
        return (await self.call("POST", "/v1/contracts", token, json=body, expect=201)).json()

    async def pay(self, contract, line, amount, purpose="construction", token=None, key=None):
        body = {
            "contract_id": contract["id"],
            "funding_line_id": line["id"],
            "amount": amount,
            "purpose": purpose,
        }
        headers = {"Idempotency-Key": key} if key else None
        return await self.call(
            "POST", "/v1/payments", token or self.unit_a, json=body, headers=headers
        )

    async def emitted(self) -> list[str]:
        """The types of the events finance recorded in its outbox, oldest first."""
        outbox = self.running.runtime.db.tables.outbox
        async with self.running.runtime.db.sessions() as session:
            rows = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
        return [r.event_type for r in rows]

    async def balance(self, line):
        r = await self.call("GET", f"/v1/funding-lines/{line['id']}/balance", expect=200)
        return Decimal(r.json()["balance"])

    async def finding(
        self,
        finding_id,
        project_id,
        *,
        org="org-a",
        resolved=False,
        rule=("J2", "WH art20"),
        check="not-on-cloud",
        summary="system not on the government cloud",
    ):
        """Audit raises (or resolves) a finding on a project (or on none: project_id "")."""
        rule = common_pb2.RuleRef(rule_id=rule[0], article=rule[1])
        if resolved:
            message = audit_events.FindingResolved(
                finding_id=finding_id,
                check=check,
                rule=rule,
                project_id=project_id,
                org_id=org,
                resolution="rectified",
            )
        else:
            message = audit_events.FindingRaised(
                finding_id=finding_id,
                check=check,
                rule=rule,
                summary=summary,
                project_id=project_id,
                org_id=org,
            )
        await publish_event(
            self.space,
            "audit",
            "finding",
            "resolved" if resolved else "raised",
            message,
            subject=finding_id,
            org_id=org,
            project_id=project_id,
        )


@pytest_asyncio.fixture
async def finance_for(start_service, event_space, issuer):
    """`fin = await finance_for("suining")`: finance running under that profile."""
    clients = []

    async def _start(profile: str) -> Finance:
        running = await start_service(spec(), policy_profile=profile)
        http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{running.http_port}")
        clients.append(http)
        return Finance(running, http, issuer, event_space)

    yield _start
    for http in clients:
        await http.aclose()
