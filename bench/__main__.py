"""`make bench`: run every benchmark in order; one line each with its figure, reference and ratio.

Usage: python -m bench [--quick] [--n N] [--budget S] [NAME ...]   (NAME may be "services")

Each benchmark times up to N operations per side (2000; 300 with --quick) in alternating
rounds of the figure and its reference, and stops early, after an even number of rounds,
when more would overrun its time budget on this machine; its line says which n it used.
The audit benchmarks build logs of a million entries (about four minutes in all, most of it
building); --quick gives them 100,000 and 10,000 entries.

The service benchmarks (event_backbone, rest, provider_push, memory) run the five services as
processes on PostgreSQL and a nats-server of their own, started once (about half a minute)
when the first of them runs. Figures are merged into bench/results/latest.json (by name).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib
import json
import logging
import sys
import time
from dataclasses import asdict
from pathlib import Path

NAMES = [
    "outbox_relay",
    "consumer_apply",
    "uow_commit",
    "audit_append",
    "audit_proof",
    "audit_verify",
    "utilisation_classify",
    "event_backbone",
    "rest",
    "provider_push",
    "memory",
]  # the order they run in
GROUPS = {"services": ["event_backbone", "rest", "provider_push", "memory"]}
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
FULL_N, QUICK_N = 2000, 300
DEADLINE_S = 900.0  # a benchmark that hangs fails, and the run still cleans up
FULL_BUDGET_S, QUICK_BUDGET_S = 11.0, 3.5  # timed part per benchmark (set-up not counted)


def num(v: float) -> str:
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.1f}"


def line(r, width: int, wall_s: float) -> str:
    text = (
        f"{r.name:<{width}}  {num(r.value):>7} {r.unit:<9} | reference {r.reference} "
        f"{num(r.ref_value)} {r.ref_unit} | ratio {r.ratio:.2f} | n={r.n}, {wall_s:.1f} s"
    )
    for key, value in r.extra.items():
        text += f"\n{'':<{width}}    {key} = {value}"
    return text


def save(results: list[tuple[str, object, float]], context: str, args) -> None:
    """Merge this run's figures into bench/results/latest.json (one entry per benchmark)."""
    try:
        saved = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        saved = {"benchmarks": {}}
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    for name, r, wall_s in results:
        saved["benchmarks"][name] = {
            **asdict(r),
            "ratio": round(r.ratio, 3),
            "wall_s": round(wall_s, 1),
            "measured_at": now,
            "context": context,
            "options": {"quick": args.quick, "n": args.n, "budget": args.budget},
        }
    saved["benchmarks"] = dict(sorted(saved["benchmarks"].items()))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(saved, ensure_ascii=False, indent=2) + "\n")


async def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help=f"n={QUICK_N} instead of {FULL_N}")
    parser.add_argument("--n", type=int, help="operations per benchmark (overrides --quick)")
    parser.add_argument("--budget", type=float, help="seconds per benchmark (the n cap)")
    parser.add_argument("--no-save", action="store_true", help="leave latest.json as it is")
    parser.add_argument("only", nargs="*", metavar="NAME", help=f"run only these: {NAMES}")
    args = parser.parse_args(argv)
    args.only = [m for name in args.only for m in GROUPS.get(name, [name])]
    unknown = set(args.only) - set(NAMES)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; known: {NAMES}")
    n = args.n or (QUICK_N if args.quick else FULL_N)
    budget = args.budget or (QUICK_BUDGET_S if args.quick else FULL_BUDGET_S)
    selected = [name for name in NAMES if not args.only or name in args.only]
    width = max(map(len, selected))

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from bench.infra import Infra  # after argument parsing: the chassis takes a while to import

    infra = Infra()
    failed = 0
    done: list[tuple[str, object, float]] = []
    try:
        await infra.start()
        print(infra.context_line(), flush=True)
        for name in selected:
            began = time.perf_counter()
            try:
                module = importlib.import_module(f"bench.{name}")
                result = await asyncio.wait_for(module.run(infra, n, budget), DEADLINE_S)
            except Exception as exc:
                failed += 1
                print(f"{name:<{width}}  FAILED: {exc!r}", flush=True)
                continue
            wall_s = time.perf_counter() - began
            done.append((name, result, wall_s))
            print(line(result, width, wall_s), flush=True)
    finally:
        await infra.close()
    if done and not args.no_save:
        save(done, infra.context_line(), args)
        print(f"saved to {RESULTS}", flush=True)
    print(f"done in {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
