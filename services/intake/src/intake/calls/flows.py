"""Use cases of demand calls."""

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.intake.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.uow import UnitOfWork
from intake.calls import rules
from intake.calls.models import DemandCall
from intake.calls.schemas import DemandCallCreate


async def open_call(
    *, uow: UnitOfWork, who: Principal, profile, data: DemandCallCreate
) -> DemandCall:
    """The data bureau opens the call for a plan year (demand_call.opened)."""
    who.require(Role.BUREAU_REVIEWER)
    entry = profile.rule("B1")
    if not entry.applies:
        raise Conflict(f"profile {profile.name} has no yearly demand call (B1 does not apply)")
    deadline = rules.profile_deadline(profile, data.plan_year)
    if deadline is None:
        if data.deadline is None:
            raise InvalidInput(
                "deadline", f"B1 ({entry.article}) sets no date here: name the call's deadline"
            )
        deadline = data.deadline
    elif data.deadline not in (None, deadline):
        raise InvalidInput(
            "deadline",
            f"B1 ({entry.article}) sets the deadline for {data.plan_year}: {deadline.isoformat()}",
        )
    taken = await uow.session.scalar(
        select(DemandCall.id).where(DemandCall.plan_year == data.plan_year)
    )
    if taken:
        raise Conflict(f"the call for {data.plan_year} is already open", call_id=taken)
    call = DemandCall(plan_year=data.plan_year, deadline=deadline, opened_by=who.subject)
    uow.session.add(call)
    await uow.session.flush()
    await uow.emit(
        "demand_call",
        "opened",
        events_pb2.DemandCallOpened(
            call_id=call.id,
            plan_year=call.plan_year,
            deadline=deadline.isoformat(),
            rule=common_pb2.RuleRef(rule_id="B1", article=entry.article or ""),
        ),
        subject=call.id,
    )
    return call
