"""A project's whole life, once per built-in policy profile, through the public APIs only.

Each scenario starts the five services as processes under one profile (GOVIT_POLICY_PROFILE) on
real NATS and PostgreSQL and walks: demand call, application with its data catalog, review with
a drawn expert and the joint opinions, the approval chain, the funding line, procurement and
contract, a cloud resource provisioned by a simulated provider over the provider gRPC API, its
utilisation figures (L11; under suining, the right-sizing of a resource the bureau registered as
already running), acceptance, evaluation, the resource's exit, and the project's
audit bundle verified offline with `govit-audit-verify`. Along the way it asserts the outcomes
that differ between the profiles, each with the rule id and article the API returned.
What a scenario leaves out, and why, is in docs/scenarios.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from govit_kit.platform import Platform
from govit_kit.testing import wait_until
from tests.integration.conftest import migrated_templates, running_platform
from tests.integration.lifecycle import (
    CATALOG_ROW,
    G3_MATERIALS,
    G5_ITEMS,
    Lifecycle,
    add_months,
    cited,
    last_day_after,
    last_month,
    ok,
    refusals,
    this_month,
    today,
)

pytestmark = pytest.mark.integration

PROFILES = ["suining", "yunyang", "pingdingshan", "xianyang", "wuhai"]


class Platforms:
    """The profiles' platforms, started in the order of the tests; the next one starts while
    the current scenario runs (two at most at a time), and each stops when its test is done."""

    def __init__(self, start) -> None:
        self._start = start  # profile -> async context manager of a running Platform
        self._starting: dict[str, asyncio.Task] = {}
        self._stacks: dict[str, AsyncExitStack] = {}

    async def _enter(self, profile: str) -> Platform:
        stack = AsyncExitStack()
        plat = await stack.enter_async_context(self._start(profile))
        self._stacks[profile] = stack
        return plat

    def prefetch(self, profile: str) -> None:
        if profile not in self._starting:
            self._starting[profile] = asyncio.ensure_future(self._enter(profile))

    async def get(self, profile: str) -> Platform:
        self.prefetch(profile)
        return await self._starting[profile]

    async def stop(self, profile: str) -> None:
        stack = self._stacks.pop(profile, None)
        if stack is not None:
            await stack.aclose()

    async def aclose(self) -> None:
        """Stop every platform still running (or starting)."""
        for profile, task in self._starting.items():
            try:
                await task
            except BaseException:  # a start that failed has nothing to stop
                continue
            await self.stop(profile)


@pytest_asyncio.fixture(scope="module")
async def platforms(
    postgres_admin_url: str,
    nats_url: str,
    jwt_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Platforms]:
    """The services' databases migrated once, then copied for each profile's platform."""
    async with migrated_templates(postgres_admin_url, nats_url, jwt_dir) as templates:

        def start(profile: str):
            log_dir = tmp_path_factory.mktemp(f"platform-logs-{profile}")
            return running_platform(
                postgres_admin_url, nats_url, jwt_dir, log_dir, profile=profile, templates=templates
            )

        pool = Platforms(start)
        try:
            yield pool
        finally:
            await pool.aclose()


def selected_profiles(session: pytest.Session) -> list[str]:
    """The profiles of this module's tests that will run (after -k and the like), in order."""
    return [
        item.callspec.params["platform"]
        for item in session.items
        if item.module.__name__ == __name__ and hasattr(item, "callspec")
    ]


@pytest_asyncio.fixture(params=PROFILES)
async def platform(request: pytest.FixtureRequest, platforms: Platforms) -> AsyncIterator[Platform]:
    """The platform under one profile; the next selected profile's starts meanwhile."""
    profile = request.param
    plat = await platforms.get(profile)
    order = selected_profiles(request.session)
    if profile in order and order.index(profile) + 1 < len(order):
        platforms.prefetch(order[order.index(profile) + 1])
    try:
        yield plat
    finally:
        await platforms.stop(profile)


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
    lc.mark("start")
    try:
        await SCENARIOS[lc.profile](lc)
    finally:
        print(f"{lc.profile} timeline: {lc.timeline()}")


def trial_start(months: int) -> str:
    return add_months(today(), -months).isoformat()


