"""Use cases of project applications; the only place that emits intake's project events."""

import datetime as dt
import hashlib

from sqlalchemy import select

from govit.common.v1 import common_pb2
from govit.intake.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor, to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleRefused
from govit_kit.idempotency import check_if_match
from govit_kit.policy import SHANGHAI, Decision, PolicyProfile
from govit_kit.uow import UnitOfWork
from intake.calls import rules as call_rules
from intake.calls.models import DemandCall
from intake.catalogs import service as catalogs
from intake.frameworks import service as frameworks
from intake.library import flows as library
from intake.orgs import service as orgs
from intake.orgs.models import Organisation
from intake.projects import rules, service
from intake.projects.enums import EDITABLE, MaterialKind, ProjectStatus, ProjectType
from intake.projects.models import Project, ProjectMaterial
from intake.projects.schemas import ProjectCreate, ProjectUpdate

# Types a material may have: documents, sheets, archives and scans.
CONTENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/ofd",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-works",
        "application/zip",
        "image/jpeg",
        "image/png",
        "text/plain",
        "text/csv",
    }
)


async def _check_references(uow: UnitOfWork, who: Principal, data) -> DemandCall | None:
    call = None
    if data.demand_call_id:
        call = await uow.session.get(DemandCall, data.demand_call_id)
        if call is None:
            raise InvalidInput("demand_call_id", "no such demand call")
    if data.predecessor_project_id:
        # The earlier project must be one the unit can see (its own).
        try:
            await service.get(session=uow.session, project_id=data.predecessor_project_id, who=who)
        except NotFound:
            raise InvalidInput("predecessor_project_id", "no such project of this unit") from None
    return call


async def create_project(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, data: ProjectCreate
) -> Project:
    """A unit's staff opens a draft application for its own organisation. A classified one is
    only recorded where the profile has A2; elsewhere (XY art14) it is an ordinary draft."""
    who.require(Role.UNIT_STAFF)
    call = await _check_references(uow, who, data)
    values = data.model_dump(mode="python", exclude={"basis_documents", "yearly_funding"})
    project = Project(
        **values,
        basis_documents=[d.model_dump(mode="json") for d in data.basis_documents],
        yearly_funding=[y.model_dump(mode="json") for y in data.yearly_funding],
        org_id=who.org_id,
        status=(
            ProjectStatus.RECORDED
            if rules.only_recorded(profile, data.classified)
            else ProjectStatus.DRAFT
        ).value,
        plan_year=call.plan_year if call else None,
        created_by=who.subject,
    )
    project.project_type = data.project_type.value
    uow.session.add(project)
    await uow.session.flush()
    return project


async def _editable(uow: UnitOfWork, who: Principal, project_id: str, if_match: str | None):
    project = await service.get(session=uow.session, project_id=project_id, who=who)
    check_if_match(if_match, project.version)
    if project.status not in EDITABLE:
        raise Conflict(f"cannot change a project that is {project.status}", state=project.status)
    return project


async def update_project(
    *, uow: UnitOfWork, who: Principal, project_id: str, data: ProjectUpdate, if_match: str | None
) -> Project:
    """The unit fills in or changes its draft (C1 fields); the CDO signs off again afterwards."""
    who.require(Role.UNIT_STAFF)
    project = await _editable(uow, who, project_id, if_match)
    call = await _check_references(uow, who, data)
    for key in data.model_fields_set:
        value = getattr(data, key)
        if value is None and key in ("name", "project_type", "total_investment"):
            raise InvalidInput(key, "cannot be emptied")
        if key in ("basis_documents", "yearly_funding"):
            value = [v.model_dump(mode="json") for v in value]
        elif isinstance(value, ProjectType):
            value = value.value
        setattr(project, key, value)
    if "demand_call_id" in data.model_fields_set:
        project.plan_year = call.plan_year if call else None
    # C4: the sign-off covers what the CDO saw.
    project.cdo_signed_by = project.cdo_signed_at = None
    await uow.session.flush()
    return project


async def touch_draft(*, uow: UnitOfWork, who: Principal, project_id: str) -> Project:
    """The application's content changes (materials, catalog): it must be a draft of the unit's,
    and the CDO's sign-off (C4), given on the earlier content, lapses."""
    who.require(Role.UNIT_STAFF)
    project = await _editable(uow, who, project_id, None)
    project.cdo_signed_by = project.cdo_signed_at = None
    project.updated_at = utcnow()  # bumps the version: the application changed
    return project


async def touch_catalog(
    *, uow: UnitOfWork, who: Principal, project_id: str, profile: PolicyProfile
) -> Project:
    """The unit changes the data resource catalog (C2). While the application is editable it is
    part of it (touch_draft). Where the profile asks the catalog of this project only before
    acceptance and not at submission (WH art15: 新建 projects, 项目验收前), the unit also compiles
    it after submission, while the project is submitted or approved; the application's other
    content stays as submitted."""
    who.require(Role.UNIT_STAFF)
    project = await service.get(session=uow.session, project_id=project_id, who=who)
    after_submission = (
        project.status in (ProjectStatus.SUBMITTED, ProjectStatus.APPROVED)
        and profile.required_at("C2", "acceptance", project.project_type)
        and not profile.required_at("C2", "submission", project.project_type)
    )
    if not after_submission:
        return await touch_draft(uow=uow, who=who, project_id=project_id)
    project.updated_at = utcnow()  # bumps the version: the catalog changed
    return project


