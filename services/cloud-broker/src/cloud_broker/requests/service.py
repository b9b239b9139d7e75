"""Reading resource request rows, units and quotas, and asking intake about projects (never commits)."""

from collections import Counter

from sqlalchemy import (
    JSON,
    ColumnElement,
    column,
    func,
    null,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import TableValuedAlias

from cloud_broker.projects.models import ProjectStanding
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
    *, session: AsyncSession, covers: ColumnElement[bool], exclude_request_id: str | None = None
) -> Counter:
    """SKU quantities the units hold or have approved but not yet provisioned (L5), counting a
    resource with a change pending (filed, county-reviewed or approved, not yet applied or ended)
    at the larger of its current and its changed size, SKU by SKU: until the change is applied
    or ends, the resource may grow to it, so a second change or request cannot use that room.

    `covers` picks the units (a condition on `ResourceRequest.org_id`, as `quotas_for` gives).
    Every SKU's total in one query, summed in the database: a jurisdiction holds thousands of
    units and tens of thousands of resources, and the check runs on every submission."""
    r, c = ResourceRequest, ChangeRequest
    held = [covers, r.status.in_([s.value for s in COMMITTED])]
    if exclude_request_id:
        held.append(r.id != exclude_request_id)
    own, changed = _items(session, r.items), _items(session, c.items)
    items = union_all(  # every item of each resource (source NULL) and of its pending changes
        select(r.id.label("request_id"), null().label("source"), *_sku_quantity(own))
        .select_from(r)
        .join(own, true())
        .where(*held),
        select(c.request_id, c.id, *_sku_quantity(changed))
        .select_from(c)
        .join(r, r.id == c.request_id)
        .join(changed, true())
        .where(*held, c.status.in_([s.value for s in PENDING_CHANGES])),
    ).subquery()
    sizes = (  # per resource and SKU: its size, and each pending change's
        select(items.c.request_id, items.c.sku, func.sum(items.c.quantity).label("quantity"))
        .group_by(items.c.request_id, items.c.source, items.c.sku)
        .subquery()
    )
    larger = (  # the larger of them, SKU by SKU
        select(sizes.c.sku, func.max(sizes.c.quantity).label("quantity"))
        .group_by(sizes.c.request_id, sizes.c.sku)
        .subquery()
    )
    rows = await session.execute(
        select(larger.c.sku, func.sum(larger.c.quantity)).group_by(larger.c.sku)
    )
    return Counter({sku: int(total) for sku, total in rows.all()})


def _items(session: AsyncSession, items: ColumnElement) -> TableValuedAlias:
    """A JSON items column as rows, one per item (column `value`), to join beside its table:
    PostgreSQL's json_array_elements, SQLite's json_each (the embedded default)."""
    name = "json_array_elements" if session.bind.dialect.name == "postgresql" else "json_each"
    return getattr(func, name)(items).table_valued(column("value", JSON))


def _sku_quantity(items: TableValuedAlias) -> tuple[ColumnElement, ColumnElement]:
    """An item's SKU and quantity."""
    return (
        items.c.value["sku"].as_string().label("sku"),
        items.c.value["quantity"].as_integer().label("quantity"),
    )


async def lock_quota_scopes(*, session: AsyncSession, unit: CloudUnit) -> None:
    """Serialise quota checks of one unit and one jurisdiction until the transaction ends, so
    two requests submitted or allocated at once cannot both fit under the same quota (L5).
    PostgreSQL only: SQLite (the embedded default) has one writer at a time anyway."""
    if session.bind.dialect.name != "postgresql":
        return
    for key in sorted({f"quota:unit:{unit.org_id}", f"quota:jurisdiction:{unit.jurisdiction}"}):
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


async def lock_project(*, session: AsyncSession, project_id: str) -> None:
    """Serialise, until the transaction ends, what review says of a project (suspension, lift,
    termination: projects/flows.py) with the steps that read it (filing, submission, approval,
    allocation of its requests): a request filed while a termination is applied is either seen
    by the termination, or sees it. PostgreSQL only: SQLite has one writer at a time."""
    if session.bind.dialect.name != "postgresql":
        return
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"project:{project_id}"}
    )


async def standing(*, session: AsyncSession, project_id: str) -> ProjectStanding | None:
    """What review last said of the project (None: nothing), read afresh (after a lock)."""
    return await session.get(ProjectStanding, project_id, populate_existing=True)


async def quotas_for(
    *, session: AsyncSession, unit: CloudUnit
) -> list[tuple[Quota, ColumnElement[bool]]]:
    """The quotas over a unit (its own, its jurisdiction's), each with the units it covers as
    a condition on `ResourceRequest.org_id` (for `committed`): the jurisdiction's registered
    units, and the unit itself (an unregistered unit is counted in the city's)."""
    org = ResourceRequest.org_id
    out: list[tuple[Quota, ColumnElement[bool]]] = [
        (q, org == unit.org_id)
        for q in (
            await session.scalars(
                select(Quota).where(Quota.scope == "unit", Quota.scope_id == unit.org_id)
            )
        ).all()
    ]
    members = select(CloudUnit.org_id).where(CloudUnit.jurisdiction == unit.jurisdiction)
    out.extend(
        (q, or_(org.in_(members), org == unit.org_id))
        for q in (
            await session.scalars(
                select(Quota).where(
                    Quota.scope == "jurisdiction", Quota.scope_id == unit.jurisdiction
                )
            )
        ).all()
    )
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
