"""The funding gates (I1-I6) a payment passes; each returns its decision, naming rule and article.

A refusal on any gate refuses the payment; a hold (I4) without refusals holds it until the
finding or rectification closes; otherwise it is paid by the treasury (I5).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from finance.funding.enums import FundingKind
from govit_kit.policy import Decision, Outcome, PolicyProfile


@dataclass(frozen=True)
class SystemFacts:
    """A project's system after acceptance (I3). None for `shares_data` or `in_catalog`: no one
    recorded it (refused as well, but said so)."""

    accepted: bool
    security_compliant: bool
    shares_data: bool | None
    in_catalog: bool | None


@dataclass(frozen=True)
class PaymentFacts:
    """What finance knows when it checks a payment."""

    amount: Decimal
    purpose: FundingKind
    reviewed: bool
    in_plan: bool
    system: SystemFacts | None
    open_findings: list[str] = field(default_factory=list)
    open_rectifications: list[str] = field(default_factory=list)
    contract_total: Decimal = Decimal(0)  # the contract with its supplements
    committed_on_contract: Decimal = Decimal(0)  # paid and held on the contract before this one
    balance: Decimal = Decimal(0)  # of the funding line
    # (system_id, rule_id, article) when the register decommissioned the project's system.
    retired: tuple[str, str, str] | None = None
    # ("suspended" | "terminated", rule_id, article) when review halted the project (F4, F5).
    halted: tuple[str, str, str] | None = None
    # I3 (YY art28): the data bureau's finding (its document) that the project's system collects
    # data already collected (重复采集数据); None while no such finding stands.
    collects_twice: str | None = None
    # I3 (YY art30): the data bureau's finding (its document) that the project's unit failed to
    # integrate its projects or systems as required (应整合而未整合); None while none stands.
    unit_unintegrated: str | None = None
    # I3 (YY art29): review's open rectification orders on the project for a crypto or security
    # finding (不符合密码应用和网络安全要求), as (order_id, finding), whether or not they hold payments.
    open_security_orders: list[tuple[str, str]] = field(default_factory=list)


def reviewed(profile: PolicyProfile, facts: PaymentFacts) -> Decision | None:
    """I1: no funds for a project the data bureau has not reviewed (and approved)."""
    if not profile.applies("I1"):
        return None
    if facts.reviewed:
        return Decision.allow(profile, "I1", "the data bureau reviewed and approved the project")
    return Decision.refuse(profile, "I1", "the data bureau has not approved the project")


def planned(profile: PolicyProfile, facts: PaymentFacts, fiscal_year: int) -> Decision | None:
    """I2 (or B2 where the profile has no I2): no funds outside the adopted annual plan of the
    line's fiscal year."""
    rule = next((r for r in ("I2", "B2") if profile.applies(r)), None)
    if rule is None:
        return None
    if facts.in_plan:
        return Decision.allow(profile, rule, "listed in the annual plan", fiscal_year=fiscal_year)
    return Decision.refuse(
        profile,
        rule,
        f"the project is not in the adopted {fiscal_year} annual plan",
        fiscal_year=fiscal_year,
    )


def om_allowed(profile: PolicyProfile, facts: PaymentFacts) -> Decision | None:
    """I3: no O&M funds for a system not accepted (YY art25), not sharing its data or collecting
    it twice, or outside the system catalog (art28), not crypto or security compliant, be it by
    its assessment or by an open rectification order for a crypto or security finding (art29),
    nor for a unit that failed to integrate its systems as required (art30). Every ground that
    holds is named; data sharing or the catalog never recorded is refused as not shown."""
    if not profile.applies("I3") or facts.purpose is not FundingKind.OM:
        return None
    s = facts.system
    failed = []
    if s is None:
        failed.append("no acceptance of the system is recorded")
    else:
        failed += [
            why
            for ok, why in (
                (s.accepted, "the system is not accepted"),
                (s.security_compliant, "crypto or security assessment not passed"),
            )
            if not ok
        ]
        for value, missing, no in (
            (
                s.shares_data,
                "no record that the system shares its data",
                "the system does not share its data",
            ),
            (
                s.in_catalog,
                "no record that the system is in the system catalog",
                "the system is outside the system catalog",
            ),
        ):
            if value is None:
                failed.append(missing)
            elif not value:
                failed.append(no)
    orders = sorted(facts.open_security_orders)
    if orders:
        named = ", ".join(f"{order_id} ({finding})" for order_id, finding in orders)
        failed.append(
            "crypto or security not compliant (不符合密码应用和网络安全要求): review's rectification "
            f"order {named} is open"
        )
    figures = {"open_security_orders": [order_id for order_id, _ in orders]} if orders else {}
    if facts.collects_twice is not None:
        failed.append(
            "the system collects data twice (重复采集数据, the data bureau's finding "
            f"{facts.collects_twice})"
        )
    if facts.unit_unintegrated is not None:
        failed.append(
            "the unit failed to integrate its systems as required (应整合而未整合, the data "
            f"bureau's finding {facts.unit_unintegrated})"
        )
    if failed:
        return Decision.refuse(profile, "I3", "; ".join(failed), **figures)
    return Decision.allow(
        profile,
        "I3",
        "accepted, compliant, sharing without collecting twice and catalogued; "
        "the unit has integrated its systems",
    )