async def upload_material(
    *,
    uow: UnitOfWork,
    who: Principal,
    project_id: str,
    kind: MaterialKind,
    filename: str,
    content_type: str,
    content: bytes,
    max_bytes: int,
) -> ProjectMaterial:
    """Store a material of a named kind with its hash, size and type (a new upload replaces)."""
    project = await touch_draft(uow=uow, who=who, project_id=project_id)
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in CONTENT_TYPES:
        raise InvalidInput(
            "Content-Type",
            f"{media_type or 'none'} is not accepted; one of {sorted(CONTENT_TYPES)}",
        )
    if not content:
        raise InvalidInput("body", "the material is empty")
    if len(content) > max_bytes:
        raise InvalidInput(
            "body", f"the material is {len(content)} bytes; the limit is {max_bytes}"
        )
    row = await uow.session.scalar(
        select(ProjectMaterial).where(
            ProjectMaterial.project_id == project.id, ProjectMaterial.kind == kind.value
        )
    )
    if row is None:
        row = ProjectMaterial(project_id=project.id, kind=kind.value)
        uow.session.add(row)
    row.filename, row.content_type, row.content = filename, media_type, content
    row.size_bytes, row.sha256 = len(content), hashlib.sha256(content).hexdigest()
    row.uploaded_by, row.uploaded_at = who.subject, utcnow()
    await uow.session.flush()
    return row


async def sign_off(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, project_id: str
) -> Project:
    """C4: the unit's chief data officer approves the application before it leaves the unit.
    Where the profile applies C4, a CDO other than the unit's registered one is refused with
    C4's decision and the profile's article (as C6's refusal of a forwarding authority is);
    elsewhere the sign-off rests on no rule, and the same check is a plain identity check."""
    who.require(Role.UNIT_CDO)
    project = await _editable(uow, who, project_id, None)
    org = await uow.session.get(Organisation, project.org_id)
    if org is not None and org.cdo_subject and org.cdo_subject != who.subject:
        reason = f"the unit's registered chief data officer is {org.cdo_subject}"
        if profile.applies("C4"):
            refusal = Decision.refuse(profile, "C4", reason, registered_cdo=org.cdo_subject)
            raise Forbidden(f"{reason} ({refusal.citation})", decisions=[refusal.to_dict()])
        raise Forbidden(reason)
    now = utcnow()
    project.cdo_signed_by, project.cdo_signed_at = who.subject, now
    # The event names C4 and its article only where the profile applies it.
    rule = (
        common_pb2.RuleRef(rule_id="C4", article=profile.rule("C4").article or "")
        if profile.applies("C4")
        else None
    )
    await uow.emit(
        "project",
        "signed_off",
        events_pb2.ProjectSignedOff(
            project_id=project.id,
            org_id=project.org_id,
            signed_by=to_actor(who),
            signed_at=to_timestamp(now),
            rule=rule,
        ),
        subject=project.id,
        org_id=project.org_id,
        project_id=project.id,
    )
    await uow.session.flush()
    return project


async def submission_refusals(
    *, uow: UnitOfWork, profile: PolicyProfile, project: Project, today: dt.date
) -> list[Decision]:
    """Every rule that keeps the application in the unit, each naming its rule and article."""
    if rules.only_recorded(profile, project.classified):
        return [rules.classified_decision(profile)]
    refusals: list[Decision] = []
    open_rects = await orgs.open_rectifications(session=uow.session, org_id=project.org_id)
    refusals += rules.rectification_decisions(
        profile, ProjectType(project.project_type), [r.finding for r in open_rects]
    )
    grounds = await orgs.standing_grounds(session=uow.session, org_id=project.org_id)
    refusals += rules.ground_decisions(
        profile,
        ProjectType(project.project_type),
        [(g.ground, g.project_id, g.document) for g in grounds],
    )
    if project.demand_call_id and project.status == ProjectStatus.DRAFT:
        call = await uow.session.get(DemandCall, project.demand_call_id)
        decision = call_rules.filing_decision(
            profile, deadline=call.deadline, filed_on=today, plan_year=call.plan_year
        )
        if decision.outcome == "refuse":
            refusals.append(decision)
    values = {k: getattr(project, k) for k in rules.C1_FIELDS}
    refusals += rules.missing_form_fields(profile, values)
    present = {m.kind for m in await service.materials(session=uow.session, project_id=project.id)}
    refusals += rules.missing_materials(
        profile,
        ProjectType(project.project_type),
        project.total_investment,
        present,
        cloud_exception=project.cloud_exception,
        upper_level_funded=project.upper_level_funded,
        classified=project.classified,
    )
    refusals += await catalogs.completeness(
        session=uow.session, profile=profile, project=project, stage="submission"
    )
    refusals += await frameworks.decisions(
        session=uow.session,
        profile=profile,
        plan_id=project.framework_plan_id,
        org_id=project.org_id,
    )
    org = await uow.session.get(Organisation, project.org_id)
    registered_cdo = org.cdo_subject if org is not None else None
    if decision := rules.signoff_decision(profile, project.cdo_signed_by, registered_cdo):
        refusals.append(decision)
    return refusals


