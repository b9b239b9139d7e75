"""Reading procurement rows (never commits)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.procurement.models import (
    Blacklisting,
    Contract,
    Contractor,
    Procurement,
    SupervisionExemption,
)
from finance.procurement.schemas import ContractorRead
from govit_kit.auth import PROJECT_READERS, Principal
from govit_kit.errors import NotFound


def visible_procurements(who: Principal, project_id: str | None = None):
    """Procurements the caller may list: a unit its own; finance and audit all."""
    scope = who.org_scope(PROJECT_READERS)
    query = select(Procurement).order_by(Procurement.recorded_at, Procurement.id)
    if project_id:
        query = query.where(Procurement.project_id == project_id)
    return query if scope is None else query.where(Procurement.org_id == scope)


def visible_contracts(who: Principal, project_id: str | None = None):
    """Contracts the caller may list: a unit its own; finance and audit all."""
    scope = who.org_scope(PROJECT_READERS)
    query = select(Contract).order_by(Contract.recorded_at, Contract.id)
    if project_id:
        query = query.where(Contract.project_id == project_id)
    return query if scope is None else query.where(Contract.org_id == scope)


def visible_exemptions(who: Principal, project_id: str | None = None):
    """The data bureau's supervision exemptions (E6) the caller may list: a unit its own
    projects'; the bureau roles, finance and audit all."""
    scope = who.org_scope(PROJECT_READERS)
    query = select(SupervisionExemption).order_by(
        SupervisionExemption.recorded_at, SupervisionExemption.id
    )
    if project_id:
        query = query.where(SupervisionExemption.project_id == project_id)
    return query if scope is None else query.where(SupervisionExemption.org_id == scope)


async def get_contract(session: AsyncSession, who: Principal, contract_id: str) -> Contract:
    contract = await session.get(Contract, contract_id)
    if contract is None:
        raise NotFound("contract not found")
    who.check_owner(contract.org_id, PROJECT_READERS, "contract")
    return contract


async def contractor_read(session: AsyncSession, contractor: Contractor, today) -> ContractorRead:
    """A contractor with the end of the ban running today, if any."""
    ends = (
        await session.execute(
            select(Blacklisting.banned_until).where(
                Blacklisting.contractor_id == contractor.id,
                Blacklisting.banned_from <= today,
                Blacklisting.banned_until > today,
            )
        )
    ).scalars()
    read = ContractorRead.model_validate(contractor)
    read.banned_until = max(ends, default=None)
    return read
