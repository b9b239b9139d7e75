"""One provider id, one resource (`not_on_books`), in SQL on both backends: PostgreSQL (jsonb
`?|`, on the schema the migrations build) and SQLite, the embedded default (json_each), which
the broker's own tests, all on PostgreSQL, never reach."""

import asyncio
import importlib

import pytest

from cloud_broker.db import Base
from cloud_broker.requests import flows
from cloud_broker.requests.models import ResourceRequest
from govit_kit import migrations
from govit_kit.db import Database
from govit_kit.errors import Conflict

# request id: (platform, status, resource ids)
HELD = {
    "r-ecs": ("pa", "active", ["ecs-1", "evs-1"]),
    "r-ten": ("pa", "active", ["vm-10"]),
    "r-gone": ("pa", "reclaimed", ["vm-2"]),
    "r-other": ("pb", "active", ["vm-3"]),
    "r-none": ("pa", "approved", []),
}


@pytest.fixture(params=["postgresql", "sqlite"])
async def db(request, databases, tmp_path):
    if request.param == "postgresql":
        url = await databases.create("cloud_broker")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'cb.db'}"
    spec = importlib.import_module("cloud_broker.main").spec()
    await asyncio.to_thread(migrations.upgrade, spec, url)
    database = Database(url, Base.metadata, service="cloud_broker")
    async with database.unit_of_work() as uow:
        for rid, (platform, status, ids) in HELD.items():
            uow.session.add(
                ResourceRequest(
                    id=rid,
                    project_id="p",
                    org_id="org-a",
                    service_mode="general",
                    items=[],
                    status=status,
                    submitted_by="x",
                    platform_id=platform,
                    resource_ids=ids,
                    materials={},
                )
            )
    yield database
    await database.dispose()


async def check(db, ids, platform="pa"):
    async with db.unit_of_work() as uow:
        await flows.not_on_books(uow=uow, platform_id=platform, resource_ids=ids)


async def test_the_first_id_held_is_named_with_its_holder(db):
    with pytest.raises(Conflict) as err:
        await check(db, ["new-1", "vm-10", "evs-1"])
    assert err.value.extensions["field"] == "resource_ids.1"
    assert (err.value.extensions["resource_id"], err.value.extensions["request_id"]) == (
        "vm-10",
        "r-ten",
    )
    assert "vm-10 on pa is already on the books (resource r-ten)" in err.value.detail
    with pytest.raises(Conflict) as err:
        await check(db, ["evs-1"])
    assert (err.value.extensions["field"], err.value.extensions["request_id"]) == (
        "resource_ids.0",
        "r-ecs",
    )


async def test_free_ids_pass(db):
    # A reclaimed resource's id is free again, another platform's id is another resource, and
    # an id is matched whole (vm-1 is not vm-10, nor "ecs" part of "ecs-1").
    await check(db, ["vm-2", "vm-3", "vm-1", "ecs", "1", "new-1"])
    await check(db, ["vm-3"], platform="pc")
    with pytest.raises(Conflict):
        await check(db, ["vm-3"], platform="pb")
