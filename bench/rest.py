"""REST latency of intake at a steady rate: file an application and read it back.

Figure: p99 latency (ms) of intake's POST /v1/projects (a draft application of the caller's
unit: idempotency check, row, outbox event, one transaction) and GET /v1/projects/{id}, half
each, sent open-loop at a fixed arrival rate (RATE/s, whether or not earlier calls have
answered; latency counts from the moment a call was due, so a stall is not hidden). Intake runs
as its own process with the other four services beside it (which consume its events).
Reference: the same two calls at the same rate against a bare FastAPI app (bench.bare_app,
a dict, no auth, no database) under uvicorn configured as the services configure it, in a
process of its own. The sides alternate in rounds (A B B A); one httpx client per side.
Before the rounds, a CHECKPOINT flushes what earlier benchmarks wrote (Infra.checkpoint).
Also printed: CPU time per call of each service process (from /proc; the others work on the
events intake's calls emit) and of the bare app, which the machine's load does not change
much, unlike the latencies; and, measured right after, bare PostgreSQL commits (one small row,
one connection) at the rate intake's file calls came (RATE/2), whose tail is the disk's: a file
call commits once, so its p99 cannot beat theirs.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass, field

import asyncpg
import httpx

from bench.infra import Infra, Result
from bench.services import BareServer, auth, cpu_s, percentile

NAME = "rest"
RATE = 40.0  # calls per second per side (half files, half reads)
ROUNDS = 4  # per side, alternating
WARMUP = 40
BODY = {"name": "基准测试项目", "project_type": "new", "total_investment": "350000.00"}


@dataclass
class Load:
    """What one open-loop run recorded: latencies (s) by call, and the failures."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"file": [], "read": []})
    failures: list[str] = field(default_factory=list)
    late_s: float = 0.0  # how far behind schedule the sender itself fell, at worst

    def all(self) -> list[float]:
        return self.latencies["file"] + self.latencies["read"]

    def merge(self, other: Load) -> None:
        for k, v in other.latencies.items():
            self.latencies[k] += v
        self.failures += other.failures
        self.late_s = max(self.late_s, other.late_s)


async def open_loop(
    client: httpx.AsyncClient, headers: dict, ids: list[str], count: int, rate: float
) -> Load:
    """Send `count` calls at `rate`/s (even: file, odd: read one filed earlier) without waiting
    for answers; each latency counts from when its call was due."""
    load = Load()
    rng = random.Random(count)

    async def call(i: int, due: float) -> None:
        try:
            if i % 2 == 0:
                r = await client.post("/v1/projects", headers=headers, json=BODY)
                kind, ok = "file", r.status_code == 201
                if ok:
                    ids.append(r.json()["id"])
            else:
                pid = rng.choice(ids)
                r = await client.get(f"/v1/projects/{pid}", headers=headers)
                kind, ok = "read", r.status_code == 200
            if not ok:
                load.failures.append(f"{kind} {r.status_code} {r.text[:200]}")
                return
            load.latencies[kind].append(time.perf_counter() - due)
        except httpx.HTTPError as exc:
            load.failures.append(repr(exc))

    tasks = []
    start = time.perf_counter()
    for i in range(count):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            load.late_s = max(load.late_s, -delay)
        tasks.append(asyncio.create_task(call(i, due)))
    await asyncio.gather(*tasks)
    return load


def client_for(url: str) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    return httpx.AsyncClient(base_url=url, timeout=30, limits=limits)


async def seed(client: httpx.AsyncClient, headers: dict, ids: list[str]) -> None:
    """Warm up (connections, code paths) and leave applications to read."""
    for _ in range(WARMUP // 2):
        r = await client.post("/v1/projects", headers=headers, json=BODY)
        r.raise_for_status()
        ids.append(r.json()["id"])
    for pid in ids[: WARMUP // 2]:
        (await client.get(f"/v1/projects/{pid}", headers=headers)).raise_for_status()


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


async def commit_latencies(pg_url: str, count: int, rate: float) -> list[float]:
    """Bare PostgreSQL commits (one small row each, one connection) at the same rate: what the
    disk alone does to a write's tail, which intake's file call cannot do better than."""
    conn = await asyncpg.connect(pg_url)
    table = f"bench_commit_probe_{os.getpid()}"
    try:
        await conn.execute(f"CREATE TABLE {table} (n int, pad text)")
        latencies = []
        start = time.perf_counter()
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            began = time.perf_counter()
            await conn.execute(f"INSERT INTO {table} VALUES ($1, repeat('x', 500))", i)
            latencies.append(time.perf_counter() - began)
        return latencies
    finally:
        await conn.execute(f"DROP TABLE IF EXISTS {table}")
        await conn.close()


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    plat = await infra.platform()
    bare = await BareServer().start()
    intake_headers = auth(plat.token("bench@org-bench", "org-bench", ["unit_staff"]))
    per_round = max(20, min(n, int(RATE * budget_s)) // ROUNDS)
    sides = {"bare": Load(), "intake": Load()}
    pids = {"bare": lambda: {"bare": bare.proc.pid}, "intake": plat.pids}
    cpu = {"bare": {"bare": 0.0}, "intake": dict.fromkeys(plat.pids(), 0.0)}
    try:
        async with client_for(bare.url) as bare_client, client_for(plat.url("intake")) as client:
            targets = {"bare": (bare_client, {}, []), "intake": (client, intake_headers, [])}
            for c, h, ids in targets.values():
                await seed(c, h, ids)
            await infra.checkpoint()
            order = ["bare", "intake", "intake", "bare"] * ROUNDS
            for side in order[: 2 * ROUNDS]:
                c, h, ids = targets[side]
                before = {k: cpu_s(pid) for k, pid in pids[side]().items()}
                sides[side].merge(await open_loop(c, h, ids, per_round, RATE))
                for k, pid in pids[side]().items():
                    cpu[side][k] += cpu_s(pid) - before[k]
    finally:
        bare.stop()
    for side, load in sides.items():
        if load.failures:
            raise RuntimeError(f"{side}: {len(load.failures)} calls failed: {load.failures[:3]}")
    svc, ref = sides["intake"], sides["bare"]
    extra: dict[str, float | str] = {"rate_per_s": RATE}
    for side, load in sides.items():
        for kind in ("file", "read"):
            for p in (50, 99):
                extra[f"{side}_{kind}_p{p}_ms"] = ms(percentile(load.latencies[kind], p))
        extra[f"{side}_p50_ms"] = ms(percentile(load.all(), 50))
        extra[f"{side}_sender_late_max_ms"] = ms(load.late_s)
    calls = len(sides["intake"].all())
    for name, used in cpu["intake"].items():  # the others work on intake's events meanwhile
        extra[f"cpu_ms_per_call_{name}"] = ms(used / calls)
    extra["cpu_ms_per_call_bare"] = ms(cpu["bare"]["bare"] / len(sides["bare"].all()))
    if infra.use_pg:
        commits = await commit_latencies(infra.pg_url, len(svc.latencies["file"]), RATE / 2)
        extra["postgres_commit_p50_ms"] = ms(percentile(commits, 50))
        extra["postgres_commit_p99_ms"] = ms(percentile(commits, 99))
        extra["postgres_commit_max_ms"] = ms(max(commits))
    return Result(
        NAME,
        ms(percentile(svc.all(), 99)),
        "ms p99",
        f"bare FastAPI (uvicorn) at the same {RATE:.0f}/s",
        ms(percentile(ref.all(), 99)),
        "ms p99",
        len(svc.all()),
        extra,
    )
