"""The test-only fault points (GOVIT_FAULT): off by default, exact about where they fire."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from govit_kit import faults


def test_unset_or_empty_is_off():
    assert faults.parse("") is None
    assert faults.parse("  ") is None


def test_a_point_with_or_without_an_event_type():
    assert faults.parse("relay.before_publish") == ("relay.before_publish", None)
    assert faults.parse("consumer.after_commit:govit.intake.project.submitted") == (
        "consumer.after_commit",
        "govit.intake.project.submitted",
    )


def test_an_unknown_point_is_refused():
    with pytest.raises(ValueError, match="unknown fault point 'relay.befor_publish'"):
        faults.parse("relay.befor_publish")


def test_the_process_running_the_tests_is_not_armed():
    assert faults.ARMED is None
    faults.crash_at("relay.before_publish", "govit.intake.project.submitted")  # returns


def _run(fault: str, point: str, event_type: str) -> int:
    code = (
        "from govit_kit import faults\n"
        f"faults.crash_at({point!r}, {event_type!r})\n"
        "print('survived')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GOVIT_FAULT"} | {"GOVIT_FAULT": fault}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    return done.returncode


def test_an_armed_point_kills_the_process_with_sigkill():
    submitted = "govit.intake.project.submitted"
    assert _run(f"relay.before_publish:{submitted}", "relay.before_publish", submitted) == (
        -signal.SIGKILL
    )
    assert _run("consumer.after_commit", "consumer.after_commit", submitted) == -signal.SIGKILL


def test_another_point_or_event_type_passes():
    submitted = "govit.intake.project.submitted"
    assert _run(f"relay.before_publish:{submitted}", "relay.after_publish", submitted) == 0
    assert _run(f"relay.before_publish:{submitted}", "relay.before_publish", "govit.x.y.z") == 0
