"""Compliance checks over the log raise findings that cite their rule, with evidence, once."""

import datetime as dt

import grpc
import httpx
import pytest
from sqlalchemy import func, select

from audit.compliance import flows
from audit.compliance.models import Finding, Watch
from audit.log.models import AuditEntry
from audit.main import spec
from govit.audit.v1 import audit_service_pb2 as pb
from govit.audit.v1 import audit_service_pb2_grpc as pb_grpc
from govit.common.v1 import common_pb2
from govit.review.v1 import events_pb2 as review_events
from govit.review.v1 import types_pb2 as review_types
from govit_kit.db import utcnow
from govit_kit.testing import bearer, publish_event, wait_until

SH = dt.timezone(dt.timedelta(hours=8))
LATER = dt.timedelta(days=3650)
# The watcher runs once at start and then not for an hour: each test raises findings itself.
QUIET = {"audit_compliance_interval_s": 3600.0, "audit_compliance_grace_s": 60.0}


async def logged(audit, n: int) -> None:
    """Wait until the log holds n entries."""

    async def count():
        async with audit.runtime.db.sessions() as s:
            return await s.scalar(select(func.count()).select_from(AuditEntry)) >= n or None

    await wait_until(count)


async def concluded(space, project: str, org: str, conclusion, **kw) -> str:
    return await publish_event(
        space,
        "review",
        "case",
        "concluded",
        review_events.ReviewCaseConcluded(
            case_id=f"case-{project}", project_id=project, org_id=org, conclusion=conclusion
        ),
        subject=f"case-{project}",
        org_id=org,
        project_id=project,
        **kw,
    )


async def funded(space, project: str, org: str, **kw) -> str:
    return await publish_event(
        space,
        "finance",
        "funding_line",
        "opened",
        common_pb2.OrgRef(org_id=org),
        subject=f"line-{project}",
        org_id=org,
        project_id=project,
        **kw,
    )


