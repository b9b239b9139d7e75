"""Test-only fault points: the process kills itself (SIGKILL) at a named point, as a crash would.

Off unless GOVIT_FAULT is set when the process starts. Each call site is guarded by
`if faults.ARMED:`, one test of a module global, so a process without the variable pays
nothing more. The fault tests on the five-process platform (tests/integration/test_faults.py)
use it; docs/operations.md ("Fault tests") lists what they prove.

    GOVIT_FAULT=[<service>/]<point>[:<event type>]
        e.g. review/consumer.after_commit:govit.intake.project.submitted
    GOVIT_FAULT=@<file>
        the same spec, read from the file each time a fault point is reached: no file (or an
        empty one), no fault. The process removes the file as it dies, so a test arms one
        crash without restarting the service first, and the restart after it runs clean.

Without a service every service of the process matches; without an event type the first event
to reach the point does. An unknown point stops the service at start-up (in the file: is logged
and ignored), so a mistyped fault cannot silently never fire.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

POINTS = {
    # The consumer committed an event's effect with its inbox row and has not acked it yet:
    # JetStream redelivers it after the restart, and the inbox makes that a no-op.
    "consumer.after_commit": "after the handler's commit, before the ack",
    # The relay holds a committed outbox row and has not published it yet: the row waits in
    # the outbox and is published after the restart.
    "relay.before_publish": "after the state and outbox commit, before the publish",
    # JetStream acked the publish and the row is not yet marked published: it is published
    # again after the restart with the same Nats-Msg-Id, and JetStream drops the duplicate.
    "relay.after_publish": "after JetStream's ack, before the row is marked published",
}


@dataclass(frozen=True)
class Fault:
    """Where to crash: a point, and optionally only in one service and for one event type."""

    point: str
    service: str | None = None
    event_type: str | None = None

    def matches(self, point: str, service: str, event_type: str) -> bool:
        """Whether this fault fires here."""
        return (
            point == self.point
            and self.service in (None, service)
            and self.event_type in (None, event_type)
        )


def parse(spec: str) -> Fault | None:
    """The fault a spec names ([<service>/]<point>[:<event type>]); None when empty."""
    spec = spec.strip()
    if not spec:
        return None
    service, _, rest = spec.rpartition("/")
    point, _, event_type = rest.partition(":")
    if point not in POINTS:
        raise ValueError(f"GOVIT_FAULT: unknown fault point {point!r}; known: {sorted(POINTS)}")
    return Fault(point, service or None, event_type or None)


def _armed(value: str) -> Fault | Path | None:
    value = value.strip()
    if value.startswith("@"):
        return Path(value[1:])
    return parse(value)


ARMED = _armed(os.environ.get("GOVIT_FAULT", ""))


def _current() -> Fault | None:
    if not isinstance(ARMED, Path):
        return ARMED
    try:
        return parse(ARMED.read_text())
    except FileNotFoundError:
        return None
    except ValueError as exc:
        log.error("%s (in %s): ignored", exc, ARMED)
        return None


def crash_at(point: str, service: str, event_type: str) -> None:
    """Die by SIGKILL here if the armed fault names this point (service, event type)."""
    fault = _current()
    if fault is None or not fault.matches(point, service, event_type):
        return
    if isinstance(ARMED, Path):
        ARMED.unlink(missing_ok=True)  # one crash; the restarted process runs clean
    log.critical("GOVIT_FAULT %s: killing %s at %s (%s)", point, service, event_type, POINTS[point])
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)
