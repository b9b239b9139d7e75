"""Test-only fault points: the process kills itself (SIGKILL) at a named point, as a crash would.

Off unless GOVIT_FAULT is set when the process starts; the fault tests on the five-process
platform (tests/integration/test_faults.py) set it on one service, restart that service, let
it die at the point, and restart it without. Each call site is guarded by `if faults.ARMED:`,
one test of a module global, so an unarmed process pays nothing more.

    GOVIT_FAULT=<point>[:<event type>]    e.g. consumer.after_commit:govit.intake.project.submitted

Without an event type the first event to reach the point kills the process. An unknown point
stops the service at start-up, so a mistyped fault cannot silently never fire.
"""

from __future__ import annotations

import logging
import os
import signal
import sys

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


def parse(spec: str) -> tuple[str, str | None] | None:
    """The armed point and event type of a GOVIT_FAULT value (None when empty)."""
    spec = spec.strip()
    if not spec:
        return None
    point, _, event_type = spec.partition(":")
    if point not in POINTS:
        raise ValueError(f"GOVIT_FAULT: unknown fault point {point!r}; known: {sorted(POINTS)}")
    return point, event_type or None


ARMED = parse(os.environ.get("GOVIT_FAULT", ""))


def crash_at(point: str, event_type: str) -> None:
    """Die by SIGKILL here if this point (and event type) is the armed fault; else return."""
    if ARMED is None or ARMED[0] != point or ARMED[1] not in (None, event_type):
        return
    log.critical("GOVIT_FAULT %s: killing the process at %s (%s)", point, event_type, POINTS[point])
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)