async def test_funds_before_review_cites_the_profile_rule_with_evidence(
    start_service, event_space, issuer
):
    audit = await start_service(spec(), **QUIET)  # suining: I1 does not apply, D7 does
    space = event_space
    await funded(space, "p-none", "org-a")  # no review at all
    await concluded(space, "p-ok", "org-a", review_types.CONCLUSION_APPROVE)
    await funded(space, "p-ok", "org-a")
    await concluded(space, "p-rej", "org-b", review_types.CONCLUSION_REJECT)
    await funded(space, "p-rej", "org-b")
    # A review concluded before the funding but delivered after it is no breach.
    late_review_time = utcnow() - dt.timedelta(minutes=5)
    await funded(space, "p-late", "org-a")
    await concluded(
        space, "p-late", "org-a", review_types.CONCLUSION_APPROVE, event_time=late_review_time
    )
    await logged(audit, 7)

    assert await flows.raise_due(audit.runtime) == []  # within the grace period: nothing yet
    raised = await flows.raise_due(audit.runtime, now=utcnow() + LATER)
    by_project = {f.project_id: f for f in raised}
    assert set(by_project) == {"p-none", "p-rej"}
    none = by_project["p-none"]
    assert (none.rule_id, none.article) == ("D7", "SN P art14, art15, art24")
    assert none.check_code == "funds-before-review"
    assert none.evidence == [0]  # the funding entry
    # The rejected review is part of the evidence: it shows why the funding was a breach.
    assert by_project["p-rej"].evidence == [3, 4]
    # Raising again finds nothing new.
    assert await flows.raise_due(audit.runtime, now=utcnow() + LATER) == []

    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    unit_a = issuer.issue("alice", "org-a", ["unit_staff"])
    unit_b = issuer.issue("bob", "org-b", ["unit_staff"])
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
        r = await http.get(f"/v1/findings/{none.id}", headers=bearer(auditor))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["rule_id"] == "D7" and body["status"] == "open"
        assert [e["event_type"] for e in body["evidence_entries"]] == [
            "govit.finance.funding_line.opened"
        ]
        # A unit sees the findings about itself and nobody else's.
        r = await http.get("/v1/findings", headers=bearer(unit_a))
        assert [f["project_id"] for f in r.json()["items"]] == ["p-none"]
        r = await http.get(f"/v1/findings/{none.id}", headers=bearer(unit_b))
        assert r.status_code == 404
        r = await http.get("/v1/findings", params={"status": "opened"}, headers=bearer(auditor))
        assert r.status_code == 422 and "status" in r.text

        # The findings are events too, in the log like any other.
        async def raised_events():
            r = await http.get(
                "/v1/entries",
                params={"event_type": "govit.audit.finding.raised"},
                headers=bearer(auditor),
            )
            items = r.json()["items"]
            return items if len(items) == 2 else None

        events = await wait_until(raised_events)
        assert {e["payload"]["rule"]["rule_id"] for e in events} == {"D7"}

        # Only an auditor resolves, once, with a reason; the resolution is an event.
        r = await http.post(
            f"/v1/findings/{none.id}/resolution",
            json={"resolution": "review record found"},
            headers=bearer(unit_a),
        )
        assert r.status_code == 403
        r = await http.post(
            f"/v1/findings/{none.id}/resolution", json={"resolution": ""}, headers=bearer(auditor)
        )
        assert r.status_code == 422 and "resolution" in r.text
        r = await http.post(
            f"/v1/findings/{none.id}/resolution",
            json={"resolution": "review record found"},
            headers=bearer(auditor),
        )
        assert r.status_code == 200 and r.json()["status"] == "resolved"
        assert r.json()["resolved_by"] == "ada"
        r = await http.post(
            f"/v1/findings/{none.id}/resolution", json={"resolution": "x"}, headers=bearer(auditor)
        )
        assert r.status_code == 409
        r = await http.get("/v1/findings", params={"status": "open"}, headers=bearer(auditor))
        assert [f["project_id"] for f in r.json()["items"]] == ["p-rej"]

    # gRPC: finance asks for a project's open findings before paying (I4).
    async with grpc.aio.insecure_channel(f"127.0.0.1:{audit.grpc_port}") as ch:
        stub = pb_grpc.AuditServiceStub(ch)
        resp = await stub.ListFindings(
            pb.ListFindingsRequest(project_id="p-rej", status="open"),
            metadata=[("authorization", f"Bearer {auditor}")],
        )
        assert [(f.check, f.rule.rule_id) for f in resp.findings] == [("funds-before-review", "D7")]
        assert list(resp.findings[0].evidence_leaf_indexes) == [3, 4]
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ListFindings(
                pb.ListFindingsRequest(status="closed"),
                metadata=[("authorization", f"Bearer {auditor}")],
            )
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_a_profile_where_i1_applies_cites_it(start_service, event_space):
    audit = await start_service(spec(), policy_profile="wuhai", **QUIET)
    await funded(event_space, "p1", "org-a")
    await logged(audit, 1)
    [finding] = await flows.raise_due(audit.runtime, now=utcnow() + LATER)
    assert (finding.rule_id, finding.article) == ("I1", "WH art12")


async def accepted(space, request: str, at: dt.datetime, **kw) -> str:
    return await publish_event(
        space,
        "cloud_broker",
        "resource_request",
        "accepted",
        common_pb2.OrgRef(org_id="org-a"),
        subject=request,
        org_id="org-a",
        event_time=at,
        **kw,
    )


async def test_approval_deadline_in_working_days_skips_the_holiday(start_service, event_space):
    audit = await start_service(spec(), **QUIET)  # suining L4: 2 working days
    # Accepted on the eve of National Day 2026: the two working days are 8 and 9 October.
    before_holiday = dt.datetime(2026, 9, 30, 10, tzinfo=SH)
    first = await accepted(event_space, "r-1", before_holiday)
    await accepted(event_space, "r-1", before_holiday, event_id=first, msg_id="again")
    # Accepted on 9 October: Saturday 10 October is a make-up working day, so due on the 12th.
    await accepted(event_space, "r-2", dt.datetime(2026, 10, 9, 10, tzinfo=SH))
    # Approved in time: no finding.
    await accepted(event_space, "r-3", before_holiday)
    await publish_event(
        event_space,
        "cloud_broker",
        "resource_request",
        "approved",
        common_pb2.OrgRef(org_id="org-a"),
        subject="r-3",
        org_id="org-a",
        event_time=dt.datetime(2026, 10, 8, 9, tzinfo=SH),
    )
    await logged(audit, 4)  # the redelivery of r-1 is not logged twice
    due_r1 = dt.datetime(2026, 10, 9, 23, 59, 59, 999999, tzinfo=SH)
    due_r2 = dt.datetime(2026, 10, 12, 23, 59, 59, 999999, tzinfo=SH)
    assert await flows.raise_due(audit.runtime, now=due_r1 - dt.timedelta(seconds=1)) == []
    [r1] = await flows.raise_due(audit.runtime, now=due_r1)
    assert (r1.key, r1.rule_id, r1.article, r1.check_code) == (
        "r-1",
        "L4",
        "SN C art11",
        "request-approval-overdue",
    )
    assert r1.figures["approval_working_days"] == 2
    assert dt.datetime.fromisoformat(r1.figures["due_at"]) == due_r1
    assert await flows.raise_due(audit.runtime, now=due_r2 - dt.timedelta(seconds=1)) == []
    [r2] = await flows.raise_due(audit.runtime, now=due_r2)
    assert r2.key == "r-2"
    assert await flows.raise_due(audit.runtime, now=utcnow() + LATER) == []
    async with audit.runtime.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Finding)) == 2


