"""Use cases of payments: the gates (I1-I6), holds and their release; the only place that emits
payment events."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from finance.funding import ledger
from finance.funding.enums import EntryKind, FundingKind, LineStatus
from finance.funding.flows import SERVICE_ACTOR, decision_messages
from finance.funding.models import FundingLine, ProjectCopy
from finance.payments import rules
from finance.payments.enums import FindingStatus, PaymentStatus
from finance.payments.models import (
    AuditFinding,
    DuplicateCollection,
    Payment,
    PlanListing,
    Rectification,
    RetiredSystem,
    SystemStatus,
    UnitIntegration,
)
from finance.payments.schemas import (
    DuplicateCollectionWrite,
    PaymentCreate,
    PlanListingCreate,
    RectificationCreate,
    SystemStatusWrite,
    UnitIntegrationWrite,
)
from finance.procurement.flows import known_project, not_in_future, require_writer
from finance.procurement.models import Contract
from govit.finance.v1 import events_pb2
from govit.review.v1 import types_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import from_timestamp, to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, DomainError, InvalidInput, NotFound
from govit_kit.inbox import NotYet
from govit_kit.policy import SHANGHAI, Decision, Outcome, PolicyProfile
from govit_kit.uow import UnitOfWork

APPROVED = types_pb2.Conclusion.Name(types_pb2.CONCLUSION_APPROVE)


class PaymentRefused(DomainError):
    """The payment failed one or more gates: every failing rule (and the balance) is named. At
    least one decision is a rule's refusal: the balance alone, where no I5 governs it, is no
    rule's refusal but an InvalidInput on `amount` (_refuse)."""

    status, title, type_slug = 422, "Refused by rule", "rule-refused"

    def __init__(self, decisions: list[Decision], errors: list[dict]) -> None:
        if not any(d.outcome is Outcome.REFUSE and d.rule_id for d in decisions):
            raise ValueError("PaymentRefused needs a rule's refusal among its decisions")
        parts = [f"{d.rule_id} ({d.article}): {d.reason}" for d in decisions]
        parts += [e["message"] for e in errors]
        super().__init__(
            "; ".join(parts), decisions=[d.to_dict() for d in decisions], errors=errors
        )


async def _facts(
    session,
    payment_amount: Decimal,
    purpose: FundingKind,
    line: FundingLine,
    contract: Contract,
    exclude_payment: str | None = None,
) -> rules.PaymentFacts:
    """Gather what the gates read, from finance's own tables."""
    copy = await session.get(ProjectCopy, line.project_id)
    in_plan = await session.scalar(
        select(PlanListing.id).where(
            PlanListing.project_id == line.project_id, PlanListing.fiscal_year == line.fiscal_year
        )
    )
    status = await session.get(SystemStatus, line.project_id)
    twice = await session.get(DuplicateCollection, line.project_id)
    integration = await session.get(UnitIntegration, contract.org_id)
    retired = await session.get(RetiredSystem, line.project_id)
    findings = (
        await session.execute(
            select(AuditFinding.finding_id).where(
                AuditFinding.project_id == line.project_id,
                AuditFinding.status == FindingStatus.OPEN,
            )
        )
    ).scalars()
    open_orders = (
        await session.execute(
            select(
                Rectification.id,
                Rectification.document,
                Rectification.holds_payments,
                Rectification.security,
            ).where(Rectification.project_id == line.project_id, Rectification.closed_at.is_(None))
        )
    ).all()
    contract_total = await session.scalar(
        select(func.coalesce(func.sum(Contract.amount), 0)).where(
            (Contract.id == contract.id) | (Contract.parent_contract_id == contract.id)
        )
    )
    committed = await session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.contract_id == contract.id,
            Payment.status.in_([PaymentStatus.APPROVED, PaymentStatus.HELD]),
            *([Payment.id != exclude_payment] if exclude_payment else []),
        )
    )
    return rules.PaymentFacts(
        amount=payment_amount,
        purpose=purpose,
        reviewed=copy is not None and copy.review_conclusion == APPROVED,
        in_plan=in_plan is not None,
        system=(
            rules.SystemFacts(
                status.accepted, status.security_compliant, status.shares_data, status.in_catalog
            )
            if status
            else None
        ),
        open_findings=list(findings),
        open_rectifications=[o.id for o in open_orders if o.holds_payments],
        contract_total=Decimal(contract_total),
        committed_on_contract=Decimal(committed),
        balance=await ledger.balance(session, line.id),
        retired=(retired.system_id, retired.rule_id, retired.article) if retired else None,
        halted=(
            (copy.halted, copy.halt_rule or "", copy.halt_article or "")
            if copy is not None and copy.halted
            else None
        ),
        collects_twice=twice.document if twice and twice.collects_twice else None,
        unit_unintegrated=(
            integration.document if integration and integration.failed_to_integrate else None
        ),
        open_security_orders=[(o.id, o.document) for o in open_orders if o.security],
    )


