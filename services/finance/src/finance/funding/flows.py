"""Use cases of funding; the only place that emits finance's funding-line and ledger events."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from finance.funding import ledger, rules
from finance.funding.enums import EntryKind, FundingKind, FundingSource, LineStatus
from finance.funding.models import FundingLine, LedgerEntry, ProjectCopy
from finance.funding.schemas import EntryCreate, FundingLineCreate
from finance.payments import rules as payment_rules
from govit.common.v1 import common_pb2
from govit.finance.v1 import events_pb2
from govit.review.v1 import types_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import from_money, from_timestamp, to_decision, to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput, NotFound, RuleRefused
from govit_kit.inbox import NotYet
from govit_kit.policy import SHANGHAI, Decision, Outcome, PolicyProfile
from govit_kit.uow import UnitOfWork

SERVICE_ACTOR = "service:finance"


def decision_messages(decisions: list[Decision]) -> list[common_pb2.Decision]:
    """Decisions as their protobuf messages."""
    return [to_decision(d) for d in decisions]


async def remember_project(*, uow: UnitOfWork, submitted) -> None:
    """Keep finance's copy of a submitted project (its amount funds the construction line)."""
    copy = await uow.session.get(ProjectCopy, submitted.project_id)
    if copy is None:
        copy = ProjectCopy(project_id=submitted.project_id)
        uow.session.add(copy)
    copy.org_id, copy.name = submitted.org_id, submitted.name
    copy.total_investment = from_money(submitted.total_investment)


def approve_total(copy: ProjectCopy, total: Decimal, at: datetime, source: str) -> None:
    """The project's approved total is now `total` (E1, E6, E7 measure it), unless finance
    already holds one review recorded later: the conclusion, the NDRC's approval and approved
    adjustments are separate subjects and may arrive in any order. The same event seen again
    sets the same figure."""
    if copy.approved_total_at is not None and at < copy.approved_total_at:
        return
    copy.approved_total, copy.approved_total_at = total, at
    copy.approved_total_source = source[:240]


def measured_total(copy: ProjectCopy) -> tuple[Decimal, str]:
    """The project's total investment as E1, E6 and E7 measure it, and which one it is: the
    approved total (批复总投资) once review approved one, else the submitted total."""
    if copy.approved_total is not None:
        return copy.approved_total, "approved"
    return copy.total_investment, "submitted"


async def on_ndrc_approved(*, uow: UnitOfWork, approved) -> None:
    """D7: the NDRC's approval of the feasibility study and estimate fixes the project's
    approved total (review keeps it as the case's approved_investment)."""
    if approved.step and approved.step != "ndrc_approval":
        return
    copy = await uow.session.get(ProjectCopy, approved.project_id, with_for_update=True)
    if copy is None:
        raise NotYet(f"project {approved.project_id} not yet known to finance")
    at = from_timestamp(approved.recorded_at) if approved.HasField("recorded_at") else utcnow()
    approve_total(
        copy,
        from_money(approved.approved_amount),
        at,
        f"ndrc_approval {approved.document_number or approved.step_id}",
    )


async def _open(
    uow: UnitOfWork,
    *,
    copy: ProjectCopy,
    fiscal_year: int,
    kind: FundingKind,
    source: FundingSource,
    amount: Decimal,
    approved_estimate: Decimal | None,
    decisions: list[Decision],
    booked_by: str,
    opened_at: datetime | None = None,
) -> FundingLine:
    """A new line, its allocation entry and the funding_line.opened event."""
    line = FundingLine(
        project_id=copy.project_id,
        org_id=copy.org_id,
        fiscal_year=fiscal_year,
        kind=kind.value,
        source=source.value,
        amount=amount,
        approved_estimate=approved_estimate,
        status=LineStatus.OPEN.value,
        decisions=[d.to_dict() for d in decisions],
        opened_at=opened_at or utcnow(),
    )
    uow.session.add(line)
    await uow.session.flush()
    await uow.emit(
        "funding_line",
        "opened",
        events_pb2.FundingLineOpened(
            funding_line_id=line.id,
            project_id=line.project_id,
            org_id=line.org_id,
            fiscal_year=line.fiscal_year,
            kind=line.kind,
            source=line.source,
            amount=to_money(line.amount),
            opened_at=to_timestamp(line.opened_at),
        ),
        subject=line.id,
        org_id=line.org_id,
        project_id=line.project_id,
    )
    await ledger.book(uow, line, EntryKind.ALLOCATION, amount, booked_by=booked_by)
    return line


