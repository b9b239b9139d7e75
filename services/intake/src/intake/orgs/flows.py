"""Use cases of organisations; every change is an event, so other services keep their copy."""

import datetime as dt

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.intake.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import from_timestamp, to_actor, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from govit_kit.idempotency import check_if_match
from govit_kit.policy import Decision, PolicyProfile
from govit_kit.uow import UnitOfWork
from intake.orgs.enums import DEFERRING_SANCTIONS, FundingGround, OrgLevel
from intake.orgs.models import (
    InvestmentDeferral,
    Organisation,
    SecurityRectification,
    StandingGround,
)
from intake.orgs.schemas import OrganisationBase, OrganisationCreate, RectificationCreate
from intake.projects.models import Project

# The data bureau keeps the register of units; county authorities register their own units.
REGISTRARS = (Role.BUREAU_REVIEWER, Role.COUNTY_REVIEWER)
# Who records a unit's security rectification (J3) until review publishes them.
RECTIFICATION_RECORDERS = (Role.BUREAU_REVIEWER, Role.SECURITY_REVIEWER)


# What a unit's level, parent and funding class decide elsewhere: the county authority that
# reviews its applications first (C6) and its cloud requests (L3), the quota jurisdiction it
# draws on (L5), and who pays for its cloud (L9). They are the data bureau's to set.
RULES_OF_FIELD = {
    "id": ("C6",),
    "parent_org_id": ("C6", "L3", "L5"),
    "level": ("C6", "L3", "L5", "L9"),
    "funding_class": ("L9",),
}


def _refused(profile: PolicyProfile, field: str, message: str) -> Forbidden:
    """A county authority's refusal: 403 naming the field, and the rules (with the profile's
    articles) that the field decides, where the profile has them."""
    decisions = [
        Decision.refuse(profile, rule_id, message, field=field)
        for rule_id in RULES_OF_FIELD.get(field, ())
        if profile.applies(rule_id)
    ]
    cited = ", ".join(d.citation for d in decisions)
    detail = f"{field}: {message}" + (f" ({cited})" if cited else "")
    return Forbidden(
        detail,
        errors=[{"field": field, "message": message}],
        decisions=[d.to_dict() for d in decisions],
    )


async def _files_projects(uow: UnitOfWork, org_id: str) -> bool:
    return (
        await uow.session.scalar(select(Project.id).where(Project.org_id == org_id).limit(1))
    ) is not None


async def _check_county_registers(
    uow: UnitOfWork, who: Principal, profile: PolicyProfile, data: OrganisationCreate
) -> None:
    """A county authority registers county units under itself, and nothing else: not its own
    record, not a city or park unit, not a unit that already files projects here (registering
    it would open that unit's applications and materials to the county, C6). The bureau may."""
    if who.has(Role.BUREAU_REVIEWER):
        return
    if data.parent_org_id != who.org_id or data.id == who.org_id:
        raise _refused(
            profile,
            "parent_org_id",
            f"a county authority registers only units under itself (parent_org_id "
            f"{who.org_id}); any other record is the data bureau's",
        )
    if data.level != OrgLevel.COUNTY:
        raise _refused(
            profile,
            "level",
            f"a unit a county authority registers is a {OrgLevel.COUNTY} unit, not "
            f"{data.level}; the data bureau registers the others",
        )
    if await _files_projects(uow, data.id):
        raise _refused(
            profile,
            "id",
            f"{data.id} already files projects here; only the data bureau registers it",
        )


def _check_county_changes(
    who: Principal, profile: PolicyProfile, org: Organisation, data: OrganisationBase
) -> None:
    """A county authority keeps the records of its units and its own, but their level, parent
    and funding class (which decide C6, L3, L5 and L9) are the bureau's to change."""
    if who.has(Role.BUREAU_REVIEWER):
        return
    for field in ("level", "parent_org_id", "funding_class"):
        held, asked = getattr(org, field), getattr(data, field)
        if asked != held:
            raise _refused(
                profile,
                field,
                f"only the data bureau changes a unit's {field} ({held!r} to {asked!r})",
            )


async def _check_parent(uow: UnitOfWork, org_id: str, data: OrganisationBase) -> None:
    if data.parent_org_id is None:
        return
    if data.parent_org_id == org_id:
        raise InvalidInput("parent_org_id", "a unit cannot be its own parent")
    if await uow.session.get(Organisation, data.parent_org_id) is None:
        raise InvalidInput("parent_org_id", f"no organisation {data.parent_org_id}")


async def _check_credit_code_free(uow: UnitOfWork, org_id: str, code: str) -> None:
    holder = await uow.session.scalar(
        select(Organisation.id).where(Organisation.credit_code == code, Organisation.id != org_id)
    )
    if holder is not None:
        raise Conflict(f"credit code {code} is already registered to {holder}", field="credit_code")


