"""Use cases of changes: request (routed by F1-F5), the bureau's disposal, the approver."""

from decimal import Decimal

from sqlalchemy import select

from govit.review.v1 import events_pb2
from govit_kit.auth import PROJECT_READERS, UNIT_ROLES, Principal, Role
from govit_kit.convert import to_actor, to_decision, to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput, NotFound
from govit_kit.policy import Decision, Outcome, PolicyProfile
from govit_kit.uow import UnitOfWork
from review.cases import flows as case_flows
from review.cases import service as cases
from review.cases.enums import CaseStatus
from review.changes import rules
from review.changes.enums import AdjustmentReason, ChangeKind, ChangeRoute, ChangeStatus
from review.changes.models import ChangeRequest
from review.changes.schemas import ChangeCreate


async def _emit(uow: UnitOfWork, who: Principal, change: ChangeRequest, name: str, opinion=""):
    def money(v: Decimal | None):
        return to_money(v) if v is not None else None

    await uow.emit(
        "change",
        name,
        events_pb2.ChangeRecorded(
            change_id=change.id,
            case_id=change.case_id,
            project_id=change.project_id,
            org_id=change.org_id,
            kind=change.kind,
            route=change.route,
            status=change.status,
            approved_total=money(change.approved_total),
            new_total=money(change.new_total),
            amount_adjusted=money(change.amount_adjusted),
            decisions=[to_decision(d) for d in change.decisions],
            opinion=opinion,
            actor=to_actor(who),
            recorded_at=to_timestamp(utcnow()),
        ),
        subject=change.id,
        org_id=change.org_id,
        project_id=change.project_id,
    )


async def request_change(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, case_id: str, data: ChangeCreate
) -> ChangeRequest:
    """The unit asks to change its approved project; the profile decides the route."""
    who.require(*UNIT_ROLES)
    case = await cases.get(session=uow.session, case_id=case_id, who=who)
    if not case.chain_stage:
        raise Conflict("only an approved project is changed; this case has no approval yet")
    _ensure_changeable(case, data.kind)
    approved_total = case.approved_investment or case.total_investment
    if data.kind == ChangeKind.ADJUSTMENT:
        for field in ("amount_adjusted", "new_total", "reason"):
            if getattr(data, field) is None:
                raise InvalidInput.by_rule(
                    profile, field, f"an adjustment states its {field}", "F1", "F2"
                )
        route, decisions = rules.adjustment_route(
            profile,
            approved_total=approved_total,
            new_total=data.new_total,
            amount_adjusted=data.amount_adjusted,
            reason=AdjustmentReason(data.reason),
        )
    else:
        route, decisions = rules.change_route(profile, data.kind)
    change = ChangeRequest(
        case_id=case.id,
        project_id=case.project_id,
        org_id=case.org_id,
        kind=data.kind.value,
        reason_code=data.reason.value if data.reason else None,
        description=data.description,
        approved_total=approved_total,
        new_total=data.new_total,
        amount_adjusted=data.amount_adjusted,
        route=route.value,
        status=(
            ChangeStatus.AWAITING_BUREAU
            if route in (ChangeRoute.APPROVAL, ChangeRoute.BUREAU_APPROVAL)
            else ChangeStatus.FILED
        ).value,
        decisions=[d.to_dict() for d in decisions],
        requested_by=who.subject,
        requested_at=utcnow(),
    )
    uow.session.add(change)
    await uow.session.flush()
    await _emit(uow, who, change, "requested")
    if change.kind == ChangeKind.TERMINATION and change.status == ChangeStatus.FILED:
        # F5 where the termination is filed, not approved (PDS P art17): filing ends the case.
        await _terminate(uow, who, case, change)
    return change


def _ensure_changeable(case, kind: ChangeKind) -> None:
    """A suspended case (F4) may still be terminated (F5), but takes no other change; a
    terminated case takes none."""
    if kind == ChangeKind.TERMINATION and case.status == CaseStatus.SUSPENDED:
        return
    cases.ensure_going(case, "change")


async def get(*, session, change_id: str, who: Principal) -> ChangeRequest:
    """A change the caller may see (the bureau roles, or the owning unit); 404 otherwise."""
    change = await session.get(ChangeRequest, change_id)
    if change is None:
        raise NotFound("change not found")
    who.check_owner(change.org_id, PROJECT_READERS, "change")
    return change


def visible(who: Principal, case_id: str):
    """The select of a case's changes the caller may list."""
    query = select(ChangeRequest).where(ChangeRequest.case_id == case_id)
    scope = who.org_scope(PROJECT_READERS)
    query = query if scope is None else query.where(ChangeRequest.org_id == scope)
    return query.order_by(ChangeRequest.requested_at, ChangeRequest.id)


