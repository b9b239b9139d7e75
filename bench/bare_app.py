"""The REST reference: a bare FastAPI app with the same two calls as the intake benchmark (file
an application, read it back), kept in a dict; run as `python -m bench.bare_app PORT` under
uvicorn configured as the services configure it (govit_kit.runtime)."""

from __future__ import annotations

import asyncio
import sys
import uuid
from decimal import Decimal

import uvicorn
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()
projects: dict[str, dict] = {}


class ProjectCreate(BaseModel):
    name: str
    project_type: str
    total_investment: Decimal


@app.post("/v1/projects", status_code=201)
async def create(body: ProjectCreate) -> dict:
    project = {"id": str(uuid.uuid4()), "status": "draft", **body.model_dump(mode="json")}
    projects[project["id"]] = project
    return project


@app.get("/v1/projects/{project_id}")
async def read(project_id: str) -> dict:
    try:
        return projects[project_id]
    except KeyError:
        raise HTTPException(404) from None


@app.get("/readyz")
async def ready() -> dict:
    return {"ok": True}


if __name__ == "__main__":
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_config=None,
        access_log=False,
        lifespan="off",
    )
    asyncio.run(uvicorn.Server(config).serve())
