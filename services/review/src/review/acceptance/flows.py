"""Use cases of acceptance and evaluation."""

import logging
from datetime import date

from sqlalchemy import select

from govit.review.v1 import events_pb2
from govit_kit.auth import PROJECT_READERS, UNIT_ROLES, Principal, Role
from govit_kit.convert import to_actor, to_decision, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput, NotFound, RuleRefused
from govit_kit.policy import (
    SHANGHAI,
    Decision,
    Outcome,
    PolicyProfile,
    WorkingCalendar,
    calendar_for,
)
from govit_kit.uow import UnitOfWork
from review.acceptance import rules
from review.acceptance.catalog import CatalogCheck
from review.acceptance.enums import EvaluationStatus, PreApprovalStatus, Stage
from review.acceptance.models import (
    Acceptance,
    AcceptanceReportFiling,
    Evaluation,
    PreApproval,
)
from review.acceptance.schemas import AcceptanceCreate, PreApprovalCreate, ReportFilingCreate
from review.cases import service as cases
from review.cases.models import ReviewCase

log = logging.getLogger(__name__)

# What the separation of duties refuses a reviewer of the unit (the view asks it before intake).
ACCEPT = "record the acceptance of a project"


def today() -> date:
    """Today's date in Asia/Shanghai (the calendar the rules count in)."""
    return utcnow().astimezone(SHANGHAI).date()


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


