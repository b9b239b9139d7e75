"""Start one service in this process with its seeds, and send the matrix's callers to it."""

from __future__ import annotations

import httpx
from authz_seeds import seed_broker, seed_finance, seed_intake, seed_review
from authz_support import Seeder, endpoints, request_for

from audit.main import spec as audit_spec
from cloud_broker.main import spec as broker_spec
from finance.main import spec as finance_spec
from intake.catalogs.service import write_csv
from intake.main import spec as intake_spec
from review.main import spec as review_spec

# Finance under wuhai: a payment there needs no adopted plan, so the seed can make one.
PROFILES = {"finance": "wuhai"}
# Requests the schema cannot describe (a raw body whose type the handler reads itself).
EXTRA = {
    ("intake", "POST", "/v1/projects/{project_id}/catalog/import"): {
        "content": write_csv([]),
        "headers": {"content-type": "text/csv"},
    },
}


def client(app) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://svc", timeout=30)


async def start(service: str, start_service, issuer, space):
    """(the service's app, its seeder, the seeded ids); the clients close with the loop."""
    profile = PROFILES.get(service, "suining")
    if service == "cloud_broker":
        intake = await start_service(intake_spec(), policy_profile="suining")
        running = await start_service(
            broker_spec(), intake_grpc=f"127.0.0.1:{intake.grpc_port}", policy_profile=profile
        )
        seeder = Seeder(client(running.runtime.app), issuer, space)
        seeder.intake = Seeder(client(intake.runtime.app), issuer, space)
        seeder.grpc_port = running.grpc_port
        ids = await seed_broker(seeder, seeder.intake)
        return running, seeder, ids
    specs = {
        "intake": (intake_spec, seed_intake),
        "review": (review_spec, seed_review),
        "finance": (finance_spec, seed_finance),
        "audit": (audit_spec, None),
    }
    spec, seed = specs[service]
    running = await start_service(spec(), policy_profile=profile)
    seeder = Seeder(client(running.runtime.app), issuer, space)
    ids = await seed(seeder) if seed else {}
    return running, seeder, ids


async def send(seeder: Seeder, service: str, method: str, template: str, op, ids, caller):
    app = seeder.http._transport.app
    args = request_for(app, method, template, op, ids)
    for key, value in EXTRA.get((service, method, template), {}).items():
        args[key] = value
    args["headers"] = {**args.get("headers", {}), **seeder.headers(caller)}
    return await seeder.http.request(**args)


def all_endpoints(seeder: Seeder):
    return endpoints(seeder.http._transport.app)
