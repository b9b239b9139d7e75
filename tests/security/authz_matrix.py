"""The authorisation matrix: for every REST endpoint of every service, the roles that may call
it, and whether it acts on an object owned by a unit or a provider that a stranger must not reach.

`test_authorisation.py` fails when a service has an endpoint this table does not name, or the
table names one that no longer exists; then it sends every role to every endpoint (on objects
that exist) and holds the answers to the table. Adding an endpoint: add its line here, with the
roles the handler lets through and `owner` if it names one unit's or provider's object (see
docs/security.md).

Meaning of an entry:
- `roles`: a role in the set is let through (its answer is not 401 or 403: it may still be 404
  for an object it may not see, 409 for a state, 422 for its input); any other role gets 403,
  or 404 where the object is looked up before the role is checked.
- `scoped`: roles that may call it only on objects of their own (a county authority on the
  units registered under it): on unit A's object they are refused like a stranger.
- `owner="org"`: the path (or a required query) names an object of one unit; unit B's staff and
  CDO get 403 or 404 on unit A's object. `owner="org-body"`: the body names it; unit B gets 403, 404, or a 422 naming
  the field, exactly as for an id that does not exist. `owner="provider"`: the object is one
  provider's; provider "pb" gets 404 on provider "pa"'s (`"provider-body"`: the body names it,
  and "pb" gets 403, 404 or a 422 naming the field).
"""

from __future__ import annotations

from dataclasses import dataclass

from authz_support import ROLES


@dataclass(frozen=True)
class E:
    """One endpoint's entry (see the module's docstring)."""

    roles: frozenset[str] | set[str]
    owner: str | None = None
    # Roles that may call it on their own objects only: refused (403/404) on unit A's.
    scoped: frozenset[str] | set[str] = frozenset()

    def __post_init__(self) -> None:
        unknown = (set(self.roles) | set(self.scoped)) - set(ROLES)
        assert not unknown, f"unknown roles {unknown}"
        assert self.owner in (None, "org", "org-body", "provider", "provider-body"), self.owner


EVERYONE = set(ROLES)
UNITS = {"unit_staff", "unit_cdo"}
# govit_kit.auth.PROJECT_READERS: the bureau roles that read every unit's project records.
READERS = {
    "bureau_reviewer",
    "ndrc_officer",
    "finance_officer",
    "auditor",
    "security_reviewer",
    "secrecy_reviewer",
}
OPERATORS = {"auditor", "platform_operator"}  # dead letters (operator replays), audit's own log
PROVIDERS = {"cloud_provider"}
# The cloud broker's readers of unit requests (cloud_broker.requests.service.READERS) and of
# utilisation (bureau, finance, audit); of work orders (bureau and audit read, providers work).
BROKER_READERS = UNITS | {"bureau_cloud_admin", "county_reviewer", "finance_officer", "auditor"}
UTILISATION_READERS = UNITS | {"bureau_cloud_admin", "finance_officer", "auditor"}
ORDER_READERS = {"bureau_cloud_admin", "auditor", "cloud_provider"}

