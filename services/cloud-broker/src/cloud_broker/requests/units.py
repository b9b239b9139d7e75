"""Use cases of units' cloud accounts, quotas (L5) and L11 marks; the bureau manages them."""

from datetime import datetime

from sqlalchemy import select

from cloud_broker.requests import rules
from cloud_broker.requests.models import CloudUnit, Quota, UnitMark
from cloud_broker.requests.schemas import CloudUnitWrite, MarkCreate, QuotaWrite
from govit.cloud_broker.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.idempotency import check_if_match
from govit_kit.policy import Decision, PolicyProfile
from govit_kit.uow import UnitOfWork


async def put_unit(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    org_id: str,
    data: CloudUnitWrite,
    if_match=None,
) -> CloudUnit:
    """Register or update a unit's cloud account. A county unit names its county authority,
    its first reviewer where the profile applies L3 (cited, with its refusal decision)."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    if data.level == "county" and not data.county_authority_org:
        raise InvalidInput.by_rule(
            profile, "county_authority_org", "a county unit names its county authority", "L3"
        )
    unit = await uow.session.get(CloudUnit, org_id)
    if unit is None:
        unit = CloudUnit(org_id=org_id)
        uow.session.add(unit)
    else:
        check_if_match(if_match, unit.version)
    unit.name, unit.level = data.name, data.level.value
    unit.county_authority_org = data.county_authority_org
    unit.jurisdiction, unit.funding = data.jurisdiction, data.funding.value
    await uow.session.flush()
    await uow.emit(
        "unit",
        "registered",
        events_pb2.CloudUnitRegistered(
            org_id=org_id,
            name=unit.name,
            level=unit.level,
            county_authority_org=unit.county_authority_org or "",
            jurisdiction=unit.jurisdiction,
            funding=unit.funding,
        ),
        subject=org_id,
        org_id=org_id,
    )
    return unit


# Intake's funding classes as cloud-broker's (L9): a state-owned enterprise pays for itself.
FUNDING_OF = {"full": "full", "partial": "partial", "self_funded": "self"}


async def on_organisation_changed(*, uow: UnitOfWork, changed) -> None:
    """Keep the unit's cloud account in step with intake's register (its own copy). A county
    unit's first reviewer (L3) and jurisdiction (L5) are its parent; a park (市直园区) is a city
    unit here. An older version arriving late changes nothing."""
    unit = await uow.session.get(CloudUnit, changed.org_id)
    if unit is None:
        unit = CloudUnit(org_id=changed.org_id, intake_version=0)
        uow.session.add(unit)
    elif changed.version <= (unit.intake_version or 0):
        return
    county = changed.level == "county" and bool(changed.parent_org_id)
    unit.name = changed.name
    unit.level = "county" if county else "city"
    unit.county_authority_org = changed.parent_org_id if county else None
    unit.jurisdiction = changed.parent_org_id if county else "city"
    unit.funding = FUNDING_OF.get(changed.funding_class, "self")
    unit.intake_version = changed.version


async def put_quota(*, uow: UnitOfWork, who: Principal, data: QuotaWrite) -> Quota:
    """Set the limit of a SKU for a unit or a jurisdiction (L5).

    The quota is locked before it is read, so two writes of it take turns. Setting the limit it
    already has changes nothing and announces nothing (a repeated PUT, or the loser of two
    identical ones). Two first writes of a quota at once: the second is a 409
    `concurrent-conflict` (the unique key), and sent again it meets the first one's limit."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    quota = await uow.session.scalar(
        select(Quota)
        .where(Quota.scope == data.scope, Quota.scope_id == data.scope_id, Quota.sku == data.sku)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if quota is None:
        quota = Quota(scope=data.scope, scope_id=data.scope_id, sku=data.sku)
        uow.session.add(quota)
    elif quota.limit_quantity == data.limit_quantity:
        return quota
    quota.limit_quantity = data.limit_quantity
    await uow.session.flush()
    await uow.emit(
        "quota",
        "set",
        events_pb2.QuotaSet(
            scope=quota.scope, scope_id=quota.scope_id, sku=quota.sku, limit=quota.limit_quantity
        ),
        subject=quota.id,
    )
    return quota


async def mark_unit(
    *,
    uow: UnitOfWork,
    rt,
    who: Principal,
    org_id: str,
    data: MarkCreate,
    at: datetime | None = None,
) -> UnitMark:
    """L11: mark a unit that refused right-sizing without good reason for the year; new
    requests are refused and finance is told to charge the extra fees.

    The year is 本年度 (SN C art14) of the refusal, established now (`at`: the ruling's
    moment, default the current time): the year under way in China (`rules.l11_year`), the
    same year the request checks read. Another year is 422: a past year's mark refuses
    nothing, a later year's refuses beyond the article."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    if not rt.profile.applies("L11"):
        raise Conflict(f"L11 does not apply in profile {rt.profile.name}")
    now = at or utcnow()
    year = rules.l11_year(now)
    if data.year is not None and data.year != year:
        raise InvalidInput(
            "year",
            f"{data.year} is not the year under way in China ({year}); "
            f"{rt.profile.citation('L11')} refuses the unit's requests of the year the refusal "
            "is established (本年度)",
        )
    if await uow.session.scalar(
        select(UnitMark).where(UnitMark.org_id == org_id, UnitMark.year == year)
    ):
        raise Conflict(f"the unit is already marked for {year}")
    decision = Decision.flag(
        rt.profile,
        "L11",
        f"refused a right-sizing plan without good reason: extra fees, no new resources in {year}",
        year=year,
    )
    mark = UnitMark(
        org_id=org_id,
        year=year,
        finding_id=data.finding_id,
        reason=data.reason,
        decision=decision.to_dict(),
        marked_by=who.subject,
        marked_at=now,
    )
    uow.session.add(mark)
    await uow.session.flush()
    await uow.emit(
        "unit",
        "marked",
        events_pb2.UnitMarked(
            org_id=org_id,
            year=year,
            finding_id=data.finding_id or "",
            reason=data.reason,
            rule_id="L11",
            article=decision.article,
            marked_by=to_actor(who),
        ),
        subject=org_id,
        org_id=org_id,
    )
    return mark
