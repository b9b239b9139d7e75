"""Use cases of procurement and contracts; the only place that emits their events."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from finance.funding.flows import approve_total, decision_messages, measured_total
from finance.funding.models import ProjectCopy
from finance.procurement import rules
from finance.procurement.models import (
    Adjustment,
    Blacklisting,
    Contract,
    Contractor,
    Procurement,
    SupervisionExemption,
)
from finance.procurement.schemas import (
    AdjustmentCreate,
    BlacklistingCreate,
    ContractCreate,
    ContractorCreate,
    ProcurementCreate,
    SupervisionExemptionCreate,
    SupplementCreate,
)
from govit.finance.v1 import events_pb2
from govit_kit.auth import UNIT_ROLES, Principal, Role
from govit_kit.convert import from_money, from_timestamp, to_actor, to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleRefused
from govit_kit.inbox import NotYet
from govit_kit.policy import SHANGHAI, Decision, Outcome, PolicyProfile
from govit_kit.uow import UnitOfWork


def local_today() -> date:
    """Today in Asia/Shanghai, the calendar the regulations count in."""
    return datetime.now(SHANGHAI).date()


def refuse_if_any(decisions: list[Decision]) -> None:
    """Raise one refusal naming every rule that failed."""
    refused = [d for d in decisions if d.outcome is Outcome.REFUSE]
    if refused:
        raise RuleRefused(refused)


def require_writer(who: Principal, org_id: str | None, field: str, what: str) -> None:
    """Finance records for any unit; a unit only for its own projects (others' stay unseen)."""
    if who.has(Role.FINANCE_OFFICER):
        return
    if who.has(*UNIT_ROLES):
        if org_id is not None and org_id != who.org_id:
            raise InvalidInput(field, f"finance knows no {what} with this id")
        return
    raise Forbidden("this action needs the finance_officer role or the project's unit")


def not_in_future(day: date, field: str) -> None:
    if day > local_today():
        raise InvalidInput(field, "a date in the future cannot be recorded as done")


async def known_project(uow: UnitOfWork, who: Principal, project_id: str) -> ProjectCopy:
    copy = await uow.session.get(ProjectCopy, project_id)
    if copy is None:
        raise InvalidInput("project_id", "finance knows no project with this id")
    require_writer(who, copy.org_id, "project_id", "project")
    return copy


async def bans_of(session, contractor_id: str) -> list[rules.Ban]:
    rows = (
        await session.execute(
            select(Blacklisting).where(Blacklisting.contractor_id == contractor_id)
        )
    ).scalars()
    return [rules.Ban(b.banned_from, b.banned_until) for b in rows]


async def eligibility(uow: UnitOfWork, profile: PolicyProfile, contractor: Contractor, on: date):
    return rules.contractor_eligible(
        profile, contractor.qualifications, await bans_of(uow.session, contractor.id), on
    )


async def register_contractor(
    *, uow: UnitOfWork, who: Principal, data: ContractorCreate
) -> Contractor:
    """Finance records a contractor and its qualifications (E2)."""
    who.require(Role.FINANCE_OFFICER)
    taken = await uow.session.scalar(
        select(Contractor.id).where(Contractor.credit_code == data.credit_code)
    )
    if taken is not None:
        raise Conflict(f"contractor {taken} already has this credit code")
    contractor = Contractor(
        name=data.name, credit_code=data.credit_code, qualifications=list(data.qualifications)
    )
    uow.session.add(contractor)
    await uow.session.flush()
    await uow.emit(
        "contractor",
        "registered",
        events_pb2.ContractorRegistered(
            contractor_id=contractor.id,
            name=contractor.name,
            credit_code=contractor.credit_code,
            qualifications=contractor.qualifications,
        ),
        subject=contractor.id,
    )
    return contractor


async def blacklist(
    *,
    uow: UnitOfWork,
    profile: PolicyProfile,
    who: Principal,
    contractor_id: str,
    data: BlacklistingCreate,
) -> Blacklisting:
    """Ban a contractor (E2): for the profile's years, or until a given day where none is set."""
    who.require(Role.FINANCE_OFFICER)
    contractor = await uow.session.get(Contractor, contractor_id)
    if contractor is None:
        raise NotFound("contractor not found")
    if not profile.applies("E2"):
        raise Conflict(f"profile {profile.name} keeps no contractor blacklist (E2 does not apply)")
    until = rules.ban_end(profile, data.banned_from)
    if until is None:
        if data.banned_until is None:
            raise InvalidInput(
                "banned_until",
                profile.cite("the profile sets no ban length", "E2") + ": give its end",
            )
        until = data.banned_until
    elif data.banned_until is not None and data.banned_until != until:
        raise InvalidInput(
            "banned_until",
            f"the profile fixes the ban ({profile.citation('E2')}): its last banned day is "
            f"{rules.last_banned_day(until).isoformat()}; banned_until is the first free day, "
            f"free from {until.isoformat()}",
        )
    if until <= data.banned_from:
        raise InvalidInput("banned_until", "a ban ends after it starts")
    decision = Decision.flag(
        profile, "E2", "blacklisted: no award until the ban ends", banned_until=until
    )
    ban = Blacklisting(
        contractor_id=contractor.id,
        reason=data.reason,
        banned_from=data.banned_from,
        banned_until=until,
        decisions=[decision.to_dict()],
        recorded_by=who.subject,
    )
    uow.session.add(ban)
    await uow.session.flush()
    await uow.emit(
        "contractor",
        "blacklisted",
        events_pb2.ContractorBlacklisted(
            contractor_id=contractor.id,
            reason=ban.reason,
            banned_from=ban.banned_from.isoformat(),
            banned_until=ban.banned_until.isoformat(),
            decisions=decision_messages([decision]),
        ),
        subject=contractor.id,
    )
    return ban


async def record_procurement(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, data: ProcurementCreate
) -> Procurement:
    """Record a procurement and its award: the method suits the project's investment or the
    amount, as the profile measures E1's line, and the winner may be awarded (E2); where L10
    applies, a unit does not buy cloud services itself."""
    copy = await known_project(uow, who, data.project_id)
    contractor = await uow.session.get(Contractor, data.contractor_id)
    if contractor is None:
        raise InvalidInput("contractor_id", "no contractor with this id")
    not_in_future(data.awarded_on, "awarded_on")
    project_total, basis = measured_total(copy)
    decisions = [
        rules.procurement_method(
            profile, data.amount, data.method, project_total=project_total, total_basis=basis
        ),
        await eligibility(uow, profile, contractor, data.awarded_on),
    ]
    cloud = rules.unit_buys_cloud(profile, data.category)
    if cloud is not None:
        decisions.append(cloud)
    refuse_if_any(decisions)
    procurement = Procurement(
        project_id=copy.project_id,
        org_id=copy.org_id,
        title=data.title,
        method=data.method.value,
        category=data.category.value,
        amount=data.amount,
        contractor_id=contractor.id,
        awarded_on=data.awarded_on,
        decisions=[d.to_dict() for d in decisions],
        recorded_by=who.subject,
    )
    uow.session.add(procurement)
    await uow.session.flush()
    await uow.emit(
        "procurement",
        "recorded",
        events_pb2.ProcurementRecorded(
            procurement_id=procurement.id,
            project_id=procurement.project_id,
            org_id=procurement.org_id,
            method=procurement.method,
            amount=to_money(procurement.amount),
            contractor_id=contractor.id,
            awarded_on=procurement.awarded_on.isoformat(),
            decisions=decision_messages(decisions),
            category=procurement.category,
        ),
        subject=procurement.id,
        org_id=procurement.org_id,
        project_id=procurement.project_id,
    )
    return procurement


async def record_adjustment(
    *, uow: UnitOfWork, who: Principal, data: AdjustmentCreate
) -> Adjustment:
    """Finance records an approved adjustment from its approval document (F2)."""
    who.require(Role.FINANCE_OFFICER)
    copy = await known_project(uow, who, data.project_id)
    not_in_future(data.approved_on, "approved_on")
    return await _adjustment(
        uow,
        Adjustment(
            project_id=copy.project_id,
            org_id=copy.org_id,
            document=data.document,
            amount=data.amount,
            approved_on=data.approved_on,
            recorded_by=who.subject,
        ),
    )


async def on_change_recorded(*, uow: UnitOfWork, recorded) -> Adjustment | None:
    """Review's adjustment takes effect: approved, by the original approver (F2) or by the data
    bureau where it approves and files it (F3, XY art15 核准备案), or filed, decided by the unit
    where the profile lets it (F1) or filed with the bureau where that is all the profile asks
    (F3, PDS P art17 备案), whatever its route. It grounds supplementary contracts (E3) and
    their payments (I6); other changes and other states are not finance's concern."""
    effective = recorded.status in ("approved", "filed")
    if recorded.kind != "adjustment" or not effective:
        return None
    copy = await uow.session.get(ProjectCopy, recorded.project_id, with_for_update=True)
    if copy is None:
        raise NotYet(f"project {recorded.project_id} not yet known to finance")
    at = from_timestamp(recorded.recorded_at) if recorded.HasField("recorded_at") else utcnow()
    if recorded.status == "approved" and recorded.HasField("new_total"):
        # An approved adjustment sets the project's approved total to its new total, as review
        # sets the case's approved investment; a filed one approves nothing (review likewise).
        approve_total(copy, from_money(recorded.new_total), at, f"adjustment {recorded.change_id}")
    if await uow.session.get(Adjustment, recorded.change_id) is not None:
        return None  # the same change seen again
    return await _adjustment(
        uow,
        Adjustment(
            id=recorded.change_id,
            project_id=recorded.project_id,
            org_id=recorded.org_id,
            document=f"review change {recorded.change_id} ({recorded.route})",
            amount=from_money(recorded.amount_adjusted),
            approved_on=at.astimezone(SHANGHAI).date(),
            recorded_by=recorded.actor.subject or "service:review",
        ),
    )


async def _adjustment(uow: UnitOfWork, adjustment: Adjustment) -> Adjustment:
    uow.session.add(adjustment)
    await uow.session.flush()
    await uow.emit(
        "adjustment",
        "recorded",
        events_pb2.AdjustmentRecorded(
            adjustment_id=adjustment.id,
            project_id=adjustment.project_id,
            org_id=adjustment.org_id,
            document=adjustment.document,
            amount=to_money(adjustment.amount),
            approved_on=adjustment.approved_on.isoformat(),
        ),
        subject=adjustment.id,
        org_id=adjustment.org_id,
        project_id=adjustment.project_id,
    )
    return adjustment


async def exemption_of(session, project_id: str) -> rules.Exemption | None:
    """The data bureau's written exemption of the project from supervision (E6), if any."""
    row = await session.scalar(
        select(SupervisionExemption).where(SupervisionExemption.project_id == project_id)
    )
    if row is None:
        return None
    return rules.Exemption(
        id=row.id, reason=row.reason, document=row.document, recorded_by=row.recorded_by
    )


async def record_supervision_exemption(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, data: SupervisionExemptionCreate
) -> SupervisionExemption:
    """The data bureau exempts a project from supervision in writing (E6), where the profile's
    article asks for supervision only in principle (SN P art29 原则上; `exemption_allowed`).
    The bureau decides it: it reviews the project's technical plan and what it needs (SN P
    art22-23), and finance's refusal of an unsupervised contract is the bureau's rule, not
    finance's. Its reason and document are required; one per project (a second is a 409); who
    recorded it and when are kept, and the event puts it in audit's log. Where the article
    allows no exemption (YY art20 应当, every project) it is refused citing E6."""
    who.require(Role.BUREAU_REVIEWER)
    # Locked: two exemptions of one project queue here, so the second sees the first (the
    # unique constraint on project_id backs this up).
    copy = await uow.session.get(ProjectCopy, data.project_id, with_for_update=True)
    if copy is None:
        raise InvalidInput("project_id", "finance knows no project with this id")
    if not profile.applies("E6"):
        raise Conflict(
            f"profile {profile.name} asks for no supervision (E6 does not apply): there is "
            "nothing to exempt a project from"
        )
    decision = rules.exemption_allowed(profile)
    refuse_if_any([decision])
    existing = await exemption_of(uow.session, copy.project_id)
    if existing is not None:
        raise Conflict(
            f"the project already has supervision exemption {existing.id} ({existing.document}); "
            "one per project"
        )
    row = SupervisionExemption(
        project_id=copy.project_id,
        org_id=copy.org_id,
        reason=data.reason,
        document=data.document,
        decisions=[decision.to_dict()],
        recorded_by=who.subject,
        recorded_at=utcnow(),
    )
    uow.session.add(row)
    await uow.session.flush()
    await uow.emit(
        "supervision_exemption",
        "recorded",
        events_pb2.SupervisionExemptionRecorded(
            exemption_id=row.id,
            project_id=row.project_id,
            org_id=row.org_id,
            reason=row.reason,
            document=row.document,
            decisions=decision_messages([decision]),
            recorded_by=to_actor(who),
            recorded_at=to_timestamp(row.recorded_at),
        ),
        subject=row.id,
        org_id=row.org_id,
        project_id=row.project_id,
    )
    return row


async def _emit_signed(uow: UnitOfWork, contract: Contract, decisions: list[Decision]) -> None:
    await uow.emit(
        "contract",
        "signed",
        events_pb2.ContractSigned(
            contract_id=contract.id,
            project_id=contract.project_id,
            org_id=contract.org_id,
            procurement_id=contract.procurement_id,
            contractor_id=contract.contractor_id,
            amount=to_money(contract.amount),
            parent_contract_id=contract.parent_contract_id or "",
            adjustment_id=contract.adjustment_id or "",
            signed_on=contract.signed_on.isoformat(),
            decisions=decision_messages(decisions),
        ),
        subject=contract.id,
        org_id=contract.org_id,
        project_id=contract.project_id,
    )


async def sign_contract(
    *, uow: UnitOfWork, profile: PolicyProfile, who: Principal, data: ContractCreate
) -> Contract:
    """Record a contract: its contractor may be awarded (E2), its terms meet E4-E7 (E6: a
    supervisor, or the data bureau's written exemption where the article allows one)."""
    # Locked: concurrent signings on one procurement queue here, so the second sees the first's
    # contract below (the partial unique index backs this up).
    procurement = await uow.session.get(Procurement, data.procurement_id, with_for_update=True)
    if procurement is None:
        raise InvalidInput("procurement_id", "finance knows no procurement with this id")
    require_writer(who, procurement.org_id, "procurement_id", "procurement")
    not_in_future(data.signed_on, "signed_on")
    if data.signed_on < procurement.awarded_on:
        raise InvalidInput("signed_on", "a contract is signed after its award")
    existing = await uow.session.scalar(
        select(Contract.id).where(
            Contract.procurement_id == procurement.id, Contract.parent_contract_id.is_(None)
        )
    )
    if existing is not None:
        raise Conflict(f"the procurement already has contract {existing}; sign a supplement")
    copy = await uow.session.get(ProjectCopy, procurement.project_id)
    project_total, basis = measured_total(copy)
    contractor = await uow.session.get(Contractor, procurement.contractor_id)
    decisions = [
        await eligibility(uow, profile, contractor, data.signed_on),
        *rules.contract_terms(
            profile,
            project_total=project_total,
            total_basis=basis,
            warranty_months=data.warranty_months,
            free_om_months=data.free_om_months,
            copyright_to_government=data.copyright_to_government,
            data_assets_to_government=data.data_assets_to_government,
            supervisor=data.supervisor,
            principal_leader_heads=data.principal_leader_heads,
            bureau_expert_in_working_group=data.bureau_expert_in_working_group,
            exemption=await exemption_of(uow.session, procurement.project_id),
        ),
    ]
    refuse_if_any(decisions)
    contract = Contract(
        project_id=procurement.project_id,
        org_id=procurement.org_id,
        procurement_id=procurement.id,
        contractor_id=contractor.id,
        amount=data.amount,
        signed_on=data.signed_on,
        warranty_months=data.warranty_months,
        free_om_months=data.free_om_months,
        copyright_to_government=data.copyright_to_government,
        data_assets_to_government=data.data_assets_to_government,
        supervisor=data.supervisor,
        decisions=[d.to_dict() for d in decisions],
        recorded_by=who.subject,
    )
    uow.session.add(contract)
    await uow.session.flush()
    await _emit_signed(uow, contract, decisions)
    return contract


async def sign_supplement(
    *,
    uow: UnitOfWork,
    profile: PolicyProfile,
    who: Principal,
    contract_id: str,
    data: SupplementCreate,
) -> Contract:
    """A supplementary contract on an approved adjustment, within the profile's cap (E3)."""
    parent = await uow.session.get(Contract, contract_id, with_for_update=True)
    # Another unit's contract is as unknown as one that does not exist: the same 404, so the
    # path cannot be used to learn which contract ids exist (it was a 422 naming the id).
    foreign = parent is not None and not who.has(Role.FINANCE_OFFICER) and who.has(*UNIT_ROLES)
    if parent is None or (foreign and parent.org_id != who.org_id):
        raise NotFound("contract not found")
    require_writer(who, parent.org_id, "contract_id", "contract")
    if parent.parent_contract_id is not None:
        raise Conflict("a supplement is signed on the original contract, not on a supplement")
    not_in_future(data.signed_on, "signed_on")
    # Locked after the parent (always in this order): supplements on one adjustment queue here
    # even when they name different parents, so each sees the others in on_adjustment (E3).
    adjustment = await uow.session.get(Adjustment, data.adjustment_id, with_for_update=True)
    if adjustment is None or adjustment.project_id != parent.project_id:
        raise InvalidInput("adjustment_id", "no approved adjustment of this project has this id")
    earlier = await uow.session.scalar(
        select(func.coalesce(func.sum(Contract.amount), 0)).where(
            Contract.parent_contract_id == parent.id
        )
    )
    on_adjustment = await uow.session.scalar(
        select(func.coalesce(func.sum(Contract.amount), 0)).where(
            Contract.adjustment_id == adjustment.id
        )
    )
    contractor = await uow.session.get(Contractor, parent.contractor_id)
    decisions = [
        rules.supplementary(
            profile,
            original=parent.amount,
            earlier_supplements=Decimal(earlier),
            amount=data.amount,
            adjustment_approved_on=adjustment.approved_on,
            signed_on=data.signed_on,
            adjustment_amount=adjustment.amount,
            earlier_on_adjustment=Decimal(on_adjustment),
        ),
        await eligibility(uow, profile, contractor, data.signed_on),
    ]
    refuse_if_any(decisions)
    supplement = Contract(
        project_id=parent.project_id,
        org_id=parent.org_id,
        procurement_id=parent.procurement_id,
        contractor_id=parent.contractor_id,
        parent_contract_id=parent.id,
        adjustment_id=adjustment.id,
        amount=data.amount,
        signed_on=data.signed_on,
        warranty_months=parent.warranty_months,
        free_om_months=parent.free_om_months,
        copyright_to_government=parent.copyright_to_government,
        data_assets_to_government=parent.data_assets_to_government,
        supervisor=parent.supervisor,
        decisions=[d.to_dict() for d in decisions],
        recorded_by=who.subject,
    )
    uow.session.add(supplement)
    await uow.session.flush()
    await _emit_signed(uow, supplement, decisions)
    return supplement
