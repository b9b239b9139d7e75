"""`govit run` and a global GOVIT_DATABASE_URL: the launcher never hands one URL to all five
services, and says so before anything starts, naming the per-service variables to use."""

from __future__ import annotations

import sys

import pytest

from govit_kit import cli

PER_SERVICE = [
    "GOVIT_INTAKE_DATABASE_URL",
    "GOVIT_REVIEW_DATABASE_URL",
    "GOVIT_CLOUD_BROKER_DATABASE_URL",
    "GOVIT_FINANCE_DATABASE_URL",
    "GOVIT_AUDIT_DATABASE_URL",
]


def _run_stopped_by_the_profile(monkeypatch, capsys, tmp_path, **env) -> str:
    """`govit run` up to its first check that stops it (an unknown profile): nothing starts."""
    for var in ["GOVIT_DATABASE_URL", *PER_SERVICE]:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GOVIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GOVIT_POLICY_PROFILE", "atlantis")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["govit", "run"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert "GOVIT_POLICY_PROFILE" in str(stopped.value.code)
    return capsys.readouterr().err


def test_a_global_database_url_is_named_as_ignored_with_the_variables_to_use(
    monkeypatch, capsys, tmp_path
):
    err = _run_stopped_by_the_profile(
        monkeypatch,
        capsys,
        tmp_path,
        GOVIT_DATABASE_URL="postgresql+asyncpg://u@db/govit",
        GOVIT_FINANCE_DATABASE_URL="postgresql+asyncpg://u@db/finance",
    )
    assert "GOVIT_DATABASE_URL is set and ignored" in err
    for var in PER_SERVICE:
        assert var in err
    # Where each service's data goes instead: SQLite, except the one with its own URL.
    for name in ("intake", "review", "cloud_broker", "audit"):
        assert str(tmp_path / f"{name}.db") in err
    assert "finance.db" not in err


def test_no_warning_without_a_global_database_url(monkeypatch, capsys, tmp_path):
    err = _run_stopped_by_the_profile(
        monkeypatch, capsys, tmp_path, GOVIT_INTAKE_DATABASE_URL="sqlite+aiosqlite:///x.db"
    )
    assert "GOVIT_DATABASE_URL" not in err
