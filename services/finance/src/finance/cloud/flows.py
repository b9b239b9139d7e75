"""Use cases of cloud bills; the only place that emits cloud bill events."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, func, select, tuple_, union

from finance.cloud import rules
from finance.cloud.enums import Payer, ServiceMode, UnitFundingType, UnitLevel
from finance.cloud.models import (
    BrokerBillLine,
    BrokerMonthClose,
    CloudBill,
    CloudBillLine,
    CloudSettlement,
    MarkedUnit,
    ProviderAssessment,
    ProviderContract,
    UnitFunding,
)
from finance.cloud.schemas import BillCreate, BillLineCreate, BrokerBillVerify, UnitFundingWrite
from finance.funding.flows import decision_messages
from finance.procurement.flows import refuse_if_any
from govit.finance.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import from_money, to_actor, to_money, to_timestamp
from govit_kit.db import is_postgres, utcnow
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.policy import SHANGHAI, Decision, PolicyProfile
from govit_kit.uow import UnitOfWork

ZERO = Decimal("0.00")


async def record_unit_funding(
    *, uow: UnitOfWork, who: Principal, org_id: str, data: UnitFundingWrite
) -> UnitFunding:
    """Finance records a unit's level and funding guarantee."""
    who.require(Role.FINANCE_OFFICER)
    if data.level is UnitLevel.CITY and data.local_finance_pays:
        raise InvalidInput("local_finance_pays", "only county and park units have local finance")
    unit = await uow.session.get(UnitFunding, org_id)
    if unit is None:
        unit = UnitFunding(org_id=org_id)
        uow.session.add(unit)
    unit.level, unit.funding = data.level.value, data.funding.value
    unit.local_finance_pays, unit.recorded_by = data.local_finance_pays, who.subject
    await uow.session.flush()
    await uow.emit(
        "unit_funding",
        "recorded",
        events_pb2.UnitFundingRecorded(
            org_id=org_id,
            level=unit.level,
            funding=unit.funding,
            local_finance_pays=unit.local_finance_pays,
        ),
        subject=org_id,
        org_id=org_id,
    )
    return unit


# Intake's funding classes as finance's (L9): a state-owned enterprise pays for itself.
FUNDING_OF = {"full": "full", "partial": "partial", "self_funded": "self"}


async def on_organisation_changed(*, uow: UnitOfWork, changed) -> None:
    """Keep finance's copy of a unit's level and funding class from intake's register (L9).
    Whether a county's own finance pays is finance's fact (its funding order), kept as it was;
    an older version arriving late changes nothing."""
    unit = await uow.session.get(UnitFunding, changed.org_id)
    if unit is None:
        unit = UnitFunding(org_id=changed.org_id, local_finance_pays=False, intake_version=0)
        uow.session.add(unit)
    elif changed.version <= (unit.intake_version or 0):
        return
    unit.level = changed.level
    unit.funding = FUNDING_OF.get(changed.funding_class, "self")
    unit.recorded_by = changed.changed_by.subject or "service:intake"
    unit.intake_version = changed.version


def _ended(profile: PolicyProfile, rule_id: str, field: str, what: str, end) -> None:
    """A 422 naming `field` unless `what` has ended in China (its `end`, the first instant after
    it, has come): a bill, an assessment or a settlement made before its period is over would
    leave out what the rest of it brings, and a settled year cannot be settled again. It cites
    `rule_id` (L10 for a month's bill, which the data bureau verifies; L18 for assessments and
    settlements) with the profile's article, its refusal among `decisions`, where the rule
    applies; elsewhere it is a plain 422."""
    if utcnow() >= end:
        return
    reason = (
        f"{what} has not ended: it can be recorded from "
        f"{end.astimezone(SHANGHAI):%Y-%m-%d %H:%M} (China time) on"
    )
    if not profile.applies(rule_id):
        raise InvalidInput(field, reason)
    refusal = Decision.refuse(profile, rule_id, reason, recordable_from=end)
    raise InvalidInput(
        field,
        f"{profile.citation(rule_id)}: {reason}",
        rule_id=rule_id,
        article=refusal.article,
        decisions=[refusal.to_dict()],
    )


