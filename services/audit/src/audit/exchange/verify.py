"""`govit-audit-verify BUNDLE [--public-key PEMFILE] [--all]`: check an audit exchange bundle
offline (J4).

Needs nothing but the bundle (and, to check who signed it, the audit service's published public
key): no network, no database, no platform library. Prints "OK: N entries, tree size S, root R,
signed at T by key K" and exits 0; or prints each problem found, the first naming the place (the
ZIP member, the manifest field, or "entry at line N (leaf L)"), and exits 1. Usage errors exit 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from audit.exchange.bundle import FORMAT, verify_bundle
from audit.log.signing import load_public_key


def main(argv: list[str] | None = None) -> int:
    """Run the verifier; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="govit-audit-verify",
        description=f"Verify an audit exchange bundle ({FORMAT}) offline.",
    )
    parser.add_argument("bundle", type=Path, help="the bundle (.zip)")
    parser.add_argument(
        "--public-key",
        type=Path,
        metavar="PEMFILE",
        help="the audit service's published public key; without it the key in the bundle is used",
    )
    parser.add_argument(
        "--all", action="store_true", help="report every problem, not only the first"
    )
    parser.add_argument(
        "--time", action="store_true", help="also print how long the verification took"
    )
    args = parser.parse_args(argv)  # exits 2 on a usage error
    if not args.bundle.is_file():
        print(f"govit-audit-verify: {args.bundle}: no such file", file=sys.stderr)
        return 2
    trusted = None
    if args.public_key is not None:
        try:
            trusted = args.public_key.read_text()
            load_public_key(trusted)
        except (OSError, ValueError) as e:
            print(
                f"govit-audit-verify: {args.public_key}: not a readable Ed25519 public key ({e})",
                file=sys.stderr,
            )
            return 2
    started = time.perf_counter()
    report = verify_bundle(args.bundle, trusted, all_problems=args.all)
    elapsed = time.perf_counter() - started
    if report.ok:
        print(report.summary())
    else:
        for problem in report.problems:
            print(f"FAIL: {problem}")
        if not args.all:
            print("(stopped at the first problem; --all reports every one)")
    for note in report.notes:
        print(f"note: {note}")
    if args.time:
        print(f"time: {elapsed:.2f} s for {report.lines} entries")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
