"""Reading funding rows (never commits)."""

from sqlalchemy import select

from finance.funding.models import FundingLine
from govit_kit.auth import PROJECT_READERS, Principal


def visible(who: Principal, project_id: str | None = None):
    """The select of funding lines the caller may list: a unit its own; finance and audit all."""
    scope = who.org_scope(PROJECT_READERS)
    query = select(FundingLine).order_by(FundingLine.opened_at, FundingLine.id)
    if project_id:
        query = query.where(FundingLine.project_id == project_id)
    return query if scope is None else query.where(FundingLine.org_id == scope)
