"""Alembic, driven from code: each service keeps its revisions in <package>/migrations/."""

from __future__ import annotations

import asyncio

from alembic import command, context
from alembic.config import Config
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import async_engine_from_config

from govit_kit.runtime import ServiceSpec


def alembic_config(spec: ServiceSpec, url: str) -> Config:
    """An Alembic config for a service's migrations and database."""
    cfg = Config()
    cfg.set_main_option("script_location", f"{spec.package}:migrations")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["metadata"] = spec.metadata
    return cfg


def upgrade(spec: ServiceSpec, url: str, revision: str = "head") -> None:
    """Bring the service's database to a revision (default: the newest)."""
    command.upgrade(alembic_config(spec, url), revision)


def revision(spec: ServiceSpec, url: str, message: str) -> None:
    """Autogenerate a new revision from the difference between the models and the database."""
    command.revision(alembic_config(spec, url), message=message, autogenerate=True)


def check(spec: ServiceSpec, url: str) -> None:
    """Fail if the models hold changes that no revision covers."""
    command.check(alembic_config(spec, url))


def run_env() -> None:
    """The body of every service's migrations/env.py."""
    config = context.config
    metadata = config.attributes["metadata"]
    url = config.get_main_option("sqlalchemy.url")
    opts = dict(
        target_metadata=metadata, render_as_batch=url.startswith("sqlite"), compare_type=True
    )
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **opts)
        with context.begin_transaction():
            context.run_migrations()
        return

    def do_run(connection) -> None:
        context.configure(connection=connection, **opts)
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = async_engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        async with engine.connect() as conn:
            await conn.run_sync(do_run)
        await engine.dispose()

    asyncio.run(main())