async def suining(lc: Lifecycle) -> None:
    """遂宁 (SN): filing below 30万 (D2), the CDO's sign-off (C4), the joint review (D3), the
    approval opinion due within 2 working days (L4), no payment before the annual plan is
    adopted (B2), a month's trial run (G1), monthly utilisation review of ended months (L11)
    on a resource registered as already running (L10)."""
    await lc.demand_call(deadline_month=None)

    # C4 (SN P art18): no submission without the unit's chief data officer's sign-off.
    project = await lc.draft("不动产登记平台", "450000.00")
    pid = project["id"]
    await lc.complete(pid)
    assert ("C4", "SN P art18") in refusals(await lc.submit(pid))
    await lc.sign_off(pid)
    assert ok(await lc.submit(pid))["status"] == "submitted"

    lc.mark("applied")
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

    lc.mark("reviewed")
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

    async def adoption_logged():
        r = await lc.api.audit.get(
            "/v1/entries",
            params={"event_type": "govit.intake.annual_plan.adopted"},
            headers=lc.h("auditor"),
        )
        return ok(r)["items"]

    [adopted] = await wait_until(adoption_logged, timeout=30)
    assert adopted["payload"]["project_ids"] == [pid]
    assert adopted["payload"]["plan_year"] == line["fiscal_year"]
    assert ("B2", "SN P art17") in cited(payment["decisions"], "allow")
    assert ("I5", "SN P art21") in cited(payment["decisions"], "allow")

    lc.mark("paid")
    # The cloud resource: SN C art11 asks for the system plan, self-test and confirmation form.
    await lc.cloud_catalog()
    req, materials = await lc.file_resource_request(pid)
    assert materials["article"] == "SN C art11, art12"
    assert {"system_plan", "self_test_report", "confirmation_form"} <= set(materials["materials"])
    resource_ids = await lc.provision(req["id"])
    lc.mark("provisioned")
    accept = next(h for h in await lc.history(req["id"]) if h["action"] == "accept")
    [l4] = [d for d in accept["decisions"] if d["rule_id"] == "L4"]
    # L4 (SN C art11): the approval opinion within 2 working days of acceptance.
    assert (l4["article"], l4["figures"]["working_days"]) == ("SN C art11", 2)
    due = date.fromisoformat(l4["figures"]["due"][:10])
    assert today() < due <= today() + timedelta(days=4 + 7)  # 2 working days (holidays aside)

    # L11 (SN C art13, art14): the provider streams the month under way (its figures so far);
    # the bureau classifies only a month that has ended.
    month = this_month()
    assert await lc.report_utilisation(req["id"], month, cpu="5") == 1
    r = await lc.classify(month)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "period", r.text
    assert "L11 (SN C art13, art14)" in r.json()["detail"], r.text
    # The new resource has not run its 3 stable months; one the unit ran before the platform
    # went live has (存量资源登记, L10: stable since in_use_since). CPU 5% last month is low;
    # downsizing is recommended and the unit agrees.
    legacy = await lc.register_existing(small["id"], add_months(today(), -6))
    assert (legacy["status"], legacy["new_system"]) == ("active", False), legacy
    period = last_month()
    assert await lc.report_utilisation(legacy["id"], period, cpu="5") == 1
    run = ok(await lc.classify(period))
    assert run["findings"] == {"low": 1}, run
    finding = ok(
        await lc.api.cloud_broker.get(
            f"/v1/utilisation/findings/{legacy['id']}:{period}", headers=lc.h("unit")
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

    lc.mark("classified")
    # G2 (SN P art32, art13): after the trial run the unit asks for the bureau's pre-approval
    # (履约验收前置核准); without it granted, the acceptance is refused.
    went_live = trial_start(1)
    facts = {"trial_run_started_on": went_live, "went_live_on": went_live, "checked": G5_ITEMS}
    unapproved = await lc.accept(case["id"], **facts)
    assert refusals(unapproved) == [("G2", "SN P art13, art32")]
    granted = await lc.pre_approval(case["id"], today().isoformat())
    assert granted["status"] == "granted"
    assert ("G2", "SN P art13, art32") in cited(granted["decisions"], "allow")
    # G1 (SN P art32): at least a month of trial run before acceptance; G5 checks.
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
    assert evaluation["due_on"] == last_day_after(date.fromisoformat(went_live), 12).isoformat()
    assert cited(evaluation["decisions"]) == [("H1", "SN P art36")]
    assert ok(await lc.evaluation_result(evaluation["id"]))["status"] == "recorded"

    lc.mark("evaluated")
    # L7 (SN C art16): exit within a month of stopping use; 3 months' transition; wipe, reclaim.
    out = await lc.exit_and_reclaim(req["id"], resource_ids)
    assert ("L7", "SN C art16") in cited(out["exit"]["decisions"])

    lc.mark("exited")
    bundle = await lc.audit_bundle(
        pid,
        [
            "govit.intake.project.submitted",
            "govit.review.case.concluded",
            "govit.review.approval.ndrc_approved",
            "govit.finance.contract.signed",
            "govit.finance.payment.approved",
            "govit.review.pre_approval.granted",
            "govit.review.acceptance.recorded",
            "govit.cloud_broker.resource_request.reclaimed",
        ],
    )
    assert bundle["entries"] >= 8
    lc.mark("bundle")


BUNDLE_EVENTS = [
    "govit.intake.project.submitted",
    "govit.review.case.concluded",
    "govit.review.approval.ndrc_approved",
    "govit.finance.contract.signed",
    "govit.finance.payment.approved",
    "govit.review.acceptance.recorded",
    "govit.cloud_broker.resource_request.reclaimed",
]


async def approved_case(lc: Lifecycle, pid: str, approved: str) -> dict:
    """The drawn expert, the joint opinions, the bureau's approval and the chain (D7)."""
    case = await lc.case_of(pid)
    await lc.draw_expert(case["id"])
    await lc.joint_opinions(case["id"])
    await lc.conclude(case["id"])
    await lc.approval_chain(case["id"], approved)
    await lc.project_status(pid, "approved")
    return case


async def cloud_without_l_rules(lc: Lifecycle, pid: str) -> None:
    """Where the profile has no cloud regulation the broker asks for no L2 materials, sets no
    due dates, and has no L11 monitoring to run; the provider still provisions and reclaims."""
    await lc.cloud_catalog()
    req, materials = await lc.file_resource_request(pid)
    assert not materials["materials"], materials
    resource_ids = await lc.provision(req["id"])
    accept = next(h for h in await lc.history(req["id"]) if h["action"] == "accept")
    assert "L4" not in {d["rule_id"] for d in accept["decisions"]}
    month = this_month()
    assert await lc.report_utilisation(req["id"], month, cpu="5") == 1
    r = await lc.classify(month)
    assert r.status_code == 409 and "L11" in r.json()["detail"], r.text
    lc.facts["cloud"] = (req["id"], resource_ids)


async def yunyang(lc: Lifecycle) -> None:
    """云阳 (YY): the call closes at the end of September, 50万 lists a demand individually (B1);
    the catalog is mandatory (C2); every project is reviewed (D2) by drawn experts (D6);
    supervision for every project (E6); funds only on the plan (I2); a unit may shift up to 15%
    itself (F1); archives first (G4), the unit accepts below 500万 (G3); evaluation 12-24
    months after acceptance (H1)."""
    call = await lc.demand_call(deadline_month=9)
    assert call["deadline"] == f"{call['plan_year'] - 1}-09-30"

    # C2 (YY annex 2; YY art14): no application without its data resource catalog.
    project = await lc.draft("不动产登记平台", "600000.00")
    pid = project["id"]
    await lc.complete(pid, catalog=False)
    assert ("C2", "YY annex 2; YY art14") in refusals(await lc.submit(pid))
    await lc.complete(pid)
    submitted = ok(await lc.submit(pid))
    # B1 (YY art7): at or above 50万 listed individually; below, only filed.
    assert submitted["listing"] == "listed"
    small = await lc.apply("电子证照小程序", "499999.99", sign_off=False)
    assert small["listing"] == "filed"
    lc.mark("applied")

    # D2 (YY art10): every project is reviewed, the small one too; D6: experts drawn.
    small_case = await lc.case_of(small["id"])
    assert small_case["track"] == "technical_review"
    assert cited(small_case["decisions"]) == [("D2", "YY art10")]
    case = await lc.case_of(pid)
    draw = await lc.draw_expert(case["id"])
    assert cited(draw["decisions"]) == [("D6", "YY art4, art10")]
    await lc.joint_opinions(case["id"])
    await lc.conclude(case["id"])
    ndrc, _ = await lc.approval_chain(case["id"], "600000.00")
    assert ("D7", "YY art10") in cited(ndrc["decisions"])
    await lc.project_status(pid, "approved")

    # F1 (YY art24): 15% of the approved total moved, total unchanged: the unit decides and
    # files; 15.01% goes back through approval.
    changes = f"/v1/cases/{case['id']}/changes"
    body = {"kind": "adjustment", "description": "优化方案", "reason": "plan_optimisation"}
    own = ok(
        await lc.api.review.post(
            changes,
            headers=lc.h("unit"),
            json={**body, "amount_adjusted": "90000.00", "new_total": "600000.00"},
        ),
        201,
    )
    assert own["route"] == "self_decided", own
    assert ("F1", "YY art24") in cited(own["decisions"], "allow")
    over = ok(
        await lc.api.review.post(
            changes,
            headers=lc.h("unit"),
            json={**body, "amount_adjusted": "90060.00", "new_total": "600000.00"},
        ),
        201,
    )
    assert over["route"] != "self_decided" and ("F1", "YY art24") in cited(
        over["decisions"], "flag"
    )
    lc.mark("reviewed")

    line = await lc.funding_line(pid)
    contractor = await lc.contractor()
    procurement = ok(await lc.procure(pid, contractor["id"], "580000.00", "public_tender"), 201)
    # E6 (YY art20): every project has a supervisor (监理).
    r = await lc.contract(procurement["id"], "580000.00", supervisor=None)
    assert refusals(r) == [("E6", "YY art20")]
    contract = ok(await lc.contract(procurement["id"], "580000.00"), 201)
    # I2 (YY art7): no funds outside the adopted annual plan.
    assert ("I2", "YY art7") in refusals(await lc.pay(contract["id"], line["id"], "100000.00"))
    await lc.adopt_plan(line["fiscal_year"], pid, None)
    payment = await lc.pay_once_allowed(contract["id"], line["id"], "100000.00")
    assert payment["status"] == "approved"
    assert {("I2", "YY art7"), ("I5", "YY art23")} <= set(cited(payment["decisions"], "allow"))
    lc.mark("paid")

    await cloud_without_l_rules(lc, pid)
    lc.mark("provisioned")

    # G4 (YY art26): the archives are accepted first; G3 (YY art25): below 500万 the unit
    # accepts and files, within 6 months of completion, with the same materials as at or above
    # 500万; C2 and G5 (YY art17) as well.
    facts = {
        "completed_on": (today() - timedelta(days=30)).isoformat(),
        "checked": G5_ITEMS,
    }
    assert refusals(await lc.accept(case["id"], **facts, archives_accepted=True)) == [
        ("G3", "YY art25")
    ]
    facts["materials"] = G3_MATERIALS
    assert refusals(await lc.accept(case["id"], **facts)) == [("G4", "YY art26")]
    acceptance = ok(await lc.accept(case["id"], **facts, archives_accepted=True), 201)
    assert ("G3", "YY art25") in cited(acceptance["decisions"], "allow")
    assert acceptance["om_eligible"] is True
    # H1 (YY art27): the evaluation report between 12 and 24 months after acceptance; not yet.
    evaluation = await lc.evaluation_of(pid)
    assert evaluation["earliest_on"] == add_months(today(), 12).isoformat()
    assert evaluation["due_on"] == last_day_after(today(), 24).isoformat()
    assert refusals(await lc.evaluation_result(evaluation["id"])) == [("H1", "YY art27")]
    lc.mark("evaluated")

    await lc.exit_and_reclaim(*lc.facts["cloud"])
    lc.mark("exited")
    bundle = await lc.audit_bundle(pid, BUNDLE_EVENTS)
    assert bundle["entries"] >= 7
    lc.mark("bundle")


async def pingdingshan(lc: Lifecycle) -> None:
    """平顶山 (PDS): the call closes at the end of July (B1); the bureau reviews every project
    (D1); funds only on the plan (I2); the cloud regulation's eight materials (L2) but no due
    dates (L4) and no L11 monitoring; a major platform change filed 3 working days ahead (L14);
    initial acceptance, then final after 6 months of stable running (G1); the evaluation within
    12 months of final acceptance (H1)."""
    call = await lc.demand_call(deadline_month=7)
    assert call["deadline"] == f"{call['plan_year'] - 1}-07-31"
    project = await lc.draft("不动产登记平台", "800000.00")
    pid = project["id"]
    required = await lc.complete(pid)
    # C3 (PDS P art9): the proposal, the feasibility study and the implementation plan.
    assert {("C3", "PDS P art9")} <= {(m["rule_id"], m["article"]) for m in required}
    assert ok(await lc.submit(pid))["status"] == "submitted"
    lc.mark("applied")

    case = await lc.case_of(pid)
    assert ("D1", "PDS P art9") in cited(case["decisions"]), case
    draw = await lc.draw_expert(case["id"])
    assert cited(draw["decisions"]) == [("D1", "PDS P art9")]
    await lc.joint_opinions(case["id"])
    await lc.conclude(case["id"])
    ndrc, _ = await lc.approval_chain(case["id"], "800000.00")
    assert ("D7", "PDS P art10") in cited(ndrc["decisions"])
    await lc.project_status(pid, "approved")
    lc.mark("reviewed")

    line = await lc.funding_line(pid)
    contractor = await lc.contractor()
    procurement = ok(await lc.procure(pid, contractor["id"], "780000.00", "public_tender"), 201)
    contract = ok(await lc.contract(procurement["id"], "780000.00"), 201)
    # I2 (PDS P art8): no funds outside the adopted annual plan.
    assert ("I2", "PDS P art8") in refusals(await lc.pay(contract["id"], line["id"], "100000.00"))
    await lc.adopt_plan(line["fiscal_year"], pid, None)
    payment = await lc.pay_once_allowed(contract["id"], line["id"], "100000.00")
    assert payment["status"] == "approved"
    assert ("I2", "PDS P art8") in cited(payment["decisions"], "allow")
    lc.mark("paid")

    # L2 (PDS C art8): eight materials; no L4 due date in this profile; no L11 monitoring.
    await lc.cloud_catalog()
    req, materials = await lc.file_resource_request(pid)
    assert (materials["article"], len(materials["materials"])) == ("PDS C art8", 8)
    assert {("L2", "PDS C art8")} <= set(cited(req["decisions"]))
    resource_ids = await lc.provision(req["id"])
    accept = next(h for h in await lc.history(req["id"]) if h["action"] == "accept")
    assert "L4" not in {d["rule_id"] for d in accept["decisions"]}
    month = this_month()
    assert await lc.report_utilisation(req["id"], month, cpu="5") == 1
    r = await lc.classify(month)
    assert r.status_code == 409 and "L11" in r.json()["detail"], r.text
    # L14 (PDS C art15): a major platform change starting tomorrow is filed too late: flagged.
    change = ok(
        await lc.api.cloud_broker.post(
            "/v1/provider/platform-changes",
            headers=lc.h("provider"),
            json={
                "title": "存储扩容",
                "plan": "分批迁移",
                "major": True,
                "users_notified": True,
                "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            },
        ),
        201,
    )
    assert cited(change["decisions"], "flag") == [("L14", "PDS C art15")]
    lc.mark("provisioned")

    # G1 (PDS P art18): one acceptance is not enough; the initial acceptance (a meeting held
    # seven months ago, recorded now), then the final one after 6 months of stable running.
    assert refusals(await lc.accept(case["id"])) == [("G1", "PDS P art18")]
    initial_on = add_months(today(), -7)
    ok(await lc.accept(case["id"], stage="initial", accepted_on=initial_on.isoformat()), 201)
    short = add_months(initial_on, 6) - timedelta(days=1)
    r = await lc.accept(case["id"], stage="final", accepted_on=short.isoformat())
    assert refusals(r) == [("G1", "PDS P art18")]
    assert r.json()["decisions"][0]["figures"]["earliest"] == add_months(initial_on, 6).isoformat()
    final = ok(await lc.accept(case["id"], stage="final"), 201)
    assert final["om_eligible"] is True
    # H1 (PDS P art19): the evaluation within 12 months of final acceptance.
    evaluation = await lc.evaluation_of(pid)
    assert evaluation["due_on"] == last_day_after(today(), 12).isoformat()
    assert cited(evaluation["decisions"]) == [("H1", "PDS P art19")]
    assert ok(await lc.evaluation_result(evaluation["id"]))["status"] == "recorded"
    lc.mark("evaluated")

    out = await lc.exit_and_reclaim(req["id"], resource_ids)
    assert ("L7", "PDS C art12") in cited(out["exit"]["decisions"])
    lc.mark("exited")
    bundle = await lc.audit_bundle(pid, BUNDLE_EVENTS)
    assert bundle["entries"] >= 7
    lc.mark("bundle")


async def xianyang(lc: Lifecycle) -> None:
    """咸阳 (XY): above 100万 only a tender (E1); a major project's leader and working group
    (E7); at least 3 years' warranty (E4); no funds before the bureau's review (I1); 3 months
    of trial run (G1); no going into use without a passed security evaluation (G6); the
    evaluation after acceptance and a year of operation (H1)."""
    # No yearly demand call in xianyang (B1 does not apply): a unit files when it needs to.
    r = await lc.api.intake.post(
        "/v1/demand-calls",
        headers=lc.h("reviewer"),
        json={
            "plan_year": today().year + 1,
            "deadline": (today() + timedelta(days=30)).isoformat(),
        },
    )
    assert r.status_code == 409 and "B1" in r.json()["detail"], r.text
    project = await lc.draft("智慧城市运行中心", "1500000.00")
    pid = project["id"]
    await lc.complete(pid)
    assert ok(await lc.submit(pid))["status"] == "submitted"
    lc.mark("applied")
    case = await approved_case(lc, pid, "1500000.00")
    lc.mark("reviewed")

    line = await lc.funding_line(pid)
    contractor = await lc.contractor()
    # E1 (XY art11, art12): a project investing above 100万 is tendered, and splitting it into
    # purchases under 100万 escapes nothing (the line is on the project's investment).
    r = await lc.procure(pid, contractor["id"], "1400000.00", "competitive_negotiation")
    assert refusals(r) == [("E1", "XY art11, art12")]
    r = await lc.procure(pid, contractor["id"], "900000.00", "inquiry")
    assert refusals(r) == [("E1", "XY art11, art12")]
    procurement = ok(await lc.procure(pid, contractor["id"], "1400000.00", "public_tender"), 201)
    # E4 (XY art21): at least 36 months' warranty; E7 (XY art10): the principal leader heads a
    # major project and the working group has the bureau's expert.
    r = await lc.contract(
        procurement["id"], "1400000.00", warranty_months=24, principal_leader_heads=False
    )
    assert sorted(refusals(r)) == [("E4", "XY art21"), ("E7", "XY art10")]
    contract = ok(await lc.contract(procurement["id"], "1400000.00"), 201)
    # I1 (XY art7): funds only for a project the data bureau reviewed and approved; no plan.
    payment = ok(await lc.pay(contract["id"], line["id"], "100000.00"), 201)
    assert payment["status"] == "approved"
    assert ("I1", "XY art7") in cited(payment["decisions"], "allow")
    lc.mark("paid")

    await cloud_without_l_rules(lc, pid)
    lc.mark("provisioned")

    # G1 (XY art18): 3 months of trial data before acceptance.
    r = await lc.accept(
        case["id"],
        trial_run_started_on=add_months(today(), -2).isoformat(),
        security_evaluation="passed",
    )
    assert refusals(r) == [("G1", "XY art18")]
    went_live = add_months(today(), -3)
    trial = {"trial_run_started_on": went_live.isoformat(), "went_live_on": went_live.isoformat()}
    # G6 (XY art17): no passed security evaluation (安全评测), no going into use.
    r = await lc.accept(case["id"], **trial)
    assert refusals(r) == [("G6", "XY art17")]
    r = await lc.accept(case["id"], **trial, security_evaluation="failed")
    assert refusals(r) == [("G6", "XY art17")]
    acceptance = ok(await lc.accept(case["id"], **trial, security_evaluation="passed"), 201)
    assert ("G6", "XY art17") in cited(acceptance["decisions"], "allow")
    assert acceptance["om_eligible"] is True
    # H1 (XY art19): evaluated after acceptance and a year of operation, not before; the trial
    # run (went live three months ago) does not count, the year starts at acceptance (today).
    evaluation = await lc.evaluation_of(pid)
    assert evaluation["earliest_on"] == add_months(today(), 12).isoformat()
    assert refusals(await lc.evaluation_result(evaluation["id"])) == [("H1", "XY art19")]
    lc.mark("evaluated")

    await lc.exit_and_reclaim(*lc.facts["cloud"])
    lc.mark("exited")
    bundle = await lc.audit_bundle(pid, BUNDLE_EVENTS)
    assert bundle["entries"] >= 7
    lc.mark("bundle")


async def wuhai(lc: Lifecycle) -> None:
    """乌海 (WH): a new project's catalog is due before acceptance, not at submission (C2, WH
    art15); no NDRC approval before the bureau's review (D7); funds only after it (I1); an open
    rectification order holds payments (I4, J2); acceptance needs the complete catalog (C2); no
    evaluation rule (H1)."""
    await lc.demand_call(deadline_month=None)
    project = await lc.draft("城市大脑", "900000.00")
    pid = project["id"]
    # C2 (WH art15: 新建...项目必须于项目验收前...完成数据资源目录编制): submitted without it.
    await lc.complete(pid, catalog=False)
    assert ok(await lc.submit(pid))["status"] == "submitted"
    lc.mark("applied")

    case = await lc.case_of(pid)
    assert ("D1", "WH art11, art12") in cited(case["decisions"]), case
    # D7 (WH art12): no NDRC approval without the data bureau's review.
    assert refusals(await lc.ndrc_approval(case["id"], "900000.00")) == [("D7", "WH art12")]
    await lc.draw_expert(case["id"])
    await lc.joint_opinions(case["id"])
    await lc.conclude(case["id"])
    await lc.approval_chain(case["id"], "900000.00")
    await lc.project_status(pid, "approved")
    lc.mark("reviewed")

    line = await lc.funding_line(pid)
    # J2 (WH art20): an order to rectify holds the project's payments (I4) until resolved.
    order = ok(
        await lc.api.review.post(
            "/v1/rectifications",
            headers=lc.h("reviewer"),
            json={
                "case_id": case["id"],
                "finding": "not_sharing_data",
                "description": "未按要求共享数据",
                "due_working_days": 10,
            },
        ),
        201,
    )
    assert ("J2", "WH art20") in cited(order["decisions"])
    contractor = await lc.contractor()
    procurement = ok(await lc.procure(pid, contractor["id"], "880000.00", "public_tender"), 201)
    contract = ok(await lc.contract(procurement["id"], "880000.00"), 201)
    # Finance learns of the order by event; once the audit log holds it, it is on the bus, and
    # the procurement and contract steps gave finance's consumer time. No public API shows
    # finance's copy, so a payment finance approved before it took the order in is not an
    # error: ask again until finance holds one.
    await wait_for_order(lc, pid)

    async def held():
        got = ok(await lc.pay(contract["id"], line["id"], "100000.00"), 201)
        return got if got["status"] == "held" else None

    payment = await wait_until(held, timeout=30)
    assert ("I4", "WH art20") in cited(payment["decisions"], "hold")
    assert ("I1", "WH art12") in cited(payment["decisions"], "allow")
    ok(
        await lc.api.review.post(
            f"/v1/rectifications/{order['id']}/resolution",
            headers=lc.h("reviewer"),
            json={"note": "已整改"},
        )
    )

    async def released():
        got = ok(await lc.api.finance.get(f"/v1/payments/{payment['id']}", headers=lc.h("unit")))
        return got if got["status"] != "held" else None

    paid = await wait_until(released, timeout=30)
    assert paid["status"] == "approved" and paid["treasury_reference"]
    lc.mark("paid")

    await cloud_without_l_rules(lc, pid)
    lc.mark("provisioned")

    # C2 (WH art15): review asks intake that the catalog is complete before acceptance; no
    # trial-run rule (G1). Not compiled yet: refused; the unit compiles it, then accepted.
    assert refusals(await lc.accept(case["id"])) == [("C2", "WH art15")]
    ok(
        await lc.api.intake.put(
            f"/v1/projects/{pid}/catalog", headers=lc.h("unit"), json=[CATALOG_ROW]
        )
    )
    acceptance = ok(await lc.accept(case["id"]), 201)
    assert ("C2", "WH art15") in cited(acceptance["decisions"], "allow")
    assert acceptance["om_eligible"] is True
    # No H1 in wuhai: no evaluation is opened.
    assert await lc.evaluation_of(pid) is None
    lc.mark("evaluated")

    await lc.exit_and_reclaim(*lc.facts["cloud"])
    lc.mark("exited")
    bundle = await lc.audit_bundle(pid, BUNDLE_EVENTS)
    assert bundle["entries"] >= 7
    lc.mark("bundle")


async def wait_for_order(lc: Lifecycle, pid: str) -> None:
    """Until the audit log holds review's rectification order (so it is on the bus)."""

    async def logged():
        return "govit.review.rectification.issued" in await lc.audit_types(pid)

    await wait_until(logged, timeout=30)


SCENARIOS = {
    "suining": suining,
    "yunyang": yunyang,
    "pingdingshan": pingdingshan,
    "xianyang": xianyang,
    "wuhai": wuhai,
}