def _verdict(profile: PolicyProfile, facts: rules.PaymentFacts, line: FundingLine):
    """(decisions, refusals, errors): the balance is named even where no I5 applies."""
    decisions = rules.check(profile, facts, line.fiscal_year)
    refusals = [d for d in decisions if d.outcome is Outcome.REFUSE]
    errors = []
    if not profile.applies("I5") and facts.amount > facts.balance:
        errors.append(
            {
                "field": "amount",
                "message": f"the funding line holds {facts.balance} yuan, less than {facts.amount}",
            }
        )
    return decisions, refusals, errors


def _refuse(decisions: list[Decision], refusals: list[Decision], errors: list[dict]) -> None:
    """Raise the request's refusal, if any: PaymentRefused naming every rule's refusal and hold
    (and the balance); where no rule refuses, the balance (no I5) is an InvalidInput on the
    field it names, citing no rule (there is none to cite)."""
    if refusals:
        holds = [d for d in decisions if d.outcome is Outcome.HOLD]
        raise PaymentRefused(refusals + holds, errors)
    if errors:
        # _verdict names one field, the amount above the balance.
        [error] = errors
        raise InvalidInput(error["field"], error["message"])


async def _pay(uow: UnitOfWork, payment: Payment, line: FundingLine, decisions) -> None:
    """Book the treasury payment (I5) and emit payment.approved."""
    entry = await ledger.book(
        uow,
        line,
        EntryKind.PAYMENT,
        -payment.amount,
        booked_by=SERVICE_ACTOR,
        memo=f"payment {payment.id}",
    )
    payment.status = PaymentStatus.APPROVED.value
    payment.ledger_entry_id = entry.id
    payment.treasury_reference = f"GK{line.fiscal_year}-{payment.id[:8].upper()}"
    payment.decided_at = utcnow()
    await uow.emit(
        "payment",
        "approved",
        events_pb2.PaymentApproved(
            payment_id=payment.id,
            project_id=payment.project_id,
            org_id=payment.org_id,
            contract_id=payment.contract_id,
            funding_line_id=payment.funding_line_id,
            amount=to_money(payment.amount),
            purpose=payment.purpose,
            treasury_reference=payment.treasury_reference,
            decisions=decision_messages(decisions),
            approved_at=to_timestamp(payment.decided_at),
        ),
        subject=payment.id,
        org_id=payment.org_id,
        project_id=payment.project_id,
    )


