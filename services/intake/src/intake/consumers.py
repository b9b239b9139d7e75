"""Events intake reacts to."""

from govit.review.v1 import types_pb2
from govit_kit.events import Event
from govit_kit.inbox import Subscription
from govit_kit.uow import UnitOfWork
from intake.projects import flows
from intake.projects.enums import ProjectStatus

STATUS_OF = {
    types_pb2.CONCLUSION_APPROVE: ProjectStatus.APPROVED,
    types_pb2.CONCLUSION_APPROVE_AFTER_REVISION: ProjectStatus.REVISION_REQUESTED,
    types_pb2.CONCLUSION_REJECT: ProjectStatus.REJECTED,
}


async def on_case_concluded(uow: UnitOfWork, event: Event) -> None:
    """The review's conclusion decides the application's status."""
    msg = event.message
    await flows.record_conclusion(
        uow=uow, project_id=msg.project_id, status=STATUS_OF[msg.conclusion]
    )


def subscriptions(_rt) -> list[Subscription]:
    """Intake's subscription list."""
    return [Subscription("review-case-concluded", "govit.review.case.concluded", on_case_concluded)]
