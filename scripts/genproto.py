"""Regenerate libs/govit-proto/src/govit/** from proto/ (or, with --check, prove it is fresh).

Usage:
    python scripts/genproto.py            # regenerate in place
    python scripts/genproto.py --check    # exit 1 listing every stale, missing or extra file

Needs grpcio-tools (pinned in the workspace dev group): the generated code records the
protoc and grpc versions, so a different grpcio-tools makes --check report stale files.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_DIR = ROOT / "proto"
OUT_DIR = ROOT / "libs" / "govit-proto" / "src"
PACKAGE = "govit"
# Runtime leftovers that are never part of the generated tree (and are git-ignored).
IGNORED_DIRS = {"__pycache__"}
IGNORED_SUFFIXES = {".pyc"}


def proto_files(*, proto_dir: Path) -> list[Path]:
    """Return every .proto file under proto_dir, sorted, so protoc sees a stable order."""
    return sorted(proto_dir.rglob("*.proto"), key=lambda p: p.relative_to(proto_dir).as_posix())


def generate(*, proto_dir: Path, out_dir: Path) -> None:
    """Run protoc (from grpc_tools) over proto_dir into out_dir and add package __init__ files."""
    from grpc_tools import protoc

    files = proto_files(proto_dir=proto_dir)
    if not files:
        raise SystemExit(f"genproto: no .proto files under {proto_dir}")
    well_known = resources.files("grpc_tools") / "_proto"
    args = [
        "grpc_tools.protoc",
        f"-I{proto_dir}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *(str(f) for f in files),
    ]
    code = protoc.main(args)
    if code != 0:
        raise SystemExit(f"genproto: protoc failed with exit code {code}")
    package_root = out_dir / PACKAGE
    # A regular package at every level, govit/ included: the generated imports are absolute.
    for folder in sorted({package_root, *(p for p in package_root.rglob("*") if p.is_dir())}):
        (folder / "__init__.py").touch()


def tree(*, root: Path) -> set[str]:
    """Return the posix paths of the generated files under root, runtime leftovers excluded."""
    if not root.is_dir():
        return set()
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix not in IGNORED_SUFFIXES
        and not IGNORED_DIRS.intersection(p.relative_to(root).parts)
    }


def compare(*, fresh: Path, committed: Path) -> list[str]:
    """Return one line per file that differs between the fresh and committed trees, by path."""
    fresh_files = tree(root=fresh)
    committed_files = tree(root=committed)
    shown = committed.relative_to(ROOT).as_posix()
    problems = {p: "missing" for p in fresh_files - committed_files}
    problems |= {p: "extra" for p in committed_files - fresh_files}
    problems |= {
        p: "stale"
        for p in fresh_files & committed_files
        if not filecmp.cmp(fresh / p, committed / p, shallow=False)
    }
    return [f"{problems[p] + ':':8} {shown}/{p}" for p in sorted(problems)]


def replace_tree(*, fresh: Path, target: Path) -> None:
    """Make target an exact copy of fresh (the generated tree is owned by this script)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(fresh, target)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the code, or with --check report whether the committed code is fresh."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and fail if the committed code differs",
    )
    options = parser.parse_args(argv)
    committed = OUT_DIR / PACKAGE
    with tempfile.TemporaryDirectory(prefix="genproto-") as tmp:
        generate(proto_dir=PROTO_DIR, out_dir=Path(tmp))
        fresh = Path(tmp) / PACKAGE
        rel = committed.relative_to(ROOT).as_posix()
        if options.check:
            problems = compare(fresh=fresh, committed=committed)
            if problems:
                print(f"genproto: {rel} does not match proto/:", file=sys.stderr)
                for line in problems:
                    print(f"  {line}", file=sys.stderr)
                version = metadata.version("grpcio-tools")
                print(
                    f"  (generated with grpcio-tools {version}; run `python scripts/genproto.py`)",
                    file=sys.stderr,
                )
                return 1
            print(f"genproto: {rel} is up to date ({len(tree(root=fresh))} files)")
            return 0
        replace_tree(fresh=fresh, target=committed)
        print(f"genproto: wrote {len(tree(root=committed))} files to {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
