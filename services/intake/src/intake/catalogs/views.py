"""REST endpoints of an application's data resource catalog (C2): JSON, CSV and xlsx."""

from fastapi import APIRouter, Request, Response

from govit_kit.auth import Role
from govit_kit.errors import InvalidInput
from govit_kit.http import CurrentPrincipal, CurrentRuntime
from govit_kit.policy import STAGES
from intake.catalogs import service
from intake.catalogs.models import CatalogEntry
from intake.catalogs.schemas import CatalogEntryBase, CatalogEntryRead
from intake.projects import flows as project_flows
from intake.projects import service as projects
from intake.projects.enums import EDITABLE

router = APIRouter(prefix="/v1/projects/{project_id}/catalog", tags=["data resource catalog"])
CSV = "text/csv"


async def _replace(rt, who, project_id: str, rows: list[CatalogEntryBase]) -> list[CatalogEntry]:
    who.require(Role.UNIT_STAFF)
    async with rt.db.unit_of_work() as uow:
        await project_flows.touch_catalog(
            uow=uow, who=who, project_id=project_id, profile=rt.profile
        )
        await service.replace(session=uow.session, project_id=project_id, rows=rows)
        return [
            CatalogEntryRead.model_validate(r)
            for r in await service.entries(session=uow.session, project_id=project_id)
        ]


@router.put("", response_model=list[CatalogEntryRead])
async def put_catalog(
    project_id: str, body: list[CatalogEntryBase], who: CurrentPrincipal, rt: CurrentRuntime
):
    """Replace the catalog with these rows (JSON)."""
    return await _replace(rt, who, project_id, body)


@router.post("/import", response_model=list[CatalogEntryRead])
async def import_catalog(
    project_id: str, request: Request, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Replace the catalog from a CSV (text/csv) or xlsx body, headed as YY annex 2."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    data = await request.body()
    if media == CSV:
        rows = service.read_csv(data)
    elif media == service.XLSX:
        rows = service.read_xlsx(data)
    else:
        raise InvalidInput("Content-Type", f"send {CSV} or {service.XLSX}")
    return await _replace(rt, who, project_id, rows)


@router.get("", response_model=list[CatalogEntryRead])
async def get_catalog(
    project_id: str, who: CurrentPrincipal, rt: CurrentRuntime, format: str = "json"
):
    """The catalog as JSON, or as a file: ?format=csv or ?format=xlsx."""
    async with rt.db.sessions() as session:
        await projects.get(session=session, project_id=project_id, who=who)
        rows = await service.entries(session=session, project_id=project_id)
    if format == "csv":
        return Response(
            service.write_csv(rows),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="catalog.csv"'},
        )
    if format == "xlsx":
        return Response(
            service.write_xlsx(rows),
            media_type=service.XLSX,
            headers={"Content-Disposition": 'attachment; filename="catalog.xlsx"'},
        )
    if format != "json":
        raise InvalidInput("format", "one of json, csv, xlsx")
    return [CatalogEntryRead.model_validate(r) for r in rows]


@router.get("/check")
async def check_catalog(
    project_id: str, who: CurrentPrincipal, rt: CurrentRuntime, stage: str | None = None
):
    """Whether the catalog is complete, whether the profile asks it of this project at `stage`
    (C2: `submission` or `acceptance`; by default the project's next one: submission while it is
    editable, acceptance after), and the C2 refusals where it is asked and incomplete."""
    if stage is not None and stage not in STAGES:
        raise InvalidInput("stage", f"one of {', '.join(STAGES)}")
    async with rt.db.sessions() as session:
        project = await projects.get(session=session, project_id=project_id, who=who)
        if stage is None:
            stage = "submission" if project.status in EDITABLE else "acceptance"
        checked = await service.check(
            session=session, profile=rt.profile, project=project, stage=stage
        )
    return {
        "complete": checked.complete,
        "entries": checked.entries,
        "stage": stage,
        "required": checked.required,
        "decisions": [d.to_dict() for d in checked.decisions],
    }