async def _emit(uow: UnitOfWork, who: Principal, org: Organisation, name: str) -> None:
    await uow.emit(
        "organisation",
        name,
        events_pb2.OrganisationChanged(
            org_id=org.id,
            name=org.name,
            credit_code=org.credit_code,
            level=org.level,
            parent_org_id=org.parent_org_id or "",
            funding_class=org.funding_class,
            cdo_subject=org.cdo_subject or "",
            cdo_name=org.cdo_name or "",
            version=org.version,
            changed_by=to_actor(who),
            changed_at=to_timestamp(utcnow()),
        ),
        subject=org.id,
        org_id=org.id,
    )


async def register(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, data: OrganisationCreate
) -> Organisation:
    """Register a unit (organisation.registered): the bureau any, a county authority a county
    unit under itself."""
    who.require(*REGISTRARS)
    if await uow.session.get(Organisation, data.id) is not None:
        raise Conflict(f"organisation {data.id} is already registered")
    await _check_county_registers(uow, who, profile, data)
    await _check_parent(uow, data.id, data)
    await _check_credit_code_free(uow, data.id, data.credit_code)
    org = Organisation(**data.model_dump(mode="json"))
    uow.session.add(org)
    await uow.session.flush()
    await _emit(uow, who, org, "registered")
    return org


async def update(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    org_id: str,
    data: OrganisationBase,
    if_match: str | None,
) -> Organisation:
    """Replace a unit's record (organisation.updated), guarded by its version. A county
    authority reaches its own record and its units', and changes neither's level, parent or
    funding class."""
    who.require(*REGISTRARS)
    org = await uow.session.get(Organisation, org_id)
    if org is None:
        raise NotFound("organisation not found")
    if (
        not who.has(Role.BUREAU_REVIEWER)
        and org.id != who.org_id
        and org.parent_org_id != who.org_id
    ):
        raise NotFound("organisation not found")
    check_if_match(if_match, org.version)
    _check_county_changes(who, profile, org, data)
    await _check_parent(uow, org_id, data)
    await _check_credit_code_free(uow, org_id, data.credit_code)
    for key, value in data.model_dump(mode="json").items():
        setattr(org, key, value)
    await uow.session.flush()
    await _emit(uow, who, org, "updated")
    return org


async def _emit_rectification(
    uow: UnitOfWork, who: Principal, profile: PolicyProfile, row: SecurityRectification, name: str
) -> None:
    """Announce a rectification recorded or closed by hand (J3), under the unit's org_id: the
    unit reads its own in the audit log, as it reads review's rectification orders."""
    await uow.emit(
        "security_rectification",
        name,
        events_pb2.SecurityRectificationChanged(
            rectification_id=row.id,
            org_id=row.org_id,
            finding=row.finding,
            opened_at=to_timestamp(row.opened_at),
            closed_at=to_timestamp(row.closed_at) if row.closed_at else None,
            actor=to_actor(who),
            rule=common_pb2.RuleRef(rule_id="J3", article=profile.rule("J3").article or ""),
        ),
        subject=row.id,
        org_id=row.org_id,
    )


async def open_rectification(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    org_id: str,
    rectification_id: str,
    data: RectificationCreate,
) -> SecurityRectification:
    """Record a unit's open security rectification (J3), with its event; recording the same id
    again is a no-op (no second event)."""
    who.require(*RECTIFICATION_RECORDERS)
    row = await uow.session.get(SecurityRectification, rectification_id)
    if row is not None:
        if row.org_id != org_id:
            raise Conflict("that rectification id belongs to another organisation")
        return row
    row = SecurityRectification(
        id=rectification_id,
        org_id=org_id,
        finding=data.finding,
        opened_at=utcnow(),
        recorded_by=who.subject,
    )
    uow.session.add(row)
    await uow.session.flush()
    await _emit_rectification(uow, who, profile, row, "opened")
    return row


async def close_rectification(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    org_id: str,
    rectification_id: str,
) -> SecurityRectification:
    """The rectification is done: the unit may submit new projects again. Announced once: closing
    a closed one changes nothing. The row is locked, so two closes at once announce one."""
    who.require(*RECTIFICATION_RECORDERS)
    row = await uow.session.get(SecurityRectification, rectification_id, with_for_update=True)
    if row is None or row.org_id != org_id:
        raise NotFound("rectification not found")
    if row.closed_at is None:
        row.closed_at = utcnow()
        await uow.session.flush()
        await _emit_rectification(uow, who, profile, row, "closed")
    return row


async def on_rectification_issued(*, uow: UnitOfWork, order) -> None:
    """Review issued a rectification order that bars new projects (J3): project it here.
    A redelivery, the same order recorded by hand before, or an issue arriving after its
    resolution (a closed row is there already) changes nothing."""
    if not order.blocks_new_projects:
        return
    if await uow.session.get(SecurityRectification, order.order_id) is None:
        uow.session.add(
            SecurityRectification(
                id=order.order_id,
                org_id=order.org_id,
                finding=(order.finding or order.description)[:500],
                recorded_by=order.issued_by.subject or "service:review",
            )
        )
        await uow.session.flush()