async def request_payment(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, data: PaymentCreate
) -> Payment:
    """Check a payment against every gate: refused (422, nothing changes), held (I4) or paid."""
    # Locked: two payments on one contract are checked one after the other (I6).
    contract = await uow.session.get(Contract, data.contract_id, with_for_update=True)
    if contract is None:
        raise InvalidInput("contract_id", "finance knows no contract with this id")
    require_writer(who, contract.org_id, "contract_id", "contract")
    if contract.parent_contract_id is not None:
        raise InvalidInput(
            "contract_id", "pay against the original contract; its supplements add to its total"
        )
    line = await uow.session.get(FundingLine, data.funding_line_id, with_for_update=True)
    if line is None or line.project_id != contract.project_id:
        raise InvalidInput("funding_line_id", "the contract's project has no line with this id")
    if line.status != LineStatus.OPEN:
        raise InvalidInput("funding_line_id", "the funding line is closed")
    if line.kind != data.purpose:
        raise InvalidInput(
            "funding_line_id",
            f"a {data.purpose.value} payment is paid from a {data.purpose.value} line",
        )
    facts = await _facts(uow.session, data.amount, data.purpose, line, contract)
    if rules.terminated_without_rule(profile, facts.halted):
        # No article to cite for the termination (F5 does not apply): not a rule's refusal, the
        # project's state forbids the payment (409), naming the termination.
        copy = await uow.session.get(ProjectCopy, line.project_id)
        raise Conflict(
            _terminated(copy),
            state="terminated",
            case_id=copy.halt_case_id or "",
            change_id=copy.halt_change_id or "",
        )
    decisions, refusals, errors = _verdict(profile, facts, line)
    _refuse(decisions, refusals, errors)
    payment = Payment(
        project_id=contract.project_id,
        org_id=contract.org_id,
        contract_id=contract.id,
        funding_line_id=line.id,
        amount=data.amount,
        purpose=data.purpose.value,
        status=PaymentStatus.HELD.value,
        decisions=[d.to_dict() for d in decisions],
        requested_by=who.subject,
        requested_at=utcnow(),
    )
    uow.session.add(payment)
    await uow.session.flush()
    if any(d.outcome is Outcome.HOLD for d in decisions):
        await uow.emit(
            "payment",
            "held",
            events_pb2.PaymentHeld(
                payment_id=payment.id,
                project_id=payment.project_id,
                org_id=payment.org_id,
                contract_id=payment.contract_id,
                funding_line_id=payment.funding_line_id,
                amount=to_money(payment.amount),
                decisions=decision_messages(decisions),
                held_at=to_timestamp(payment.requested_at),
            ),
            subject=payment.id,
            org_id=payment.org_id,
            project_id=payment.project_id,
        )
        return payment
    await _pay(uow, payment, line, decisions)
    return payment


async def release_held(
    *, uow: UnitOfWork, profile: PolicyProfile, project_id: str
) -> list[Payment]:
    """When the project's last finding or rectification closes, its held payments are checked
    again: paid if every gate passes now, refused if one fails (still held if one is open)."""
    held = (
        await uow.session.execute(
            select(Payment)
            .where(Payment.project_id == project_id, Payment.status == PaymentStatus.HELD)
            .order_by(Payment.requested_at, Payment.id)
            .with_for_update()
        )
    ).scalars()
    released = []
    for payment in list(held):
        line = await uow.session.get(FundingLine, payment.funding_line_id, with_for_update=True)
        contract = await uow.session.get(Contract, payment.contract_id)
        facts = await _facts(
            uow.session, payment.amount, FundingKind(payment.purpose), line, contract, payment.id
        )
        decisions, refusals, errors = _verdict(profile, facts, line)
        # Still held while a hold stands, unless the project is terminated (F5): a termination
        # is final, so nothing held can ever be paid and it is refused now, whatever else holds.
        terminated = facts.halted is not None and facts.halted[0] == "terminated"
        if any(d.outcome is Outcome.HOLD for d in decisions) and not terminated:
            continue
        if rules.terminated_without_rule(profile, facts.halted):
            # No article to cite (F5 does not apply): refused for the project's state, as the
            # balance is where no rule governs it, naming the termination instead of a rule.
            copy = await uow.session.get(ProjectCopy, line.project_id)
            errors.append({"field": "project_id", "message": _terminated(copy)})
        if line.status != LineStatus.OPEN:
            errors.append({"field": "funding_line_id", "message": "the funding line was closed"})
        # The balance where the profile has no I5, a termination with no article, a closed
        # line: no rule refuses, so they are kept as the fields they name (errors), never as a
        # refusal without a rule id.
        payment.decisions = [d.to_dict() for d in decisions]
        payment.errors = errors
        refused = bool(refusals or errors)
        await uow.emit(
            "payment",
            "released",
            events_pb2.PaymentReleased(
                payment_id=payment.id,
                project_id=payment.project_id,
                org_id=payment.org_id,
                status=(PaymentStatus.REFUSED if refused else PaymentStatus.APPROVED).value,
                decisions=decision_messages(decisions),
                released_at=to_timestamp(utcnow()),
            ),
            subject=payment.id,
            org_id=payment.org_id,
            project_id=payment.project_id,
        )
        if refused:
            payment.status, payment.decided_at = PaymentStatus.REFUSED.value, utcnow()
        else:
            await _pay(uow, payment, line, decisions)
        released.append(payment)
    return released


