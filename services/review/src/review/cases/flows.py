"""Use cases of review; the only place that emits review's case events."""

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.review.v1 import events_pb2, types_pb2
from govit_kit.auth import UNIT_ROLES, Principal, Role
from govit_kit.convert import from_money, to_actor, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, NotFound, RuleRefused
from govit_kit.idempotency import check_if_match
from govit_kit.policy import Decision, Outcome, PolicyProfile
from govit_kit.uow import UnitOfWork
from review.cases import rules, service
from review.cases.enums import CaseStatus, Conclusion, PreCheckStatus
from review.cases.models import PreCheck, ReviewCase
from review.cases.schemas import ConclusionCreate, DeclaredAttributes
from review.pb import decision_pb

CONCLUSION_PB = {
    Conclusion.APPROVE: types_pb2.CONCLUSION_APPROVE,
    Conclusion.APPROVE_AFTER_REVISION: types_pb2.CONCLUSION_APPROVE_AFTER_REVISION,
    Conclusion.REJECT: types_pb2.CONCLUSION_REJECT,
}


async def open_case(*, uow: UnitOfWork, profile: PolicyProfile, submitted) -> ReviewCase:
    """A submitted application opens a case on the track D2 gives it."""
    open_case_ = await uow.session.scalar(
        select(ReviewCase).where(
            ReviewCase.project_id == submitted.project_id, ReviewCase.status == CaseStatus.OPEN
        )
    )
    if open_case_ is not None:
        return open_case_  # a resubmission while a case is open joins that case
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
            decisions=[
                common_pb2.Decision(
                    rule_id=decision.rule_id,
                    article=decision.article,
                    outcome=decision.outcome.value,
                    reason=decision.reason,
                )
            ],
            opened_at=to_timestamp(case.opened_at),
        ),
        subject=case.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return case


async def conclude(
    *,
    uow: UnitOfWork,
    who: Principal,
    case_id: str,
    data: ConclusionCreate,
    if_match: str | None = None,
) -> ReviewCase:
    """The data bureau concludes a case (D3); a concluded case is not concluded again."""
    who.require(Role.BUREAU_REVIEWER)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    check_if_match(if_match, case.version)
    if case.status != CaseStatus.OPEN:
        raise Conflict(
            f"case is {case.status}; only an open case can be concluded", state=case.status
        )
    if case.org_id == who.org_id:
        raise Conflict("a reviewer cannot conclude a case of their own organisation")
    if data.conclusion != Conclusion.REJECT:
        # D5/D8: a raised pre-check refuses approval until cleared or overruled in writing.
        blocking = await service.raised_pre_checks(session=uow.session, case_id=case.id)
        if blocking:
            raise RuleRefused([_stored_decision(p) for p in blocking])
    case.status, case.conclusion, case.reason = (
        CaseStatus.CONCLUDED.value,
        data.conclusion.value,
        data.reason,
    )
    case.reviewer, case.concluded_at = who.subject, utcnow()
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
            concluded_at=to_timestamp(case.concluded_at),
        ),
        subject=case.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return case


def _stored_decision(p: PreCheck) -> Decision:
    """A stored pre-check as the refusal it records."""
    return Decision(p.rule_id, p.article, Outcome.REFUSE, p.reason, {"ground": p.ground})


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
    found = rules.pre_checks(profile, attrs)
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
        if ground not in found and row.status != PreCheckStatus.CLEARED:
            row.status = PreCheckStatus.CLEARED.value
            cleared.append(ground)
    await uow.session.flush()
    await uow.emit(
        "case",
        "pre_checked",
        events_pb2.CasePreChecked(
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            raised=[
                events_pb2.PreCheckResult(
                    pre_check_id=row.id, ground=row.ground, decision=decision_pb(decision)
                )
                for row, decision in raised
            ],
            cleared=cleared,
            declared_by=to_actor(who),
            checked_at=to_timestamp(now),
        ),
        subject=case.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return case


async def overrule_pre_check(
    *, uow: UnitOfWork, who: Principal, case_id: str, pre_check_id: str, reason: str
) -> PreCheck:
    """A bureau reviewer sets a raised pre-check aside, only with a written reason."""
    who.require(Role.BUREAU_REVIEWER)
    case = await service.get(session=uow.session, case_id=case_id, who=who)
    row = await uow.session.get(PreCheck, pre_check_id)
    if row is None or row.case_id != case.id:
        raise NotFound("pre-check not found")
    if case.org_id == who.org_id:
        raise Conflict("a reviewer cannot overrule a pre-check of their own organisation's case")
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