async def on_conclusion(
    *, uow: UnitOfWork, profile: PolicyProfile, concluded
) -> FundingLine | None:
    """An approval opens the construction funding line of the project's estimate (I1): the
    total investment the approving round was reviewed at, as the conclusion carries it (a round
    resubmitted at a new amount may be concluded before finance hears of that submission). A
    conclusion emitted before the event carried the amount falls back to finance's copy. The
    approving conclusion's total is the project's approved total until a later one (the NDRC's
    estimate, an approved adjustment) replaces it."""
    copy = await uow.session.get(ProjectCopy, concluded.project_id, with_for_update=True)
    if copy is None:
        # The conclusion overtook the submission on the bus: retry until intake's event lands.
        raise NotYet(f"project {concluded.project_id} not yet known to finance")
    copy.review_conclusion = types_pb2.Conclusion.Name(concluded.conclusion)
    if concluded.conclusion != types_pb2.CONCLUSION_APPROVE:
        return None
    approved_at = (
        from_timestamp(concluded.concluded_at) if concluded.HasField("concluded_at") else utcnow()
    )
    if concluded.HasField("total_investment"):
        approved_total = from_money(concluded.total_investment)
        approve_total(copy, approved_total, approved_at, f"conclusion {concluded.case_id}")
    else:
        approved_total = copy.total_investment
    return await _open(
        uow,
        copy=copy,
        fiscal_year=approved_at.astimezone(SHANGHAI).year,  # the fiscal year of the approval
        kind=FundingKind.CONSTRUCTION,
        source=FundingSource.MUNICIPAL_FINANCE,
        amount=approved_total,
        approved_estimate=approved_total,
        decisions=[rules.funding_after_approval(profile)],
        booked_by=SERVICE_ACTOR,
    )


async def on_investment_reviewed(*, uow: UnitOfWork, profile: PolicyProfile, reviewed) -> None:
    """D7: finance's investment review fixes the approved estimate of the construction funds.
    The line opened on the bureau's approval carries it from then on, open or closed, and an
    allocation above it is cut down to it by an adjustment entry (the books keep the first
    allocation), but never below a zero balance: where payments already took more than the
    estimate leaves, the part of the cut the line no longer holds is flagged (D7, with the
    amount not cut). A line closed at year end takes no entry: the cut is recorded on it as a D7
    decision (flag) for finance to act on, since its surplus went back to the treasury (I5)."""
    line = await _approval_line(uow, reviewed.project_id)
    if line is None:
        # The review overtook the conclusion on the bus: retry until its line is open.
        raise NotYet(f"project {reviewed.project_id} has no construction line yet")
    if any(
        d.get("rule_id") == "D7"
        and d.get("figures", {}).get("document_number") == reviewed.document_number
        for d in line.decisions
    ):
        return  # this review was applied already (a redelivery under another event id)
    approved = from_money(reviewed.approved_amount)
    allocated = sum(
        (v for k, v in (await ledger.totals(uow.session, line.id)).items() if k in _ALLOCATED),
        Decimal("0.00"),
    )
    cut = max(allocated - approved, Decimal("0.00"))
    closed_on = (
        line.closed_at.astimezone(SHANGHAI).date() if line.status == LineStatus.CLOSED else None
    )
    # On an open line the cut takes the balance down to zero at most, as an officer's own
    # adjustment may: what was paid already is spent, and the rest of the cut is flagged.
    balance = await ledger.balance(uow.session, line.id) if closed_on is None else None
    booked = min(cut, max(balance, Decimal("0.00"))) if balance is not None else Decimal("0.00")
    decision = rules.investment_review(
        profile,
        document_number=reviewed.document_number,
        approved=approved,
        allocated=allocated,
        cut=cut,
        closed_on=closed_on,
        booked=booked,
        balance=balance,
    )
    line.approved_estimate = approved
    line.decisions = [*line.decisions, decision.to_dict()]
    if booked:
        await ledger.book(
            uow,
            line,
            EntryKind.ADJUSTMENT,
            -booked,
            booked_by=SERVICE_ACTOR,
            memo=f"D7: investment review {reviewed.document_number}",
        )


