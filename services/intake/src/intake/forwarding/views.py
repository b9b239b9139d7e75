"""REST endpoints of county forwarding (C6), in a county deployment."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, StringConstraints

from govit_kit.http import CurrentPrincipal, CurrentRuntime
from intake.forwarding import flows
from intake.projects.schemas import ProjectRead

router = APIRouter(prefix="/v1/projects/{project_id}", tags=["county forwarding"])


class ForwardRequest(BaseModel):
    """The county authority's first-review opinion."""

    model_config = ConfigDict(extra="forbid")

    opinion: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


@router.post("/forward", response_model=ProjectRead)
async def forward(project_id: str, body: ForwardRequest, who: CurrentPrincipal, rt: CurrentRuntime):
    """Forward the application to the city deployment with the county's opinion (C6)."""
    project = await flows.forward(rt=rt, who=who, project_id=project_id, opinion=body.opinion)
    return ProjectRead.model_validate(project)


@router.post("/city-outcome", response_model=ProjectRead)
async def city_outcome(project_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Fetch and keep the city's outcome of a forwarded application (city_status)."""
    project = await flows.city_outcome(rt=rt, who=who, project_id=project_id)
    return ProjectRead.model_validate(project)
