"""`make bench`: run every benchmark in order; one line each with its figure, reference and ratio.

Usage: python -m bench [--quick] [--n N] [--budget S] [NAME ...]

Each benchmark times up to N operations per side (2000; 300 with --quick) in alternating
rounds of the figure and its reference, and stops early, after an even number of rounds,
when more would overrun its time budget on this machine; its line says which n it used.
The audit benchmarks build logs of a million entries (about four minutes in all, most of it
building); --quick gives them 100,000 and 10,000 entries.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
import time

NAMES = [
    "outbox_relay",
    "consumer_apply",
    "uow_commit",
    "audit_append",
    "audit_proof",
    "audit_verify",
    "utilisation_classify",
]  # the order they run in
FULL_N, QUICK_N = 2000, 300
FULL_BUDGET_S, QUICK_BUDGET_S = 11.0, 3.5  # timed part per benchmark (set-up not counted)


def line(r, width: int, wall_s: float) -> str:
    return (
        f"{r.name:<{width}}  {r.value:>7.0f} {r.unit:<9} | reference {r.reference} "
        f"{r.ref_value:.0f} {r.ref_unit} | ratio {r.ratio:.2f} | n={r.n}, {wall_s:.1f} s"
    )


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
    parser.add_argument("only", nargs="*", metavar="NAME", help=f"run only these: {NAMES}")
    args = parser.parse_args(argv)
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
    try:
        await infra.start()
        print(infra.context_line(), flush=True)
        for name in selected:
            began = time.perf_counter()
            try:
                module = importlib.import_module(f"bench.{name}")
                result = await module.run(infra, n, budget)
            except Exception as exc:
                failed += 1
                print(f"{name:<{width}}  FAILED: {exc!r}", flush=True)
                continue
            print(line(result, width, time.perf_counter() - began), flush=True)
    finally:
        await infra.close()
    print(f"done in {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