async def test_a_profile_without_the_deadline_watches_nothing(start_service, event_space):
    audit = await start_service(spec(), policy_profile="pingdingshan", **QUIET)  # no L4 figures
    await accepted(event_space, "r-1", dt.datetime(2026, 9, 30, 10, tzinfo=SH))
    await logged(audit, 1)
    async with audit.runtime.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Watch)) == 0
    assert await flows.raise_due(audit.runtime, now=utcnow() + LATER) == []


async def test_watches_survive_a_restart(databases, event_space, jwt_dir):
    from govit_kit.testing import run_service, settings_for

    url = await databases.create("audit")
    settings = settings_for(
        "audit",
        database_url=url,
        space=event_space,
        data_dir=jwt_dir,
        cls=spec().settings_cls,
        **QUIET,
    )
    audit = await run_service(spec(), settings)
    try:
        await accepted(event_space, "r-1", dt.datetime(2026, 9, 30, 10, tzinfo=SH))
        await logged(audit, 1)
    finally:
        await audit.shutdown()
    # The deadline (9 October 2026) has passed: the restarted watcher raises it on its first round.
    audit = await run_service(spec(), settings)
    try:

        async def raised():
            async with audit.runtime.db.sessions() as s:
                return list(await s.scalars(select(Finding))) or None

        [finding] = await wait_until(raised)
        assert (finding.key, finding.rule_id) == ("r-1", "L4")
    finally:
        await audit.shutdown()


async def test_a_deadline_in_a_year_without_holiday_data_is_counted_monday_to_friday(
    start_service, event_space
):
    # No calendar for 2101 (the kit computes up to 2100): a request accepted on Thursday 30
    # December 2100 still gets logged (never dead-lettered), and its deadline is counted Monday
    # to Friday where no calendar reaches, which the finding says.
    audit = await start_service(spec(), **QUIET)
    await accepted(event_space, "r-1", dt.datetime(2100, 12, 30, 10, tzinfo=SH))
    await logged(audit, 1)
    [finding] = await flows.raise_due(audit.runtime, now=dt.datetime(2101, 2, 1, tzinfo=dt.UTC))
    # Friday 31 December 2100 (computed calendar), then Monday 3 January 2101.
    assert dt.datetime.fromisoformat(finding.figures["due_at"]) == dt.datetime(
        2101, 1, 3, 23, 59, 59, 999999, tzinfo=SH
    )
    assert "no holiday calendar for 2101: counted Monday to Friday" in finding.figures["calendar"]


async def test_a_deadline_into_2028_is_counted_on_the_computed_calendar(start_service, event_space):
    # Accepted Thursday 30 December 2027: Friday the 31st, then 1 January 2028 a Saturday (元旦)
    # with its substitute day (补假) on Monday 3 January: due at the end of Tuesday 4 January.
    audit = await start_service(spec(), **QUIET)
    await accepted(event_space, "r-1", dt.datetime(2027, 12, 30, 10, tzinfo=SH))
    await logged(audit, 1)
    [finding] = await flows.raise_due(audit.runtime, now=utcnow() + LATER)
    assert dt.datetime.fromisoformat(finding.figures["due_at"]) == dt.datetime(
        2028, 1, 4, 23, 59, 59, 999999, tzinfo=SH
    )
    assert "provisional calendar for 2027, 2028" in finding.figures["calendar"]


