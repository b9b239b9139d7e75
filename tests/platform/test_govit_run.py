"""`govit run` (what `make run` starts): five ready services with docs, `govit walkthrough`
through them on the embedded default (SQLite), and a clean Ctrl-C."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from govit_kit.platform import SERVICES, service_ports

pytestmark = pytest.mark.integration


def _children_of(pid: int) -> list[int]:
    """Every live descendant of a process (from /proc), so orphans cannot hide."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, parent in parents.items() if parent == p]
        found += kids
        frontier += kids
    return found


def test_run_serves_every_service_and_stops_cleanly(tmp_path):
    env = {**os.environ, "GOVIT_DATA_DIR": str(tmp_path / "data")}
    env.pop("GOVIT_NATS_URL", None)
    both = service_ports(s.name for s in SERVICES)
    ports = {name: http for name, (http, _) in both.items()}
    for name, (http, grpc) in both.items():
        env[f"GOVIT_{name.upper()}_HTTP_PORT"] = str(http)
        env[f"GOVIT_{name.upper()}_GRPC_PORT"] = str(grpc)
    launcher = subprocess.Popen(
        [str(Path(sys.executable).parent / "govit"), "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = launcher.stdout.readline()
            assert line or launcher.poll() is None, "".join(lines)
            lines.append(line)
            if "Press Ctrl-C to stop." in line:
                break
        out = "".join(lines)
        assert "unit_staff" in out and "eyJ" in out  # a development token is printed
        children = _children_of(launcher.pid)
        assert len(children) >= 6  # five services and the embedded nats-server
        for s in SERVICES:
            assert f"REST http://127.0.0.1:{ports[s.name]}/docs" in out
            base = f"http://127.0.0.1:{ports[s.name]}"
            assert httpx.get(f"{base}/readyz", timeout=5).json()["status"] == "ready"
            assert httpx.get(f"{base}/docs", timeout=5).status_code == 200
            assert httpx.get(f"{base}/openapi.json", timeout=5).json()["info"]["title"]
        # The README's next step, on the embedded default (SQLite, the launcher's own broker):
        # one project through every service, ending in audit's log.
        walk = subprocess.run(
            [str(Path(sys.executable).parent / "govit"), "walkthrough"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert walk.returncode == 0, walk.stdout + walk.stderr
        assert "8. audit:" in walk.stdout, walk.stdout
    finally:
        launcher.send_signal(signal.SIGINT)  # what Ctrl-C sends
        rest, _ = launcher.communicate(timeout=60)
    assert launcher.returncode == 0, rest
    assert "stopped." in rest
    alive = [
        pid
        for pid in children
        if Path(f"/proc/{pid}").exists()
        and "Z" not in (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0])
    ]
    assert alive == [], f"orphans left running: {alive}"
