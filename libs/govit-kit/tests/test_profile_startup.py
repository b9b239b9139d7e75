"""A service refuses to start under a policy profile that does not exist, and says which exist."""

from __future__ import annotations

import pytest

from govit_kit.config import Settings
from govit_kit.db import new_metadata
from govit_kit.policy import BUILTIN_CODES
from govit_kit.runtime import Runtime, ServiceSpec


def kittest_spec() -> ServiceSpec:
    return ServiceSpec(
        name="kittest",
        package="kittest",
        title="kittest",
        description="",
        metadata=new_metadata(),
        routers=[],
    )


def test_an_unknown_profile_stops_startup_naming_the_variable_and_the_builtins(tmp_path):
    settings = Settings(
        service="kittest",
        policy_profile="atlantis",
        data_dir=tmp_path,
        database_url="sqlite+aiosqlite:///:memory:",
    )
    with pytest.raises(SystemExit) as exc:
        Runtime(kittest_spec(), settings)
    message = str(exc.value.code)
    assert "GOVIT_POLICY_PROFILE" in message
    assert "atlantis" in message
    assert len(BUILTIN_CODES) == 5
    for name in BUILTIN_CODES:
        assert name in message


def test_a_builtin_profile_by_any_case_starts(tmp_path):
    name = next(iter(BUILTIN_CODES))
    settings = Settings(
        service="kittest",
        policy_profile=name.upper(),
        data_dir=tmp_path,
        database_url="sqlite+aiosqlite:///:memory:",
    )
    assert Runtime(kittest_spec(), settings).profile.name == name


def test_a_profile_with_a_figure_out_of_range_stops_startup_naming_it(tmp_path):
    """L13's day 31 would fail the scheduler in every month without one (and each late filing):
    the service does not start, and says which figure and what range."""
    from importlib import resources

    import yaml

    text = (
        resources.files("govit_kit.policy")
        .joinpath("profiles", "pingdingshan.yaml")
        .read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    data["rules"]["L13"]["figures"]["report_due_day_of_month"] = 31
    path = tmp_path / "local.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    settings = Settings(
        service="kittest",
        policy_profile=str(path),
        data_dir=tmp_path,
        database_url="sqlite+aiosqlite:///:memory:",
    )
    with pytest.raises(SystemExit) as exc:
        Runtime(kittest_spec(), settings)
    message = str(exc.value.code)
    assert "GOVIT_POLICY_PROFILE" in message
    assert "local.yaml" in message
    assert "L13.report_due_day_of_month=31" in message and "1 to 28" in message


def test_a_monitoring_interval_the_platform_does_not_classify_by_is_refused_at_load():
    """L11's utilisation is classified by calendar month: a profile asking for quarters is
    refused rather than silently classified monthly."""
    from govit_kit.policy import load_profile

    sn = load_profile("suining").model_dump()
    sn["rules"]["L11"]["figures"]["monitoring_interval_months"] = 3
    with pytest.raises(ValueError, match="L11.monitoring_interval_months=3"):
        type(load_profile("suining")).model_validate(sn)
    sn["rules"]["L11"]["figures"]["monitoring_interval_months"] = 1
    sn["rules"]["L13"]["figures"]["report_interval_months"] = 0
    with pytest.raises(ValueError, match="L13.report_interval_months=0"):
        type(load_profile("suining")).model_validate(sn)
