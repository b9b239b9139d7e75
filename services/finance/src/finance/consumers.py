"""Events finance reacts to."""

from finance.funding import flows
from govit_kit.events import Event
from govit_kit.inbox import Subscription
from govit_kit.uow import UnitOfWork


def subscriptions(rt) -> list[Subscription]:
    """Finance's subscription list."""

    async def on_project_submitted(uow: UnitOfWork, event: Event) -> None:
        await flows.remember_project(uow=uow, submitted=event.message)

    async def on_case_concluded(uow: UnitOfWork, event: Event) -> None:
        await flows.on_conclusion(uow=uow, profile=rt.profile, concluded=event.message)

    return [
        Subscription(
            "intake-project-submitted", "govit.intake.project.submitted", on_project_submitted
        ),
        Subscription("review-case-concluded", "govit.review.case.concluded", on_case_concluded),
    ]
