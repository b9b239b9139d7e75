"""Alembic environment: the kit runs it against this service's metadata."""

from govit_kit.migrations import run_env

run_env()
