"""Resident memory of the five services, idle and under the REST load.

Figure: the five services' resident memory together (VmRSS from /proc/<pid>/status), at its
peak while bench.rest's open-loop load (RATE/s to intake, files and reads) runs, in MiB;
each service's figure is printed too. Reference: the same five idle (after two quiet seconds,
before the load), in MiB. Also the bare FastAPI reference process (bench.bare_app), idle and
under the same load, and the five right after the platform started (before any benchmark).
"""

from __future__ import annotations

import asyncio
import contextlib

from bench.infra import Infra, Result
from bench.rest import RATE, client_for, open_loop, seed
from bench.services import BareServer, auth

NAME = "memory"
SAMPLE_S = 0.25
SETTLE_S = 2.0


def mib(kib: float) -> float:
    return round(kib / 1024, 1)


async def peak_during(load, sample) -> dict[str, int]:
    """Run the load; the largest of each sampled figure meanwhile (KiB)."""
    peak: dict[str, int] = dict(sample())
    task = asyncio.create_task(load)
    try:
        while not task.done():
            for k, v in sample().items():
                peak[k] = max(peak.get(k, 0), v)
            await asyncio.sleep(SAMPLE_S)
        task.result()
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    return peak


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    plat = await infra.platform()
    bare = await BareServer().start()
    count = max(40, min(n, int(RATE * budget_s)))
    headers = auth(plat.token("mem@org-bench", "org-bench", ["unit_staff"]))
    try:
        await asyncio.sleep(SETTLE_S)
        idle = plat.rss()
        bare_idle = bare.rss()
        async with client_for(plat.url("intake")) as client, client_for(bare.url) as bare_client:
            ids: list[str] = []
            await seed(client, headers, ids)
            loaded = await peak_during(open_loop(client, headers, ids, count, RATE), plat.rss)
            bare_ids: list[str] = []
            await seed(bare_client, {}, bare_ids)
            bare_peak = await peak_during(
                open_loop(bare_client, {}, bare_ids, count, RATE), lambda: {"bare": bare.rss()}
            )
    finally:
        bare.stop()
    extra: dict[str, float | str] = {"rate_per_s": RATE, "load_calls": count}
    for name in idle:
        extra[f"{name}_idle_mib"] = mib(idle[name])
        extra[f"{name}_loaded_mib"] = mib(loaded[name])
        if name in plat.rss_at_start:
            extra[f"{name}_at_start_mib"] = mib(plat.rss_at_start[name])
    extra["bare_fastapi_idle_mib"] = mib(bare_idle)
    extra["bare_fastapi_loaded_mib"] = mib(bare_peak["bare"])
    return Result(
        NAME,
        mib(sum(loaded.values())),
        "MiB (5)",
        "the five idle",
        mib(sum(idle.values())),
        "MiB",
        count,
        extra,
    )