async def on_finding_raised(*, uow: UnitOfWork, raised) -> None:
    """Keep audit's finding open (a resolution that overtook it stays resolved)."""
    finding = await uow.session.get(AuditFinding, raised.finding_id)
    if finding is None:
        finding = AuditFinding(finding_id=raised.finding_id, status=FindingStatus.OPEN.value)
        uow.session.add(finding)
    finding.project_id, finding.org_id = raised.project_id, raised.org_id
    finding.rule_id, finding.summary = raised.rule.rule_id, raised.summary[:500]
    if raised.HasField("raised_at"):
        finding.raised_at = from_timestamp(raised.raised_at)


async def on_finding_resolved(*, uow: UnitOfWork, profile: PolicyProfile, resolved) -> None:
    """Close the finding and release the project's payments it held."""
    finding = await uow.session.get(AuditFinding, resolved.finding_id)
    if finding is None:
        finding = AuditFinding(
            finding_id=resolved.finding_id,
            project_id=resolved.project_id,
            org_id=resolved.org_id,
            rule_id=resolved.rule.rule_id,
        )
        uow.session.add(finding)
    finding.status = FindingStatus.RESOLVED.value
    finding.resolved_at = (
        from_timestamp(resolved.resolved_at) if resolved.HasField("resolved_at") else utcnow()
    )
    await uow.session.flush()
    if finding.project_id:
        await release_held(uow=uow, profile=profile, project_id=finding.project_id)


async def list_in_plan(*, uow: UnitOfWork, who: Principal, data: PlanListingCreate) -> PlanListing:
    """Finance records a project's listing in a year's annual plan (I2)."""
    who.require(Role.FINANCE_OFFICER)
    copy = await known_project(uow, who, data.project_id)
    taken = await uow.session.scalar(
        select(PlanListing.id).where(
            PlanListing.project_id == data.project_id, PlanListing.fiscal_year == data.fiscal_year
        )
    )
    if taken is not None:
        raise Conflict(f"the project is already listed in the {data.fiscal_year} plan")
    listing = PlanListing(**data.model_dump(), recorded_by=who.subject)
    uow.session.add(listing)
    await uow.session.flush()
    await uow.emit(
        "plan_listing",
        "recorded",
        events_pb2.PlanListingRecorded(
            listing_id=listing.id,
            project_id=copy.project_id,
            org_id=copy.org_id,
            fiscal_year=listing.fiscal_year,
            document=listing.document,
        ),
        subject=listing.id,
        org_id=copy.org_id,
        project_id=copy.project_id,
    )
    return listing


async def record_system_status(
    *, uow: UnitOfWork, who: Principal, project_id: str, data: SystemStatusWrite
) -> SystemStatus:
    """Finance records the system's acceptance and compliance (I3) from the reports."""
    who.require(Role.FINANCE_OFFICER)
    copy = await known_project(uow, who, project_id)
    status = await uow.session.get(SystemStatus, project_id)
    if status is None:
        status = SystemStatus(project_id=project_id)
        uow.session.add(status)
    for name, value in data.model_dump().items():
        setattr(status, name, value)
    status.recorded_by, status.updated_at = who.subject, utcnow()
    # The officer's record is the newest fact when written: an acceptance review recorded
    # before it (a lagging or replayed event) does not overwrite it, a later one does.
    status.acceptance_at = status.updated_at
    await uow.session.flush()
    await uow.emit(
        "system_status",
        "recorded",
        events_pb2.SystemStatusRecorded(
            project_id=copy.project_id, org_id=copy.org_id, **data.model_dump()
        ),
        subject=copy.project_id,
        org_id=copy.org_id,
        project_id=copy.project_id,
    )
    return status


