"""The compliance checks: which events must come before, or within a time of, which others.

Each check cites rules in order of preference; it is active under a profile when one of them
applies there, and its finding cites that rule with the profile's article. Event types are the
contract with the services that emit them (docs/ARCHITECTURE.md, "The audit log", lists them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govit_kit.policy import PolicyProfile

APPROVING = frozenset({"CONCLUSION_APPROVE", "CONCLUSION_APPROVE_AFTER_REVISION"})


@dataclass(frozen=True)
class Precedence:
    """A `trigger` event is a breach unless a `required` event about the same thing (whose payload
    matches `where`) was logged at or before it. `key` says what "the same thing" is on the trigger:
    "project", "subject" or "data.<field>" of its payload; on the required event it is the
    `required_key` column."""

    code: str
    rules: tuple[str, ...]
    triggers: frozenset[str]
    required: frozenset[str]
    summary: str
    key: str = "project"
    required_key: str = "project"
    where: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Within:
    """A `start` event must be followed by an `end` event about the same subject within the
    profile's figure of the cited rule; if not, it is a breach at the deadline. The figure's
    name gives its unit: working days (`..._working_days`, on the holiday calendar), or months
    (`..._months`: the same day that many months later, at its close, in China)."""

    code: str
    rules: tuple[str, ...]
    figure: str
    start: frozenset[str]
    end: frozenset[str]
    summary: str
    key: str = "subject"
    # Events that stop the clock, and those that restart it with the working days that were
    # left when it stopped: the party is not late while another decides.
    pause: frozenset[str] = frozenset()
    resume: frozenset[str] = frozenset()

    @property
    def watched(self) -> frozenset[str]:
        """Every event type that moves this check's watch."""
        return self.start | self.end | self.pause | self.resume


@dataclass(frozen=True)
class Flagged:
    """A `trigger` event whose payload carries a decision flagging one of `rules` (outcome
    `flag`) is a breach as soon as it is logged: the service that decided it found it late, and
    the article has the lateness reported (SN C art16: 通报审计部门和财政部门)."""

    code: str
    rules: tuple[str, ...]
    triggers: frozenset[str]
    summary: str
    key: str = "subject"


Check = Precedence | Within | Flagged


def _types(*names: str) -> frozenset[str]:
    return frozenset(f"govit.{n}" for n in names)


CHECKS: tuple[Check, ...] = (
    Precedence(
        code="funds-before-review",
        rules=("I1", "D7"),
        triggers=_types("finance.funding_line.opened", "finance.payment.approved"),
        required=_types("review.case.concluded"),
        where={"conclusion": APPROVING},
        summary="funds for a project the data bureau had not approved in review",
    ),
    Precedence(
        code="contract-before-procurement",
        rules=("E1",),
        triggers=_types("finance.contract.signed"),
        required=_types("finance.procurement.recorded"),
        summary="a contract signed before the project's procurement was recorded",
    ),
    Precedence(
        code="provisioned-without-approval",
        rules=("L1",),
        triggers=_types("cloud_broker.work_order.completed"),
        key="data.request_id",
        # A resource already running that the bureau registered (L10) was never approved as a
        # request: its registration stands for the approval before any later order completes.
        required=_types(
            "cloud_broker.resource_request.approved", "cloud_broker.resource_request.registered"
        ),
        required_key="subject",
        summary="cloud resources provisioned without an approved resource request",
    ),
    Within(
        code="request-approval-overdue",
        rules=("L4",),
        figure="approval_working_days",
        start=_types("cloud_broker.resource_request.accepted"),
        # The platform's withdrawal of a terminated project's request (F5) leaves nothing to
        # decide (a unit withdraws only before acceptance).
        end=_types(
            "cloud_broker.resource_request.approved",
            "cloud_broker.resource_request.rejected",
            "cloud_broker.resource_request.withdrawn",
        ),
        summary="no approval opinion on an accepted resource request by its deadline",
    ),
    Within(
        code="deployment-overdue",
        rules=("L4",),
        figure="deployment_working_days",
        start=_types("cloud_broker.resource_request.configured"),
        # A terminated project's system (F5) is not deployed: the unit owes its exit instead.
        end=_types(
            "cloud_broker.resource_request.deployed",
            "cloud_broker.resource_request.project_terminated",
        ),
        summary="configured cloud resources not deployed by the unit by the deadline",
        # L12 (SN C art12): an important migration's plan awaiting the bureau stops the unit's
        # clock until the bureau decides, as the broker's own deadline does.
        pause=_types("cloud_broker.resource_request.migration_plan_submitted"),
        resume=_types(
            "cloud_broker.resource_request.migration_plan_approved",
            "cloud_broker.resource_request.migration_plan_refused",
        ),
    ),
    Within(
        code="change-approval-overdue",
        rules=("L6",),
        figure="approval_working_days",
        start=_types("cloud_broker.change_request.submitted"),
        # A county authority's rejection (L3, PDS C art13) ends the change too.
        end=_types(
            "cloud_broker.change_request.approved",
            "cloud_broker.change_request.rejected",
            "cloud_broker.change_request.county_rejected",
        ),
        summary="no decision on a change request by its deadline",
    ),
    # L7 (SN C art16): 使用单位未及时提交服务终止申请或未及时完成系统迁移下云的,由管理部门通报审计
    # 部门和财政部门. The broker flags a late exit application on the request and its event; the
    # transition (过渡期) is watched here from the exit's approval.
    Flagged(
        code="exit-application-late",
        rules=("L7",),
        triggers=_types("cloud_broker.resource_request.exit_requested"),
        summary="an exit application filed later than the profile's months after the unit "
        "stopped using the resource",
    ),
    Within(
        code="exit-transition-overdue",
        rules=("L7",),
        figure="transition_months",
        start=_types("cloud_broker.resource_request.exit_approved"),
        end=_types(
            "cloud_broker.resource_request.transition_confirmed",
            "cloud_broker.resource_request.reclaimed",
        ),
        summary="a system not migrated off the cloud within its exit's transition period",
    ),
)


def flagged(check: Flagged, payload: dict) -> list[dict]:
    """The decisions of an event's payload that flag one of the check's rules."""
    return [
        d
        for d in payload.get("decisions", [])
        if d.get("rule_id") in check.rules and d.get("outcome") == "flag"
    ]


def cited_rule(profile: PolicyProfile, check: Check) -> str | None:
    """The rule a check's findings cite under this profile, or None if the check is inactive."""
    for rule in check.rules:
        if not profile.applies(rule):
            continue
        if isinstance(check, Within) and check.figure not in profile.rule(rule).figures:
            continue  # the jurisdiction has the rule but sets no deadline for this step
        return rule
    return None


def by_code(code: str) -> Check:
    """A check by its code."""
    return next(c for c in CHECKS if c.code == code)