async def test_a_deadline_on_the_provisional_calendar_says_so(start_service, event_space):
    # 2027 is counted on the provisional calendar: 1 January 2027 (元旦) is no working day.
    audit = await start_service(spec(), **QUIET)
    await accepted(event_space, "r-1", dt.datetime(2026, 12, 30, 10, tzinfo=SH))
    await logged(audit, 1)
    [finding] = await flows.raise_due(audit.runtime, now=utcnow() + LATER)
    assert dt.datetime.fromisoformat(finding.figures["due_at"]) == dt.datetime(
        2027, 1, 4, 23, 59, 59, 999999, tzinfo=SH
    )
    assert "provisional calendar for 2027" in finding.figures["calendar"]


async def test_an_order_on_a_registered_resource_is_no_provisioning_without_approval(
    start_service, event_space
):
    """A resource the bureau registered as already running (L10) was never an approved request;
    its registration stands for the approval when a later order on it completes."""
    from govit.cloud_broker.v1 import events_pb2 as broker_events

    audit = await start_service(spec(), **QUIET)
    await publish_event(
        event_space,
        "cloud_broker",
        "resource_request",
        "registered",
        broker_events.ResourceRequestTransitioned(
            request_id="r-legacy", org_id="org-a", action="register", to_status="active"
        ),
        subject="r-legacy",
        org_id="org-a",
        project_id="p-legacy",
    )
    for request in ("r-legacy", "r-none"):
        await publish_event(
            event_space,
            "cloud_broker",
            "work_order",
            "completed",
            broker_events.WorkOrderChanged(
                order_id=f"o-{request}", request_id=request, org_id="org-a", kind="modify"
            ),
            subject=f"o-{request}",
            org_id="org-a",
            project_id="p-legacy",
        )
    await logged(audit, 3)
    raised = await flows.raise_due(audit.runtime, now=utcnow() + LATER)
    assert [(f.check_code, f.rule_id) for f in raised] == [("provisioned-without-approval", "L1")]
    assert raised[0].evidence == [2]  # the order on the resource nobody approved or registered


async def exit_step(space, request: str, event: str, at: dt.datetime, decisions=()) -> str:
    from govit.cloud_broker.v1 import events_pb2 as broker_events

    return await publish_event(
        space,
        "cloud_broker",
        "resource_request",
        event,
        broker_events.ResourceRequestTransitioned(
            request_id=request, org_id="org-a", decisions=list(decisions)
        ),
        subject=request,
        org_id="org-a",
        event_time=at,
    )


def l7(outcome: str) -> common_pb2.Decision:
    return common_pb2.Decision(
        rule_id="L7",
        article="SN C art16",
        outcome=outcome,
        reason="applied after 2026-05-01, more than 1 month(s) after stopping use on 2026-04-01;"
        " reported to audit and finance",
    )


async def test_late_exit_application_is_a_finding_citing_l7(start_service, event_space):
    """SN C art16: 使用单位未及时提交服务终止申请...的,由管理部门通报审计部门和财政部门. The broker
    flags a late exit application (an L7 flag decision on its event): audit records a finding
    naming L7 and the article at once; an application in time is none."""
    audit = await start_service(spec(), **QUIET)  # suining: L7 applies
    at = dt.datetime(2026, 6, 10, 10, tzinfo=SH)
    await exit_step(event_space, "r-late", "exit_requested", at, [l7("flag")])
    await exit_step(event_space, "r-ok", "exit_requested", at, [l7("allow")])
    await logged(audit, 2)
    [finding] = await flows.raise_due(audit.runtime, now=utcnow())
    assert (finding.key, finding.rule_id, finding.article, finding.check_code) == (
        "r-late",
        "L7",
        "SN C art16",
        "exit-application-late",
    )
    assert finding.evidence == [0]
    [flag] = finding.figures["flagged"]
    assert flag["rule_id"] == "L7" and "reported to audit and finance" in flag["reason"]
    assert await flows.raise_due(audit.runtime, now=utcnow() + LATER) == []


