"""The test-only fault points (GOVIT_FAULT): off by default, exact about where they fire."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from govit_kit import faults
from govit_kit.faults import Fault

SUBMITTED = "govit.intake.project.submitted"


def test_unset_or_empty_is_off():
    assert faults.parse("") is None
    assert faults.parse("  ") is None


def test_a_point_with_or_without_a_service_and_an_event_type():
    assert faults.parse("relay.before_publish") == Fault("relay.before_publish")
    assert faults.parse(f"review/consumer.after_commit:{SUBMITTED}") == Fault(
        "consumer.after_commit", "review", SUBMITTED
    )
    fault = faults.parse(f"intake/relay.after_publish:{SUBMITTED}")
    assert fault.matches("relay.after_publish", "intake", SUBMITTED)
    assert not fault.matches("relay.before_publish", "intake", SUBMITTED)
    assert not fault.matches("relay.after_publish", "review", SUBMITTED)
    assert not fault.matches("relay.after_publish", "intake", "govit.intake.project.filed")


def test_an_unknown_point_is_refused():
    with pytest.raises(ValueError, match="unknown fault point 'relay.befor_publish'"):
        faults.parse("relay.befor_publish")


def test_the_process_running_the_tests_is_not_armed():
    assert faults.ARMED is None
    faults.crash_at("relay.before_publish", "intake", SUBMITTED)  # returns


def _run(fault: str, point: str, service: str = "intake", event_type: str = SUBMITTED) -> int:
    code = (
        "from govit_kit import faults\n"
        f"faults.crash_at({point!r}, {service!r}, {event_type!r})\n"
        "print('survived')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GOVIT_FAULT"} | {"GOVIT_FAULT": fault}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    return done.returncode


def test_an_armed_point_kills_the_process_with_sigkill():
    assert _run(f"relay.before_publish:{SUBMITTED}", "relay.before_publish") == -signal.SIGKILL
    assert _run("intake/consumer.after_commit", "consumer.after_commit") == -signal.SIGKILL


def test_another_point_service_or_event_type_passes():
    armed = f"intake/relay.before_publish:{SUBMITTED}"
    assert _run(armed, "relay.after_publish") == 0
    assert _run(armed, "relay.before_publish", service="review") == 0
    assert _run(armed, "relay.before_publish", event_type="govit.x.y.z") == 0


def test_a_fault_file_arms_one_crash(tmp_path: Path):
    spec = tmp_path / "fault"
    armed = f"@{spec}"
    assert _run(armed, "relay.before_publish") == 0  # no file: no fault
    spec.write_text(f"intake/relay.before_publish:{SUBMITTED}\n")
    assert _run(armed, "relay.after_publish") == 0 and spec.exists()
    assert _run(armed, "relay.before_publish") == -signal.SIGKILL
    assert not spec.exists()  # removed as it died: the restart runs clean
    assert _run(armed, "relay.before_publish") == 0
    spec.write_text("relay.befor_publish")  # a typo is logged and ignored
    assert _run(armed, "relay.before_publish") == 0
