"""The Dockerfile (deploy/docker), checked without a Docker engine: a linter (hadolint, from
PyPI), its structure (stages, pinned base, non-root user, health check, one service), and its
install step run for real into a scratch environment, one service at a time."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import CHART, ROOT, SERVICES

DOCKERFILE = ROOT / "deploy" / "docker" / "Dockerfile"
HADOLINT = Path(sys.executable).parent / "hadolint"
UV = ROOT / ".tools" / "bin" / "uv"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(
        r"\\\n",
        " ",
        "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")),
    )
    out = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), " ".join(rest.split())))
    return out


def stages(text: str) -> list[list[tuple[str, str]]]:
    """The instructions of each build stage (the ARGs before the first FROM are left out)."""
    result: list[list[tuple[str, str]]] = []
    for ins in instructions(text):
        if ins[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(ins)
    return result


def hadolint(path: Path) -> list[dict]:
    out = subprocess.run(
        [str(HADOLINT), "--format", "json", "--failure-threshold", "style", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(out.stdout or "[]")


def test_hadolint_finds_nothing():
    assert hadolint(DOCKERFILE) == []


def test_hadolint_would_notice(tmp_path):
    """The linter is really checking: an unpinned, root-running Dockerfile is flagged."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install uv\nCMD python -m intake serve\n")
    codes = {f["code"] for f in hadolint(bad)}
    assert {"DL3007", "DL3013"} <= codes


def test_two_stages_from_one_pinned_slim_base():
    text = DOCKERFILE.read_text()
    default = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.M).group(1)
    # A full version, a slim variant, never `latest`.
    assert re.fullmatch(r"python:3\.1[1-9]\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", default), default
    build, runtime = stages(text)
    assert build[0] == ("FROM", "${PYTHON_IMAGE} AS build")
    assert runtime[0] == ("FROM", "${PYTHON_IMAGE} AS runtime")
    # Only what the build stage installed reaches the image: no sources, no uv, no compiler.
    copies = [args for ins, args in runtime if ins == "COPY"]
    assert copies == ["--from=build /opt/govit /opt/govit"]


def test_the_image_runs_as_a_fixed_non_root_user_with_a_health_check():
    runtime = stages(DOCKERFILE.read_text())[-1]
    users = [args for ins, args in runtime if ins == "USER"]
    assert users == ["10001:10001"]
    # The chart runs pods as this same user.
    helpers = (CHART / "templates" / "_helpers.tpl").read_text()
    assert "runAsUser: 10001" in helpers and "runAsGroup: 10001" in helpers
    health = [args for ins, args in runtime if ins == "HEALTHCHECK"]
    assert len(health) == 1 and "/healthz" in health[0]
    assert ("ENTRYPOINT", '["govit-service"]') in runtime and ("CMD", '["serve"]') in runtime
    # The ports the image listens on are the chart's.
    ports = yaml.safe_load((CHART / "values.yaml").read_text())["global"]["ports"]
    assert ("EXPOSE", f"{ports['http']} {ports['grpc']}") in runtime
    env = " ".join(args for ins, args in runtime if ins == "ENV")
    assert f"GOVIT_HTTP_PORT={ports['http']}" in env and f"GOVIT_GRPC_PORT={ports['grpc']}" in env


def test_uv_and_python_match_the_repository():
    text = DOCKERFILE.read_text()
    makefile = (ROOT / "Makefile").read_text()
    uv_version = re.search(r"^UV_VERSION := (\S+)$", makefile, re.M).group(1)
    assert f"ARG UV_VERSION={uv_version}" in text
    assert 'uv sync --frozen --no-dev --no-editable --package "govit-${SERVICE}"' in text


def install_command(service: str) -> list[str]:
    """The Dockerfile's own `uv sync` line, with ${SERVICE} filled in."""
    line = next(
        args
        for ins, args in instructions(DOCKERFILE.read_text())
        if ins == "RUN" and "uv sync" in args
    )
    sync = next(part for part in line.split("&&") if "uv sync" in part)
    return [str(UV) if w == "uv" else w for w in shlex.split(sync.replace("${SERVICE}", service))][
        :
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_the_install_step_installs_one_service(service, tmp_path):
    """Run the image's install step (no Docker needed) and look at what it installed."""
    target = tmp_path / "opt-govit"
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(target),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_PROGRESS": "1",
    }
    # uv keys its cache of a local package's wheel on its pyproject.toml, not on its sources: a
    # build from an earlier checkout (say, before the protos changed) must not be reused here.
    fresh = [f"--refresh-package=govit-{p}" for p in ("proto", "kit", service)]
    cmd = install_command(service) + ["--python", sys.executable, "-q", *fresh]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    scripts = {p.name for p in (target / "bin").iterdir() if p.name.startswith("govit-")}
    # The chosen service's commands (audit also has its offline verifier), no other's.
    assert f"govit-{service}" in scripts
    assert all(s == f"govit-{service}" or s.startswith(f"govit-{service}-") for s in scripts), (
        scripts
    )
    package = service.replace("-", "_")
    probe = (
        "import importlib.util as u, sys;"
        f"assert u.find_spec({package!r}) and u.find_spec('govit_kit');"
        f"others = [p for p in {[s.replace('-', '_') for s in SERVICES]!r} if p != {package!r}];"
        "found = [p for p in others + ['pytest', 'ruff'] if u.find_spec(p)];"
        "sys.exit(f'installed but not wanted: {found}' if found else 0)"
    )
    py = target / "bin" / "python"
    checked = subprocess.run([str(py), "-c", probe], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The entry point the image runs answers (openapi builds the whole service, offline).
    data = tmp_path / "data"
    out = subprocess.run(
        [str(target / "bin" / f"govit-{service}"), "openapi"],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "GOVIT_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["info"]["title"] == f"govit {service}"