# (service, method, path template) -> entry. Public endpoints (probes, metrics, API docs, audit's
# public key) are not here: test_authentication.py holds them public.
MATRIX: dict[tuple[str, str, str], E] = {
    # intake
    ("intake", "GET", "/v1/dead-letters"): E(OPERATORS),
    ("intake", "POST", "/v1/dead-letters/{dead_letter_id}/replay"): E({"platform_operator"}),
    ("intake", "POST", "/v1/organisations"): E({"bureau_reviewer"}),
    ("intake", "GET", "/v1/organisations"): E(UNITS | READERS | {"county_reviewer"}),
    ("intake", "PUT", "/v1/organisations/{org_id}"): E(
        {"bureau_reviewer"}, owner="org", scoped={"county_reviewer"}
    ),
    ("intake", "GET", "/v1/organisations/{org_id}"): E(
        UNITS | READERS | {"county_reviewer"}, owner="org"
    ),
    ("intake", "PUT", "/v1/organisations/{org_id}/rectifications/{rectification_id}"): E(
        {"bureau_reviewer", "security_reviewer"}
    ),
    ("intake", "POST", "/v1/organisations/{org_id}/rectifications/{rectification_id}/close"): E(
        {"bureau_reviewer", "security_reviewer"}
    ),
    ("intake", "GET", "/v1/organisations/{org_id}/grounds"): E(UNITS | READERS, owner="org"),
    ("intake", "POST", "/v1/demand-calls"): E({"bureau_reviewer"}),
    ("intake", "GET", "/v1/demand-calls"): E(EVERYONE),
    ("intake", "GET", "/v1/demand-calls/{call_id}"): E(EVERYONE),
    ("intake", "POST", "/v1/projects"): E({"unit_staff"}),
    ("intake", "GET", "/v1/projects"): E(UNITS | READERS | {"county_reviewer"}),
    ("intake", "PATCH", "/v1/projects/{project_id}"): E({"unit_staff"}, owner="org"),
    ("intake", "GET", "/v1/projects/{project_id}"): E(
        UNITS | READERS | {"county_reviewer"}, owner="org"
    ),
    ("intake", "POST", "/v1/projects/{project_id}/submit"): E(UNITS, owner="org"),
    ("intake", "POST", "/v1/projects/{project_id}/cdo-signoff"): E({"unit_cdo"}, owner="org"),
    ("intake", "PUT", "/v1/projects/{project_id}/materials/{kind}"): E({"unit_staff"}, owner="org"),
    ("intake", "GET", "/v1/projects/{project_id}/materials"): E(
        UNITS | READERS | {"county_reviewer"}, owner="org"
    ),
    ("intake", "GET", "/v1/projects/{project_id}/materials/{kind}/content"): E(
        UNITS | READERS | {"county_reviewer"}, owner="org"
    ),
    ("intake", "GET", "/v1/projects/{project_id}/required-materials"): E(
        UNITS | READERS | {"county_reviewer"}, owner="org"
    ),
    ("intake", "PUT", "/v1/projects/{project_id}/catalog"): E({"unit_staff"}, owner="org"),
    ("intake", "GET", "/v1/projects/{project_id}/catalog"): E(
        UNITS | READERS | {"county_reviewer"}, owner="org"
    ),
    ("intake", "POST", "/v1/projects/{project_id}/catalog/import"): E({"unit_staff"}, owner="org"),
    ("intake", "GET", "/v1/projects/{project_id}/catalog/check"): E(
        UNITS | READERS | {"county_reviewer"}, owner="org"
    ),
    ("intake", "GET", "/v1/library"): E(UNITS | READERS),
    ("intake", "GET", "/v1/library/{project_id}"): E(UNITS | READERS, owner="org"),
    ("intake", "PUT", "/v1/library/{project_id}/baseline"): E({"bureau_reviewer"}),
    ("intake", "PUT", "/v1/library/{project_id}/actuals"): E(
        {"unit_staff", "bureau_reviewer"}, owner="org"
    ),
    ("intake", "POST", "/v1/annual-plans"): E({"bureau_reviewer"}),
    ("intake", "GET", "/v1/annual-plans"): E(EVERYONE),
    ("intake", "GET", "/v1/annual-plans/rolling"): E(UNITS | READERS),
    ("intake", "GET", "/v1/annual-plans/{year}"): E(UNITS | READERS),
    ("intake", "POST", "/v1/annual-plans/{year}/items"): E({"bureau_reviewer"}),
    ("intake", "POST", "/v1/annual-plans/{year}/adopt"): E({"bureau_reviewer"}),
    ("intake", "GET", "/v1/projects/{project_id}/funding-eligibility"): E(
        UNITS | READERS | {"county_reviewer"}, owner="org"
    ),
    ("intake", "POST", "/v1/framework-plans"): E({"unit_staff"}),
    ("intake", "GET", "/v1/framework-plans"): E(UNITS | READERS),
    ("intake", "GET", "/v1/framework-plans/{plan_id}"): E(UNITS | READERS, owner="org"),
    ("intake", "POST", "/v1/framework-plans/{plan_id}/approve"): E({"bureau_reviewer"}),
    ("intake", "POST", "/v1/systems"): E({"bureau_reviewer"}),
    ("intake", "GET", "/v1/systems"): E(UNITS | READERS | {"bureau_cloud_admin"}),
    ("intake", "GET", "/v1/systems/{system_id}"): E(
        UNITS | READERS | {"bureau_cloud_admin"}, owner="org"
    ),
    ("intake", "POST", "/v1/systems/{system_id}/actions"): E({"bureau_reviewer"}),
    ("intake", "GET", "/v1/systems/{system_id}/actions"): E(
        UNITS | READERS | {"bureau_cloud_admin"}, owner="org"
    ),
    ("intake", "POST", "/v1/projects/{project_id}/forward"): E({"county_reviewer"}),
    ("intake", "POST", "/v1/projects/{project_id}/city-outcome"): E({"county_reviewer"}),
    # review
    ("review", "GET", "/v1/dead-letters"): E(OPERATORS),
    ("review", "POST", "/v1/dead-letters/{dead_letter_id}/replay"): E({"platform_operator"}),
    ("review", "GET", "/v1/cases"): E(UNITS | READERS | {"expert"}),
    ("review", "GET", "/v1/cases/{case_id}"): E(UNITS | READERS | {"expert"}, owner="org"),
    ("review", "POST", "/v1/cases/{case_id}/conclusion"): E({"bureau_reviewer"}),
    ("review", "POST", "/v1/cases/{case_id}/suspension"): E({"bureau_reviewer"}),
    ("review", "POST", "/v1/cases/{case_id}/suspension/lift"): E({"bureau_reviewer"}),
    ("review", "PUT", "/v1/cases/{case_id}/attributes"): E(
        UNITS | {"bureau_reviewer"}, owner="org"
    ),
    ("review", "GET", "/v1/cases/{case_id}/pre-checks"): E(
        UNITS | READERS | {"expert"}, owner="org"
    ),
    ("review", "POST", "/v1/cases/{case_id}/pre-checks"): E({"bureau_reviewer"}),
    ("review", "POST", "/v1/cases/{case_id}/pre-checks/{pre_check_id}/clearance"): E(
        {"bureau_reviewer"}
    ),
    ("review", "POST", "/v1/cases/{case_id}/pre-checks/{pre_check_id}/overrule"): E(
        {"bureau_reviewer"}
    ),
    ("review", "POST", "/v1/cases/{case_id}/opinions"): E(
        {"expert", "security_reviewer", "secrecy_reviewer"}
    ),
    ("review", "GET", "/v1/cases/{case_id}/opinions"): E(READERS | {"expert"}),
    ("review", "POST", "/v1/cases/{case_id}/resubmission"): E(UNITS, owner="org"),
    ("review", "GET", "/v1/cases/{case_id}/conclusions"): E(
        UNITS | READERS | {"expert"}, owner="org"
    ),
    ("review", "POST", "/v1/cases/{case_id}/ndrc-approval"): E({"ndrc_officer"}),
    ("review", "POST", "/v1/cases/{case_id}/investment-review"): E({"finance_officer"}),
    ("review", "GET", "/v1/cases/{case_id}/history"): E(UNITS | READERS | {"expert"}, owner="org"),
    ("review", "POST", "/v1/pool-members"): E({"bureau_reviewer"}),
    ("review", "GET", "/v1/pool-members"): E({"bureau_reviewer", "auditor"}),
    ("review", "PATCH", "/v1/pool-members/{member_id}"): E({"bureau_reviewer"}),
    ("review", "POST", "/v1/cases/{case_id}/draws"): E({"bureau_reviewer"}),
    ("review", "GET", "/v1/cases/{case_id}/draws"): E({"bureau_reviewer", "auditor"}),
    ("review", "GET", "/v1/cases/{case_id}/assignments"): E(READERS | {"expert"}),
    ("review", "POST", "/v1/assignments/{assignment_id}/decline"): E({"bureau_reviewer", "expert"}),
    ("review", "GET", "/v1/draws/{draw_id}/verification"): E({"bureau_reviewer", "auditor"}),
    ("review", "POST", "/v1/cases/{case_id}/changes"): E(UNITS, owner="org"),
    ("review", "GET", "/v1/cases/{case_id}/changes"): E(UNITS | READERS | {"expert"}, owner="org"),
    ("review", "POST", "/v1/changes/{change_id}/disposal"): E({"bureau_reviewer"}),
    ("review", "POST", "/v1/changes/{change_id}/decision"): E({"ndrc_officer"}),
    ("review", "POST", "/v1/rectifications"): E({"bureau_reviewer"}),
    ("review", "GET", "/v1/rectifications"): E(UNITS | READERS),
    ("review", "GET", "/v1/rectifications/{order_id}"): E(UNITS | READERS, owner="org"),
    ("review", "POST", "/v1/rectifications/escalations"): E(
        {"bureau_reviewer", "platform_operator"}
    ),
    ("review", "POST", "/v1/rectifications/{order_id}/resolution"): E({"bureau_reviewer"}),
    ("review", "GET", "/v1/units/{org_id}/standing"): E(UNITS | READERS, owner="org"),
    ("review", "POST", "/v1/cases/{case_id}/pre-approvals"): E(UNITS, owner="org"),
    ("review", "GET", "/v1/cases/{case_id}/pre-approvals"): E(UNITS | READERS, owner="org"),
    ("review", "POST", "/v1/cases/{case_id}/acceptance-report-filings"): E(UNITS, owner="org"),
    ("review", "GET", "/v1/cases/{case_id}/acceptance-report-filings"): E(
        UNITS | READERS, owner="org"
    ),
    ("review", "POST", "/v1/pre-approvals/{pre_approval_id}/decision"): E({"bureau_reviewer"}),
    ("review", "POST", "/v1/cases/{case_id}/acceptances"): E({"bureau_reviewer"}),
    ("review", "GET", "/v1/cases/{case_id}/acceptances"): E(
        UNITS | READERS | {"expert"}, owner="org"
    ),
    ("review", "GET", "/v1/evaluations"): E(UNITS | READERS),
    ("review", "POST", "/v1/evaluations/overdue-flags"): E(
        {"bureau_reviewer", "platform_operator"}
    ),
    ("review", "POST", "/v1/evaluations/{evaluation_id}/result"): E({"bureau_reviewer"}),
    ("review", "POST", "/v1/cases/{case_id}/progress-reports"): E(UNITS, owner="org"),
    ("review", "GET", "/v1/cases/{case_id}/progress-reports"): E(UNITS | READERS, owner="org"),
    ("review", "POST", "/v1/progress-reports/overdue-flags"): E(
        {"bureau_reviewer", "platform_operator"}
    ),
    ("review", "GET", "/v1/portfolio"): E(UNITS | READERS),
    ("review", "GET", "/v1/portfolio.csv"): E(UNITS | READERS),
    # cloud_broker
    ("cloud_broker", "GET", "/v1/dead-letters"): E(OPERATORS),
    ("cloud_broker", "POST", "/v1/dead-letters/{dead_letter_id}/replay"): E({"platform_operator"}),
    ("cloud_broker", "GET", "/v1/catalog/service-modes"): E(EVERYONE),
    ("cloud_broker", "GET", "/v1/catalog/platforms"): E(EVERYONE),
    ("cloud_broker", "POST", "/v1/catalog/platforms"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "GET", "/v1/catalog/skus"): E(EVERYONE),
    ("cloud_broker", "POST", "/v1/catalog/skus"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "GET", "/v1/catalog/skus/{code}"): E(EVERYONE),
    ("cloud_broker", "POST", "/v1/catalog/skus/{code}/retire"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "GET", "/v1/catalog/skus/{code}/prices"): E(EVERYONE),
    ("cloud_broker", "POST", "/v1/catalog/skus/{code}/prices"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "POST", "/v1/catalog/prices/{price_id}/close"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "POST", "/v1/resource-requests"): E({"unit_staff"}),
    ("cloud_broker", "GET", "/v1/resource-requests"): E(BROKER_READERS),
    # 存量资源登记: the bureau takes a running resource on its books for a unit (L10).
    ("cloud_broker", "POST", "/v1/resource-requests/existing"): E({"bureau_cloud_admin"}),
    # The kinds of material L2 requires (names and rule), not any unit's material.
    ("cloud_broker", "GET", "/v1/resource-requests/materials"): E(EVERYONE),
    ("cloud_broker", "GET", "/v1/resource-requests/{request_id}"): E(BROKER_READERS, owner="org"),
    ("cloud_broker", "GET", "/v1/resource-requests/{request_id}/history"): E(
        BROKER_READERS, owner="org"
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/submit"): E(
        {"unit_staff"}, owner="org"
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/withdraw"): E(UNITS, owner="org"),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/county-forward"): E(
        {"county_reviewer"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/county-reject"): E(
        {"county_reviewer"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/accept"): E(
        {"bureau_cloud_admin"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/approve"): E(
        {"bureau_cloud_admin"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/reject"): E(
        {"bureau_cloud_admin"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/deploy"): E(UNITS, owner="org"),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/activate"): E(
        {"bureau_cloud_admin"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/approve-exit"): E(
        {"bureau_cloud_admin"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/reject-exit"): E(
        {"bureau_cloud_admin"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/confirm-transition"): E(
        UNITS, owner="org"
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/plan-approval"): E(
        {"bureau_cloud_admin"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/allocate"): E(
        {"bureau_cloud_admin"}
    ),
    # L12 (SN C art12): the unit submits its important migration's plan and gives its ordinary
    # migration's advance notice; the bureau decides the plan.
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/migration-plan"): E(
        {"unit_staff"}, owner="org"
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/migration-plan/decision"): E(
        {"bureau_cloud_admin"}
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/migration-notice"): E(
        {"unit_staff"}, owner="org"
    ),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/exit"): E(UNITS, owner="org"),
    ("cloud_broker", "POST", "/v1/resource-requests/{request_id}/changes"): E(
        {"unit_staff"}, owner="org"
    ),
    # A county authority reads its units' changes as their requests (L3: it reviews them first
    # where the profile says so, PDS C art13); another unit's change is a 404 to it.
    # The changes the caller may see (a unit its own, a county authority its units'); none to a
    # provider.
    ("cloud_broker", "GET", "/v1/changes"): E(BROKER_READERS),
    ("cloud_broker", "GET", "/v1/migration-notices"): E(BROKER_READERS),
    ("cloud_broker", "GET", "/v1/changes/{change_id}"): E(BROKER_READERS, owner="org"),
    ("cloud_broker", "POST", "/v1/changes/{change_id}/county-forward"): E({"county_reviewer"}),
    ("cloud_broker", "POST", "/v1/changes/{change_id}/county-reject"): E({"county_reviewer"}),
    ("cloud_broker", "POST", "/v1/changes/{change_id}/decision"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "PUT", "/v1/units/{org_id}"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "GET", "/v1/units"): E({"bureau_cloud_admin", "finance_officer", "auditor"}),
    ("cloud_broker", "POST", "/v1/units/{org_id}/l11-marks"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "GET", "/v1/quotas"): E({"bureau_cloud_admin", "finance_officer", "auditor"}),
    ("cloud_broker", "PUT", "/v1/quotas"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "GET", "/v1/provider/work-orders"): E(ORDER_READERS),
    ("cloud_broker", "GET", "/v1/provider/work-orders/{order_id}"): E(
        ORDER_READERS, owner="provider"
    ),
    ("cloud_broker", "POST", "/v1/provider/work-orders/{order_id}/claim"): E(
        PROVIDERS, owner="provider"
    ),
    ("cloud_broker", "POST", "/v1/provider/work-orders/{order_id}/lease"): E(
        PROVIDERS, owner="provider"
    ),
    ("cloud_broker", "POST", "/v1/provider/work-orders/{order_id}/progress"): E(
        PROVIDERS, owner="provider"
    ),
    ("cloud_broker", "POST", "/v1/provider/work-orders/{order_id}/complete"): E(
        PROVIDERS, owner="provider"
    ),
    ("cloud_broker", "POST", "/v1/provider/work-orders/{order_id}/fail"): E(
        PROVIDERS, owner="provider"
    ),
    ("cloud_broker", "POST", "/v1/provider/work-orders/{order_id}/wipe-attestation"): E(
        PROVIDERS, owner="provider"
    ),
    ("cloud_broker", "GET", "/v1/provider/operations/{operation_id}"): E(
        ORDER_READERS, owner="provider"
    ),
    ("cloud_broker", "POST", "/v1/provider/reports"): E({"cloud_provider"}),
    ("cloud_broker", "POST", "/v1/provider/platform-changes"): E({"cloud_provider"}),
    # L15: a provider records its own platform's drills and lists them; bureau and audit read all.
    ("cloud_broker", "POST", "/v1/provider/drills"): E({"cloud_provider"}),
    ("cloud_broker", "GET", "/v1/provider/drills"): E(ORDER_READERS),
    ("cloud_broker", "GET", "/v1/deadlines/overdue"): E(UTILISATION_READERS | PROVIDERS),
    ("cloud_broker", "GET", "/v1/deadlines/paused"): E(UTILISATION_READERS | PROVIDERS),
    # A provider reports on resources of its own platform; the supervision provider on any.
    ("cloud_broker", "POST", "/v1/utilisation/figures"): E(
        {"cloud_provider", "supervision_provider"}, owner="provider-body"
    ),
    ("cloud_broker", "POST", "/v1/utilisation/classifications"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "GET", "/v1/utilisation/classifications"): E(UTILISATION_READERS),
    ("cloud_broker", "GET", "/v1/utilisation/findings"): E(UTILISATION_READERS),
    ("cloud_broker", "GET", "/v1/utilisation/findings/{finding_id}"): E(
        UTILISATION_READERS, owner="org"
    ),
    ("cloud_broker", "POST", "/v1/utilisation/findings/{finding_id}/response"): E(
        UNITS, owner="org"
    ),
    ("cloud_broker", "POST", "/v1/utilisation/findings/{finding_id}/ruling"): E(
        {"bureau_cloud_admin"}
    ),
    ("cloud_broker", "POST", "/v1/billing/runs"): E({"bureau_cloud_admin"}),
    ("cloud_broker", "GET", "/v1/billing/bill-lines"): E(UTILISATION_READERS),
    ("cloud_broker", "GET", "/v1/billing/months/{period}"): E(
        {"bureau_cloud_admin", "finance_officer", "auditor"}
    ),
    # finance
    ("finance", "GET", "/v1/dead-letters"): E(OPERATORS),
    ("finance", "POST", "/v1/dead-letters/{dead_letter_id}/replay"): E({"platform_operator"}),
    ("finance", "GET", "/v1/funding-lines"): E(UNITS | READERS),
    ("finance", "POST", "/v1/funding-lines"): E({"finance_officer"}),
    ("finance", "GET", "/v1/funding-lines/{line_id}"): E(UNITS | READERS, owner="org"),
    ("finance", "GET", "/v1/funding-lines/{line_id}/entries"): E(UNITS | READERS, owner="org"),
    ("finance", "POST", "/v1/funding-lines/{line_id}/entries"): E({"finance_officer"}),
    ("finance", "POST", "/v1/ledger-entries/{entry_id}/reversal"): E({"finance_officer"}),
    ("finance", "GET", "/v1/funding-lines/{line_id}/balance"): E(UNITS | READERS, owner="org"),
    ("finance", "POST", "/v1/funding-lines/{line_id}/closing"): E({"finance_officer"}),
    ("finance", "POST", "/v1/contractors"): E({"finance_officer"}),
    ("finance", "GET", "/v1/contractors/{contractor_id}"): E(UNITS | READERS),
    ("finance", "POST", "/v1/contractors/{contractor_id}/blacklistings"): E({"finance_officer"}),
    ("finance", "POST", "/v1/procurements"): E(UNITS | {"finance_officer"}, owner="org-body"),
    ("finance", "GET", "/v1/procurements"): E(UNITS | READERS),
    ("finance", "POST", "/v1/adjustments"): E({"finance_officer"}),
    ("finance", "POST", "/v1/contracts"): E(UNITS | {"finance_officer"}, owner="org-body"),
    ("finance", "GET", "/v1/contracts"): E(UNITS | READERS),
    ("finance", "GET", "/v1/contracts/{contract_id}"): E(UNITS | READERS, owner="org"),
    ("finance", "POST", "/v1/contracts/{contract_id}/supplements"): E(
        UNITS | {"finance_officer"}, owner="org"
    ),
    # E6 (SN P art29 原则上): the data bureau's written exemption of a project from supervision.
    ("finance", "POST", "/v1/supervision-exemptions"): E({"bureau_reviewer"}),
    ("finance", "GET", "/v1/supervision-exemptions"): E(UNITS | READERS),
    ("finance", "POST", "/v1/payments"): E(UNITS | {"finance_officer"}, owner="org-body"),
    ("finance", "GET", "/v1/payments"): E(UNITS | READERS),
    ("finance", "GET", "/v1/payments/{payment_id}"): E(UNITS | READERS, owner="org"),
    ("finance", "GET", "/v1/audit-findings"): E(UNITS | READERS),
    # G7 (PDS P art18): the acceptance reports filed with finance, from review's events.
    ("finance", "GET", "/v1/acceptance-report-filings"): E(UNITS | READERS),
    ("finance", "POST", "/v1/plan-listings"): E({"finance_officer"}),
    ("finance", "PUT", "/v1/projects/{project_id}/system-status"): E({"finance_officer"}),
    ("finance", "POST", "/v1/projects/{project_id}/asset-registrations"): E(UNITS, owner="org"),
    ("finance", "GET", "/v1/projects/{project_id}/asset-registrations"): E(
        UNITS | READERS, owner="org"
    ),
    ("finance", "GET", "/v1/asset-registrations/unregistered"): E(UNITS | READERS),
    # I3 (YY art28, art30): the data bureau's findings, a system collecting data twice and a unit
    # that failed to integrate its systems.
    ("finance", "PUT", "/v1/projects/{project_id}/duplicate-collection"): E({"bureau_reviewer"}),
    ("finance", "PUT", "/v1/units/{org_id}/system-integration"): E({"bureau_reviewer"}),
    ("finance", "GET", "/v1/projects/{project_id}/system-status"): E(UNITS | READERS, owner="org"),
    ("finance", "GET", "/v1/projects/{project_id}/duplicate-collection"): E(
        UNITS | READERS, owner="org"
    ),
    ("finance", "GET", "/v1/units/{org_id}/system-integration"): E(UNITS | READERS, owner="org"),
    ("finance", "POST", "/v1/rectifications"): E({"finance_officer", "auditor"}),
    ("finance", "POST", "/v1/rectifications/{order_id}/closure"): E({"finance_officer", "auditor"}),
    # Its query names one project: another unit's is a 404.
    ("finance", "GET", "/v1/ocds/release-package"): E(UNITS | READERS, owner="org"),
    ("finance", "PUT", "/v1/units/{org_id}/funding"): E({"finance_officer"}),
    ("finance", "POST", "/v1/cloud-bills"): E({"bureau_cloud_admin"}),
    ("finance", "POST", "/v1/cloud-bills/broker-verifications"): E({"bureau_cloud_admin"}),
    ("finance", "GET", "/v1/cloud-bills/{bill_id}"): E(
        {"bureau_cloud_admin", "finance_officer", "auditor"}
    ),
    ("finance", "GET", "/v1/broker-bill-lines"): E(
        {"bureau_cloud_admin", "finance_officer", "auditor"}
    ),
    ("finance", "PUT", "/v1/cloud-providers/{provider_id}/contract"): E({"bureau_cloud_admin"}),
    ("finance", "POST", "/v1/cloud-providers/{provider_id}/assessments"): E({"bureau_cloud_admin"}),
    ("finance", "POST", "/v1/cloud-providers/{provider_id}/settlements"): E({"bureau_cloud_admin"}),
    ("finance", "GET", "/v1/reports/spend"): E(UNITS | READERS),
    # audit
    ("audit", "GET", "/v1/dead-letters"): E(OPERATORS),
    ("audit", "POST", "/v1/dead-letters/{dead_letter_id}/replay"): E({"platform_operator"}),
    ("audit", "GET", "/v1/entries"): E(UNITS | OPERATORS),
    ("audit", "GET", "/v1/tree-heads/latest"): E(EVERYONE),
    ("audit", "POST", "/v1/tree-heads"): E(OPERATORS),
    ("audit", "GET", "/v1/entries/{leaf_index}/inclusion-proof"): E(EVERYONE),
    ("audit", "GET", "/v1/consistency-proof"): E(EVERYONE),
    ("audit", "POST", "/v1/exports"): E(UNITS | OPERATORS),
    ("audit", "GET", "/v1/integrity"): E(OPERATORS),
    ("audit", "GET", "/v1/reconciliation"): E(OPERATORS),
    ("audit", "GET", "/v1/findings"): E(UNITS | OPERATORS),
    ("audit", "GET", "/v1/findings/{finding_id}"): E(UNITS | OPERATORS, owner="org"),
    ("audit", "POST", "/v1/findings/{finding_id}/resolution"): E({"auditor"}),
}
