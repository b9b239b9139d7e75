"""Use cases of review; the only place that emits review's case events."""

import logging

from sqlalchemy import func, select

from govit.review.v1 import events_pb2, types_pb2
from govit_kit.auth import UNIT_ROLES, Principal, Role
from govit_kit.convert import (
    from_money,
    from_timestamp,
    to_actor,
    to_decision,
    to_money,
    to_timestamp,
)
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleRefused
from govit_kit.idempotency import check_if_match
from govit_kit.policy import Decision, Outcome, PolicyProfile
from govit_kit.uow import UnitOfWork
from review.acceptance.enums import Grade
from review.acceptance.models import Acceptance, Evaluation
from review.cases import rules, service
from review.cases.enums import Capacity, CaseStatus, ChainStep, Conclusion, PreCheckStatus, Track
from review.cases.models import (
    ApprovalStep,
    CaseSuspension,
    ConclusionRecord,
    Opinion,
    PreCheck,
    Resubmission,
    ReviewCase,
)
from review.cases.schemas import (
    ApprovalStepCreate,
    ConclusionCreate,
    DeclaredAttributes,
    OpinionCreate,
    PreCheckRaise,
)
from review.pools import service as pools
from review.rectification import rules as rectification_rules
from review.rectification import service as rectification

log = logging.getLogger(__name__)

CONCLUSION_PB = {
    Conclusion.APPROVE: types_pb2.CONCLUSION_APPROVE,
    Conclusion.APPROVE_AFTER_REVISION: types_pb2.CONCLUSION_APPROVE_AFTER_REVISION,
    Conclusion.REJECT: types_pb2.CONCLUSION_REJECT,
}