async def record_duplicate_collection(
    *, uow: UnitOfWork, who: Principal, project_id: str, data: DuplicateCollectionWrite
) -> DuplicateCollection:
    """The data bureau records whether the project's system collects data already collected
    elsewhere (重复采集数据), or clears its earlier finding (I3, YY art28). The bureau finds it: it
    runs the data sharing and the system catalog the article speaks of (YY art4, art28)."""
    who.require(Role.BUREAU_REVIEWER)
    copy = await uow.session.get(ProjectCopy, project_id)
    if copy is None:
        raise NotFound("finance knows no project with this id")
    finding = await uow.session.get(DuplicateCollection, project_id, with_for_update=True)
    if finding is None:
        finding = DuplicateCollection(project_id=project_id)
        uow.session.add(finding)
    finding.collects_twice, finding.document = data.collects_twice, data.document
    finding.recorded_by, finding.updated_at = who.subject, utcnow()
    await uow.session.flush()
    await uow.emit(
        "duplicate_collection",
        "recorded",
        events_pb2.DuplicateCollectionRecorded(
            project_id=copy.project_id,
            org_id=copy.org_id,
            collects_twice=data.collects_twice,
            document=data.document,
        ),
        subject=copy.project_id,
        org_id=copy.org_id,
        project_id=copy.project_id,
    )
    return finding


async def record_unit_integration(
    *, uow: UnitOfWork, who: Principal, org_id: str, data: UnitIntegrationWrite
) -> UnitIntegration:
    """The data bureau records whether a unit failed to integrate its existing projects or
    systems as required (应整合而未整合), or clears its earlier finding (I3, YY art30). The bureau
    finds it: it is the competent department that coordinates IT resources (YY art4)."""
    who.require(Role.BUREAU_REVIEWER)
    finding = await uow.session.get(UnitIntegration, org_id, with_for_update=True)
    if finding is None:
        finding = UnitIntegration(org_id=org_id)
        uow.session.add(finding)
    finding.failed_to_integrate, finding.document = data.failed_to_integrate, data.document
    finding.recorded_by, finding.updated_at = who.subject, utcnow()
    await uow.session.flush()
    await uow.emit(
        "unit_integration",
        "recorded",
        events_pb2.UnitIntegrationRecorded(
            org_id=org_id, failed_to_integrate=data.failed_to_integrate, document=data.document
        ),
        subject=org_id,
        org_id=org_id,
    )
    return finding


async def order_rectification(
    *, uow: UnitOfWork, who: Principal, data: RectificationCreate
) -> Rectification:
    """Record a rectification order on a project; it holds payments while open (I4)."""
    who.require(Role.FINANCE_OFFICER, Role.AUDITOR)
    copy = await uow.session.get(ProjectCopy, data.project_id)
    if copy is None:
        raise InvalidInput("project_id", "finance knows no project with this id")
    not_in_future(data.ordered_on, "ordered_on")
    if data.due_on is not None and data.due_on < data.ordered_on:
        raise InvalidInput("due_on", "the deadline is before the order")
    order = Rectification(
        project_id=copy.project_id,
        org_id=copy.org_id,
        document=data.document,
        ordered_on=data.ordered_on,
        due_at=end_of_day_in_china(data.due_on) if data.due_on else None,
        recorded_by=who.subject,
    )
    uow.session.add(order)
    await uow.session.flush()
    await uow.emit(
        "rectification",
        "ordered",
        events_pb2.RectificationOrdered(
            order_id=order.id,
            project_id=order.project_id,
            org_id=order.org_id,
            document=order.document,
            ordered_on=order.ordered_on.isoformat(),
            due_on=data.due_on.isoformat() if data.due_on else "",
        ),
        subject=order.id,
        org_id=order.org_id,
        project_id=order.project_id,
    )
    return order