async def record_acceptance(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    case_id: str,
    data: AcceptanceCreate,
    catalog: CatalogCheck | None = None,
) -> Acceptance:
    """The bureau records an acceptance once G1, G3, G4, G5, C2 and, for a single or final one,
    G6 (the security evaluation) allow it; a single or final acceptance makes the system
    eligible for O&M funds (G6) and opens its evaluation (H1).
    `catalog` is intake's C2 answer, asked before the transaction where the profile has C2."""
    who.require(Role.BUREAU_REVIEWER)
    case = await cases.get(session=uow.session, case_id=case_id, who=who)
    who.not_own_org(case.org_id, ACCEPT)
    if not case.chain_stage:
        raise Conflict("only an approved project is accepted")
    cases.ensure_going(case, "acceptance")
    if data.accepted_on > today():
        raise InvalidInput("accepted_on", "an acceptance is recorded on or after its date")
    if data.applied_on and data.applied_on > data.accepted_on:
        raise InvalidInput("applied_on", "the acceptance is applied for on or before its date")
    earlier = {
        a.stage: a
        for a in await uow.session.scalars(select(Acceptance).where(Acceptance.case_id == case.id))
    }
    if data.stage.value in earlier:
        raise Conflict(f"the {data.stage.value} acceptance is already recorded")
    initial = earlier.get(Stage.INITIAL.value)
    granted = await _granted_pre_approval(uow.session, case.id) if profile.applies("G2") else None
    facts = rules.AcceptanceFacts(
        stage=data.stage,
        accepted_on=data.accepted_on,
        total_investment=case.approved_investment or case.total_investment,
        trial_run_started_on=data.trial_run_started_on,
        initial_accepted_on=initial.accepted_on if initial else None,
        completed_on=data.completed_on,
        applied_on=data.applied_on,
        extension_approved=data.extension_approved,
        materials=frozenset(m.value for m in data.materials),
        archives_accepted=data.archives_accepted,
        data_catalog_complete=bool(catalog and catalog.complete),
        project_type=catalog.project_type if catalog else None,
        catalog_refusals=catalog.refusals if catalog else (),
        checked=frozenset(data.checked),
        security_evaluation=data.security_evaluation.value if data.security_evaluation else None,
        pre_approval_id=granted.id if granted else None,
        pre_approval_granted_on=_shanghai_day(granted.decided_at) if granted else None,
    )
    decisions = rules.acceptance(profile, facts)
    eligible = data.stage != Stage.INITIAL
    if eligible and profile.applies("G6"):
        # G6 before recording: a system that may not go into use (failed or, where the article
        # asks for it, missing security evaluation) is not recorded as accepted.
        decisions.append(rules.om_eligibility(profile, facts))
    refusals = [d for d in decisions if d.outcome is Outcome.REFUSE]
    if refusals:
        raise RuleRefused(refusals)
    row = Acceptance(
        case_id=case.id,
        project_id=case.project_id,
        org_id=case.org_id,
        stage=data.stage.value,
        accepted_on=data.accepted_on,
        went_live_on=data.went_live_on,
        facts=data.model_dump(mode="json") | ({"catalog": catalog.facts()} if catalog else {}),
        om_eligible=eligible,
        decisions=[d.to_dict() for d in decisions],
        recorded_by=who.subject,
        recorded_at=utcnow(),
    )
    uow.session.add(row)
    earliest = due = None
    if eligible:
        earliest, due, deadline = rules.evaluation_window(
            profile, accepted_on=data.accepted_on, went_live_on=data.went_live_on
        )
        if deadline is not None:
            uow.session.add(
                Evaluation(
                    case_id=case.id,
                    project_id=case.project_id,
                    org_id=case.org_id,
                    earliest_on=earliest,
                    due_on=due,
                    status=EvaluationStatus.PENDING.value,
                    decisions=[deadline.to_dict()],
                )
            )
            decisions.append(deadline)
    await uow.session.flush()
    await uow.emit(
        "acceptance",
        "recorded",
        events_pb2.AcceptanceRecorded(
            acceptance_id=row.id,
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            stage=row.stage,
            accepted_on=_iso(row.accepted_on),
            om_eligible=eligible,
            evaluation_earliest_on=_iso(earliest),
            evaluation_due_on=_iso(due),
            decisions=[to_decision(d) for d in decisions],
            recorded_by=to_actor(who),
            recorded_at=to_timestamp(row.recorded_at),
        ),
        subject=row.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return row


def _shanghai_day(at) -> date:
    return at.astimezone(SHANGHAI).date()


async def _granted_pre_approval(session, case_id: str) -> PreApproval | None:
    return await session.scalar(
        select(PreApproval).where(
            PreApproval.case_id == case_id, PreApproval.status == PreApprovalStatus.GRANTED
        )
    )


async def _emit_pre_approval(uow: UnitOfWork, who: Principal, row: PreApproval, reason: str):
    await uow.emit(
        "pre_approval",
        row.status,
        events_pb2.PreApprovalRecorded(
            pre_approval_id=row.id,
            case_id=row.case_id,
            project_id=row.project_id,
            org_id=row.org_id,
            status=row.status,
            trial_run_ended_on=_iso(row.trial_run_ended_on),
            reason=reason,
            decisions=[to_decision(_stored(d)) for d in row.decisions[-1:]],
            actor=to_actor(who),
            recorded_at=to_timestamp(row.decided_at or row.requested_at),
        ),
        subject=row.id,
        org_id=row.org_id,
        project_id=row.project_id,
    )


def _stored(d: dict) -> Decision:
    """A stored decision dict as a Decision."""
    return Decision(d["rule_id"], d["article"], Outcome(d["outcome"]), d["reason"], d["figures"])


async def request_pre_approval(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    case_id: str,
    data: PreApprovalCreate,
) -> PreApproval:
    """G2 (SN P art32): after the trial run the unit asks the data bureau for its pre-approval
    of acceptance (履约验收前置核准). One request or grant at a time; after a refusal, a new one."""
    who.require(*UNIT_ROLES)
    case = await cases.get(session=uow.session, case_id=case_id, who=who)
    if not profile.applies("G2"):
        raise Conflict(
            f"G2 does not apply in profile {profile.name}: no pre-approval before acceptance here",
            rule_id="G2",
        )
    if not case.chain_stage:
        raise Conflict("only an approved project asks for the pre-approval of its acceptance")
    cases.ensure_going(case, "pre-approval")
    if data.trial_run_ended_on > today():
        raise InvalidInput(
            "trial_run_ended_on",
            "the pre-approval is requested after the trial run has ended (试运行结束后)",
        )
    # One open request per case: concurrent requests queue on the case's row.
    await uow.session.execute(
        select(ReviewCase.id).where(ReviewCase.id == case.id).with_for_update()
    )
    current = await uow.session.scalar(
        select(PreApproval).where(
            PreApproval.case_id == case.id,
            PreApproval.status.in_([PreApprovalStatus.REQUESTED, PreApprovalStatus.GRANTED]),
        )
    )
    if current is not None:
        raise Conflict(f"a pre-approval is already {current.status}", state=current.status)
    decision = Decision.allow(
        profile,
        "G2",
        "requested after the trial run: the data bureau checks the project against its "
        "technical plan review opinion, then grants or refuses",
        trial_run_ended_on=data.trial_run_ended_on,
    )
    row = PreApproval(
        case_id=case.id,
        project_id=case.project_id,
        org_id=case.org_id,
        trial_run_ended_on=data.trial_run_ended_on,
        note=data.note,
        status=PreApprovalStatus.REQUESTED.value,
        decisions=[decision.to_dict()],
        requested_by=who.subject,
        requested_at=utcnow(),
    )
    uow.session.add(row)
    await uow.session.flush()
    await _emit_pre_approval(uow, who, row, data.note or "")
    return row


async def get_pre_approval(*, session, pre_approval_id: str, who: Principal) -> PreApproval:
    """A pre-approval the caller may see (the bureau roles, or the owning unit); 404 otherwise."""
    row = await session.get(PreApproval, pre_approval_id)
    if row is None:
        raise NotFound("pre-approval not found")
    who.check_owner(row.org_id, PROJECT_READERS, "pre-approval")
    return row


def visible_pre_approvals(who: Principal, case_id: str):
    """The select of a case's pre-approvals the caller may list."""
    query = select(PreApproval).where(PreApproval.case_id == case_id)
    scope = who.org_scope(PROJECT_READERS)
    query = query if scope is None else query.where(PreApproval.org_id == scope)
    return query.order_by(PreApproval.requested_at, PreApproval.id)


async def decide_pre_approval(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    pre_approval_id: str,
    granted: bool,
    reason: str,
) -> PreApproval:
    """G2: the data bureau grants or refuses the pre-approval, with its reason."""
    who.require(Role.BUREAU_REVIEWER)
    row = await get_pre_approval(session=uow.session, pre_approval_id=pre_approval_id, who=who)
    who.not_own_org(row.org_id, "decide on the pre-approval of a project")
    if row.status != PreApprovalStatus.REQUESTED:
        raise Conflict(f"pre-approval is {row.status}", state=row.status)
    case = await cases.get(session=uow.session, case_id=row.case_id, who=who)
    cases.ensure_going(case, "pre-approval")
    if granted:
        decision = Decision.allow(
            profile, "G2", "the data bureau grants its pre-approval: the project may be accepted"
        )
    else:
        decision = Decision.refuse(
            profile, "G2", f"the data bureau refuses its pre-approval: {reason}"
        )
    row.status = (PreApprovalStatus.GRANTED if granted else PreApprovalStatus.REFUSED).value
    row.reason, row.decided_by, row.decided_at = reason, who.subject, utcnow()
    row.decisions = [*row.decisions, decision.to_dict()]
    await uow.session.flush()
    await _emit_pre_approval(uow, who, row, reason)
    return row


async def file_acceptance_report(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    case_id: str,
    data: ReportFilingCreate,
) -> AcceptanceReportFiling:
    """G7 (PDS P art18): after the final acceptance (终验完成后) the unit files the acceptance
    report with the data bureau, NDRC, finance and audit. Once per case; no deadline (the
    article sets none)."""
    who.require(*UNIT_ROLES)
    case = await cases.get(session=uow.session, case_id=case_id, who=who)
    if not rules.files_acceptance_report(profile):
        raise Conflict(
            f"G7 has no filing of the acceptance report in profile {profile.name}"
            + ("" if profile.applies("G7") else " (G7 does not apply)"),
            rule_id="G7",
        )
    if data.filed_on > today():
        raise InvalidInput("filed_on", "a filing is recorded on or after its date")
    # One filing per case: concurrent filings queue on the case's row.
    await uow.session.execute(
        select(ReviewCase.id).where(ReviewCase.id == case.id).with_for_update()
    )
    if await _report_filing(uow.session, case.id) is not None:
        raise Conflict("the acceptance report is already filed", state="filed")
    final = await uow.session.scalar(
        select(Acceptance).where(
            Acceptance.case_id == case.id, Acceptance.stage.in_([Stage.FINAL, Stage.SINGLE])
        )
    )
    decisions = rules.report_filing(
        profile,
        final_accepted_on=final.accepted_on if final else None,
        filed_on=data.filed_on,
        recipients=frozenset(r.value for r in data.recipients),
    )
    refusals = [d for d in decisions if d.outcome is Outcome.REFUSE]
    if refusals:
        raise RuleRefused(refusals)
    row = AcceptanceReportFiling(
        case_id=case.id,
        project_id=case.project_id,
        org_id=case.org_id,
        acceptance_id=final.id,
        report_document=data.report_document,
        report_sha256=data.report_sha256,
        filed_on=data.filed_on,
        recipients=sorted({r.value for r in data.recipients}),
        decisions=[d.to_dict() for d in decisions],
        filed_by=who.subject,
        filed_at=utcnow(),
    )
    uow.session.add(row)
    await uow.session.flush()
    await uow.emit(
        "acceptance_report",
        "filed",
        events_pb2.AcceptanceReportFiled(
            filing_id=row.id,
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            acceptance_id=final.id,
            report_document=row.report_document,
            report_sha256=row.report_sha256,
            filed_on=_iso(row.filed_on),
            recipients=row.recipients,
            decisions=[to_decision(d) for d in decisions],
            filed_by=to_actor(who),
            filed_at=to_timestamp(row.filed_at),
        ),
        subject=row.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return row


async def _report_filing(session, case_id: str) -> AcceptanceReportFiling | None:
    return await session.scalar(
        select(AcceptanceReportFiling).where(AcceptanceReportFiling.case_id == case_id)
    )


def visible_report_filings(who: Principal, case_id: str):
    """The select of a case's acceptance report filings the caller may list."""
    query = select(AcceptanceReportFiling).where(AcceptanceReportFiling.case_id == case_id)
    scope = who.org_scope(PROJECT_READERS)
    return query if scope is None else query.where(AcceptanceReportFiling.org_id == scope)


def visible_evaluations(who: Principal, overdue_only: bool = False):
    """The select of evaluations the caller may list (optionally only the overdue)."""
    query = select(Evaluation).order_by(Evaluation.due_on, Evaluation.id)
    scope = who.org_scope(PROJECT_READERS)
    if scope is not None:
        query = query.where(Evaluation.org_id == scope)
    return _overdue(query) if overdue_only else query


def _overdue(query):
    return query.where(Evaluation.status == EvaluationStatus.PENDING, Evaluation.due_on < today())


def _redated(decision: dict, due: date, note: str) -> dict:
    """An evaluation's H1 deadline decision with its last day moved (others as they were)."""
    if decision.get("rule_id") != "H1" or decision.get("outcome") != "deadline":
        return decision
    figures = {**decision.get("figures", {}), "due": due.isoformat()}
    return {**decision, "reason": f"{decision['reason']} ({note})", "figures": figures}


async def realign_due_dates(session, calendar: WorkingCalendar) -> int:
    """H1: bring onto 民法典 art 203 the pending, not yet flagged evaluations stored before the
    rest-day rule (commit cc9eaa2): a last day on a rest day on the profile's calendar moves to
    the next working day, its deadline decision says so as a new one's does. Idempotent (a
    moved one ends on a working day): it moves each once, before anything is flagged. Logged;
    no event (AcceptanceRecorded told the first due date, and no service keeps it). Returns how
    many moved."""
    rows = await session.scalars(
        select(Evaluation).where(
            Evaluation.status == EvaluationStatus.PENDING,
            Evaluation.overdue_flagged_at.is_(None),
            Evaluation.due_on.is_not(None),
        )
    )
    moved = 0
    for ev in list(rows):
        last, note = calendar.last_day(ev.due_on)
        if note is None or last == ev.due_on:
            continue  # a working day (or a year no calendar covers): it stays
        log.warning("evaluation %s (H1) now due %s, not %s: %s", ev.id, last, ev.due_on, note)
        ev.due_on = last
        ev.decisions = [_redated(d, last, note) for d in ev.decisions]
        moved += 1
    await session.flush()
    return moved


async def flag_overdue(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile
) -> list[Evaluation]:
    """H1: flag each pending evaluation past its due date, once (run daily, or by the bureau);
    first bring due dates stored before the rest-day rule onto it (realign_due_dates)."""
    who.require(Role.BUREAU_REVIEWER, Role.PLATFORM_OPERATOR)
    await realign_due_dates(uow.session, calendar_for(profile))
    rows = list(
        await uow.session.scalars(
            # Every unit's: the bureau and the platform's daily sweep both act platform-wide.
            _overdue(select(Evaluation).order_by(Evaluation.due_on, Evaluation.id)).where(
                Evaluation.overdue_flagged_at.is_(None)
            )
        )
    )
    for ev in rows:
        flag = Decision.flag(profile, "H1", f"evaluation report overdue since {ev.due_on}")
        ev.overdue_flagged_at = utcnow()
        ev.decisions = [*ev.decisions, flag.to_dict()]
        await uow.session.flush()
        await uow.emit(
            "evaluation",
            "overdue",
            events_pb2.EvaluationOverdue(
                evaluation_id=ev.id,
                case_id=ev.case_id,
                project_id=ev.project_id,
                org_id=ev.org_id,
                due_on=_iso(ev.due_on),
                decisions=[to_decision(flag)],
            ),
            subject=ev.id,
            org_id=ev.org_id,
            project_id=ev.project_id,
        )
    return rows


async def record_result(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, evaluation_id: str, grade, summary
) -> Evaluation:
    """The evaluation's result, not before its window opens (H1); sent on to finance (H2)."""
    who.require(Role.BUREAU_REVIEWER)
    ev = await uow.session.get(Evaluation, evaluation_id)
    if ev is None:
        raise NotFound("evaluation not found")
    who.not_own_org(ev.org_id, "record the evaluation result of a project")
    if ev.status != EvaluationStatus.PENDING:
        raise Conflict(f"evaluation is {ev.status}", state=ev.status)
    if ev.earliest_on and today() < ev.earliest_on:
        raise RuleRefused(
            [
                Decision.refuse(
                    profile, "H1", f"the evaluation is due from {ev.earliest_on}, not before"
                )
            ]
        )
    ev.status, ev.grade, ev.summary = EvaluationStatus.RECORDED.value, grade.value, summary
    ev.recorded_by, ev.recorded_at = who.subject, utcnow()
    basis = [Decision.allow(profile, "H1", "evaluation report recorded")]
    if profile.applies("H2"):
        basis.append(
            Decision.allow(profile, "H2", "the result decides the next O&M funds and approvals")
        )
    await uow.session.flush()
    await uow.emit(
        "evaluation",
        "recorded",
        events_pb2.EvaluationRecorded(
            evaluation_id=ev.id,
            case_id=ev.case_id,
            project_id=ev.project_id,
            org_id=ev.org_id,
            grade=ev.grade,
            summary=summary,
            decisions=[to_decision(d) for d in basis],
            recorded_by=to_actor(who),
            recorded_at=to_timestamp(ev.recorded_at),
        ),
        subject=ev.id,
        org_id=ev.org_id,
        project_id=ev.project_id,
    )
    return ev
