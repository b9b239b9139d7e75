"""Use cases of funding; the only place that emits finance's funding events."""

from finance.funding import rules
from finance.funding.enums import FundingKind, FundingSource
from finance.funding.models import FundingLine, ProjectCopy
from govit.finance.v1 import events_pb2
from govit.review.v1 import types_pb2
from govit_kit.convert import from_money, from_timestamp, to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.policy import SHANGHAI, PolicyProfile
from govit_kit.uow import UnitOfWork


async def remember_project(*, uow: UnitOfWork, submitted) -> None:
    """Keep finance's copy of a submitted project (its amount funds the construction line)."""
    copy = await uow.session.get(ProjectCopy, submitted.project_id)
    if copy is None:
        copy = ProjectCopy(project_id=submitted.project_id)
        uow.session.add(copy)
    copy.org_id, copy.name = submitted.org_id, submitted.name
    copy.total_investment = from_money(submitted.total_investment)


async def on_conclusion(
    *, uow: UnitOfWork, profile: PolicyProfile, concluded
) -> FundingLine | None:
    """An approval opens the construction funding line of the project's estimate (I1)."""
    copy = await uow.session.get(ProjectCopy, concluded.project_id)
    if copy is None:
        # The conclusion overtook the submission on the bus: retry until intake's event lands.
        raise LookupError(f"project {concluded.project_id} not yet known to finance")
    copy.review_conclusion = types_pb2.Conclusion.Name(concluded.conclusion)
    if concluded.conclusion != types_pb2.CONCLUSION_APPROVE:
        return None
    decision = rules.funding_after_approval(profile)
    approved_at = (
        from_timestamp(concluded.concluded_at) if concluded.HasField("concluded_at") else utcnow()
    )
    line = FundingLine(
        project_id=copy.project_id,
        org_id=copy.org_id,
        fiscal_year=approved_at.astimezone(SHANGHAI).year,  # the fiscal year of the approval
        kind=FundingKind.CONSTRUCTION.value,
        source=FundingSource.MUNICIPAL_FINANCE.value,
        amount=copy.total_investment,
        decisions=[decision.to_dict()],
        opened_at=utcnow(),
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
    return line
