"""Reading resource request rows, units and quotas, and asking intake about projects (never commits)."""

from collections import Counter

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from cloud_broker.requests.enums import COMMITTED, PENDING_CHANGES
from cloud_broker.requests.models import (
    ChangeRequest,
    CloudUnit,
    MigrationNoticeRecipient,
    Quota,
    ResourceRequest,
    UnitMark,
)
from govit.intake.v1 import intake_service_pb2 as intake_pb
from govit.intake.v1 import intake_service_pb2_grpc as intake_grpc
from govit_kit.auth import Principal, Role
from govit_kit.errors import NotFound
from govit_kit.rpc import call_peer

# Who reads every unit's requests: the cloud administrators, finance (bills) and audit.
READERS = frozenset({Role.BUREAU_CLOUD_ADMIN, Role.FINANCE_OFFICER, Role.AUDITOR})


async def get(*, session: AsyncSession, request_id: str, who: Principal) -> ResourceRequest:
    """A request the caller may see; 404 for another unit's request. A county reviewer sees
    the requests of the units its county authority reviews (L3)."""
    req = await session.get(ResourceRequest, request_id)
    if req is None:
        raise NotFound("resource request not found")
    await check_reader(session=session, who=who, org_id=req.org_id, what="resource request")
    return req


async def check_reader(*, session: AsyncSession, who: Principal, org_id: str, what: str) -> None:
    """The caller may read an object of unit `org_id` (a request, a change): the unit itself,
    the broker's readers, or the county authority the unit is registered under (L3); 404
    otherwise, so another unit's object does not leak."""
    if who.has(Role.COUNTY_REVIEWER) and not who.has(*READERS, Role.UNIT_STAFF, Role.UNIT_CDO):
        unit = await session.get(CloudUnit, org_id)
        if unit is None or unit.county_authority_org != who.org_id:
            raise NotFound(f"{what} not found")
        return
    who.check_owner(org_id, READERS, what)


def _scoped(query, org_id_column, who: Principal):
    """A list's select narrowed to the units the caller may read (as `check_reader`): a unit its
    own, a county reviewer the units registered under it (L3), the readers all; 403 otherwise
    (a provider reads no unit's objects, L16)."""
    if who.has(Role.COUNTY_REVIEWER) and not who.has(*READERS, Role.UNIT_STAFF, Role.UNIT_CDO):
        county_units = select(CloudUnit.org_id).where(CloudUnit.county_authority_org == who.org_id)
        return query.where(org_id_column.in_(county_units))
    scope = who.org_scope(READERS)
    return query if scope is None else query.where(org_id_column == scope)


def visible(who: Principal, status: str | None = None):
    """The select of requests the caller may list: a unit its own, a county reviewer its
    county's units', cloud administrators all."""
    query = select(ResourceRequest).order_by(ResourceRequest.submitted_at, ResourceRequest.id)
    if status:
        query = query.where(ResourceRequest.status == status)
    return _scoped(query, ResourceRequest.org_id, who)


def visible_changes(who: Principal, status: str | None = None):
    """The select of change requests (L6) the caller may list, scoped as requests: a county
    reviewer finds the changes it reviews first (L3) here, not only from their events."""
    query = select(ChangeRequest).order_by(ChangeRequest.submitted_at, ChangeRequest.id)
    if status:
        query = query.where(ChangeRequest.status == status)
    return _scoped(query, ChangeRequest.org_id, who)


def visible_migration_notices(who: Principal):
    """The select of L12 migration notices the caller may list, newest first: a unit those it
    received, a county reviewer those its county's units received, the readers all."""
    query = select(MigrationNoticeRecipient).order_by(
        MigrationNoticeRecipient.given_at.desc(),
        MigrationNoticeRecipient.request_id,
        MigrationNoticeRecipient.to_org_id,
    )
    return _scoped(query, MigrationNoticeRecipient.to_org_id, who)


def unregistered_unit(org_id: str) -> CloudUnit:
    """What an unregistered unit counts as: a city unit without quota of its own."""
    return CloudUnit(org_id=org_id, name=org_id, level="city", jurisdiction="city", funding="full")