async def _approval_line(uow: UnitOfWork, project_id: str) -> FundingLine | None:
    """The construction line the bureau's approval opened (its allocation booked by finance's
    service, not an officer), whatever its status; the earliest construction line of a project
    whose approval line cannot be told apart."""
    lines = (
        await uow.session.scalars(
            select(FundingLine)
            .where(
                FundingLine.project_id == project_id,
                FundingLine.kind == FundingKind.CONSTRUCTION.value,
            )
            .order_by(FundingLine.opened_at, FundingLine.id)
            .with_for_update()
        )
    ).all()
    if not lines:
        return None
    opened_by_approval = set(
        await uow.session.scalars(
            select(LedgerEntry.funding_line_id).where(
                LedgerEntry.funding_line_id.in_([line.id for line in lines]),
                LedgerEntry.kind == EntryKind.ALLOCATION.value,
                LedgerEntry.booked_by == SERVICE_ACTOR,
            )
        )
    )
    return next((line for line in lines if line.id in opened_by_approval), lines[0])


_ALLOCATED = {EntryKind.ALLOCATION.value, EntryKind.ADJUSTMENT.value}


async def on_evaluation_recorded(*, uow: UnitOfWork, recorded) -> None:
    """Keep the project's latest performance evaluation grade (H2); an older one arriving late
    changes nothing."""
    copy = await uow.session.get(ProjectCopy, recorded.project_id)
    if copy is None:
        raise NotYet(f"project {recorded.project_id} not yet known to finance")
    at = from_timestamp(recorded.recorded_at) if recorded.HasField("recorded_at") else utcnow()
    if copy.evaluated_at is None or at >= copy.evaluated_at:
        copy.evaluation_grade, copy.evaluated_at = recorded.grade, at


async def open_line(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, data: FundingLineCreate
) -> FundingLine:
    """Finance opens a line (O&M, cloud, a later year's construction) for a known project."""
    who.require(Role.FINANCE_OFFICER)
    copy = await uow.session.get(ProjectCopy, data.project_id)
    if copy is None:
        raise InvalidInput("project_id", "finance knows no project with this id")
    from finance.payments.flows import unrectified_before  # payments builds on funding

    opened_at = utcnow()  # I4 asks which orders are past due at the line's opening
    decisions = [rules.funding_after_approval(profile)]
    if data.kind is FundingKind.OM:
        h2 = rules.om_after_evaluation(
            profile, copy.evaluation_grade, data.evaluation_override_reason
        )
        if h2 is not None and h2.outcome is Outcome.REFUSE:
            raise RuleRefused([h2])
        decisions += [h2] if h2 else []
    gate = payment_rules.next_year_funds(
        profile,
        data.fiscal_year,
        await unrectified_before(uow.session, copy.org_id, data.fiscal_year, opened_at),
    )
    if gate is not None and gate.outcome is Outcome.REFUSE:
        raise RuleRefused([gate])
    decisions += [gate] if gate else []
    return await _open(
        uow,
        copy=copy,
        fiscal_year=data.fiscal_year,
        kind=data.kind,
        source=data.source,
        amount=data.amount,
        approved_estimate=data.approved_estimate,
        decisions=decisions,
        booked_by=who.subject,
        opened_at=opened_at,
    )