async def test_exit_transition_overdue_is_a_finding_citing_l7(start_service, event_space):
    """SN C art16: the unit migrates off the cloud within the 3-month transition (过渡期) after
    the exit's approval; one that has not (no `transition_confirmed` nor `reclaimed`) by the
    close of the same day 3 months later in China is a finding naming L7 and the article."""
    audit = await start_service(spec(), **QUIET)
    approved = dt.datetime(2026, 6, 10, 10, tzinfo=SH)
    await exit_step(event_space, "r-slow", "exit_approved", approved)
    await exit_step(event_space, "r-done", "exit_approved", approved)
    await exit_step(event_space, "r-done", "transition_confirmed", approved + dt.timedelta(days=60))
    # Approved on 30 November: 3 months later is the last day of February, Sunday 28 February
    # 2027, so the transition ends on Monday 1 March (民法典 art 203), as the broker counts it.
    await exit_step(event_space, "r-feb", "exit_approved", dt.datetime(2026, 11, 30, 9, tzinfo=SH))
    await logged(audit, 4)
    due = dt.datetime(2026, 9, 10, 23, 59, 59, 999999, tzinfo=SH)
    assert await flows.raise_due(audit.runtime, now=due - dt.timedelta(seconds=1)) == []
    [slow] = await flows.raise_due(audit.runtime, now=due)
    assert (slow.key, slow.rule_id, slow.article, slow.check_code) == (
        "r-slow",
        "L7",
        "SN C art16",
        "exit-transition-overdue",
    )
    assert slow.figures["transition_months"] == 3
    assert dt.datetime.fromisoformat(slow.figures["due_at"]) == due
    assert "calendar" not in slow.figures  # 10 September 2026: a Thursday, not moved
    feb = dt.datetime(2027, 3, 1, 23, 59, 59, 999999, tzinfo=SH)
    assert await flows.raise_due(audit.runtime, now=feb - dt.timedelta(seconds=1)) == []
    [late] = await flows.raise_due(audit.runtime, now=feb)
    assert late.key == "r-feb" and (late.rule_id, late.article) == ("L7", "SN C art16")
    assert dt.datetime.fromisoformat(late.figures["due_at"]) == feb
    assert "2027-02-28 is a rest day" in late.figures["calendar"]
    assert "民法典 art 203" in late.figures["calendar"]
    assert await flows.raise_due(audit.runtime, now=utcnow() + LATER) == []


async def test_pingdingshan_sets_no_transition_and_flags_no_exit(start_service, event_space):
    """PDS C art12 sets no exit deadlines (L7 has no figures): no watch on an exit."""
    audit = await start_service(spec(), policy_profile="pingdingshan", **QUIET)
    at = dt.datetime(2026, 6, 10, 10, tzinfo=SH)
    await exit_step(event_space, "r-1", "exit_requested", at, [l7("allow")])
    await exit_step(event_space, "r-1", "exit_approved", at)
    await logged(audit, 2)
    async with audit.runtime.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Watch)) == 0


async def test_deployment_deadline_stops_while_the_bureau_decides_the_migration_plan(
    start_service, event_space
):
    """L4 with L12 (SN C art11, art12): the unit's 10 working days to deploy stand still from
    its important migration's plan to the bureau's decision, whatever order the log gets them."""
    audit = await start_service(spec(), **QUIET)
    at = lambda d: dt.datetime(2026, 11, d, 10, tzinfo=SH)  # noqa: E731
    # Configured Monday 2 November: due at the close of Monday 16 November. The plan, filed
    # Thursday the 5th, leaves 7 working days; approved Tuesday the 24th, it is due 3 December.
    # Delivered out of order: the decision first, the configuration last.
    await exit_step(event_space, "r-plan", "migration_plan_approved", at(24))
    await exit_step(event_space, "r-plan", "migration_plan_submitted", at(5))
    await exit_step(event_space, "r-plan", "configured", at(2))
    # The same, still waiting for the bureau: no clock runs.
    await exit_step(event_space, "r-wait", "configured", at(2))
    await exit_step(event_space, "r-wait", "migration_plan_submitted", at(5))
    # A plan filed after the deadline passed excuses nothing: due 16 November still.
    await exit_step(event_space, "r-late", "configured", at(2))
    await exit_step(event_space, "r-late", "migration_plan_submitted", at(18))
    await exit_step(event_space, "r-late", "migration_plan_refused", at(20))
    # Deployed in time, but the deployment reached the log before the configuration.
    await exit_step(event_space, "r-done", "deployed", at(6))
    await exit_step(event_space, "r-done", "configured", at(2))
    await logged(audit, 10)
    close = lambda d: dt.datetime(2026, d[0], d[1], 23, 59, 59, 999999, tzinfo=SH)  # noqa: E731
    assert await flows.raise_due(audit.runtime, now=close((11, 16)) - dt.timedelta(seconds=1)) == []
    [late] = await flows.raise_due(audit.runtime, now=close((11, 16)))
    assert (late.key, late.rule_id, late.check_code) == ("r-late", "L4", "deployment-overdue")
    assert await flows.raise_due(audit.runtime, now=close((12, 3)) - dt.timedelta(seconds=1)) == []
    [plan] = await flows.raise_due(audit.runtime, now=close((12, 3)))
    assert plan.key == "r-plan"
    assert dt.datetime.fromisoformat(plan.figures["due_at"]) == close((12, 3))
    assert await flows.raise_due(audit.runtime, now=utcnow() + LATER) == []


