"""The platform for the service benchmarks: the five services as processes (govit_kit.platform,
as tests/integration runs them) on PostgreSQL and a nats-server of the bench's own.

Started once per `python -m bench` run, on first use, and stopped (databases dropped, server
stopped) at the end. Also: resident memory of a process, and the bare FastAPI reference server.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from govit_kit.auth import TokenIssuer, generate_dev_keys
from govit_kit.config import Settings
from govit_kit.platform import (
    SERVICES,
    NatsServer,
    Platform,
    free_port,
    service_ports,
    wait_for_port,
)
from govit_kit.testing import Databases, EventSpace

START_TIMEOUT_S = 180.0


def rss_kib(pid: int) -> int:
    """Resident memory of a process (VmRSS in /proc/<pid>/status), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_s(pid: int) -> float:
    """CPU seconds a process has used (user + system, from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on this machine (the server's backends and helpers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if comm.startswith("postgres"):
                pids.append(int(entry.name))
    return pids


def machine_s() -> tuple[float, float]:
    """All CPUs' seconds since boot, and how many of them were idle (from /proc/stat)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    return sum(ticks) / hz, (ticks[3] + ticks[4]) / hz  # idle + iowait


class CpuMeter:
    """CPU seconds used by groups of processes over the timed parts of a benchmark.

    `groups` maps a name to a function giving that group's pids now (PostgreSQL's backends come
    and go). A process that ends inside a timed part loses its seconds: the figures are a floor."""

    def __init__(self, groups: dict[str, object]) -> None:
        self.groups = groups
        self.used: dict[str, float] = dict.fromkeys(groups, 0.0)
        self.busy_s = self.wall_s = 0.0

    def _now(self) -> dict[tuple[str, int], float]:
        seen = {}
        for name, pids in self.groups.items():
            for pid in pids():  # type: ignore[operator]
                try:
                    seen[(name, pid)] = cpu_s(pid)
                except (OSError, IndexError):
                    pass  # ended meanwhile
        return seen

    def __enter__(self) -> CpuMeter:
        self._before, self._machine = self._now(), machine_s()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        after, (total, idle) = self._now(), machine_s()
        for (name, pid), used in after.items():
            self.used[name] += used - self._before.get((name, pid), 0.0)
        self.busy_s += (total - self._machine[0]) - (idle - self._machine[1])
        self.wall_s += time.perf_counter() - self._wall

    def per(self, n: int) -> dict[str, float]:
        """Microseconds of CPU per operation, by group, and their total."""
        out = {name: used / n * 1e6 for name, used in self.used.items()}
        out["total"] = sum(self.used.values()) / n * 1e6
        return out


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of the values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


class BenchPlatform:
    """Five service processes, their databases, a nats-server and signing keys of our own."""

    def __init__(self, pg_url: str, tmp: Path) -> None:
        self.pg_url, self.tmp = pg_url, tmp
        self.nats: NatsServer | None = None
        self.dbs = Databases(pg_url)
        self.plat: Platform | None = None
        self.space: EventSpace | None = None
        self.issuer: TokenIssuer | None = None
        self.database_urls: dict[str, str] = {}
        self.rss_at_start: dict[str, int] = {}  # KiB, once every service is ready

    async def start(self) -> BenchPlatform:
        self.nats = await asyncio.to_thread(NatsServer(self.tmp / "platform-nats").start)
        tag = uuid.uuid4().hex[:10]
        self.space = EventSpace(self.nats.url, f"BENCH_{tag}", f"b{tag}.govit")
        keys = self.tmp / "jwt"
        keys.mkdir(parents=True, exist_ok=True)
        generate_dev_keys(keys)
        self.issuer = TokenIssuer.from_settings(Settings(data_dir=keys))
        env = {
            **self.space.env(),
            "GOVIT_DATA_DIR": str(keys),
            "GOVIT_JWT_PRIVATE_KEY_FILE": str(keys / "jwt-dev.key"),
            "GOVIT_JWT_PUBLIC_KEY_FILE": str(keys / "jwt-dev.pub"),
            "GOVIT_POLICY_PROFILE": "suining",
            "GOVIT_JWKS_URL": "",
            "GOVIT_TRACES_EXPORTER": "none",
            "GOVIT_LOG_LEVEL": "WARNING",
        }
        self.database_urls = {s.name: await self.dbs.create(f"bench_{s.name}") for s in SERVICES}
        ports = service_ports(s.name for s in SERVICES)
        self.plat = Platform(
            env=env, database_urls=self.database_urls, ports=ports, log_dir=self.tmp / "logs"
        )
        await asyncio.to_thread(self.plat.migrate)
        await asyncio.to_thread(self._start)
        self.rss_at_start = self.rss()
        return self

    def _start(self) -> None:
        assert self.plat is not None
        for name in self.plat.services:
            self.plat.start_service(name)
        self.plat.wait_ready(timeout=START_TIMEOUT_S)

    def url(self, name: str) -> str:
        assert self.plat is not None
        return self.plat.services[name].base_url

    def grpc(self, name: str) -> str:
        assert self.plat is not None
        return f"127.0.0.1:{self.plat.services[name].grpc_port}"

    def pids(self) -> dict[str, int]:
        assert self.plat is not None
        return {n: sp.proc.pid for n, sp in self.plat.services.items() if sp.proc is not None}

    def rss(self) -> dict[str, int]:
        """Each service's resident memory now, in KiB."""
        return {name: rss_kib(pid) for name, pid in self.pids().items()}

    def token(self, subject: str, org: str, roles: list[str], provider: str | None = None) -> str:
        assert self.issuer is not None
        return self.issuer.issue(subject, org, roles, provider_id=provider)

    async def close(self) -> None:
        if self.plat is not None:
            await asyncio.to_thread(self.plat.stop)
        await self.dbs.drop_all()
        if self.nats is not None:
            self.nats.stop()


class BareServer:
    """The reference: a bare FastAPI app (bench.bare_app) under uvicorn as the services run it,
    in a process of its own on this machine."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.bare_app", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            cwd=Path(__file__).resolve().parents[1],
        )

    async def start(self) -> BareServer:
        await asyncio.to_thread(self._spawn)
        await asyncio.to_thread(wait_for_port, self.port, 30, self.proc)
        async with httpx.AsyncClient(base_url=self.url) as client:
            (await client.get("/readyz")).raise_for_status()
        return self

    def rss(self) -> int:
        assert self.proc is not None
        return rss_kib(self.proc.pid)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
