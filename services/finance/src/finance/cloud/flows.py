"""Use cases of cloud bills; the only place that emits cloud bill events."""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from finance.cloud import rules
from finance.cloud.enums import Payer, ServiceMode, UnitFundingType, UnitLevel
from finance.cloud.models import CloudBill, CloudBillLine, UnitFunding
from finance.cloud.schemas import BillCreate, UnitFundingWrite
from finance.funding.flows import decision_messages
from govit.finance.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_money
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.policy import Decision, PolicyProfile
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


async def settle_bill(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, data: BillCreate
) -> tuple[CloudBill, list[CloudBillLine]]:
    """The data bureau's verified bill (L10), split by payer (L9), idle fees handled (L11)."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    taken = await uow.session.scalar(
        select(CloudBill.id).where(
            CloudBill.provider_id == data.provider_id, CloudBill.month == data.month
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
    bill = CloudBill(provider_id=data.provider_id, month=data.month, verified_by=who.subject)
    lines, owed = [], defaultdict(lambda: ZERO)
    for i, x in enumerate(data.lines):
        if x.idle_extra > x.amount:
            raise InvalidInput(f"lines[{i}].idle_extra", "the idle part exceeds the line's amount")
        unit = units.get(x.org_id)
        if unit is None and profile.applies("L9"):
            raise InvalidInput(
                f"lines[{i}].org_id", "finance has no funding type for this unit (L9): record it"
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
    verified = Decision.allow(profile, "L10", "the data bureau verified the bill before payment")
    bill.decisions = [verified.to_dict()]
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
            decisions=decision_messages([verified]),
        ),
        subject=bill.id,
    )
    return bill, lines
