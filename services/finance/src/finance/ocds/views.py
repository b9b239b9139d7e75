"""REST endpoint of the OCDS export."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from finance.ocds import export
from govit_kit.auth import PROJECT_READERS
from govit_kit.errors import NotFound
from govit_kit.http import CurrentPrincipal, CurrentRuntime

router = APIRouter(tags=["open contracting"])


@router.get("/v1/ocds/release-package", response_class=Response)
async def release_package(
    request: Request,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    project_id: Annotated[str | None, Query(max_length=36)] = None,
):
    """Procurements and contracts the caller may see, as an OCDS 1.1.5 release package."""
    scope = who.org_scope(PROJECT_READERS)
    async with rt.db.sessions() as session:
        package = await export.release_package(
            session,
            uri=str(request.url),
            publisher=f"govit finance, {rt.profile.jurisdiction}",
            org_scope=scope,
            project_id=project_id,
        )
    if not package["releases"]:
        # OCDS has no empty package: nothing the caller may see was procured.
        raise NotFound("no procurement to publish")
    return Response(export.dumps(package), media_type="application/json")