async def on_rectification_resolved(*, uow: UnitOfWork, order) -> None:
    """Review closed the order: the unit may submit new projects again (if nothing else bars it).
    Issue and resolution travel on different subjects, so the resolution may come first: it then
    leaves a closed row (a tombstone) that a late issue finds and leaves closed."""
    closed_at = from_timestamp(order.resolved_at) if order.HasField("resolved_at") else utcnow()
    row = await uow.session.get(SecurityRectification, order.order_id)
    if row is None:
        uow.session.add(
            SecurityRectification(
                id=order.order_id,
                org_id=order.org_id,
                finding="(resolved before intake saw it issued)",
                opened_at=closed_at,
                closed_at=closed_at,
                recorded_by=order.resolved_by.subject or "service:review",
            )
        )
        await uow.session.flush()
    elif row.closed_at is None:
        row.closed_at = closed_at
    await _lift_deferral(uow=uow, order=order, lifted_at=closed_at)


async def _lift_deferral(*, uow: UnitOfWork, order, lifted_at: dt.datetime) -> None:
    # J1: the resolution lifts a deferral of the unit's investment plan; one not seen yet (the
    # escalation may come later, on its own subject) is left as a tombstone that keeps it lifted.
    row = await uow.session.get(InvestmentDeferral, order.order_id, with_for_update=True)
    if row is None:
        uow.session.add(
            InvestmentDeferral(
                order_id=order.order_id,
                org_id=order.org_id,
                project_id=order.project_id or None,
                level=0,
                sanction="",
                lifted_at=lifted_at,
            )
        )
        await uow.session.flush()
    elif row.lifted_at is None:
        row.lifted_at = lifted_at


async def on_rectification_escalated(*, uow: UnitOfWork, order) -> None:
    """J1 (SN P art37, YY art32): review escalated an overdue order. From 暂缓安排投资计划 on,
    the unit's projects are not put on an annual plan while the order is open. The first step
    (通报批评) is a notice and defers nothing. A redelivery changes nothing; a later step keeps
    the deferral (the highest step is kept, whatever order the steps arrive in); an escalation
    arriving after the order's resolution finds the tombstone and defers nothing."""
    if order.sanction not in DEFERRING_SANCTIONS:
        return
    at = from_timestamp(order.escalated_at) if order.HasField("escalated_at") else utcnow()
    row = await uow.session.get(InvestmentDeferral, order.order_id, with_for_update=True)
    if row is None:
        uow.session.add(
            InvestmentDeferral(
                order_id=order.order_id,
                org_id=order.org_id,
                project_id=order.project_id or None,
                level=order.level,
                sanction=order.sanction,
                deferred_at=at,
            )
        )
        await uow.session.flush()
    elif row.lifted_at is None and order.level > row.level:
        row.level, row.sanction = order.level, order.sanction
        row.deferred_at = row.deferred_at or at


async def record_ground(
    *,
    uow: UnitOfWork,
    ground: FundingGround,
    org_id: str,
    project_id: str | None,
    stands: bool,
    document: str,
    fact_at: dt.datetime,
    event_id: str,
) -> None:
    """Keep finance's latest fact on an I3 ground of a unit (its project's system, or the unit
    itself when project_id is None). A fact older than the one held (a late or replayed event)
    changes nothing; a clearing fact keeps the row with `stands` false."""
    subject_id = project_id or org_id
    row = await uow.session.get(StandingGround, (ground.value, subject_id), with_for_update=True)
    if row is None:
        row = StandingGround(ground=ground.value, subject_id=subject_id)
        uow.session.add(row)
    elif row.fact_at > fact_at:
        return
    row.org_id, row.project_id, row.stands = org_id, project_id, stands
    row.document, row.fact_at, row.event_id = document[:200], fact_at, event_id
    await uow.session.flush()


async def on_system_status_recorded(*, uow: UnitOfWork, status, fact_at, event_id: str) -> None:
    """Finance recorded a system's status: `shares_data` false is YY art28's 未按要求共享数据资源.
    `security_compliant` is not read here: YY art29's bar on new projects is J3's, through
    review's rectification orders (see docs/intake.md), so one fact has one way to bar."""
    await record_ground(
        uow=uow,
        ground=FundingGround.NOT_SHARING_DATA,
        org_id=status.org_id,
        project_id=status.project_id,
        stands=not status.shares_data,
        document="",
        fact_at=fact_at,
        event_id=event_id,
    )


async def on_duplicate_collection_recorded(
    *, uow: UnitOfWork, finding, fact_at, event_id: str
) -> None:
    """The data bureau found (or cleared) that a project's system collects data twice (YY art28)."""
    await record_ground(
        uow=uow,
        ground=FundingGround.COLLECTS_TWICE,
        org_id=finding.org_id,
        project_id=finding.project_id,
        stands=finding.collects_twice,
        document=finding.document,
        fact_at=fact_at,
        event_id=event_id,
    )


async def on_unit_integration_recorded(*, uow: UnitOfWork, finding, fact_at, event_id: str) -> None:
    """The data bureau found (or cleared) that the unit failed to integrate (YY art30)."""
    await record_ground(
        uow=uow,
        ground=FundingGround.NOT_INTEGRATED,
        org_id=finding.org_id,
        project_id=None,
        stands=finding.failed_to_integrate,
        document=finding.document,
        fact_at=fact_at,
        event_id=event_id,
    )
