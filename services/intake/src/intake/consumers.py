"""Events intake reacts to."""

from govit.review.v1 import types_pb2
from govit_kit.convert import from_timestamp
from govit_kit.events import Event
from govit_kit.inbox import Subscription
from govit_kit.uow import UnitOfWork
from intake.orgs import flows as orgs
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
        uow=uow, project_id=msg.project_id, status=STATUS_OF[msg.conclusion], round=msg.round
    )


async def on_case_resubmitted(uow: UnitOfWork, event: Event) -> None:
    """The case's next round is open: a project sent back for revision is under review again."""
    msg = event.message
    when = from_timestamp(msg.resubmitted_at) if msg.HasField("resubmitted_at") else event.time
    await flows.record_resubmission(uow=uow, project_id=msg.project_id, round=msg.round, when=when)


async def on_case_terminated(uow: UnitOfWork, event: Event) -> None:
    """F5: review's approved termination ends the project."""
    await flows.record_termination(uow=uow, project_id=event.message.project_id)


async def on_rectification_issued(uow: UnitOfWork, event: Event) -> None:
    """J3: an order that bars the unit's new projects."""
    await orgs.on_rectification_issued(uow=uow, order=event.message)


async def on_rectification_escalated(uow: UnitOfWork, event: Event) -> None:
    """J1: from 暂缓安排投资计划 on, the unit's projects stay off the annual plan."""
    await orgs.on_rectification_escalated(uow=uow, order=event.message)


async def on_rectification_resolved(uow: UnitOfWork, event: Event) -> None:
    """J3: the order is closed; J1: a deferral of the unit's investment plan is lifted."""
    await orgs.on_rectification_resolved(uow=uow, order=event.message)


async def on_system_status_recorded(uow: UnitOfWork, event: Event) -> None:
    """I3 (YY art28): finance's record of whether a system shares its data."""
    await orgs.on_system_status_recorded(
        uow=uow, status=event.message, fact_at=event.time, event_id=event.id
    )


async def on_duplicate_collection_recorded(uow: UnitOfWork, event: Event) -> None:
    """I3 (YY art28): the data bureau's finding that a system collects data twice, or its clearing."""
    await orgs.on_duplicate_collection_recorded(
        uow=uow, finding=event.message, fact_at=event.time, event_id=event.id
    )


async def on_unit_integration_recorded(uow: UnitOfWork, event: Event) -> None:
    """I3 (YY art30): the data bureau's finding that a unit failed to integrate, or its clearing."""
    await orgs.on_unit_integration_recorded(
        uow=uow, finding=event.message, fact_at=event.time, event_id=event.id
    )


def subscriptions(_rt) -> list[Subscription]:
    """Intake's subscription list."""
    return [
        Subscription("review-case-concluded", "govit.review.case.concluded", on_case_concluded),
        Subscription(
            "review-case-resubmitted", "govit.review.case.resubmitted", on_case_resubmitted
        ),
        Subscription("review-case-terminated", "govit.review.case.terminated", on_case_terminated),
        Subscription(
            "review-rectification-issued",
            "govit.review.rectification.issued",
            on_rectification_issued,
        ),
        Subscription(
            "review-rectification-escalated",
            "govit.review.rectification.escalated",
            on_rectification_escalated,
        ),
        Subscription(
            "review-rectification-resolved",
            "govit.review.rectification.resolved",
            on_rectification_resolved,
        ),
        # I3's grounds that also bar new projects (YY art28, art30): finance owns the facts.
        Subscription(
            "finance-system-status-recorded",
            "govit.finance.system_status.recorded",
            on_system_status_recorded,
        ),
        Subscription(
            "finance-duplicate-collection-recorded",
            "govit.finance.duplicate_collection.recorded",
            on_duplicate_collection_recorded,
        ),
        Subscription(
            "finance-unit-integration-recorded",
            "govit.finance.unit_integration.recorded",
            on_unit_integration_recorded,
        ),
    ]