async def _line_for_update(uow: UnitOfWork, line_id: str) -> FundingLine:
    line = await uow.session.get(FundingLine, line_id, with_for_update=True)
    if line is None:
        raise NotFound("funding line not found")
    if line.status != LineStatus.OPEN:
        raise Conflict("the funding line is closed; nothing more can be booked on it")
    return line


async def adjust(
    *, uow: UnitOfWork, who: Principal, line_id: str, data: EntryCreate
) -> LedgerEntry:
    """Finance adds to or cuts a line; a cut may not take the balance below zero."""
    who.require(Role.FINANCE_OFFICER)
    line = await _line_for_update(uow, line_id)
    if await ledger.balance(uow.session, line.id) + data.amount < 0:
        raise InvalidInput("amount", "the cut is larger than the line's balance")
    return await ledger.book(
        uow, line, EntryKind.ADJUSTMENT, data.amount, booked_by=who.subject, memo=data.memo
    )


async def reverse(*, uow: UnitOfWork, who: Principal, entry_id: str, memo: str) -> LedgerEntry:
    """Undo an entry by booking its opposite; the original stays in the books."""
    who.require(Role.FINANCE_OFFICER)
    entry = await uow.session.get(LedgerEntry, entry_id)
    if entry is None:
        raise NotFound("ledger entry not found")
    if entry.kind == EntryKind.REVERSAL:
        raise Conflict("a reversal cannot itself be reversed; book a new entry instead")
    if entry.kind == EntryKind.PAYMENT:
        raise Conflict("a treasury payment is not reversed in the books; record a refund")
    taken = await uow.session.scalar(
        select(LedgerEntry.id).where(LedgerEntry.reverses_entry_id == entry.id)
    )
    if taken is not None:
        raise Conflict(f"entry {entry.id} was already reversed by {taken}")
    line = await _line_for_update(uow, entry.funding_line_id)
    if await ledger.balance(uow.session, line.id) - entry.amount < 0:
        raise Conflict("reversing this entry would take the line's balance below zero")
    return await ledger.book(
        uow,
        line,
        EntryKind.REVERSAL,
        -entry.amount,
        booked_by=who.subject,
        memo=memo,
        reverses=entry,
    )


async def close(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, line_id: str
) -> FundingLine:
    """Close a line at year end: its surplus goes back to the treasury (I5)."""
    who.require(Role.FINANCE_OFFICER)
    line = await _line_for_update(uow, line_id)
    surplus = await ledger.balance(uow.session, line.id)
    decision = rules.surplus_returned(profile, surplus)
    if surplus:
        await ledger.book(
            uow,
            line,
            EntryKind.SURPLUS_RETURN,
            -surplus,
            booked_by=who.subject,
            memo="结余资金收回",
        )
    line.status, line.closed_at = LineStatus.CLOSED.value, utcnow()
    line.decisions = [*line.decisions, decision.to_dict()]
    await uow.emit(
        "funding_line",
        "closed",
        events_pb2.FundingLineClosed(
            funding_line_id=line.id,
            project_id=line.project_id,
            org_id=line.org_id,
            surplus_returned=to_money(surplus),
            decisions=decision_messages([decision]),
            closed_at=to_timestamp(line.closed_at),
        ),
        subject=line.id,
        org_id=line.org_id,
        project_id=line.project_id,
    )
    return line


async def balance_at(session, line: FundingLine, at: datetime | None) -> dict:
    """The line's balance and its parts at a moment."""
    return {
        "funding_line_id": line.id,
        "at": at or utcnow(),
        **await ledger.totals(session, line.id, at),
    }
