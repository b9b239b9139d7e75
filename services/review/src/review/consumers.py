"""Events review reacts to."""

from govit_kit.events import Event
from govit_kit.inbox import Subscription
from govit_kit.uow import UnitOfWork
from review.cases import flows
from review.portfolio import flows as portfolio


def subscriptions(rt) -> list[Subscription]:
    """Review's subscription list."""

    async def on_project_submitted(uow: UnitOfWork, event: Event) -> None:
        await flows.open_case(uow=uow, profile=rt.profile, submitted=event.message)

    async def on_finding_raised(uow: UnitOfWork, event: Event) -> None:
        await portfolio.finding_raised(uow=uow, msg=event.message)

    async def on_finding_resolved(uow: UnitOfWork, event: Event) -> None:
        await portfolio.finding_resolved(uow=uow, msg=event.message)

    async def on_actuals_reported(uow: UnitOfWork, event: Event) -> None:
        await portfolio.actuals_reported(uow=uow, msg=event.message)

    return [
        Subscription(
            "intake-project-submitted", "govit.intake.project.submitted", on_project_submitted
        ),
        # The portfolio compares intake's actual cost and end date with the planned ones.
        Subscription(
            "intake-project-actuals-reported",
            "govit.intake.project.actuals_reported",
            on_actuals_reported,
        ),
        # The portfolio counts audit's open findings per project.
        Subscription("audit-finding-raised", "govit.audit.finding.raised", on_finding_raised),
        Subscription("audit-finding-resolved", "govit.audit.finding.resolved", on_finding_resolved),
    ]
