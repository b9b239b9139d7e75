"""A project's whole life, once per built-in policy profile, through the public APIs only.

Each scenario starts the five services as processes under one profile (GOVIT_POLICY_PROFILE) on
real NATS and PostgreSQL and walks: demand call, application with its data catalog, review with
a drawn expert and the joint opinions, the approval chain, the funding line, procurement and
contract, a cloud resource provisioned by a simulated provider over the provider gRPC API, its
utilisation and right-sizing, acceptance, evaluation, the resource's exit, and the project's
audit bundle verified offline with `govit-audit-verify`. Along the way it asserts the outcomes
that differ between the profiles, each with the rule id and article the API returned.
What a scenario leaves out, and why, is in docs/scenarios.md.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from govit_kit.platform import Platform
from tests.integration.conftest import running_platform
from tests.integration.lifecycle import (
    G5_ITEMS,
    Lifecycle,
    add_months,
    cited,
    ok,
    refusals,
    today,
    utilisation_period,
)

pytestmark = pytest.mark.integration

PROFILES = ["suining"]


@pytest_asyncio.fixture(scope="module", params=PROFILES)
async def platform(
    request: pytest.FixtureRequest,
    postgres_admin_url: str,
    nats_url: str,
    jwt_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Platform]:
    """The platform under one profile; one at a time, each stopped before the next starts."""
    log_dir = tmp_path_factory.mktemp(f"platform-logs-{request.param}")
    async with running_platform(
        postgres_admin_url, nats_url, jwt_dir, log_dir, profile=request.param
    ) as plat:
        yield plat


@pytest.fixture
def lc(request, platform, api, issuer, tmp_path) -> Lifecycle:
    return Lifecycle(
        profile=request.node.callspec.params["platform"],
        platform=platform,
        api=api,
        issuer=issuer,
        workdir=tmp_path,
    )


async def test_lifecycle(lc: Lifecycle):
    await SCENARIOS[lc.profile](lc)


def trial_start(months: int) -> str:
    return add_months(today(), -months).isoformat()


async def suining(lc: Lifecycle) -> None:
    """遂宁 (SN): filing below 30万 (D2), the CDO's sign-off (C4), the joint review (D3), the
    approval opinion due within 2 working days (L4), no payment before the annual plan is
    adopted (B2), a month's trial run (G1), monthly utilisation review (L11)."""
    await lc.demand_call(deadline_month=None)

    # C4 (SN P art18): no submission without the unit's chief data officer's sign-off.
    project = await lc.draft("不动产登记平台", "450000.00")
    pid = project["id"]
    await lc.complete(pid)
    assert ("C4", "SN P art18") in refusals(await lc.submit(pid))
    await lc.sign_off(pid)
    assert ok(await lc.submit(pid))["status"] == "submitted"

    # D2 (SN P art22): 45万 is reviewed; 299,999.99 yuan is only filed.
    small = await lc.apply("电子证照小程序", "299999.99", sign_off=True)
    small_case = await lc.case_of(small["id"])
    assert small_case["track"] == "filing"
    assert cited(small_case["decisions"]) == [("D2", "SN P art22")]
    case = await lc.case_of(pid)
    assert case["track"] == "technical_review"
    assert cited(case["decisions"]) == [("D2", "SN P art22")]

    # D3 (SN P art23(二)): the bureau cannot approve before the joint opinions are in.
    draw = await lc.draw_expert(case["id"])
    assert cited(draw["decisions"]) == [("D3", "SN P art23(二)")]
    r = await lc.api.review.post(
        f"/v1/cases/{case['id']}/conclusion",
        headers=lc.h("reviewer"),
        json={"conclusion": "approve", "reason": "x"},
    )
    assert ("D3", "SN P art23(二)") in refusals(r)
    await lc.joint_opinions(case["id"])
    await lc.conclude(case["id"])
    ndrc, _ = await lc.approval_chain(case["id"], "440000.00")
    assert ("D7", "SN P art14, art15, art24") in cited(ndrc["decisions"])
    await lc.project_status(pid, "approved")

    line = await lc.funding_line(pid)
    assert line["amount"] == "450000.00" and line["kind"] == "construction"

    # Procurement and contract: E4 (SN P art34) at least a year of free O&M.
    contractor = await lc.contractor()
    procurement = ok(
        await lc.procure(pid, contractor["id"], "420000.00", "competitive_consultation"), 201
    )
    short = await lc.contract(procurement["id"], "420000.00", free_om_months=11)
    assert refusals(short) == [("E4", "SN P art34")]
    contract = ok(await lc.contract(procurement["id"], "420000.00"), 201)

    # B2 (SN P art17): no funds for a project outside the adopted annual plan; intake adopts
    # the plan (govit.intake.annual_plan.adopted) and finance then pays.
    r = await lc.pay(contract["id"], line["id"], "100000.00")
    assert ("B2", "SN P art17") in refusals(r)
    await lc.adopt_plan(line["fiscal_year"], pid, "integration")
    payment = await lc.pay_once_allowed(contract["id"], line["id"], "100000.00")
    assert payment["status"] == "approved" and payment["treasury_reference"]
    assert ("B2", "SN P art17") in cited(payment["decisions"], "allow")
    assert ("I5", "SN P art21") in cited(payment["decisions"], "allow")

    # The cloud resource: SN C art11 asks for the system plan, self-test and confirmation form.
    await lc.cloud_catalog()
    req, materials = await lc.file_resource_request(pid)
    assert materials["article"] == "SN C art11, art12"
    assert {"system_plan", "self_test_report", "confirmation_form"} <= set(materials["materials"])
    resource_ids = await lc.provision(req["id"])
    accept = next(h for h in await lc.history(req["id"]) if h["action"] == "accept")
    [l4] = [d for d in accept["decisions"] if d["rule_id"] == "L4"]
    # L4 (SN C art11): the approval opinion within 2 working days of acceptance.
    assert (l4["article"], l4["figures"]["working_days"]) == ("SN C art11", 2)
    due = date.fromisoformat(l4["figures"]["due"][:10])
    assert today() < due <= today() + timedelta(days=4 + 7)  # 2 working days (holidays aside)

    # L11 (SN C art13, art14): CPU 5% on average is low; downsize recommended, unit agrees.
    active = ok(
        await lc.api.cloud_broker.get(f"/v1/resource-requests/{req['id']}", headers=lc.h("unit"))
    )
    period = utilisation_period(active["activated_at"])
    assert await lc.report_utilisation(req["id"], period, cpu="5") == 1
    run = ok(await lc.classify(period))
    assert run["findings"] == {"low": 1}, run
    finding = ok(
        await lc.api.cloud_broker.get(
            f"/v1/utilisation/findings/{req['id']}:{period}", headers=lc.h("unit")
        )
    )
    assert (finding["rule_id"], finding["article"]) == ("L11", "SN C art13, art14")
    assert (finding["finding"], finding["cpu_class"]) == ("low", "low")
    assert finding["recommended_vcpu"] < finding["vcpu"] == 8
    answered = ok(
        await lc.api.cloud_broker.post(
            f"/v1/utilisation/findings/{finding['id']}/response",
            headers=lc.h("unit"),
            json={"accept": True, "plan": "downsize"},
        )
    )
    assert answered["status"] == "accepted"

    # G1 (SN P art32): at least a month of trial run before acceptance; G5 checks; G2.
    went_live = trial_start(1)
    early = await lc.accept(
        case["id"],
        trial_run_started_on=(today() - timedelta(days=20)).isoformat(),
        checked=G5_ITEMS,
    )
    assert refusals(early) == [("G1", "SN P art32")]
    acceptance = ok(
        await lc.accept(
            case["id"], trial_run_started_on=went_live, went_live_on=went_live, checked=G5_ITEMS
        ),
        201,
    )
    assert ("G2", "SN P art13, art32") in cited(acceptance["decisions"], "allow")
    assert acceptance["om_eligible"] is True
    # H1 (SN P art36): the evaluation within 12 months of going live.
    evaluation = await lc.evaluation_of(pid)
    assert evaluation["due_on"] == add_months(date.fromisoformat(went_live), 12).isoformat()
    assert cited(evaluation["decisions"]) == [("H1", "SN P art36")]
    assert ok(await lc.evaluation_result(evaluation["id"]))["status"] == "recorded"

    # L7 (SN C art16): exit within a month of stopping use; 3 months' transition; wipe, reclaim.
    out = await lc.exit_and_reclaim(req["id"], resource_ids)
    assert ("L7", "SN C art16") in cited(out["exit"]["decisions"])

    bundle = await lc.audit_bundle(
        pid,
        [
            "govit.intake.project.submitted",
            "govit.review.case.concluded",
            "govit.review.approval.ndrc_approved",
            "govit.finance.contract.signed",
            "govit.finance.payment.approved",
            "govit.review.acceptance.recorded",
            "govit.cloud_broker.resource_request.reclaimed",
        ],
    )
    assert bundle["entries"] >= 7


SCENARIOS = {"suining": suining}
