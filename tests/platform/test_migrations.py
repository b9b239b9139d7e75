"""Each service's Alembic revisions build exactly the tables its models describe."""

import asyncio
import importlib

import pytest

from govit_kit import migrations
from govit_kit.platform import SERVICES


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_migrations_match_models(service, backend, databases, tmp_path):
    spec = importlib.import_module(f"{service}.main").spec()
    if backend == "postgresql":
        url = await databases.create(service)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / f'{service}.db'}"
    await asyncio.to_thread(migrations.upgrade, spec, url)
    # alembic check raises when autogenerate would find a difference.
    await asyncio.to_thread(migrations.check, spec, url)