def system_in_use(profile: PolicyProfile, facts: PaymentFacts) -> Decision | None:
    """K1, K2: a system the register decommissioned (or merged into another) gets no O&M
    funds; the rule and article are those the register's action cited."""
    if facts.purpose is not FundingKind.OM or facts.retired is None:
        return None
    system_id, rule_id, article = facts.retired
    return Decision(
        rule_id,
        article,
        Outcome.REFUSE,
        f"the system {system_id} is decommissioned: no more O&M funds",
        {"system_id": system_id},
    )


def halt_article(profile: PolicyProfile, rule_id: str, article: str) -> str:
    """The article a halt rests on: the one review cited, else the profile's for the rule (F4,
    F5) where it applies; "" where neither gives one."""
    if not article and rule_id in ("F4", "F5") and profile.applies(rule_id):
        article = profile.rule(rule_id).article or ""  # review cited no rule: the profile's
    return article


def terminated_without_rule(profile: PolicyProfile, halted: tuple[str, str, str] | None) -> bool:
    """The project is terminated and there is no article to cite for it: where F5 does not apply
    (wuhai, yunyang, xianyang) review terminates through its approver all the same, citing F5
    with no article. Its payments are then no rule's refusal: the flows answer them with a
    conflict naming the termination (every refusal names its rule and its article)."""
    if halted is None or halted[0] != "terminated":
        return False
    return not halt_article(profile, halted[1], halted[2])


def project_going(profile: PolicyProfile, facts: PaymentFacts) -> Decision | None:
    """F4, F5: a project review suspended gets its payments held until the suspension is
    lifted; a terminated one gets none. The rule and article are those review cited (else the
    profile's); a termination with no article to cite is not this gate's (None: the flows
    answer with a conflict, see `terminated_without_rule`)."""
    if facts.halted is None or terminated_without_rule(profile, facts.halted):
        return None
    state, rule_id, article = facts.halted
    article = halt_article(profile, rule_id, article)
    if state == "terminated":
        return Decision(rule_id, article, Outcome.REFUSE, "the project is terminated", {})
    return Decision(
        rule_id, article, Outcome.HOLD, "held while the project is suspended", {"state": state}
    )


def nothing_open(profile: PolicyProfile, facts: PaymentFacts) -> Decision | None:
    """I4: an open rectification order or audit finding holds payments until it closes."""
    if not profile.applies("I4"):
        return None
    if facts.open_findings or facts.open_rectifications:
        return Decision.hold(
            profile,
            "I4",
            "held until the project's open findings and rectifications close",
            open_findings=sorted(facts.open_findings),
            open_rectifications=sorted(facts.open_rectifications),
        )
    return Decision.allow(profile, "I4", "no open finding or rectification")


def within_contract(profile: PolicyProfile, facts: PaymentFacts) -> Decision | None:
    """I6: paying beyond the contract and its supplements funds an unapproved change overrun."""
    if not profile.applies("I6"):
        return None
    after = facts.committed_on_contract + facts.amount
    figures = dict(contract_total=facts.contract_total, committed_after=after)
    if after > facts.contract_total:
        return Decision.refuse(
            profile,
            "I6",
            f"payments would reach {after} yuan, over the contract's {facts.contract_total}: "
            "an overrun without an approved change gets no funds",
            **figures,
        )
    return Decision.allow(
        profile, "I6", "within the contract and its approved supplements", **figures
    )


def within_balance(profile: PolicyProfile, facts: PaymentFacts) -> Decision | None:
    """I5: funds are earmarked: a payment is made only from what the line still holds."""
    if not profile.applies("I5"):
        return None
    if facts.amount > facts.balance:
        return Decision.refuse(
            profile,
            "I5",
            f"the funding line holds {facts.balance} yuan, less than {facts.amount}",
            balance=facts.balance,
        )
    return Decision.allow(profile, "I5", "paid by the treasury from the earmarked line")


def check(profile: PolicyProfile, facts: PaymentFacts, fiscal_year: int) -> list[Decision]:
    """Every gate's decision, in rule order (gates a profile lacks are left out)."""
    gates = [
        reviewed(profile, facts),
        planned(profile, facts, fiscal_year),
        om_allowed(profile, facts),
        system_in_use(profile, facts),
        project_going(profile, facts),
        nothing_open(profile, facts),
        within_balance(profile, facts),
        within_contract(profile, facts),
    ]
    return [d for d in gates if d is not None]


def next_year_funds(
    profile: PolicyProfile, fiscal_year: int, unrectified: list[str]
) -> Decision | None:
    """I4 (WH art20): a unit that has not rectified as required gets, in principle, no next
    year's IT funds (O&M included): orders from before the fiscal year, past their deadline and
    still open when the line is opened, refuse it."""
    if not profile.applies("I4"):
        return None
    if unrectified:
        return Decision.refuse(
            profile,
            "I4",
            f"the unit has not rectified {', '.join(sorted(unrectified))} as required: "
            f"no {fiscal_year} funds",
            fiscal_year=fiscal_year,
            unrectified=sorted(unrectified),
        )
    return Decision.allow(
        profile, "I4", "no rectification from an earlier year left open past its deadline"
    )