async def unit_of(*, session: AsyncSession, org_id: str) -> CloudUnit:
    """A unit's cloud account; an unregistered unit is a city unit without quota of its own."""
    unit = await session.get(CloudUnit, org_id)
    return unit or unregistered_unit(org_id)


async def marked_year(*, session: AsyncSession, org_id: str, year: int) -> int | None:
    """The year, if the unit carries an L11 mark for it."""
    mark = await session.scalar(
        select(UnitMark).where(UnitMark.org_id == org_id, UnitMark.year == year)
    )
    return mark.year if mark else None


async def committed(
    *, session: AsyncSession, org_ids, exclude_request_id: str | None = None
) -> Counter:
    """SKU quantities the units hold or have approved but not yet provisioned (L5), counting a
    resource with a change pending (filed, county-reviewed or approved, not yet applied or ended)
    at the larger of its current and its changed size, SKU by SKU: until the change is applied
    or ends, the resource may grow to it, so a second change or request cannot use that room."""
    q = select(ResourceRequest.id, ResourceRequest.items).where(
        ResourceRequest.org_id.in_(org_ids),
        ResourceRequest.status.in_([s.value for s in COMMITTED]),
    )
    changes = (
        select(ChangeRequest.request_id, ChangeRequest.items)
        .join(ResourceRequest, ResourceRequest.id == ChangeRequest.request_id)
        .where(
            ResourceRequest.org_id.in_(org_ids),
            ResourceRequest.status.in_([s.value for s in COMMITTED]),
            ChangeRequest.status.in_([s.value for s in PENDING_CHANGES]),
        )
    )
    if exclude_request_id:
        q = q.where(ResourceRequest.id != exclude_request_id)
        changes = changes.where(ChangeRequest.request_id != exclude_request_id)
    held: dict[str, Counter] = {}
    for request_id, items in (await session.execute(q)).all():
        held[request_id] = _sizes(items)
    for request_id, items in (await session.execute(changes)).all():
        if request_id in held:
            held[request_id] = held[request_id] | _sizes(items)  # SKU by SKU, the larger
    totals: Counter = Counter()
    for sizes in held.values():
        totals.update(sizes)
    return totals


def _sizes(items) -> Counter:
    out: Counter = Counter()
    for item in items or []:
        out[item["sku"]] += int(item["quantity"])
    return out


async def lock_quota_scopes(*, session: AsyncSession, unit: CloudUnit) -> None:
    """Serialise quota checks of one unit and one jurisdiction until the transaction ends, so
    two requests submitted or allocated at once cannot both fit under the same quota (L5).
    PostgreSQL only: SQLite (the embedded default) has one writer at a time anyway."""
    if session.bind.dialect.name != "postgresql":
        return
    for key in sorted({f"quota:unit:{unit.org_id}", f"quota:jurisdiction:{unit.jurisdiction}"}):
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


async def quotas_for(*, session: AsyncSession, unit: CloudUnit) -> list[tuple[Quota, list[str]]]:
    """The quotas over a unit (its own, its jurisdiction's), each with the units it covers."""
    out = []
    for q in (
        await session.scalars(
            select(Quota).where(Quota.scope == "unit", Quota.scope_id == unit.org_id)
        )
    ).all():
        out.append((q, [unit.org_id]))
    jurisdiction_quotas = (
        await session.scalars(
            select(Quota).where(Quota.scope == "jurisdiction", Quota.scope_id == unit.jurisdiction)
        )
    ).all()
    if jurisdiction_quotas:
        members = list(
            (
                await session.scalars(
                    select(CloudUnit.org_id).where(CloudUnit.jurisdiction == unit.jurisdiction)
                )
            ).all()
        )
        if unit.org_id not in members:
            members.append(unit.org_id)
        out.extend((q, members) for q in jurisdiction_quotas)
    return out


async def project_status(*, rt, project_id: str, who: Principal) -> str | None:
    """The project's status as intake tells the caller; None when the caller may not see it."""
    stub = intake_grpc.IntakeServiceStub(rt.channel("intake"))
    try:
        resp = await call_peer(
            stub.GetProject, intake_pb.GetProjectRequest(project_id=project_id), who
        )
    except NotFound:
        return None
    return resp.project.status
