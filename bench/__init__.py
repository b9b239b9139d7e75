"""Benchmarks: each measures a chassis path and a bare reference in the same run (`make bench`).

Every benchmark module exposes NAME and `async def run(infra, n) -> Result`; __main__ runs
them in BENCHMARKS order and prints one line each. Timings never go into pass/fail tests.
"""
