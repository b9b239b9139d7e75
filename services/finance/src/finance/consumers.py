"""Events finance reacts to."""

from finance.assets import flows as assets
from finance.cloud import flows as cloud
from finance.funding import flows
from finance.payments import flows as payments
from finance.procurement import flows as procurement
from govit_kit.events import Event
from govit_kit.inbox import Subscription
from govit_kit.uow import UnitOfWork


def subscriptions(rt) -> list[Subscription]:
    """Finance's subscription list."""

    async def on_project_submitted(uow: UnitOfWork, event: Event) -> None:
        await flows.remember_project(uow=uow, submitted=event.message)

    async def on_case_concluded(uow: UnitOfWork, event: Event) -> None:
        await flows.on_conclusion(uow=uow, profile=rt.profile, concluded=event.message)

    async def on_investment_reviewed(uow: UnitOfWork, event: Event) -> None:
        await flows.on_investment_reviewed(uow=uow, profile=rt.profile, reviewed=event.message)

    async def on_ndrc_approved(uow: UnitOfWork, event: Event) -> None:
        await flows.on_ndrc_approved(uow=uow, approved=event.message)

    async def on_change_recorded(uow: UnitOfWork, event: Event) -> None:
        await procurement.on_change_recorded(uow=uow, recorded=event.message)

    async def on_evaluation_recorded(uow: UnitOfWork, event: Event) -> None:
        await flows.on_evaluation_recorded(uow=uow, recorded=event.message)

    async def on_finding_raised(uow: UnitOfWork, event: Event) -> None:
        await payments.on_finding_raised(uow=uow, raised=event.message)

    async def on_finding_resolved(uow: UnitOfWork, event: Event) -> None:
        await payments.on_finding_resolved(uow=uow, profile=rt.profile, resolved=event.message)

    async def on_rectification_issued(uow: UnitOfWork, event: Event) -> None:
        await payments.on_rectification_issued(uow=uow, issued=event.message)

    async def on_rectification_recounted(uow: UnitOfWork, event: Event) -> None:
        await payments.on_rectification_recounted(uow=uow, recounted=event.message)

    async def on_rectification_resolved(uow: UnitOfWork, event: Event) -> None:
        await payments.on_rectification_resolved(
            uow=uow, profile=rt.profile, resolved=event.message
        )

    async def on_plan_item_added(uow: UnitOfWork, event: Event) -> None:
        await payments.on_plan_item_added(uow=uow, added=event.message)

    async def on_plan_adopted(uow: UnitOfWork, event: Event) -> None:
        await payments.on_annual_plan_adopted(uow=uow, adopted=event.message)

    async def on_acceptance_recorded(uow: UnitOfWork, event: Event) -> None:
        await payments.on_acceptance_recorded(uow=uow, recorded=event.message)

    async def on_acceptance_report_filed(uow: UnitOfWork, event: Event) -> None:
        await assets.on_acceptance_report_filed(uow=uow, filed=event.message)

    async def on_bill_line_issued(uow: UnitOfWork, event: Event) -> None:
        await cloud.on_bill_line_issued(uow=uow, issued=event.message)

    async def on_billing_month_closed(uow: UnitOfWork, event: Event) -> None:
        await cloud.on_billing_month_closed(uow=uow, closed=event.message, event_id=event.id)

    async def on_case_state_changed(uow: UnitOfWork, event: Event) -> None:
        await payments.on_case_state_changed(uow=uow, profile=rt.profile, changed=event.message)

    async def on_system_retired(uow: UnitOfWork, event: Event) -> None:
        changed = event.message
        # The payload's project_id came later; intake always put the system's project in the
        # envelope (project id header), so an older event is read from there.
        if not changed.project_id and event.project_id:
            changed.project_id = event.project_id
        await payments.on_system_retired(uow=uow, changed=changed)

    async def on_organisation(uow: UnitOfWork, event: Event) -> None:
        await cloud.on_organisation_changed(uow=uow, changed=event.message)

    async def on_unit_marked(uow: UnitOfWork, event: Event) -> None:
        await cloud.on_unit_marked(uow=uow, marked=event.message)

    return [
        Subscription(
            "intake-project-submitted", "govit.intake.project.submitted", on_project_submitted
        ),
        Subscription("review-case-concluded", "govit.review.case.concluded", on_case_concluded),
        Subscription(
            "review-investment-reviewed",
            "govit.review.approval.investment_reviewed",
            on_investment_reviewed,
        ),
        # The NDRC's approved estimate is the project's approved total (D7), until an approved
        # adjustment's new total replaces it (E1, E6, E7 measure it).
        Subscription(
            "review-ndrc-approved", "govit.review.approval.ndrc_approved", on_ndrc_approved
        ),
        # An adjustment takes effect when approved by its approver (F2, .decided) or by the
        # bureau where the bureau approves it (F3, XY art15, .disposed), or when filed (F1's unit
        # decision, F3's filing: PDS P art17, .requested).
        Subscription("review-change-decided", "govit.review.change.decided", on_change_recorded),
        Subscription("review-change-disposed", "govit.review.change.disposed", on_change_recorded),
        Subscription(
            "review-change-requested", "govit.review.change.requested", on_change_recorded
        ),
        Subscription(
            "review-evaluation-recorded",
            "govit.review.evaluation.recorded",
            on_evaluation_recorded,
        ),
        Subscription("audit-finding-raised", "govit.audit.finding.raised", on_finding_raised),
        Subscription("audit-finding-resolved", "govit.audit.finding.resolved", on_finding_resolved),
        Subscription(
            "review-rectification-issued",
            "govit.review.rectification.issued",
            on_rectification_issued,
        ),
        Subscription(
            "review-rectification-recounted",
            "govit.review.rectification.recounted",
            on_rectification_recounted,
        ),
        Subscription(
            "review-rectification-resolved",
            "govit.review.rectification.resolved",
            on_rectification_resolved,
        ),
        Subscription(
            "intake-plan-item-added", "govit.intake.annual_plan.item_added", on_plan_item_added
        ),
        Subscription("intake-plan-adopted", "govit.intake.annual_plan.adopted", on_plan_adopted),
        Subscription(
            "review-acceptance-recorded",
            "govit.review.acceptance.recorded",
            on_acceptance_recorded,
        ),
        Subscription(
            "review-acceptance-report-filed",
            "govit.review.acceptance_report.filed",
            on_acceptance_report_filed,
        ),
        Subscription("review-case-suspended", "govit.review.case.suspended", on_case_state_changed),
        Subscription(
            "review-case-suspension-lifted",
            "govit.review.case.suspension_lifted",
            on_case_state_changed,
        ),
        Subscription(
            "review-case-terminated", "govit.review.case.terminated", on_case_state_changed
        ),
        Subscription(
            "intake-system-decommissioned", "govit.intake.system.decommissioned", on_system_retired
        ),
        Subscription("intake-system-merged", "govit.intake.system.merged", on_system_retired),
        Subscription(
            "intake-organisation-registered",
            "govit.intake.organisation.registered",
            on_organisation,
        ),
        Subscription(
            "intake-organisation-updated", "govit.intake.organisation.updated", on_organisation
        ),
        Subscription("cloud-broker-unit-marked", "govit.cloud_broker.unit.marked", on_unit_marked),
        Subscription(
            "cloud-broker-bill-line-issued",
            "govit.cloud_broker.bill_line.issued",
            on_bill_line_issued,
        ),
        # The month's close (L10): how many lines each platform's month has, so the bureau's
        # verification waits for them; its own consumer, so before or after the lines.
        Subscription(
            "cloud-broker-billing-month-closed",
            "govit.cloud_broker.billing_month.closed",
            on_billing_month_closed,
        ),
    ]
