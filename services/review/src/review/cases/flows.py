"""Use cases of review; the only place that emits review's case events."""

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.review.v1 import events_pb2, types_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import from_money, to_actor, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict
from govit_kit.idempotency import check_if_match
from govit_kit.policy import PolicyProfile
from govit_kit.uow import UnitOfWork
from review.cases import rules, service
from review.cases.enums import CaseStatus, Conclusion
from review.cases.models import ReviewCase
from review.cases.schemas import ConclusionCreate

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
