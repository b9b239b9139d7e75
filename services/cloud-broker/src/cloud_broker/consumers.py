"""Events cloud-broker reacts to: intake's register of units and of systems (K1, K3, K4, K5), and
review's suspension (F4) and termination (F5) of the projects new systems' requests stand on."""

from cloud_broker.projects import flows as projects
from cloud_broker.requests import units
from cloud_broker.systems import flows as systems
from govit_kit.events import Event
from govit_kit.inbox import Subscription
from govit_kit.uow import UnitOfWork


def subscriptions(rt) -> list[Subscription]:
    """Cloud-broker's subscription list."""

    async def on_organisation(uow: UnitOfWork, event: Event) -> None:
        await units.on_organisation_changed(uow=uow, changed=event.message)

    async def on_frozen(uow: UnitOfWork, event: Event) -> None:
        await systems.on_frozen(uow=uow, rt=rt, event=event)

    async def on_unfrozen(uow: UnitOfWork, event: Event) -> None:
        await systems.on_unfrozen(uow=uow, rt=rt, event=event)

    async def on_decommissioned(uow: UnitOfWork, event: Event) -> None:
        await systems.on_decommissioned(uow=uow, rt=rt, event=event)

    async def on_owner_changed(uow: UnitOfWork, event: Event) -> None:
        await systems.on_owner_changed(uow=uow, rt=rt, event=event)

    async def on_case_suspended(uow: UnitOfWork, event: Event) -> None:
        await projects.on_suspended(uow=uow, rt=rt, event=event)

    async def on_case_suspension_lifted(uow: UnitOfWork, event: Event) -> None:
        await projects.on_suspension_lifted(uow=uow, rt=rt, event=event)

    async def on_case_terminated(uow: UnitOfWork, event: Event) -> None:
        await projects.on_terminated(uow=uow, rt=rt, event=event)

    return [
        Subscription(
            "intake-organisation-registered",
            "govit.intake.organisation.registered",
            on_organisation,
        ),
        Subscription(
            "intake-organisation-updated", "govit.intake.organisation.updated", on_organisation
        ),
        Subscription("intake-system-frozen", "govit.intake.system.frozen", on_frozen),
        Subscription("intake-system-unfrozen", "govit.intake.system.unfrozen", on_unfrozen),
        Subscription(
            "intake-system-decommissioned",
            "govit.intake.system.decommissioned",
            on_decommissioned,
        ),
        Subscription("intake-system-promoted", "govit.intake.system.promoted", on_owner_changed),
        Subscription(
            "intake-system-transferred", "govit.intake.system.transferred", on_owner_changed
        ),
        Subscription("review-case-suspended", "govit.review.case.suspended", on_case_suspended),
        Subscription(
            "review-case-suspension-lifted",
            "govit.review.case.suspension_lifted",
            on_case_suspension_lifted,
        ),
        Subscription("review-case-terminated", "govit.review.case.terminated", on_case_terminated),
    ]