async def dispose(
    *, uow: UnitOfWork, who: Principal, change_id: str, agree: bool, opinion: str
) -> ChangeRequest:
    """F2/F5: the data bureau's disposal opinion (copied to finance by the event); where the
    bureau itself approves (F3, XY art15 核准备案) its agreement is the approval."""
    who.require(Role.BUREAU_REVIEWER)
    change = await get(session=uow.session, change_id=change_id, who=who)
    # Under the bureau-approval route (F3) the disposal is the approval itself.
    who.not_own_org(change.org_id, "dispose of a change request")
    case = await _locked_case(uow, who, change)
    if change.status != ChangeStatus.AWAITING_BUREAU:
        raise Conflict(f"change is {change.status}", state=change.status)
    final = change.route == ChangeRoute.BUREAU_APPROVAL
    if agree and final:
        # The bureau's agreement is the approval: the case must still take the change, as for
        # the approver's decision (a case suspended or terminated since the request does not).
        _ensure_changeable(case, ChangeKind(change.kind))
    if agree:
        _ensure_current_base(case, change)
    change.bureau_opinion, change.bureau_reviewer = opinion, who.subject
    if agree:
        change.status = (ChangeStatus.APPROVED if final else ChangeStatus.AWAITING_APPROVER).value
    else:
        change.status = ChangeStatus.REFUSED.value
    if not agree or final:
        change.decided_at = utcnow()
    if agree and final:
        _take_effect(case, change)
    await uow.session.flush()
    await _emit(uow, who, change, "disposed", opinion)
    return change


async def decide(
    *, uow: UnitOfWork, who: Principal, change_id: str, agree: bool, opinion: str
) -> ChangeRequest:
    """The original approver (NDRC) decides after the bureau's opinion; an approved adjustment
    sets the new approved total."""
    who.require(Role.NDRC_OFFICER)
    change = await get(session=uow.session, change_id=change_id, who=who)
    case = await _locked_case(uow, who, change)
    if change.status != ChangeStatus.AWAITING_APPROVER:
        raise Conflict(f"change is {change.status}", state=change.status)
    if agree:
        _ensure_changeable(case, ChangeKind(change.kind))
        _ensure_current_base(case, change)
    change.approver_note, change.approver = opinion, who.subject
    change.status = (ChangeStatus.APPROVED if agree else ChangeStatus.REFUSED).value
    change.decided_at = utcnow()
    if agree:
        _take_effect(case, change)
    await uow.session.flush()
    await _emit(uow, who, change, "decided", opinion)
    if agree and change.kind == ChangeKind.TERMINATION:
        # F5: the approved termination ends the case; intake's project follows by the event.
        await _terminate(uow, who, case, change)
    return change


async def _locked_case(uow: UnitOfWork, who: Principal, change: ChangeRequest):
    """The change's case, its row locked (SELECT ... FOR UPDATE), and the change read again
    under that lock: two disposals or decisions on the same case (two adjustments, or the same
    change twice) queue here, and the later one sees the approved figure and the status the
    earlier one left."""
    case = await cases.get(session=uow.session, case_id=change.case_id, who=who)
    await cases.lock(session=uow.session, case=case)
    await uow.session.refresh(change)
    return case


def _ensure_current_base(case, change: ChangeRequest) -> None:
    """F1/F2: an adjustment is asked, routed and decided on the approved total it was requested
    on (its `approved_total`): F1's share is a share of that total (YY art24 概算总投资15%) and the
    approver's decision replaces it (SN P art30). If another approval has moved the case's
    approved figure since, agreeing would silently undo that approval; the change is refused
    with a 409 naming the current figure, and the unit refiles it on that base. Disagreeing is
    still possible (it changes no figure and closes the stale request)."""
    if change.new_total is None:
        return
    current = case.approved_investment or case.total_investment
    if current != change.approved_total:
        raise Conflict(
            f"the change was requested on an approved total of {change.approved_total}; the "
            f"case's approved total is now {current} (another approval since): refile the "
            "change on the current figure",
            current_approved_total=str(current),
            requested_on=str(change.approved_total),
        )


def _take_effect(case, change: ChangeRequest) -> None:
    """An approved adjustment sets the case's approved investment to its new total, whoever
    approved it: the original approver (F1, F2) or the data bureau where it approves and files
    (F3, XY art15 核准备案). The event of the approval carries `approved_total` (the base it
    replaced) and `new_total`. A filed change approves nothing and changes no approved figure."""
    if change.new_total is not None:
        case.approved_investment = change.new_total


async def _terminate(uow: UnitOfWork, who: Principal, case, change: ChangeRequest) -> None:
    await case_flows.terminate(
        uow=uow,
        who=who,
        case=case,
        reason=change.description,
        decisions=[_decision(d) for d in change.decisions],
        change_id=change.id,
    )


def _decision(d: dict) -> Decision:
    """A stored decision dict as a Decision."""
    return Decision(d["rule_id"], d["article"], Outcome(d["outcome"]), d["reason"], d["figures"])