async def test_an_end_logged_before_its_start_opens_no_watch(start_service, event_space):
    """The relay may publish an approval before the acceptance it follows: no false finding."""
    audit = await start_service(spec(), **QUIET)
    accepted_at = dt.datetime(2026, 9, 30, 10, tzinfo=SH)
    await publish_event(
        event_space,
        "cloud_broker",
        "resource_request",
        "approved",
        common_pb2.OrgRef(org_id="org-a"),
        subject="r-1",
        org_id="org-a",
        event_time=accepted_at + dt.timedelta(hours=2),
    )
    await accepted(event_space, "r-1", accepted_at)
    await logged(audit, 2)
    async with audit.runtime.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Watch)) == 0
    assert await flows.raise_due(audit.runtime, now=utcnow() + LATER) == []


async def change_step(space, change: str, event: str, at: dt.datetime) -> str:
    from govit.cloud_broker.v1 import events_pb2 as broker_events

    return await publish_event(
        space,
        "cloud_broker",
        "change_request",
        event,
        broker_events.ChangeRequestChanged(change_id=change, request_id="r-1", org_id="org-a"),
        subject=change,
        org_id="org-a",
        event_time=at,
    )


async def test_change_approval_overdue_at_the_fifth_working_day_close(start_service, event_space):
    """L6 (SN C art15, 5个工作日内): a change request submitted on Friday 25 September 2026 has
    Monday 28 to Wednesday 30 September, then (after 国庆, 1-7 October) Thursday 8 and Friday 9
    October: due at the close of 9 October in China. Undecided then, it is a finding citing L6 at
    that instant and not a moment before; decided on the last instant, it is in time; decided
    later, it is late even when the decision reaches the log before the deadline is checked."""
    audit = await start_service(spec(), **QUIET)  # suining: L6 applies, 5 working days
    submitted = dt.datetime(2026, 9, 25, 10, tzinfo=SH)
    due = dt.datetime(2026, 10, 9, 23, 59, 59, 999999, tzinfo=SH)
    await change_step(event_space, "c-open", "submitted", submitted)
    await change_step(event_space, "c-last", "submitted", submitted)
    await change_step(event_space, "c-last", "approved", due)
    await change_step(event_space, "c-late", "submitted", submitted)
    # Decided on Saturday 10 October (a make-up working day, but the sixth).
    await change_step(event_space, "c-late", "rejected", dt.datetime(2026, 10, 10, 9, tzinfo=SH))
    await logged(audit, 5)
    assert await flows.raise_due(audit.runtime, now=due - dt.timedelta(microseconds=1)) == []
    raised = await flows.raise_due(audit.runtime, now=due)
    assert sorted(f.key for f in raised) == ["c-late", "c-open"]
    for finding in raised:
        assert (finding.rule_id, finding.article, finding.check_code) == (
            "L6",
            "SN C art15",
            "change-approval-overdue",
        )
        assert finding.figures["approval_working_days"] == 5
        assert dt.datetime.fromisoformat(finding.figures["due_at"]) == due
    # A decision after the finding leaves it standing; nothing is raised twice.
    await change_step(event_space, "c-open", "approved", due + dt.timedelta(days=3))
    await logged(audit, 6)
    assert await flows.raise_due(audit.runtime, now=utcnow() + LATER) == []
    async with audit.runtime.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Finding)) == 2