async def close_rectification(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, order_id: str
) -> Rectification:
    """The rectification is done: the project's held payments are checked again."""
    who.require(Role.FINANCE_OFFICER, Role.AUDITOR)
    order = await uow.session.get(Rectification, order_id, with_for_update=True)
    if order is None:
        raise NotFound("rectification order not found")
    if order.closed_at is not None:
        raise Conflict("the rectification order is already closed")
    order.closed_at = utcnow()
    await uow.session.flush()
    await uow.emit(
        "rectification",
        "closed",
        events_pb2.RectificationClosed(
            order_id=order.id,
            project_id=order.project_id,
            org_id=order.org_id,
            closed_at=to_timestamp(order.closed_at),
        ),
        subject=order.id,
        org_id=order.org_id,
        project_id=order.project_id,
    )
    await release_held(uow=uow, profile=profile, project_id=order.project_id)
    return order


async def on_rectification_issued(*, uow: UnitOfWork, issued) -> None:
    """Review ordered a rectification: one that holds payments is kept open here (I4), and so is
    one for a crypto or security finding, which refuses the project's O&M funds while open (I3,
    YY art29) whether or not it holds payments. Others are not finance's concern."""
    if not (issued.hold_payments or issued.security):
        return
    order = await uow.session.get(Rectification, issued.order_id, with_for_update=True)
    issued_at = from_timestamp(issued.issued_at) if issued.HasField("issued_at") else utcnow()
    if order is None:
        order = Rectification(id=issued.order_id, recorded_by="service:review")
        uow.session.add(order)
    # Known already (a redelivery, or its resolution overtook it and left it closed): the same
    # facts are written again and closed_at is never touched, so a late issue cannot reopen it.
    order.project_id, order.org_id = issued.project_id, issued.org_id
    order.document = (issued.finding or issued.description or "rectification order")[:200]
    order.ordered_on = issued_at.astimezone(SHANGHAI).date()
    # Review's first deadline. An escalation (J1) gives the unit a new one for the next sanction,
    # but the unit has already failed this one; the event carries none anyway.
    order.due_at = from_timestamp(issued.due_at) if issued.HasField("due_at") else None
    order.holds_payments, order.security = issued.hold_payments, issued.security


async def on_rectification_recounted(*, uow: UnitOfWork, recounted) -> None:
    """Review counted an open order's deadline again once the year it was counted on
    provisionally was published: the first deadline (level 0), the one kept here (see
    on_rectification_issued), takes the new date; a later one is not kept. An order finance
    does not keep (holding nothing) or has closed is left alone."""
    if recounted.level != 0 or not recounted.HasField("due_at"):
        return
    order = await uow.session.get(Rectification, recounted.order_id, with_for_update=True)
    if order is None or order.closed_at is not None:
        return
    order.due_at = from_timestamp(recounted.due_at)


async def on_rectification_resolved(*, uow: UnitOfWork, profile: PolicyProfile, resolved) -> None:
    """Review accepted the rectification: close it (an O&M payment no longer refused by it,
    I3) and check again the payments it held (I4)."""
    order = await uow.session.get(Rectification, resolved.order_id, with_for_update=True)
    resolved_at = (
        from_timestamp(resolved.resolved_at) if resolved.HasField("resolved_at") else utcnow()
    )
    if order is None:
        # Resolved before finance saw it issued: keep it closed so a late issue cannot reopen it
        # (the issue fills in what it was).
        order = Rectification(
            id=resolved.order_id,
            project_id=resolved.project_id,
            org_id=resolved.org_id,
            document="rectification order",
            ordered_on=resolved_at.astimezone(SHANGHAI).date(),
            recorded_by="service:review",
            holds_payments=False,
            security=False,
        )
        uow.session.add(order)
    if order.closed_at is not None:
        return
    order.closed_at = resolved_at
    await uow.session.flush()
    await release_held(uow=uow, profile=profile, project_id=order.project_id)