async def submit_project(
    *,
    uow: UnitOfWork,
    who: Principal,
    project_id: str,
    profile: PolicyProfile,
    if_match: str | None = None,
) -> Project:
    """The unit submits its draft; refused, naming every rule, while anything is missing;
    review opens a case when it hears of it."""
    who.require(Role.UNIT_STAFF, Role.UNIT_CDO)
    project = await service.get(session=uow.session, project_id=project_id, who=who)
    check_if_match(if_match, project.version)
    # A recorded classified project (A2) is answered with the A2 refusal, naming its article.
    recorded_a2 = project.status == ProjectStatus.RECORDED and profile.applies("A2")
    if project.status not in EDITABLE and not recorded_a2:
        raise Conflict(f"cannot submit a project that is {project.status}", state=project.status)
    now = utcnow()
    today = now.astimezone(SHANGHAI).date()
    refusals = await submission_refusals(uow=uow, profile=profile, project=project, today=today)
    if refusals:
        raise RuleRefused(refusals)
    return await enter_submitted(uow=uow, who=who, profile=profile, project=project, now=now)


async def enter_submitted(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, project: Project, now
) -> Project:
    """An application that passed `submission_refusals` leaves the unit: filed with the bureau
    (B6) or submitted (review opens its case). Intake's own submission and a county's forwarded
    application (C6) both end here."""
    if project.demand_call_id:
        listing, _ = call_rules.listing_of(profile, project.total_investment)
        project.listing = listing.value
    if rules.is_filing(profile, project.upper_level_funded):
        project.status, project.submitted_at = ProjectStatus.FILED.value, now
        await uow.emit(
            "project",
            "filed",
            events_pb2.ProjectFiled(
                project_id=project.id,
                org_id=project.org_id,
                name=project.name,
                total_investment=to_money(project.total_investment),
                filed_by=to_actor(who),
                filed_at=to_timestamp(now),
                rule=common_pb2.RuleRef(rule_id="B6", article=profile.rule("B6").article or ""),
            ),
            subject=project.id,
            org_id=project.org_id,
            project_id=project.id,
        )
        await uow.session.flush()
        return project
    project.status, project.submitted_at = ProjectStatus.SUBMITTED.value, now
    await emit_submitted(uow=uow, project=project, who=who, when=now)
    await uow.session.flush()
    return project


async def emit_submitted(*, uow: UnitOfWork, project: Project, who: Principal, when) -> None:
    """project.submitted: review opens a case, finance keeps its projection."""
    await uow.emit(
        "project",
        "submitted",
        events_pb2.ProjectSubmitted(
            project_id=project.id,
            org_id=project.org_id,
            name=project.name,
            project_type=project.project_type,
            total_investment=to_money(project.total_investment),
            submitted_by=to_actor(who),
            submitted_at=to_timestamp(when),
        ),
        subject=project.id,
        org_id=project.org_id,
        project_id=project.id,
    )


async def record_conclusion(
    *, uow: UnitOfWork, project_id: str, status: ProjectStatus, round: int = 0
) -> None:
    """Intake's copy of the review conclusion: the project's status follows it. Conclusions,
    resubmissions and terminations arrive on different subjects, in any order: a terminated
    project stays terminated (F5), and a conclusion of an earlier round than the latest one
    applied (a lagging or replayed event) changes nothing."""
    project = await uow.session.get(Project, project_id)
    if project is None:
        raise LookupError(f"conclusion for unknown project {project_id}")
    if project.status == ProjectStatus.TERMINATED or round < project.review_round:
        return
    project.status, project.review_round = status.value, round
    if status is ProjectStatus.APPROVED:
        await library.enter_library(uow=uow, project=project)


async def record_resubmission(*, uow: UnitOfWork, project_id: str, round: int, when) -> None:
    """Review opened the next round of the case (the unit resubmitted there, or intake's own
    resubmission reopened it): a project sent back for revision is under review again, so no
    longer editable. A round already applied, or a project gone on from revision (approved,
    rejected, terminated), changes nothing; a project intake never held is skipped."""
    project = await uow.session.get(Project, project_id)
    if project is None or round <= project.review_round:
        return
    project.review_round = round
    if project.status == ProjectStatus.REVISION_REQUESTED:
        project.status, project.submitted_at = ProjectStatus.SUBMITTED.value, when


async def record_termination(*, uow: UnitOfWork, project_id: str) -> None:
    """F5: review terminated the project's case (the approver agreed): the project is
    terminated. A project intake never held is not review's to invent: the event is skipped."""
    project = await uow.session.get(Project, project_id)
    if project is None:
        return
    project.status = ProjectStatus.TERMINATED.value
    project.updated_at = utcnow()
