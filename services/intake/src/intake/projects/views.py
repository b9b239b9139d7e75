"""REST endpoints of project applications and their materials."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from govit_kit.errors import NotFound
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IdempotencyKey, IfMatch, etag, idempotent
from intake.projects import flows, rules, service
from intake.projects.enums import MaterialKind, ProjectStatus, ProjectType
from intake.projects.models import ProjectMaterial
from intake.projects.schemas import (
    MaterialRead,
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    RequiredMaterial,
)

router = APIRouter(prefix="/v1/projects", tags=["projects"])
FileName = Annotated[str, Query(min_length=1, max_length=255, pattern=r"^[^/\\\x00]+$")]


@router.post("", status_code=201, response_model=ProjectRead)
async def create_project(
    body: ProjectCreate, who: CurrentPrincipal, rt: CurrentRuntime, key: IdempotencyKey = None
):
    """Open a draft application for the caller's unit (retry safely with an Idempotency-Key).
    The answer's ETag is the draft's, as a GET gives it: send it as If-Match with the next
    change."""

    async def create(uow):
        project = await flows.create_project(uow=uow, who=who, profile=rt.profile, data=body)
        return ProjectRead.model_validate(project)

    return await idempotent(
        rt,
        key=key,
        who=who,
        route="create_project",
        request=body,
        status_code=201,
        action=create,
        with_etag=True,
    )


@router.patch("/{project_id}", response_model=ProjectRead)
async def update_project(
    project_id: str,
    body: ProjectUpdate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Fill in or change the draft's form fields (C1)."""
    async with rt.db.unit_of_work() as uow:
        project = await flows.update_project(
            uow=uow, who=who, project_id=project_id, data=body, if_match=if_match
        )
        read = ProjectRead.model_validate(project)
    response.headers["ETag"] = etag(read.version)
    return read


@router.post("/{project_id}/submit", response_model=ProjectRead)
async def submit_project(
    project_id: str,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Submit the application for review (If-Match: the ETag it was read at, optional).
    Refused (422 rule-refused) naming every rule still unmet: each missing material with its
    rule, the C1 form, the C2 catalog, the C4 sign-off, the B1 deadline, J3, A2."""
    async with rt.db.unit_of_work() as uow:
        project = await flows.submit_project(
            uow=uow, who=who, project_id=project_id, if_match=if_match, profile=rt.profile
        )
        read = ProjectRead.model_validate(project)
    response.headers["ETag"] = etag(read.version)
    return read


@router.post("/{project_id}/cdo-signoff", response_model=ProjectRead)
async def sign_off(project_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """C4: the unit's chief data officer approves the application (who and when are kept)."""
    async with rt.db.unit_of_work() as uow:
        project = await flows.sign_off(uow=uow, who=who, profile=rt.profile, project_id=project_id)
        return ProjectRead.model_validate(project)


@router.get("/{project_id}", response_model=ProjectRead)
async def get_project(
    project_id: str, who: CurrentPrincipal, rt: CurrentRuntime, response: Response
):
    """One application (a unit sees only its own); its ETag guards later changes."""
    async with rt.db.sessions() as session:
        project = await service.get(session=session, project_id=project_id, who=who)
    response.headers["ETag"] = etag(project.version)
    return project


@router.get("", response_model=Page[ProjectRead])
async def list_projects(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    status: ProjectStatus | None = None,
    plan_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    project_type: ProjectType | None = None,
    org_id: Annotated[str | None, Query(max_length=64)] = None,
    # Bounded as the amounts stored (NUMERIC(18,2)): a larger figure is a 422, not an overflow.
    min_amount: Annotated[
        Decimal | None, Query(ge=0, max_digits=16, decimal_places=2, description="yuan")
    ] = None,
    max_amount: Annotated[
        Decimal | None, Query(ge=0, max_digits=16, decimal_places=2, description="yuan")
    ] = None,
    name: Annotated[str | None, Query(max_length=100, description="part of the name")] = None,
):
    """Applications the caller may see (a unit its own), oldest first, filtered."""
    query = service.visible(
        who,
        status=status,
        plan_year=plan_year,
        project_type=project_type,
        org_id=org_id,
        min_amount=min_amount,
        max_amount=max_amount,
        name=name,
    )
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    return Page[ProjectRead](items=[ProjectRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.put("/{project_id}/materials/{kind}", response_model=MaterialRead)
async def upload_material(
    project_id: str,
    kind: MaterialKind,
    filename: FileName,
    request: Request,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
):
    """Upload a material of a named kind: the body is the file, Content-Type its type."""
    content = await request.body()
    async with rt.db.unit_of_work() as uow:
        row = await flows.upload_material(
            uow=uow,
            who=who,
            project_id=project_id,
            kind=kind,
            filename=filename,
            content_type=request.headers.get("content-type", ""),
            content=content,
            max_bytes=rt.settings.material_max_bytes,
        )
        return MaterialRead.model_validate(row)


@router.get("/{project_id}/materials", response_model=list[MaterialRead])
async def list_materials(project_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """The application's materials."""
    async with rt.db.sessions() as session:
        await service.get(session=session, project_id=project_id, who=who)
        return [
            MaterialRead.model_validate(m)
            for m in await service.materials(session=session, project_id=project_id)
        ]


@router.get("/{project_id}/materials/{kind}/content")
async def material_content(
    project_id: str, kind: MaterialKind, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The stored file of a material, with its type and hash."""
    async with rt.db.sessions() as session:
        await service.get(session=session, project_id=project_id, who=who)
        row = await session.scalar(
            select(ProjectMaterial).where(
                ProjectMaterial.project_id == project_id, ProjectMaterial.kind == kind.value
            )
        )
        if row is None:
            raise NotFound("material not found")
        content = await session.scalar(
            select(ProjectMaterial.content).where(ProjectMaterial.id == row.id)
        )
    return Response(
        content,
        media_type=row.content_type,
        headers={"Digest": f"sha-256={row.sha256}", "X-Content-SHA256": row.sha256},
    )


@router.get("/{project_id}/required-materials", response_model=list[RequiredMaterial])
async def required_materials(project_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """The kinds this application must carry under the active profile, and which are there."""
    async with rt.db.sessions() as session:
        project = await service.get(session=session, project_id=project_id, who=who)
        present = {m.kind for m in await service.materials(session=session, project_id=project_id)}
    return [
        RequiredMaterial(
            kind=kind.value,
            rule_id=rule,
            article=rt.profile.rule(rule).article or "",
            present=kind.value in present,
        )
        for kind, rule in rules.required_materials(
            rt.profile,
            ProjectType(project.project_type),
            project.total_investment,
            cloud_exception=project.cloud_exception,
            upper_level_funded=project.upper_level_funded,
            classified=project.classified,
        )
    ]