async def _list_in_plan(session, project_id: str, year: int, document: str) -> None:
    taken = await session.scalar(
        select(PlanListing.id).where(
            PlanListing.project_id == project_id, PlanListing.fiscal_year == year
        )
    )
    if taken is None:
        session.add(
            PlanListing(
                project_id=project_id,
                fiscal_year=year,
                document=document[:200],
                recorded_by="service:intake",
            )
        )


async def on_plan_item_added(*, uow: UnitOfWork, added) -> None:
    """An emergency addition (A3) is in the plan at once; any other item is on a draft plan and
    waits for the adoption (B2, I2: funds follow the adopted plan, not a draft).

    `plan_adopted` came later than the event: one sent before it reads False. An emergency item
    is listed whatever it says: A3 lets a project the government approved as urgent bypass the
    annual plan (PDS P art8 可不受年度计划约束; SN P art17 完成审批、入库后,纳入年度计划清单), and
    intake marks an item emergency only with its approving document where a plan gates funds.
    After adoption intake takes nothing but an emergency, so a non-emergency item is always a
    draft's, whenever it was sent."""
    if not (added.plan_adopted or added.emergency):
        return
    document = added.document_reference or f"{added.plan_year} annual plan"
    if added.emergency:
        document = f"emergency addition (A3): {document}"
    await _list_in_plan(uow.session, added.project_id, added.plan_year, document)


async def on_annual_plan_adopted(*, uow: UnitOfWork, adopted) -> None:
    """Intake adopted a year's annual plan (B2): its projects may be funded that year (I2)."""
    for project_id in adopted.project_ids:
        await _list_in_plan(
            uow.session, project_id, adopted.plan_year, f"{adopted.plan_year} annual plan"
        )


async def on_case_state_changed(*, uow: UnitOfWork, profile: PolicyProfile, changed) -> None:
    """Review suspended a project (F4: its payments are held), lifted the suspension (the held
    payments are checked again) or terminated it (F5: no more payments).

    The three are separate subjects, so their events may arrive in any order: the latest halt
    change applied is kept (the event's changed_at) and an older event changes nothing, so a
    late lift cannot end a newer suspension and a late suspension cannot outlive its lift. A lift
    with no suspension on record (it overtook its suspension) records its time all the same.
    A termination is final (SN P art31: 终止; review terminates a case for good): once applied,
    no suspension or lift, older or newer, changes it, and the payments still held (by the
    suspension, or by I4) are refused citing F5, since nothing can release them any more."""
    copy = await uow.session.get(ProjectCopy, changed.project_id, with_for_update=True)
    if copy is None:
        raise NotYet(f"project {changed.project_id} not yet known to finance")
    at = from_timestamp(changed.changed_at) if changed.HasField("changed_at") else utcnow()
    if changed.status == "terminated":
        if copy.halted != "terminated":
            _halt(copy, changed, "F5", at)
            await uow.session.flush()
        # The payments held so far (F4, or I4) are checked again and refused citing F5, each
        # with its payment.released. A redelivery finds none held and changes nothing (a
        # project terminated before this check finds its stuck ones refused now).
        await release_held(uow=uow, profile=profile, project_id=changed.project_id)
        return
    if copy.halted == "terminated":
        return  # F5: final, whatever arrives after it
    if copy.halt_changed_at is not None and at <= copy.halt_changed_at:
        return  # older than the halt change applied (or the same one seen again)
    if changed.status == "suspended":
        _halt(copy, changed, "F4", at)
        return
    copy.halt_changed_at = at
    if copy.halted == "suspended":
        copy.halted = copy.halt_rule = copy.halt_article = None
        await uow.session.flush()
        await release_held(uow=uow, profile=profile, project_id=changed.project_id)