async def settle_bill(
    *,
    uow: UnitOfWork,
    profile: PolicyProfile,
    who: Principal,
    data: BillCreate,
    broker_units: dict[str, tuple[str, str]] | None = None,
    supplement: int = 0,
    late: list[Decision] | None = None,
) -> tuple[CloudBill, list[CloudBillLine]]:
    """The data bureau's verified bill (L10), split by payer (L9), idle fees handled (L11).
    broker_units: level and funding cloud-broker gave with its lines, for units finance has not
    recorded itself. supplement: the number of a supplementary bill of the month (0: the
    month's own bill), with `late`, the decisions saying why it is one. A month is billed once
    it has ended in China. A bill of a year the provider has settled already is not in that
    settlement: it is flagged L18 (the year held with settle_year, so the two never pass each
    other: the bill is counted by the settlement or sees it)."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    year, month = int(data.month[:4]), int(data.month[5:7])
    _ended(profile, "L10", "month", f"the month {data.month}", rules.month_end(year, month))
    await settlement_lock(uow, data.provider_id, year)
    taken = await uow.session.scalar(
        select(CloudBill.id).where(
            CloudBill.provider_id == data.provider_id,
            CloudBill.month == data.month,
            CloudBill.supplement == supplement,
        )
    )
    if taken is not None:
        raise Conflict(f"the {data.month} bill of {data.provider_id} is already settled: {taken}")
    units = {
        u.org_id: u
        for u in (
            await uow.session.execute(
                select(UnitFunding).where(UnitFunding.org_id.in_({x.org_id for x in data.lines}))
            )
        ).scalars()
    }
    bill = CloudBill(
        provider_id=data.provider_id,
        month=data.month,
        supplement=supplement,
        verified_by=who.subject,
    )
    lines, owed = [], defaultdict(lambda: ZERO)
    for i, x in enumerate(data.lines):
        if x.idle_extra > x.amount:
            raise InvalidInput(f"lines[{i}].idle_extra", "the idle part exceeds the line's amount")
        unit = units.get(x.org_id)
        if unit is None and x.org_id in (broker_units or {}):
            level, funding = broker_units[x.org_id]
            unit = UnitFunding(
                org_id=x.org_id, level=level, funding=funding, local_finance_pays=False
            )
        if unit is None and profile.applies("L9"):
            raise InvalidInput.by_rule(
                profile,
                f"lines[{i}].org_id",
                "finance has no funding type for this unit to decide who pays: record it",
                "L9",
                org_id=x.org_id,
            )
        who_pays = rules.payer(
            profile,
            UnitLevel(unit.level) if unit else UnitLevel.CITY,
            UnitFundingType(unit.funding) if unit else UnitFundingType.SELF,
            unit.local_finance_pays if unit else False,
            ServiceMode(x.service_mode),
        )
        split = rules.split_line(
            profile,
            amount=x.amount,
            idle_extra=x.idle_extra,
            refused_rightsizing=x.refused_rightsizing,
            payer_and_decision=who_pays,
        )
        payer_org = "" if split.payer is Payer.CITY_FINANCE else x.org_id
        owed[(split.payer.value, payer_org)] += split.payer_amount
        if split.unit_amount:
            owed[(Payer.UNIT.value, x.org_id)] += split.unit_amount
        lines.append(
            CloudBillLine(
                org_id=x.org_id,
                project_id=x.project_id,
                service_mode=x.service_mode.value,
                amount=x.amount,
                idle_extra=x.idle_extra,
                refused_rightsizing=x.refused_rightsizing,
                payer=split.payer.value,
                payer_amount=split.payer_amount,
                unit_amount=split.unit_amount,
                deducted=split.deducted,
                decisions=[d.to_dict() for d in split.decisions],
            )
        )
    bill.billed = sum((x.amount for x in data.lines), ZERO)
    bill.deducted = sum((line.deducted for line in lines), ZERO)
    bill.payable_to_provider = bill.billed - bill.deducted
    bill.payables = [
        {"payer": payer, "org_id": org, "amount": str(amount)}
        for (payer, org), amount in sorted(owed.items())
        if amount
    ]
    verified = [
        Decision.allow(profile, "L10", "the data bureau verified the bill before payment"),
        *(late or []),
        *await _outside_settlement(uow, profile, data.provider_id, year),
    ]
    bill.decisions = [d.to_dict() for d in verified]
    uow.session.add(bill)
    await uow.session.flush()
    for line in lines:
        line.bill_id = bill.id
        uow.session.add(line)
    await uow.session.flush()
    await uow.emit(
        "cloud_bill",
        "settled",
        events_pb2.CloudBillSettled(
            bill_id=bill.id,
            provider_id=bill.provider_id,
            month=bill.month,
            billed=to_money(bill.billed),
            deducted=to_money(bill.deducted),
            payable_to_provider=to_money(bill.payable_to_provider),
            payables=[
                events_pb2.CloudPayable(
                    payer=p["payer"], org_id=p["org_id"], amount=to_money(Decimal(p["amount"]))
                )
                for p in bill.payables
            ],
            decisions=decision_messages(verified),
            supplement=bill.supplement,
        ),
        subject=bill.id,
    )
    return bill, lines


async def settlement_lock(uow: UnitOfWork, provider_id: str, year: int) -> None:
    """Hold the provider's year until the transaction ends: its annual settlement (L18) and
    every bill of the year (a month's own, a supplement; the bureau's or cloud-broker's) take it
    first, so a bill committed alongside the settlement is either read by it (counted) or reads
    it (flagged as outside it), never neither. PostgreSQL only: SQLite (the embedded default)
    has one writer at a time anyway."""
    if not is_postgres(uow.db.engine):
        return
    await uow.session.execute(
        select(func.pg_advisory_xact_lock(func.hashtext(f"settlement:{provider_id}:{year}")))
    )


async def _outside_settlement(
    uow: UnitOfWork, profile: PolicyProfile, provider_id: str, year: int
) -> list[Decision]:
    """An L18 flag where the provider's year was settled before this bill: its payable is not
    in that settlement, nor cut by its assessments, and finance settles it on its own."""
    if not profile.applies("L18"):
        return []
    settled = await uow.session.scalar(
        select(CloudSettlement.id).where(
            CloudSettlement.provider_id == provider_id, CloudSettlement.year == year
        )
    )
    if settled is None:
        return []
    return [
        Decision.flag(
            profile,
            "L18",
            f"the provider's {year} was already settled ({settled}): this bill's payable is not "
            "in that settlement, nor cut by its assessments; finance settles it on its own",
            settlement_id=settled,
        )
    ]


def _require_l18(profile: PolicyProfile) -> None:
    if not profile.applies("L18"):
        raise Conflict(f"profile {profile.name} has no provider assessment (L18 does not apply)")


async def record_provider_contract(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, provider_id: str, data
) -> ProviderContract:
    """The data bureau records the contract terms assessments settle by (L18). Each write is a
    new version of the terms and an event (the settlement applies them, so audit has each one);
    writes queue on the terms' row, as a settlement of the provider does, so a rewrite lands
    wholly before or after it, never between its reading the terms and its commit. Two first
    records at once: one is a 409 to retry (the row's key), then it rewrites."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    _require_l18(profile)
    terms = await uow.session.get(ProviderContract, provider_id, with_for_update=True)
    if terms is None:
        terms = ProviderContract(provider_id=provider_id, version=1)
        uow.session.add(terms)
    else:
        terms.version += 1
    terms.contract_ref, terms.pass_mark = data.contract_ref, data.pass_mark
    terms.penalty_ratio, terms.recorded_by = data.penalty_ratio, who.subject
    await uow.session.flush()
    await uow.emit(
        "provider_contract",
        "recorded",
        events_pb2.ProviderContractRecorded(
            provider_id=provider_id,
            contract_ref=terms.contract_ref,
            # At the scale stored (Numeric(5, 2), Numeric(5, 4)), whatever scale was sent.
            pass_mark=str(Decimal(terms.pass_mark).quantize(Decimal("0.01"))),
            penalty_ratio=str(Decimal(terms.penalty_ratio).quantize(Decimal("0.0001"))),
            version=terms.version,
            recorded_by=to_actor(who),
            recorded_at=to_timestamp(utcnow()),
        ),
        subject=provider_id,
    )
    return terms


async def _terms(uow: UnitOfWork, provider_id: str, *, lock: bool = False) -> ProviderContract:
    terms = await uow.session.get(ProviderContract, provider_id, with_for_update=lock)
    if terms is None:
        raise Conflict("record the provider's service contract terms first")
    return terms


async def assess_provider(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, provider_id: str, data
) -> ProviderAssessment:
    """The data bureau's assessment of a period (L18): the mean of the five aspects. `quarter`
    numbers the period of the profile's cadence (a quarter where it is 3 months); where the
    profile sets no cadence, the bureau numbers its periods itself (1-12)."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    _require_l18(profile)
    periods = rules.assessment_periods(profile)
    if periods is not None and data.quarter > periods:
        raise InvalidInput.by_rule(
            profile,
            "quarter",
            f"the profile assesses providers in {periods} periods a year",
            "L18",
            periods=periods,
        )
    if utcnow() < datetime(data.year, 1, 1, tzinfo=SHANGHAI):
        _ended(profile, "L18", "year", f"{data.year}", rules.month_end(data.year, 12))
    _ended(
        profile,
        "L18",
        "quarter",
        f"period {data.quarter} of {data.year}",
        rules.assessment_period_end(profile, data.year, data.quarter),
    )
    terms = await _terms(uow, provider_id)
    taken = await uow.session.scalar(
        select(ProviderAssessment.id).where(
            ProviderAssessment.provider_id == provider_id,
            ProviderAssessment.year == data.year,
            ProviderAssessment.quarter == data.quarter,
        )
    )
    if taken is not None:
        raise Conflict(f"{data.year} Q{data.quarter} is already assessed: {taken}")
    scores = data.model_dump(exclude={"year", "quarter"})
    # L18: the exact mean decides; the stored score is rounded down (never reads as passing).
    mean = sum(scores.values(), Decimal(0)) / len(scores)
    score = rules.assessment_score(mean)
    decision = rules.assessment(profile, mean, terms.pass_mark)
    row = ProviderAssessment(
        provider_id=provider_id,
        year=data.year,
        quarter=data.quarter,
        scores={k: str(v) for k, v in scores.items()},
        score=score,
        passed=mean >= terms.pass_mark,
        decisions=[decision.to_dict()],
        assessed_by=who.subject,
    )
    uow.session.add(row)
    await uow.session.flush()
    await uow.emit(
        "provider",
        "assessed",
        events_pb2.ProviderAssessed(
            assessment_id=row.id,
            provider_id=provider_id,
            year=row.year,
            quarter=row.quarter,
            score=str(score),
            passed=row.passed,
            decisions=decision_messages([decision]),
        ),
        subject=provider_id,
    )
    return row


async def settle_year(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, provider_id: str, year: int
) -> CloudSettlement:
    """The annual settlement: the year's payables, less what failed periods lose where the
    profile ties assessments to the settlement (L18). A year is settled once it has ended in
    China: a bill of its December recorded later would escape the settlement. It holds the
    provider's year (settlement_lock) against the bills of that year, and the terms' row against
    their rewrite: a bill committed alongside is either counted here or, waiting for this
    commit, flagged as outside it."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    _require_l18(profile)
    _ended(profile, "L18", "year", f"{year}", rules.month_end(year, 12))
    await settlement_lock(uow, provider_id, year)
    terms = await _terms(uow, provider_id, lock=True)
    taken = await uow.session.scalar(
        select(CloudSettlement.id).where(
            CloudSettlement.provider_id == provider_id, CloudSettlement.year == year
        )
    )
    if taken is not None:
        raise Conflict(f"{year} is already settled: {taken}")
    monthly = defaultdict(lambda: ZERO)
    bills = await uow.session.execute(
        select(CloudBill.month, CloudBill.payable_to_provider).where(
            CloudBill.provider_id == provider_id, CloudBill.month.like(f"{year}-%")
        )
    )
    for month, amount in bills.all():
        monthly[int(month[5:7])] += amount
    # Each period as its assessment decided it (`passed`), not the rounded score compared again.
    assessed = await uow.session.execute(
        select(
            ProviderAssessment.quarter, ProviderAssessment.score, ProviderAssessment.passed
        ).where(ProviderAssessment.provider_id == provider_id, ProviderAssessment.year == year)
    )
    scores = {q: rules.Assessed(score, passed) for q, score, passed in assessed.all()}
    penalty, decisions = rules.annual_settlement(
        profile, dict(monthly), scores, terms.pass_mark, terms.penalty_ratio
    )
    refuse_if_any(decisions)
    total = sum(monthly.values(), ZERO)
    settlement = CloudSettlement(
        provider_id=provider_id,
        year=year,
        payable=total,
        penalty=penalty,
        settled=total - penalty,
        decisions=[d.to_dict() for d in decisions],
        contract_version=terms.version,
        recorded_by=who.subject,
    )
    uow.session.add(settlement)
    await uow.session.flush()
    await uow.emit(
        "cloud_settlement",
        "recorded",
        events_pb2.CloudSettlementRecorded(
            settlement_id=settlement.id,
            provider_id=provider_id,
            year=year,
            payable=to_money(settlement.payable),
            penalty=to_money(settlement.penalty),
            settled=to_money(settlement.settled),
            decisions=decision_messages(decisions),
            contract_version=terms.version,
        ),
        subject=settlement.id,
    )
    return settlement


async def on_bill_line_issued(*, uow: UnitOfWork, issued) -> None:
    """Keep cloud-broker's bill line until the data bureau verifies its month (L10)."""
    line = await uow.session.get(BrokerBillLine, issued.bill_line_id)
    if line is not None:
        return  # a redelivery: the line is already kept (and maybe settled)
    uow.session.add(
        BrokerBillLine(
            bill_line_id=issued.bill_line_id,
            period=issued.period,
            org_id=issued.org_id,
            platform_id=issued.platform_id,
            service_mode=issued.service_mode,
            amount=from_money(issued.amount),
            unit_level=issued.unit_level,
            unit_funding=issued.unit_funding,
        )
    )


async def on_billing_month_closed(*, uow: UnitOfWork, closed, event_id: str) -> None:
    """Keep cloud-broker's close of a billed month: per platform, how many bill lines it issued
    and their total (L10). It may come before or after the lines. Cloud-broker bills a month
    once, so the first close of a platform's month is kept and any later one (a redelivery, the
    same close re-sent) changes nothing."""
    for billed in closed.platforms:
        if await uow.session.get(BrokerMonthClose, (closed.period, billed.platform_id)):
            continue
        close = BrokerMonthClose(
            period=closed.period,
            platform_id=billed.platform_id,
            bill_lines=billed.bill_lines,
            amount=from_money(billed.amount),
            event_id=event_id,
        )
        # A close after its month was settled (without one) whose lines all arrived: whole.
        count, total, pending = await arrived_lines(uow.session, close.platform_id, close.period)
        if not pending and count == close.bill_lines and total == close.amount:
            close.whole_at = utcnow()
        uow.session.add(close)


def _arrived(*where) -> Select:
    """Per platform and month, the broker lines finance holds (settled or not): how many, their
    total, and how many no bill settles yet. The one grouping of lines, for a month's
    verification and for the listing of the months waiting."""
    return (
        select(
            BrokerBillLine.platform_id,
            BrokerBillLine.period,
            func.count(),
            func.coalesce(func.sum(BrokerBillLine.amount), 0),
            func.count().filter(BrokerBillLine.bill_id.is_(None)),
        )
        .where(*where)
        .group_by(BrokerBillLine.platform_id, BrokerBillLine.period)
    )


async def arrived_lines(session, platform_id: str, month: str) -> tuple[int, Decimal, int]:
    """How many of a platform's broker lines of the month finance holds, settled or not, their
    total, and how many are pending."""
    row = (
        await session.execute(
            _arrived(BrokerBillLine.platform_id == platform_id, BrokerBillLine.period == month)
        )
    ).one_or_none()
    if row is None:
        return 0, ZERO, 0
    _, _, count, total, pending = row
    return count, Decimal(total).quantize(ZERO), pending


async def waiting_months(
    session, platform_id: str | None = None, month: str | None = None
) -> list[dict]:
    """The platforms' months waiting for the bureau (L10), oldest first: those with lines no
    bill settles yet, and those whose close announced lines that have not all arrived (none
    may have). Each with the close's figures when it has arrived and what has arrived. Only
    those months are read: a close found whole (`whole_at`) with nothing pending is done."""
    pending = select(BrokerBillLine.platform_id, BrokerBillLine.period).where(
        BrokerBillLine.bill_id.is_(None)
    )
    open_closes = select(BrokerMonthClose.platform_id, BrokerMonthClose.period).where(
        BrokerMonthClose.whole_at.is_(None)
    )
    if platform_id:
        pending = pending.where(BrokerBillLine.platform_id == platform_id)
        open_closes = open_closes.where(BrokerMonthClose.platform_id == platform_id)
    if month:
        pending = pending.where(BrokerBillLine.period == month)
        open_closes = open_closes.where(BrokerMonthClose.period == month)
    waiting = union(pending, open_closes)
    lines = _arrived(tuple_(BrokerBillLine.platform_id, BrokerBillLine.period).in_(waiting))
    closes = select(BrokerMonthClose).where(
        tuple_(BrokerMonthClose.platform_id, BrokerMonthClose.period).in_(waiting)
    )
    arrived = {
        (period, platform): (count, Decimal(total).quantize(ZERO), pending)
        for platform, period, count, total, pending in (await session.execute(lines)).all()
    }
    closed = {(c.period, c.platform_id): c for c in (await session.scalars(closes)).all()}
    months = []
    for period, platform in sorted(arrived.keys() | closed.keys()):
        count, total, pending = arrived.get((period, platform), (0, ZERO, 0))
        close = closed.get((period, platform))
        complete = None
        if close is not None:
            complete = count == close.bill_lines and total == close.amount
        if not pending and complete in (True, None):
            continue  # settled whole, or settled with no close to say otherwise
        months.append(
            dict(
                platform_id=platform,
                month=period,
                closed=close is not None,
                bill_lines_announced=close.bill_lines if close else None,
                amount_announced=close.amount if close else None,
                bill_lines_arrived=count,
                amount_arrived=total,
                bill_lines_pending=pending,
                complete=complete,
            )
        )
    return months


def _incomplete(
    profile: PolicyProfile, close: BrokerMonthClose, count: int, total: Decimal
) -> Conflict:
    """The bureau verifies a month whose lines have not all arrived: a state conflict citing
    L10 and its article where the profile applies it (the bureau checks the bill before finance
    pays: SN C art5-6, PDS C art6), a plain one elsewhere (a short bill is wrong anyway)."""
    what = (
        f"{count} of {close.bill_lines} bill lines of {close.period} for platform "
        f"{close.platform_id} have arrived ({total} of {close.amount} announced by "
        "cloud-broker's close of the month); verify the month once all have arrived"
    )
    figures = dict(
        bill_lines_arrived=count,
        bill_lines_announced=close.bill_lines,
        amount_arrived=str(total),
        amount_announced=str(close.amount),
    )
    if not profile.applies("L10"):
        return Conflict(what, **figures)
    return Conflict(
        f"{profile.citation('L10')}: the data bureau verifies a month's bill whole: {what}",
        rule_id="L10",
        article=profile.rule("L10").article,
        **figures,
    )


async def _completeness(
    uow: UnitOfWork, profile: PolicyProfile, platform_id: str, month: str
) -> list[Decision]:
    """Whether all of the platform's lines of the month have arrived (L10), counting those a
    bill of the month already settles: an allow when cloud-broker's close says so, a 409 when
    fewer (or a different total) have arrived. Without a close (a month billed before
    cloud-broker closed its months, or its close still on the way) the month is settled as it
    stands, flagged: completeness unknown, and a line arriving later goes on a supplementary
    bill."""
    close = await uow.session.get(BrokerMonthClose, (month, platform_id))
    count, total, _ = await arrived_lines(uow.session, platform_id, month)
    if close is None:
        unknown = (
            f"cloud-broker has not closed {month} (no billing_month.closed received): whether "
            f"all of platform {platform_id}'s bill lines of the month have arrived is unknown "
            f"({count} have, {total}); a line arriving later goes on a supplementary bill"
        )
        figures = dict(bill_lines_arrived=count, amount_arrived=total)
        if profile.applies("L10"):
            return [Decision.flag(profile, "L10", unknown, **figures)]
        return [Decision.allow(profile, "L10", unknown, **figures)]
    if count != close.bill_lines or total != close.amount:
        raise _incomplete(profile, close, count, total)
    close.whole_at = utcnow()  # every announced line is in, and this verification settles it
    return [
        Decision.allow(
            profile,
            "L10",
            f"all {count} bill lines of {month} that cloud-broker issued for platform "
            f"{platform_id} have arrived ({total})",
            bill_lines=count,
            amount=total,
            close_event_id=close.event_id,
        )
    ]


async def on_unit_marked(*, uow: UnitOfWork, marked) -> None:
    """Remember that cloud-broker marked a unit for a year (L11); a redelivery changes nothing."""
    if await uow.session.get(MarkedUnit, (marked.org_id, marked.year)) is None:
        uow.session.add(
            MarkedUnit(
                org_id=marked.org_id,
                year=marked.year,
                finding_id=marked.finding_id,
                article=marked.article,
            )
        )


async def _late_lines(
    uow: UnitOfWork, profile: PolicyProfile, provider_id: str, month: str
) -> tuple[int, list[Decision]]:
    """Whether the month's pending lines came after its bill was settled: (the supplement's
    number, its decisions), or (0, []) for the month's own bill. Cloud-broker does not say when
    a month's lines are complete, so a line issued after the month was verified is settled on a
    supplementary bill of that month rather than left pending for good; where the year was
    settled with the provider already (L18), settle_bill flags the bill as outside it."""
    earlier = list(
        (
            await uow.session.execute(
                select(CloudBill.id, CloudBill.supplement)
                .where(CloudBill.provider_id == provider_id, CloudBill.month == month)
                .order_by(CloudBill.supplement)
                .with_for_update()
            )
        ).all()
    )
    if not earlier:
        return 0, []
    number = earlier[-1].supplement + 1
    decisions = [
        Decision.allow(
            profile,
            "L10",
            f"supplementary bill {number} of {month}: cloud-broker issued these lines after the "
            f"month's bill {earlier[0].id} was settled; the data bureau verified them",
            supplement=number,
            settled_bills=[b.id for b in earlier],
        )
    ]
    return number, decisions


async def settle_broker_bill(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, data: BrokerBillVerify
) -> tuple[CloudBill, list[CloudBillLine]]:
    """The bureau verifies the month's broker lines of a platform with its L11 findings (L10);
    they are settled as one bill (L9, L11), once all the lines cloud-broker's close of the
    month announced have arrived (a 409 before)."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    # The provider's year first (as settle_bill takes it again): before anything of the month
    # is read, so the bill and a settlement of the year never pass each other.
    await settlement_lock(uow, data.platform_id, int(data.month[:4]))
    complete = await _completeness(uow, profile, data.platform_id, data.month)
    pending = list(
        (
            await uow.session.execute(
                select(BrokerBillLine)
                .where(
                    BrokerBillLine.platform_id == data.platform_id,
                    BrokerBillLine.period == data.month,
                    BrokerBillLine.bill_id.is_(None),
                )
                .order_by(BrokerBillLine.org_id, BrokerBillLine.service_mode)
                .with_for_update()
            )
        ).scalars()
    )
    if not pending:
        raise InvalidInput("month", "cloud-broker issued no unsettled bill lines for this month")
    findings = {(a.org_id, a.service_mode.value): a for a in data.adjustments}
    known = {(p.org_id, p.service_mode) for p in pending}
    for i, a in enumerate(data.adjustments):
        if (a.org_id, a.service_mode.value) not in known:
            raise InvalidInput(f"adjustments[{i}]", "no bill line of this unit and service mode")
    # A unit cloud-broker marked for the bill's year bears its idle fees (L11), as if the bureau
    # had said so.
    marked = set(
        (
            await uow.session.scalars(
                select(MarkedUnit.org_id).where(
                    MarkedUnit.year == int(data.month[:4]),
                    MarkedUnit.org_id.in_({p.org_id for p in pending}),
                )
            )
        ).all()
    )
    lines = []
    for p in pending:
        try:
            mode = ServiceMode(p.service_mode)
        except ValueError:
            raise InvalidInput("month", f"bill line {p.bill_line_id}: unknown mode") from None
        found = findings.get((p.org_id, p.service_mode))
        lines.append(
            BillLineCreate(
                org_id=p.org_id,
                service_mode=mode,
                amount=p.amount,
                idle_extra=found.idle_extra if found else Decimal("0.00"),
                refused_rightsizing=p.org_id in marked or bool(found and found.refused_rightsizing),
            )
        )
    supplement, late = await _late_lines(uow, profile, data.platform_id, data.month)
    bill, settled = await settle_bill(
        uow=uow,
        profile=profile,
        who=who,
        data=BillCreate(provider_id=data.platform_id, month=data.month, lines=lines),
        broker_units={p.org_id: (p.unit_level, p.unit_funding) for p in pending},
        supplement=supplement,
        late=[*late, *complete],
    )
    for p in pending:
        p.bill_id = bill.id
    return bill, settled