async def open_case(*, uow: UnitOfWork, profile: PolicyProfile, submitted) -> ReviewCase | None:
    """A submitted application opens a case on the track D2 gives it; a project resubmitted
    after approve_after_revision reopens its case for the next round instead. A project has one
    case: a submission that answers no open revision request of it (late, of a round already
    reopened in review and concluded; or a concluded case's) is logged and ignored (None)."""
    latest = await uow.session.scalar(
        select(ReviewCase)
        .where(ReviewCase.project_id == submitted.project_id)
        .order_by(ReviewCase.opened_at.desc(), ReviewCase.id.desc())
        .limit(1)
    )
    if latest is not None:
        late = await _late_submission(uow, latest, submitted)
        if late is not None:
            log.warning(
                "project %s: submission ignored, case %s (round %s, %s) is not opened again: %s",
                submitted.project_id,
                latest.id,
                latest.round,
                latest.status,
                late,
            )
            return None
    if latest is not None and latest.status == CaseStatus.OPEN:
        # A resubmission while a case is open joins that case (the unit reopened it in review
        # first): the round is reviewed at the figures intake submitted.
        _resubmitted_figures(profile, latest, submitted)
        return latest
    if latest is not None and latest.status == CaseStatus.REVISION_REQUESTED:
        return await _reopen(
            uow,
            latest,
            note="resubmitted in intake",
            by=submitted.submitted_by.subject or "service:intake",
            actor=submitted.submitted_by,
            profile=profile,
            submitted=submitted,
        )
    amount = from_money(submitted.total_investment)
    track, decision = rules.review_track(profile, amount)
    case = ReviewCase(
        project_id=submitted.project_id,
        org_id=submitted.org_id,
        project_name=submitted.name,
        total_investment=amount,
        track=track.value,
        decisions=[decision.to_dict()],
        status=CaseStatus.OPEN.value,
        round=1,
        attributes={},
        opened_at=utcnow(),
    )
    uow.session.add(case)
    await uow.session.flush()
    await uow.emit(
        "case",
        "opened",
        events_pb2.ReviewCaseOpened(
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            track=case.track,
            decisions=[to_decision(decision)],
            opened_at=to_timestamp(case.opened_at),
        ),
        subject=case.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return case


async def _late_submission(uow: UnitOfWork, case: ReviewCase, submitted) -> str | None:
    """Why intake's submission of a project that has a case answers none of its rounds, or None.

    Intake submits a project only as a draft or when revision is requested, so a submission
    after the first answers the case's latest revision request. One submitted before the case's
    latest conclusion answers an earlier round (the unit reopened the case in review and that
    round was concluded before intake's event arrived): it is late, whatever the case's state.
    A concluded or halted case answers no submission at all: a project never has a second case."""
    if submitted.HasField("submitted_at"):
        last = await uow.session.scalar(
            select(func.max(ConclusionRecord.concluded_at)).where(
                ConclusionRecord.case_id == case.id
            )
        )
        at = from_timestamp(submitted.submitted_at)
        if last is not None and at < last:
            return (
                f"submitted at {at.isoformat()}, before the conclusion of {last.isoformat()}: "
                "a late submission of an earlier round"
            )
    if case.status not in (CaseStatus.OPEN, CaseStatus.REVISION_REQUESTED):
        return f"the project's case is {case.status}; a project has one case"
    return None


async def _opinion_capacities(uow: UnitOfWork, case: ReviewCase) -> set[Capacity]:
    """The capacities that gave an opinion in the case's current round."""
    rows = await uow.session.scalars(
        select(Opinion.capacity).where(Opinion.case_id == case.id, Opinion.round == case.round)
    )
    return {Capacity(c) for c in rows}


async def conclude(
    *,
    uow: UnitOfWork,
    who: Principal,
    case_id: str,
    data: ConclusionCreate,
    profile: PolicyProfile,
    if_match: str | None = None,
) -> ReviewCase:
    """The data bureau concludes the current round of a case (D3). Approving a technical-review
    case needs its attributes declared (the pre-checks run) and every pre-check cleared or
    overruled (D5, D8) and the joint opinions (D3) or the drawn experts'
    (D6); approve_after_revision sends the case back to the applicant with the revisions."""
    who.require(Role.BUREAU_REVIEWER)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    # Locked before the pre-checks are read: a ground raised meanwhile is either seen (D5
    # refuses) or raised after the conclusion (and refused there: the case is no longer open).
    await service.lock(session=uow.session, case=case)
    check_if_match(if_match, case.version)
    if case.status != CaseStatus.OPEN:
        raise Conflict(
            f"case is {case.status}; only an open case can be concluded", state=case.status
        )
    who.not_own_org(case.org_id, "conclude a case")
    decisions = list(case.decisions)
    if data.conclusion != Conclusion.REJECT:
        # D5/D8: a raised pre-check refuses approval until cleared or overruled in writing.
        refusals = [
            _stored_decision(p)
            for p in await service.raised_pre_checks(session=uow.session, case_id=case.id)
        ]
        # D5 (else D8, A1): the pre-checks must have run, i.e. the attributes been declared.
        undeclared = rules.pre_checks_have_run(profile, Track(case.track), bool(case.attributes))
        if undeclared is not None:
            refusals.insert(0, undeclared)
        refusals += rules.joint_review_complete(
            profile, Track(case.track), await _opinion_capacities(uow, case)
        )
        # J3: a unit with an open security or crypto order may not start a new project.
        barred = rectification_rules.new_project_gate(
            profile,
            await rectification.open_security_orders(session=uow.session, org_id=case.org_id),
        )
        if barred is not None:
            refusals.append(barred)
        if refusals:
            raise RuleRefused(refusals)
        # H2: a failed evaluation of the unit's earlier systems weighs on its next approvals.
        failed = await uow.session.scalar(
            select(func.count()).where(
                Evaluation.org_id == case.org_id, Evaluation.grade == Grade.FAIL
            )
        )
        if failed and profile.applies("H2"):
            decisions.append(
                Decision.flag(
                    profile,
                    "H2",
                    f"the unit has {failed} failed performance evaluation(s)",
                    failed_evaluations=failed,
                ).to_dict()
            )
    now = utcnow()
    uow.session.add(
        ConclusionRecord(
            case_id=case.id,
            round=case.round,
            conclusion=data.conclusion.value,
            reason=data.reason,
            required_revisions=data.required_revisions,
            decisions=decisions,
            reviewer=who.subject,
            concluded_at=now,
        )
    )
    case.conclusion, case.reason = data.conclusion.value, data.reason
    case.reviewer, case.concluded_at = who.subject, now
    if data.conclusion == Conclusion.APPROVE_AFTER_REVISION:
        case.status = CaseStatus.REVISION_REQUESTED.value
    else:
        case.status = CaseStatus.CONCLUDED.value
    if data.conclusion == Conclusion.APPROVE:
        case.chain_stage = ChainStep.BUREAU_OPINION.value  # D7: the chain's first step
    await uow.session.flush()
    await uow.emit(
        "case",
        "concluded",
        events_pb2.ReviewCaseConcluded(
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            conclusion=CONCLUSION_PB[data.conclusion],
            reason=data.reason,
            reviewer=to_actor(who),
            concluded_at=to_timestamp(now),
            round=case.round,
            required_revisions=data.required_revisions,
            decisions=[to_decision(d) for d in decisions],
            total_investment=to_money(case.total_investment),
        ),
        subject=case.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return case


def _resubmitted_figures(profile: PolicyProfile, case: ReviewCase, submitted) -> Decision | None:
    """Take the resubmitted application's name and total investment into the case and choose
    its track again (D2: the track follows the total investment, SN P art22). Returns the D2
    decision, recorded with the case's decisions, or None when the amount did not change (a
    repeated submission: nothing to decide again)."""
    amount = from_money(submitted.total_investment)
    if submitted.name and submitted.name != case.project_name:
        case.project_name = submitted.name
    if amount == case.total_investment:
        return None
    track, decision = rules.track_on_resubmission(
        profile,
        amount,
        previous_track=Track(case.track),
        previous_total=case.total_investment,
        round_=case.round,
    )
    case.total_investment, case.track = amount, track.value
    case.decisions = [*case.decisions, decision.to_dict()]
    return decision


async def _reopen(
    uow: UnitOfWork,
    case: ReviewCase,
    *,
    note: str,
    by: str,
    actor,
    profile: PolicyProfile | None = None,
    submitted=None,
) -> ReviewCase:
    """Open the case's next round after a revision; the earlier rounds stay as they were. Intake's
    resubmission brings the revised name and total investment, and D2 chooses the track again."""
    case.round += 1
    case.status = CaseStatus.OPEN.value
    case.conclusion = case.reason = case.reviewer = case.concluded_at = None
    decision = None
    if submitted is not None and profile is not None:
        decision = _resubmitted_figures(profile, case, submitted)
    now = utcnow()
    uow.session.add(
        Resubmission(
            case_id=case.id, round=case.round, note=note, resubmitted_by=by, resubmitted_at=now
        )
    )
    await uow.session.flush()
    await uow.emit(
        "case",
        "resubmitted",
        events_pb2.CaseResubmitted(
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            round=case.round,
            note=note,
            resubmitted_by=actor,
            resubmitted_at=to_timestamp(now),
            track=case.track,
            decisions=[to_decision(decision)] if decision else [],
            total_investment=to_money(case.total_investment),
        ),
        subject=case.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return case


async def resubmit(*, uow: UnitOfWork, who: Principal, case_id: str, note: str) -> ReviewCase:
    """The applicant unit resubmits its revised plan: the case opens its next round."""
    who.require(*UNIT_ROLES)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    if case.status != CaseStatus.REVISION_REQUESTED:
        raise Conflict(
            f"case is {case.status}; only a case sent back for revision is resubmitted",
            state=case.status,
        )
    return await _reopen(uow, case, note=note, by=who.subject, actor=to_actor(who))


def _capacity(who: Principal, drawn: bool) -> Capacity:
    """In which capacity the caller gives an opinion."""
    if who.has(Role.EXPERT) and drawn:
        return Capacity.EXPERT
    if who.has(Role.SECURITY_REVIEWER):
        return Capacity.SECURITY
    if who.has(Role.SECRECY_REVIEWER):
        return Capacity.SECRECY
    raise Forbidden("opinions are given by drawn experts and the security and secrecy reviewers")


async def record_opinion(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, case_id: str, data: OpinionCreate
) -> Opinion:
    """A reviewer's opinion in the current round (D3, D4). A change is a new version based on
    the latest one: an opinion is never overwritten, and a stale base is a 409."""
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    drawn = await pools.is_drawn_for(session=uow.session, case_id=case.id, subject=who.subject)
    capacity = _capacity(who, drawn)
    # D3: the security and secrecy opinions come from outside the applicant (a drawn expert is
    # one already: the draw excludes the unit's employees).
    who.not_own_org(case.org_id, f"give the {capacity.value} opinion on a case")
    if case.status != CaseStatus.OPEN:
        raise Conflict(f"case is {case.status}; opinions go to an open case", state=case.status)
    if case.track != Track.TECHNICAL_REVIEW:
        raise Conflict(profile.cite("a filing-only case has no joint review", "D2"))
    checked = rules.opinion_completeness(profile, capacity, {i.value for i in data.checklist})
    if checked.outcome is Outcome.REFUSE:
        raise RuleRefused([checked])
    latest = await uow.session.scalar(
        select(func.max(Opinion.version)).where(
            Opinion.case_id == case.id, Opinion.round == case.round, Opinion.author == who.subject
        )
    )
    if (latest or None) != data.based_on_version:
        raise Conflict(
            f"your latest opinion in this round is version {latest or 'none'}; "
            f"based_on_version {data.based_on_version or 'none'} is stale",
            current_version=latest,
        )
    opinion = Opinion(
        case_id=case.id,
        round=case.round,
        author=who.subject,
        author_org=who.org_id,
        capacity=capacity.value,
        version=(latest or 0) + 1,
        checklist={k.value: v.model_dump(mode="json") for k, v in data.checklist.items()},
        recommendation=data.recommendation.value,
        summary=data.summary,
        created_at=utcnow(),
    )
    uow.session.add(opinion)
    await uow.session.flush()
    await uow.emit(
        "opinion",
        "recorded",
        events_pb2.OpinionRecorded(
            opinion_id=opinion.id,
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            round=opinion.round,
            capacity=opinion.capacity,
            version=opinion.version,
            recommendation=opinion.recommendation,
            author=to_actor(who),
            recorded_at=to_timestamp(opinion.created_at),
        ),
        subject=opinion.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return opinion


STEP_ROLE = {
    ChainStep.NDRC_APPROVAL: Role.NDRC_OFFICER,
    ChainStep.INVESTMENT_REVIEW: Role.FINANCE_OFFICER,
}
STEP_EVENT = {
    ChainStep.NDRC_APPROVAL: "ndrc_approved",
    ChainStep.INVESTMENT_REVIEW: "investment_reviewed",
}


async def record_chain_step(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    case_id: str,
    step: ChainStep,
    data: ApprovalStepCreate,
) -> ApprovalStep:
    """D7: the NDRC records its approval of the feasibility study and estimate after the
    bureau's approving opinion; finance records its investment review after the NDRC."""
    who.require(STEP_ROLE[step])
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    service.ensure_going(case, "further approval step")
    ok, decision = rules.chain_step(profile, step, case.chain_stage)
    if not ok:
        if decision.outcome is Outcome.REFUSE:
            raise RuleRefused([decision])
        raise Conflict(decision.reason, state=case.chain_stage)
    row = ApprovalStep(
        case_id=case.id,
        step=step.value,
        document_number=data.document_number,
        approved_amount=data.approved_amount,
        note=data.note,
        decisions=[decision.to_dict()],
        recorded_by=who.subject,
        recorded_org=who.org_id,
        recorded_at=utcnow(),
    )
    uow.session.add(row)
    case.chain_stage = step.value
    if step == ChainStep.NDRC_APPROVAL:
        case.approved_investment = data.approved_amount  # the estimate (概算) F1 measures against
    await uow.session.flush()
    await uow.emit(
        "approval",
        STEP_EVENT[step],
        events_pb2.ApprovalStepRecorded(
            step_id=row.id,
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            step=step.value,
            document_number=row.document_number,
            approved_amount=to_money(row.approved_amount),
            decisions=[to_decision(decision)],
            recorded_by=to_actor(who),
            recorded_at=to_timestamp(row.recorded_at),
        ),
        subject=case.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return row


def _stored_decision(p: PreCheck) -> Decision:
    """A stored pre-check as the refusal it records (with its D5 item, where it is one)."""
    item = rules.d5_item(p.ground) if p.rule_id == "D5" else None
    figures = {"ground": p.ground} | ({"item": item} if item else {})
    return Decision(p.rule_id, p.article, Outcome.REFUSE, p.reason, figures)


async def declare_attributes(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    case_id: str,
    data: DeclaredAttributes,
    if_match: str | None = None,
) -> ReviewCase:
    """The applicant unit (or the bureau on its behalf) declares the project's attributes; the
    D5/D8 pre-checks run again: new grounds are raised, grounds no longer declared are cleared,
    and an overruled ground stays overruled while it still applies."""
    if not who.has(Role.BUREAU_REVIEWER):
        who.require(*UNIT_ROLES, Role.BUREAU_REVIEWER)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    check_if_match(if_match, case.version)
    if case.status != CaseStatus.OPEN:
        raise Conflict(f"case is {case.status}; attributes are declared on an open case")
    attrs = data.model_dump(mode="json")
    case.attributes, case.contractor = attrs, data.contractor
    now = utcnow()
    checked = dict(attrs)
    if data.predecessor_project_id:
        # D8: where review holds the predecessor's record, its acceptance decides, not the claim.
        known = await _predecessor_accepted(uow, data.predecessor_project_id)
        if known is not None:
            checked["predecessor_accepted"] = known
    found = rules.pre_checks(profile, checked)
    existing = {
        p.ground: p for p in await service.pre_checks_of(session=uow.session, case_id=case.id)
    }
    raised, cleared = [], []
    for ground, decision in found.items():
        row = existing.get(ground)
        if row is None:
            row = PreCheck(case_id=case.id, ground=ground, status=PreCheckStatus.RAISED.value)
            uow.session.add(row)
        elif row.status == PreCheckStatus.CLEARED:
            row.status, row.overruled_by, row.overrule_reason, row.overruled_at = (
                PreCheckStatus.RAISED.value,
                None,
                None,
                None,
            )
        if row.status == PreCheckStatus.RAISED:
            row.rule_id, row.article, row.reason, row.raised_at = (
                decision.rule_id,
                decision.article,
                decision.reason,
                now,
            )
        raised.append((row, decision))
    for ground, row in existing.items():
        if row.raised_by is not None:
            continue  # a reviewer's judged ground: no declaration shows or clears it
        if ground not in found and row.status != PreCheckStatus.CLEARED:
            row.status = PreCheckStatus.CLEARED.value
            cleared.append(ground)
    await uow.session.flush()
    await _pre_check_event(uow, who, case, raised=raised, cleared=cleared, at=now)
    return case


async def _predecessor_accepted(uow: UnitOfWork, project_id: str) -> bool | None:
    """Whether review's own records show the project accepted (None: review never saw it)."""
    if (
        await uow.session.scalar(
            select(ReviewCase.id).where(ReviewCase.project_id == project_id).limit(1)
        )
        is None
    ):
        return None
    accepted = await uow.session.scalar(
        select(Acceptance.id)
        .where(Acceptance.project_id == project_id, Acceptance.om_eligible.is_(True))
        .limit(1)
    )
    return accepted is not None


async def _pre_check_event(
    uow: UnitOfWork,
    who: Principal,
    case: ReviewCase,
    *,
    raised: list[tuple[PreCheck, Decision]],
    cleared: list[str],
    at,
) -> None:
    await uow.emit(
        "case",
        "pre_checked",
        events_pb2.CasePreChecked(
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            raised=[
                events_pb2.PreCheckResult(
                    pre_check_id=row.id, ground=row.ground, decision=to_decision(decision)
                )
                for row, decision in raised
            ],
            cleared=cleared,
            declared_by=to_actor(who),
            checked_at=to_timestamp(at),
        ),
        subject=case.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )


def _judgeable(profile: PolicyProfile, ground: str) -> None:
    """422 on `ground` unless it is a D5 ground a reviewer judges, in a profile with D5."""
    if ground in rules.GROUNDS:
        raise InvalidInput(
            "ground",
            f"{ground} is raised from the declared attributes (PUT /v1/cases/{{id}}/attributes), "
            "not by a reviewer; a reviewer raises one of: " + ", ".join(rules.JUDGED_GROUNDS),
        )
    if ground not in rules.JUDGED_GROUNDS:
        raise InvalidInput(
            "ground", f"unknown ground {ground!r}; one of: " + ", ".join(rules.JUDGED_GROUNDS)
        )
    if not profile.applies("D5"):
        raise InvalidInput(
            "ground",
            f"D5 does not apply in profile {profile.name}: it has no ground {ground} to raise",
            rule_id="D5",
        )


async def raise_pre_check(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    case_id: str,
    data: PreCheckRaise,
) -> PreCheck:
    """D5 (SN P art19(二)): a bureau reviewer raises a ground no declaration can show (item 5's
    second half, 6, 7, 9) with a written reason. It is a pre-check like the declared ones: it
    refuses an approving conclusion until cleared or overruled in writing."""
    who.require(Role.BUREAU_REVIEWER)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    who.not_own_org(case.org_id, "raise a ground on a case")
    _judgeable(profile, data.ground)
    # The conclusion takes the same lock: the status below is the one after any conclusion.
    await service.lock(session=uow.session, case=case)
    if case.status != CaseStatus.OPEN:
        raise Conflict(f"case is {case.status}; grounds are raised on an open case")
    decision = rules.judged_ground(profile, data.ground, data.reason)
    row = await uow.session.scalar(
        select(PreCheck).where(PreCheck.case_id == case.id, PreCheck.ground == data.ground)
    )
    if row is not None and row.status != PreCheckStatus.CLEARED:
        raise Conflict(f"the ground is {row.status} already", state=row.status)
    now = utcnow()
    if row is None:
        row = PreCheck(case_id=case.id, ground=data.ground)
        uow.session.add(row)
    row.status = PreCheckStatus.RAISED.value
    row.rule_id, row.article, row.reason, row.raised_at = (
        decision.rule_id,
        decision.article,
        decision.reason,
        now,
    )
    row.raised_by, row.raise_reason = who.subject, data.reason
    row.cleared_by = row.clear_reason = row.cleared_at = None
    await uow.session.flush()
    await _pre_check_event(uow, who, case, raised=[(row, decision)], cleared=[], at=now)
    return row


async def clear_pre_check(
    *, uow: UnitOfWork, who: Principal, case_id: str, pre_check_id: str, reason: str
) -> PreCheck:
    """A bureau reviewer clears a judged ground that no longer holds (e.g. the revised plan
    states its goals), in writing. A declared ground is cleared by declaring again."""
    who.require(Role.BUREAU_REVIEWER)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    row = await uow.session.get(PreCheck, pre_check_id)
    if row is None or row.case_id != case.id:
        raise NotFound("pre-check not found")
    who.not_own_org(case.org_id, "clear a pre-check of a case")
    if row.raised_by is None:
        raise Conflict(
            "a ground raised from the declared attributes is cleared by declaring them again",
            state=row.status,
        )
    if row.status != PreCheckStatus.RAISED:
        raise Conflict(
            f"pre-check is {row.status}; only a raised one can be cleared", state=row.status
        )
    now = utcnow()
    row.status = PreCheckStatus.CLEARED.value
    row.cleared_by, row.clear_reason, row.cleared_at = who.subject, reason, now
    await uow.session.flush()
    await _pre_check_event(uow, who, case, raised=[], cleared=[row.ground], at=now)
    return row


async def overrule_pre_check(
    *, uow: UnitOfWork, who: Principal, case_id: str, pre_check_id: str, reason: str
) -> PreCheck:
    """A bureau reviewer sets a raised pre-check aside, only with a written reason."""
    who.require(Role.BUREAU_REVIEWER)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    row = await uow.session.get(PreCheck, pre_check_id)
    if row is None or row.case_id != case.id:
        raise NotFound("pre-check not found")
    who.not_own_org(case.org_id, "overrule a pre-check of a case")
    if row.status != PreCheckStatus.RAISED:
        raise Conflict(
            f"pre-check is {row.status}; only a raised one can be overruled", state=row.status
        )
    row.status = PreCheckStatus.OVERRULED.value
    row.overruled_by, row.overrule_reason, row.overruled_at = who.subject, reason, utcnow()
    await uow.session.flush()
    await uow.emit(
        "pre_check",
        "overruled",
        events_pb2.PreCheckOverruled(
            pre_check_id=row.id,
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            ground=row.ground,
            rule_id=row.rule_id,
            article=row.article,
            reason=reason,
            overruled_by=to_actor(who),
            overruled_at=to_timestamp(row.overruled_at),
        ),
        subject=row.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return row


async def _state_changed(
    uow: UnitOfWork,
    who: Principal,
    case: ReviewCase,
    name: str,
    *,
    previous: str,
    reason: str,
    decisions: list[Decision],
    at,
    change_id: str = "",
) -> None:
    await uow.emit(
        "case",
        name,
        events_pb2.CaseStateChanged(
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            status=case.status,
            previous_status=previous,
            reason=reason,
            decisions=[to_decision(d) for d in decisions],
            actor=to_actor(who),
            changed_at=to_timestamp(at),
            change_id=change_id,
        ),
        subject=case.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )


async def suspend(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, case_id: str, reason: str
) -> CaseSuspension:
    """F4: the bureau suspends an approved project's construction, with its reason; the case
    takes no chain step, change or acceptance until the bureau lifts it."""
    who.require(Role.BUREAU_REVIEWER)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    who.not_own_org(case.org_id, "suspend a project")
    decision = rules.suspension(profile)
    if decision is None:
        raise Conflict(
            f"F4 does not apply in profile {profile.name}: the bureau orders no suspension here",
            rule_id="F4",
        )
    if case.status != CaseStatus.CONCLUDED or not case.chain_stage:
        raise Conflict(
            f"case is {case.status}; only an approved project in construction is suspended",
            state=case.status,
        )
    now = utcnow()
    row = CaseSuspension(
        case_id=case.id,
        reason=reason,
        decisions=[decision.to_dict()],
        suspended_by=who.subject,
        suspended_at=now,
    )
    uow.session.add(row)
    previous, case.status = case.status, CaseStatus.SUSPENDED.value
    await uow.session.flush()
    await _state_changed(
        uow, who, case, "suspended", previous=previous, reason=reason, decisions=[decision], at=now
    )
    return row


async def lift_suspension(
    *, uow: UnitOfWork, who: Principal, case_id: str, note: str
) -> CaseSuspension:
    """The bureau lifts the open suspension: the case goes on where it stood."""
    who.require(Role.BUREAU_REVIEWER)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    who.not_own_org(case.org_id, "lift the suspension of a project")
    row = await uow.session.scalar(
        select(CaseSuspension).where(
            CaseSuspension.case_id == case.id, CaseSuspension.lifted_at.is_(None)
        )
    )
    if case.status != CaseStatus.SUSPENDED or row is None:
        raise Conflict(f"case is {case.status}; there is no suspension to lift", state=case.status)
    now = utcnow()
    row.lifted_by, row.lift_note, row.lifted_at = who.subject, note, now
    previous, case.status = case.status, CaseStatus.CONCLUDED.value
    await uow.session.flush()
    stored = [Decision(**{**d, "outcome": Outcome(d["outcome"])}) for d in row.decisions]
    await _state_changed(
        uow,
        who,
        case,
        "suspension_lifted",
        previous=previous,
        reason=note,
        decisions=stored,
        at=now,
    )
    return row


async def halt_for_sanction(
    *,
    uow: UnitOfWork,
    who: Principal,
    case: ReviewCase | None,
    sanction: str,
    decision: Decision,
    order_id,
) -> None:
    """J1's ladder reaches a project: 暂停项目建设 suspends an approved case (the bureau lifts it
    as any suspension), 终止 terminates it. A case not in construction is left as it is. The
    case is read and locked by the caller (the ladder's round reads all of its cases at once)."""
    if case is None or not case.chain_stage:
        return
    reason = f"rectification order {order_id} overdue: {sanction} (J1)"
    if sanction == "terminated" and case.status != CaseStatus.TERMINATED:
        await terminate(
            uow=uow, who=who, case=case, reason=reason, decisions=[decision], change_id=""
        )
    elif sanction == "construction_suspended" and case.status == CaseStatus.CONCLUDED:
        now = utcnow()
        uow.session.add(
            CaseSuspension(
                case_id=case.id,
                reason=reason,
                decisions=[decision.to_dict()],
                suspended_by=who.subject,
                suspended_at=now,
            )
        )
        previous, case.status = case.status, CaseStatus.SUSPENDED.value
        await uow.session.flush()
        await _state_changed(
            uow,
            who,
            case,
            "suspended",
            previous=previous,
            reason=reason,
            decisions=[decision],
            at=now,
        )


async def terminate(
    *, uow: UnitOfWork, who: Principal, case: ReviewCase, reason: str, decisions, change_id: str
) -> None:
    """F5: the approver agreed to the termination: the case (and, by the event, the project)
    is terminated for good (a suspended case too)."""
    if case.status == CaseStatus.TERMINATED:
        raise Conflict("case is terminated already", state=case.status)
    now = utcnow()
    previous, case.status = case.status, CaseStatus.TERMINATED.value
    await uow.session.flush()
    await _state_changed(
        uow,
        who,
        case,
        "terminated",
        previous=previous,
        reason=reason,
        decisions=decisions,
        at=now,
        change_id=change_id,
    )
