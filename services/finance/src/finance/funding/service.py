"""Reading funding rows (never commits)."""

from sqlalchemy import select

from finance.funding.models import FundingLine
from govit_kit.auth import Principal, Role
from govit_kit.errors import Forbidden


def visible(who: Principal, project_id: str | None = None):
    """The select of funding lines the caller may list: a unit its own; finance and audit all."""
    if not who.is_unit and not who.has(Role.FINANCE_OFFICER, Role.AUDITOR, Role.BUREAU_REVIEWER):
        raise Forbidden("funding lines are for the unit, finance officers and auditors")
    query = select(FundingLine).order_by(FundingLine.opened_at, FundingLine.id)
    if project_id:
        query = query.where(FundingLine.project_id == project_id)
    return query.where(FundingLine.org_id == who.org_id) if who.is_unit else query
