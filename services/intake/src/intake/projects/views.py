"""REST endpoints of project applications."""

from fastapi import APIRouter, Response

from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IdempotencyKey, IfMatch, etag, idempotent
from intake.projects import flows, service
from intake.projects.schemas import ProjectCreate, ProjectRead

router = APIRouter(prefix="/v1/projects", tags=["projects"])


@router.post("", status_code=201, response_model=ProjectRead)
async def create_project(
    body: ProjectCreate, who: CurrentPrincipal, rt: CurrentRuntime, key: IdempotencyKey = None
):
    """Open a draft application for the caller's unit (retry safely with an Idempotency-Key)."""

    async def create(uow):
        project = await flows.create_project(uow=uow, who=who, data=body)
        return ProjectRead.model_validate(project)

    return await idempotent(
        rt, key=key, who=who, route="create_project", request=body, status_code=201, action=create
    )


@router.post("/{project_id}/submit", response_model=ProjectRead)
async def submit_project(
    project_id: str,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Submit the application for review (If-Match: the ETag it was read at, optional)."""
    async with rt.db.unit_of_work() as uow:
        project = await flows.submit_project(
            uow=uow, who=who, project_id=project_id, if_match=if_match
        )
    response.headers["ETag"] = etag(project.version)
    return project


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
async def list_projects(who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """Applications the caller may see, oldest first."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible(who), paging)
    return Page[ProjectRead](items=[ProjectRead.model_validate(r) for r in rows], next_cursor=nxt)
