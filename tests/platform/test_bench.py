"""`make bench` smoke: every benchmark module imports and has its entry point; the open-loop load
generator and the bare FastAPI reference work on a tiny load (no timings are asserted)."""

import importlib
import os
import time

from bench.__main__ import GROUPS, NAMES
from bench.rest import client_for, open_loop, seed
from bench.services import BareServer, CpuMeter, percentile, postgres_pids, rss_kib


def test_every_benchmark_imports_and_has_run():
    for name in NAMES:
        module = importlib.import_module(f"bench.{name}")
        assert callable(module.run), name
    assert set(GROUPS["services"]) <= set(NAMES)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([3.0, 1.0, 2.0], 100) == 3.0


def test_cpu_meter_counts_only_its_timed_parts():
    meter = CpuMeter({"me": lambda: [os.getpid()], "postgres": postgres_pids})

    def spin(seconds: float) -> None:
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass

    with meter:
        spin(0.3)
    spin(0.5)  # outside: not counted
    with meter:
        spin(0.3)
    assert 0.5 <= meter.used["me"] < 1.0
    assert meter.busy_s >= 0.5 and meter.wall_s >= 0.6
    per = meter.per(1000)
    assert per["total"] == per["me"] + per["postgres"]
    assert 500 <= per["me"] < 1000  # microseconds per operation


async def test_open_loop_against_the_bare_app():
    bare = await BareServer().start()
    try:
        assert rss_kib(bare.proc.pid) > 0
        async with client_for(bare.url) as client:
            ids: list[str] = []
            await seed(client, {}, ids)
            load = await open_loop(client, {}, ids, 10, 200.0)
            r = await client.get(f"/v1/projects/{ids[-1]}")
    finally:
        bare.stop()
    assert load.failures == []
    assert len(load.latencies["file"]) == 5 and len(load.latencies["read"]) == 5
    assert r.status_code == 200 and r.json()["total_investment"] == "350000.00"
    assert bare.proc.poll() is not None
