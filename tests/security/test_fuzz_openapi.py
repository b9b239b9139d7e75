"""Schemathesis over each service's live OpenAPI: no 5xx, and every answer as the schema says.

Each service runs in this process on real PostgreSQL and NATS (cloud-broker with an intake beside
it for its project check); the schemathesis CLI runs against its /openapi.json once per role,
with a fixed seed and a bounded number of examples per operation, so a run is repeatable and
takes well under a minute per service. A failure prints schemathesis' report: the operation, the
failed check and a curl line that reproduces it.

Bad input must be a 4xx that names the field (the platform rule), so `not_a_server_error` is
strict; the conformance checks hold the status codes, content types and bodies to the document
(problem+json for every 4xx, see govit_kit.http.PROBLEM_RESPONSES).
"""

import asyncio
import os
import sys
from pathlib import Path

import pytest

from audit.main import spec as audit_spec
from cloud_broker.main import spec as broker_spec
from finance.main import spec as finance_spec
from intake.main import spec as intake_spec
from review.main import spec as review_spec

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
# A deeper run than CI's (about 12 minutes here): GOVIT_FUZZ_EXAMPLES=60 GOVIT_FUZZ_SEED=777
# .venv/bin/python -m pytest tests/security/test_fuzz_openapi.py
MAX_EXAMPLES = int(os.environ.get("GOVIT_FUZZ_EXAMPLES", "10"))
SEED = int(os.environ.get("GOVIT_FUZZ_SEED", "20261123"))

# The roles that reach most of each service's endpoints; a platform operator for dead letters.
ROLES = {
    "intake": [("org-data-bureau", "bureau_reviewer"), ("org-a", "unit_staff")],
    "review": [("org-data-bureau", "bureau_reviewer"), ("org-univ", "expert")],
    "cloud_broker": [("data-bureau", "bureau_cloud_admin"), ("org-pa", "cloud_provider")],
    "finance": [("org-finance", "finance_officer"), ("org-a", "unit_staff")],
    "audit": [("org-audit", "auditor"), ("org-a", "unit_staff")],
}
OPERATOR = ("org-platform", "platform_operator")


async def start(name, start_service):
    """The service under test (suining profile), started in this process."""
    if name == "cloud_broker":
        intake = await start_service(intake_spec(), policy_profile="suining")
        return await start_service(
            broker_spec(), intake_grpc=f"127.0.0.1:{intake.grpc_port}", policy_profile="suining"
        )
    specs = {
        "intake": intake_spec,
        "review": review_spec,
        "finance": finance_spec,
        "audit": audit_spec,
    }
    return await start_service(specs[name](), policy_profile="suining")


async def schemathesis(base: str, token: str, workdir: Path) -> tuple[int, str]:
    """Run `st run` against a live service; returns its exit code and report."""
    st = Path(sys.executable).parent / "st"
    proc = await asyncio.create_subprocess_exec(
        str(st),
        "run",
        f"{base}/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--generation-deterministic",  # and no example database
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--no-color",
        cwd=workdir,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return proc.returncode, out.decode(errors="replace")


@pytest.mark.timeout(600)
@pytest.mark.parametrize("service", list(ROLES))
async def test_schemathesis_finds_no_server_error_or_schema_violation(
    service, start_service, issuer, tmp_path
):
    running = await start(service, start_service)
    base = f"http://127.0.0.1:{running.http_port}"
    for org, role in [*ROLES[service], OPERATOR]:
        token = issuer.issue(
            f"fuzz-{role}", org, [role], provider_id="pa" if role == "cloud_provider" else None
        )
        code, report = await schemathesis(base, token, tmp_path)
        # The report's last lines count what ran; a run that tested nothing must not pass.
        assert "Tested:" in report, report
        assert code == 0, f"{service} as {role}:\n{report}"
