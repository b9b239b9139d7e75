"""Framework plans as their lead, participants and the bureau see them; C5 at submission."""

from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, Principal
from govit_kit.errors import NotFound
from govit_kit.policy import Decision, PolicyProfile
from intake.frameworks.models import FrameworkPlan


def _members(plan: FrameworkPlan) -> set[str]:
    return {plan.lead_org_id, *plan.participant_org_ids}


async def get(*, session: AsyncSession, plan_id: str, who: Principal) -> FrameworkPlan:
    """A plan the caller may see: the bureaus, its lead and its participants."""
    plan = await session.get(FrameworkPlan, plan_id)
    scope = who.org_scope(PROJECT_READERS)
    if plan is None or (scope is not None and scope not in _members(plan)):
        raise NotFound("framework plan not found")
    return plan


def visible(who: Principal, status: str | None = None):
    """The plans the caller may list: the bureaus all, a unit those it leads or joins."""
    query = select(FrameworkPlan)
    scope = who.org_scope(PROJECT_READERS)
    if scope is not None:
        # Participants are a JSON list of ids (letters, digits, . _ -): match the quoted id,
        # LIKE's wildcards escaped.
        joined = cast(FrameworkPlan.participant_org_ids, String).contains(
            f'"{scope}"', autoescape=True
        )
        query = query.where(or_(FrameworkPlan.lead_org_id == scope, joined))
    if status is not None:
        query = query.where(FrameworkPlan.status == status)
    return query.order_by(FrameworkPlan.id)


async def decisions(
    *, session: AsyncSession, profile: PolicyProfile, plan_id: str | None, org_id: str
) -> list[Decision]:
    """C5: an application naming a framework plan must be a member's, under an approved plan."""
    if not plan_id or not profile.applies("C5"):
        return []
    plan = await session.get(FrameworkPlan, plan_id)
    if plan is None or org_id not in _members(plan):
        return [Decision.refuse(profile, "C5", "the unit is not part of that framework plan")]
    if plan.status != "approved":
        return [
            Decision.refuse(
                profile, "C5", "the framework plan has no review opinion of the data bureau yet"
            )
        ]
    return []
