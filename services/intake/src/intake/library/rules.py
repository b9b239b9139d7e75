"""B2, B4, A3: what the annual plan admits and whether a project may be funded (pure)."""

from govit_kit.policy import Decision, PolicyProfile


def funding_decision(
    profile: PolicyProfile, *, fiscal_year: int, on_plan: bool, plan_adopted: bool, emergency: bool
) -> Decision:
    """B2: no funds for a project outside the year's annual plan (an emergency addition, A3,
    counts as on it; a draft plan does not yet)."""
    if not profile.applies("B2"):
        return Decision.allow(profile, "B2", "this jurisdiction ties no funds to an annual plan")
    if on_plan and (plan_adopted or emergency):
        return Decision.allow(
            profile, "B2", f"on the annual plan of {fiscal_year}", fiscal_year=fiscal_year
        )
    why = "on a plan not yet adopted" if on_plan else "not on the annual plan"
    return Decision.refuse(
        profile,
        "B2",
        f"the project is {why} of {fiscal_year}: no approval and no funds outside the plan",
        fiscal_year=fiscal_year,
    )


def plan_item_refusals(
    profile: PolicyProfile,
    *,
    priority_type: str | None,
    plan_adopted: bool,
    emergency: bool,
    document_reference: str | None,
) -> list[Decision]:
    """What keeps a library project off the plan: a missing B4 priority type where the profile
    has them; after adoption anything but an emergency with its approving document (A3).
    Where the profile's A3 says emergency projects are outside the measures (WH art22: 紧急项目,
    不适用本办法), an emergency goes on no plan here, and after adoption nothing does (the flow
    refuses that addition on its own)."""
    refusals = []
    if profile.applies("B4") and not priority_type:
        refusals.append(
            Decision.refuse(profile, "B4", "name the project's priority type (one of eight)")
        )
    if not profile.applies("A3"):
        return refusals  # the flow refuses additions to an adopted plan on its own
    route = profile.figure("A3", "emergency_projects")
    if route == "outside_measures":
        if emergency:
            refusals.append(
                Decision.refuse(
                    profile,
                    "A3",
                    "an emergency project (严重自然灾害和其他不可抗力事件) is outside these measures "
                    "(不适用本办法): it is put on no annual plan here and is handled outside the "
                    "platform",
                    emergency_projects=route,
                )
            )
        return refusals
    if emergency and not document_reference:
        refusals.append(
            Decision.refuse(
                profile, "A3", "an emergency addition names the approving document's reference"
            )
        )
    if plan_adopted and not emergency:
        refusals.append(
            Decision.refuse(
                profile,
                "A3",
                "the plan is adopted: only an emergency project, approved by the government, "
                "may be added",
            )
        )
    return refusals


def deferral_decision(
    profile: PolicyProfile, *, org_id: str, orders: list[tuple[str, str]], emergency: bool
) -> Decision | None:
    """J1 (SN P art37, YY art32): while a rectification order of the unit, overdue, stands
    escalated to 暂缓安排投资计划 (or beyond), its projects are not put on an annual plan.
    `orders` are (order id, sanction) of the deferrals in force. An emergency (A3) is not
    arranged by the plan (不受年度计划约束) and is not deferred."""
    if not orders or emergency or not profile.applies("J1"):
        return None
    ids = ", ".join(order_id for order_id, _ in orders)
    return Decision.refuse(
        profile,
        "J1",
        f"the unit {org_id} did not rectify in time: rectification order {ids} escalated to "
        "暂缓安排投资计划 (investment_deferred); its projects join no annual plan until the order "
        "is resolved (an emergency, A3, excepted)",
        org_id=org_id,
        order_ids=[order_id for order_id, _ in orders],
        sanctions=[sanction for _, sanction in orders],
    )