def _halt(copy: ProjectCopy, changed, default_rule: str, at: datetime) -> None:
    """The project is suspended (F4) or terminated (F5), with the rule and article review cited,
    its case and (a termination) its change request."""
    rule = changed.decisions[0] if changed.decisions else None
    copy.halted = changed.status
    copy.halt_rule = rule.rule_id if rule else default_rule
    copy.halt_article = rule.article if rule else ""
    copy.halt_changed_at = at
    copy.halt_case_id = changed.case_id or None
    copy.halt_change_id = changed.change_id or None


def _terminated(copy: ProjectCopy) -> str:
    """What a payment on a terminated project with no article to cite is told: the termination
    (its change request and case, as far as review named them)."""
    named = [
        f"{what} {value}"
        for what, value in (("change", copy.halt_change_id), ("case", copy.halt_case_id))
        if value
    ]
    by = f" by {' of '.join(named)}" if named else ""
    return f"the project is terminated{by}: it takes no more payments"


async def on_system_retired(*, uow: UnitOfWork, changed) -> None:
    """The register decommissioned a project's system, or merged it into another (K1, K2): its
    O&M payments are refused from now on. A system with no project is not finance's concern."""
    if not changed.project_id or await uow.session.get(RetiredSystem, changed.project_id):
        return
    uow.session.add(
        RetiredSystem(
            project_id=changed.project_id,
            system_id=changed.system_id,
            rule_id=changed.rule.rule_id,
            article=changed.rule.article,
        )
    )


async def on_acceptance_recorded(*, uow: UnitOfWork, recorded) -> None:
    """Review recorded an acceptance: om_eligible (accepted, security evaluation passed, G6) is
    what I3 asks first; data sharing and the system catalog stay as finance recorded them.

    The latest record wins, by when it was made: review's `recorded_at` against the time of the
    officer's last write (or of the acceptance applied before). An acceptance recorded before
    the officer's correction, arriving late or replayed, changes nothing; one review records
    after it replaces it. An event without `recorded_at` (review always sets it) counts as
    recorded when finance applies it."""
    if recorded.stage == "initial":
        return  # pingdingshan's initial acceptance does not yet open O&M funds
    at = from_timestamp(recorded.recorded_at) if recorded.HasField("recorded_at") else utcnow()
    status = await uow.session.get(SystemStatus, recorded.project_id, with_for_update=True)
    if status is None:
        # Review's acceptance says nothing of data sharing or the catalog: not recorded (None)
        # until finance records them.
        status = SystemStatus(project_id=recorded.project_id, shares_data=None, in_catalog=None)
        uow.session.add(status)
    elif status.acceptance_at is not None and at <= status.acceptance_at:
        return  # older than what is kept (the officer's record, or a newer acceptance)
    status.accepted = status.security_compliant = recorded.om_eligible
    status.recorded_by, status.updated_at = "service:review", utcnow()
    status.acceptance_at = at


def end_of_day_in_china(day: date) -> datetime:
    """The instant a day ends in China (the next day's midnight in Asia/Shanghai), in UTC."""
    return datetime.combine(day + timedelta(days=1), time(), SHANGHAI).astimezone(UTC)


async def unrectified_before(session, org_id: str, fiscal_year: int, at: datetime) -> list[str]:
    """I4 (WH art20, 用户单位不按要求进行整改): the unit's rectification orders issued before a fiscal
    year that are still open at `at` (the instant the year's line is opened) although their
    deadline has passed. An order not yet due has not been failed. An order with no deadline
    recorded (finance's own order without due_on, or one recorded before deadlines were kept)
    counts once it is open from an earlier year, as it always did. Open audit findings hold
    payments (I4, J2) but are not failed rectifications: they do not count here. Only orders that
    hold payments count, as before: a security order review did not make hold payments is kept
    for I3's O&M refusal alone."""
    orders = (
        await session.execute(
            select(Rectification.id, Rectification.ordered_on, Rectification.due_at).where(
                Rectification.org_id == org_id,
                Rectification.closed_at.is_(None),
                Rectification.holds_payments.is_(True),
            )
        )
    ).all()
    return [i for i, on, due in orders if on.year < fiscal_year and (due is None or due < at)]
