"""Use cases of asset registration (G7: SN P art11, XY art20) and of the acceptance reports
filed with finance (G7: PDS P art18)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from finance.assets import rules
from finance.assets.models import AcceptanceReportFiling, AssetEntry, AssetRegistration
from finance.assets.schemas import AssetRegistrationCreate
from finance.funding.flows import decision_messages
from finance.funding.models import ProjectCopy
from finance.payments.models import SystemStatus
from finance.procurement.flows import not_in_future
from govit.finance.v1 import events_pb2
from govit_kit.auth import PROJECT_READERS, UNIT_ROLES, Principal
from govit_kit.convert import from_timestamp, to_actor, to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, NotFound
from govit_kit.policy import PolicyProfile
from govit_kit.uow import UnitOfWork


def _not_registering(profile: PolicyProfile) -> Conflict:
    return Conflict(
        f"G7 has no asset registration in profile {profile.name}"
        + ("" if profile.applies("G7") else " (G7 does not apply)"),
        rule_id="G7",
    )


async def project_for(session, who: Principal, project_id: str) -> ProjectCopy:
    """The project, if the caller may see it: the bureau roles any, a unit its own (404 else)."""
    copy = await session.get(ProjectCopy, project_id)
    if copy is None:
        raise NotFound("finance knows no project with this id")
    who.check_owner(copy.org_id, PROJECT_READERS, "project")
    return copy


async def register_assets(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    project_id: str,
    data: AssetRegistrationCreate,
) -> AssetRegistration:
    """The unit registers the fixed and intangible assets its project formed. The duty is the
    unit's (SN P art5: 建设单位负责…国有资产管理; art11), finance reads it; the articles set no
    deadline and do not make it wait for the acceptance, so neither does this."""
    who.require(*UNIT_ROLES)
    copy = await project_for(uow.session, who, project_id)
    if not rules.registers_assets(profile):
        raise _not_registering(profile)
    not_in_future(data.registered_on, "registered_on")
    total = sum((e.amount for e in data.entries), start=Decimal(0))
    decision = rules.registration(profile, {e.asset_class.value for e in data.entries}, total)
    row = AssetRegistration(
        project_id=copy.project_id,
        org_id=copy.org_id,
        registered_on=data.registered_on,
        document=data.document,
        total=total,
        decisions=[decision.to_dict()],
        registered_by=who.subject,
        registered_at=utcnow(),
    )
    uow.session.add(row)
    await uow.session.flush()
    for position, e in enumerate(data.entries, start=1):
        uow.session.add(
            AssetEntry(
                registration_id=row.id,
                position=position,
                name=e.name,
                asset_class=e.asset_class.value,
                amount=e.amount,
            )
        )
    await uow.session.flush()
    await uow.emit(
        "asset_registration",
        "recorded",
        events_pb2.AssetsRegistered(
            registration_id=row.id,
            project_id=copy.project_id,
            org_id=copy.org_id,
            registered_on=row.registered_on.isoformat(),
            document=row.document,
            entries=[
                events_pb2.AssetEntry(
                    name=e.name, asset_class=e.asset_class.value, amount=to_money(e.amount)
                )
                for e in data.entries
            ],
            total=to_money(total),
            decisions=decision_messages([decision]),
            registered_by=to_actor(who),
            registered_at=to_timestamp(row.registered_at),
        ),
        subject=row.id,
        org_id=copy.org_id,
        project_id=copy.project_id,
    )
    return row


async def entries_of(session, registration_ids: list[str]) -> dict[str, list[AssetEntry]]:
    out: dict[str, list[AssetEntry]] = {i: [] for i in registration_ids}
    rows = await session.scalars(
        select(AssetEntry)
        .where(AssetEntry.registration_id.in_(registration_ids))
        .order_by(AssetEntry.registration_id, AssetEntry.position)
    )
    for e in rows:
        out[e.registration_id].append(e)
    return out


def registrations_of(project_id: str):
    """The select of a project's registrations, oldest first."""
    return (
        select(AssetRegistration)
        .where(AssetRegistration.project_id == project_id)
        .order_by(AssetRegistration.registered_at, AssetRegistration.id)
    )


def unregistered(who: Principal, profile: PolicyProfile):
    """The select of accepted projects (review's acceptance, as finance keeps it for I3) with no
    asset registration, that the caller may see."""
    scope = who.org_scope(PROJECT_READERS)
    if not rules.registers_assets(profile):
        raise _not_registering(profile)
    query = (
        select(ProjectCopy)
        .join(SystemStatus, SystemStatus.project_id == ProjectCopy.project_id)
        .where(
            SystemStatus.accepted.is_(True),
            ~ProjectCopy.project_id.in_(select(AssetRegistration.project_id)),
        )
        .order_by(ProjectCopy.project_id)
    )
    return query if scope is None else query.where(ProjectCopy.org_id == scope)


async def on_acceptance_report_filed(*, uow: UnitOfWork, filed) -> None:
    """Review recorded that the unit filed its acceptance report after the final acceptance with
    the data bureau, NDRC, finance and audit (G7, PDS P art18): finance keeps its copy of the
    filing made with it. A redelivery adds nothing; a filing not naming finance is not finance's.
    """
    if "finance" not in filed.recipients:
        return
    if await uow.session.get(AcceptanceReportFiling, filed.filing_id) is not None:
        return
    uow.session.add(
        AcceptanceReportFiling(
            filing_id=filed.filing_id,
            case_id=filed.case_id,
            project_id=filed.project_id,
            org_id=filed.org_id,
            acceptance_id=filed.acceptance_id,
            report_document=filed.report_document[:255],
            report_sha256=filed.report_sha256,
            filed_on=date.fromisoformat(filed.filed_on),
            recipients=sorted(filed.recipients),
            decisions=[
                {
                    "rule_id": d.rule_id,
                    "article": d.article,
                    "outcome": d.outcome,
                    "reason": d.reason,
                }
                for d in filed.decisions
            ],
            filed_by=filed.filed_by.subject,
            filed_at=from_timestamp(filed.filed_at) if filed.HasField("filed_at") else None,
            received_at=utcnow(),
        )
    )


def visible_report_filings(who: Principal, project_id: str | None = None):
    """The select of the acceptance reports filed with finance the caller may list (the bureau
    roles all, a unit its own, anyone else 403), the earliest filed first."""
    query = select(AcceptanceReportFiling).order_by(
        AcceptanceReportFiling.filed_on,
        AcceptanceReportFiling.filed_at,
        AcceptanceReportFiling.filing_id,
    )
    scope = who.org_scope(PROJECT_READERS)
    if scope is not None:
        query = query.where(AcceptanceReportFiling.org_id == scope)
    if project_id:
        query = query.where(AcceptanceReportFiling.project_id == project_id)
    return query
