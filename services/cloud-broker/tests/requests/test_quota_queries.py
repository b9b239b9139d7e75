"""The quota check (L5) sums what is committed in the database, in a fixed number of queries
of a fixed number of arguments however many resources and units the jurisdiction holds, on
PostgreSQL and on SQLite (the embedded default, which the broker's own tests, all on
PostgreSQL, never reach). It loaded every committed request of every unit of the jurisdiction
(an IN list of its thousands of units), once per quota, and summed their items in Python,
holding the jurisdiction's lock meanwhile: seconds on every submission, allocation and change
of the city.

What counts is unchanged, against the same rules written out plainly here: a request approved
and not yet reclaimed counts at its size, or at the larger of it and each pending change's
(filed, county-reviewed or approved), SKU by SKU; the request being checked does not count."""

import asyncio
import importlib
from collections import Counter
from types import SimpleNamespace

import pytest

from cloud_broker.db import Base
from cloud_broker.requests import flows
from cloud_broker.requests.enums import COMMITTED, PENDING_CHANGES
from cloud_broker.requests.models import ChangeRequest, CloudUnit, Quota, ResourceRequest
from govit_kit import migrations
from govit_kit.db import Database
from govit_kit.policy import load_profile
from govit_kit.testing import counted_statements


def units(n: int) -> dict[str, str]:
    """The registered units and their jurisdictions: one city unit per 10 requests, and a
    county's unit."""
    return {**{f"org-{k}": "city" for k in range(n // 10)}, "org-x": "county-x"}


def orgs(n: int) -> list[str]:
    return [*units(n), "org-u"]  # org-u: unregistered


STATUSES = ["active", "approved", "submitted", "reclaimed", "allocated", "wiping", "draft"]
CHANGES = ["submitted", "rejected", "county_reviewed", "applied", "approved"]
BIG = 10**9


def seeded(n: int) -> tuple[list[dict], list[dict]]:
    """`n` requests of every status across the units, and changes of every status."""
    requests, changes = [], []
    for i in range(n):
        items = [
            {"sku": "ecs.vcpu", "quantity": i % 7 + 1},
            {"sku": "ecs.memory", "quantity": 2 * (i % 3 + 1)},
            {"sku": "evs.storage", "quantity": 100},
        ]
        if i % 4 == 0:  # one SKU on two lines
            items.append({"sku": "ecs.vcpu", "quantity": 2})
        org = orgs(n)[i % len(orgs(n))]
        requests.append({"id": f"r-{i:04d}", "org": org, "status": STATUSES[i % 7], "items": items})
        for k in range(i % 3):
            changes.append(
                {
                    "id": f"c-{i:04d}-{k}",
                    "request_id": f"r-{i:04d}",
                    "status": CHANGES[(i + k) % 5],
                    "items": [  # grows vCPU, shrinks memory, adds bandwidth
                        {"sku": "ecs.vcpu", "quantity": i % 7 + 3 + k},
                        {"sku": "ecs.memory", "quantity": 1},
                        {"sku": "net.bandwidth", "quantity": 10 * (k + 1)},
                    ],
                }
            )
    return requests, changes


def reference(requests, changes, orgs, exclude) -> Counter:
    def sizes(items):
        out = Counter()
        for item in items:
            out[item["sku"]] += item["quantity"]
        return out

    held = {
        r["id"]: sizes(r["items"])
        for r in requests
        if r["org"] in orgs and r["status"] in COMMITTED and r["id"] != exclude
    }
    for c in changes:
        if c["status"] in PENDING_CHANGES and c["request_id"] in held:
            held[c["request_id"]] |= sizes(c["items"])
    total = Counter()
    for s in held.values():
        total.update(s)
    return total


async def quota_db(kind, databases, tmp_path, n) -> Database:
    if kind == "postgresql":
        url = await databases.create("cloud_broker")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / f'quota-{n}.db'}"
    spec = importlib.import_module("cloud_broker.main").spec()
    await asyncio.to_thread(migrations.upgrade, spec, url)
    db = Database(url, Base.metadata, service="cloud_broker")
    requests, changes = seeded(n)
    async with db.unit_of_work() as uow:
        s = uow.session
        for org, jurisdiction in units(n).items():
            s.add(CloudUnit(org_id=org, name=org, jurisdiction=jurisdiction))
        for scope, scope_id, sku in (
            ("jurisdiction", "city", "ecs.vcpu"),
            ("jurisdiction", "city", "ecs.memory"),
            ("jurisdiction", "county-x", "ecs.vcpu"),
            ("unit", "org-0", "ecs.vcpu"),
            ("unit", "org-0", "evs.storage"),
            ("unit", "org-u", "net.bandwidth"),
        ):
            s.add(Quota(scope=scope, scope_id=scope_id, sku=sku, limit_quantity=BIG))
        for r in requests:
            s.add(
                ResourceRequest(
                    id=r["id"],
                    project_id="p",
                    org_id=r["org"],
                    service_mode="general",
                    items=r["items"],
                    status=r["status"],
                    submitted_by="x",
                    materials={},
                )
            )
        await s.flush()
        for c in changes:
            s.add(
                ChangeRequest(
                    id=c["id"],
                    request_id=c["request_id"],
                    org_id="x",
                    items=c["items"],
                    reason="x",
                    status=c["status"],
                    submitted_by="x",
                )
            )
    return db


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
async def test_the_check_asks_alike_for_30_or_300_requests_of_3_or_30_units(
    kind, databases, tmp_path
):
    rt = SimpleNamespace(profile=load_profile("suining"))
    asked = [{"sku": s, "quantity": 1} for s in ("ecs.vcpu", "ecs.memory", "evs.storage")]
    asked.append({"sku": "net.bandwidth", "quantity": 1})
    queries: dict[tuple, tuple[int, int]] = {}
    for n in (30, 300):
        city = {o for o, j in units(n).items() if j == "city"}
        db = await quota_db(kind, databases, tmp_path, n)
        requests, changes = seeded(n)
        try:
            # A new request of a registered unit, a change of one of its resources (which then
            # does not count), and a new request of an unregistered unit (a city unit).
            for org, rid in (("org-0", "new"), ("org-0", "r-0000"), ("org-u", "new")):
                with counted_statements(db.engine) as ran:
                    async with db.unit_of_work() as uow:
                        req = ResourceRequest(id=rid, org_id=org)
                        got = await flows.quota_decisions(uow=uow, rt=rt, req=req, items=asked)
                queries[(n, org, rid)] = (ran.count, sum(ran.arguments))
                want = {}
                for scope, orgs, skus in (
                    (f"unit {org}", {org}, {"org-0": ["ecs.vcpu", "evs.storage"]}),
                    ("jurisdiction city", city | {org}, {}),
                ):
                    held = reference(requests, changes, orgs, rid)
                    if scope.startswith("unit"):
                        names = skus.get(org, ["net.bandwidth"] if org == "org-u" else [])
                    else:
                        names = ["ecs.vcpu", "ecs.memory"]
                    want.update({(scope, sku): held[sku] for sku in names})
                assert {
                    (d.figures["scope"], d.figures["sku"]): d.figures["committed"] for d in got
                } == want
                assert all(v > 0 for v in want.values())
        finally:
            await db.dispose()
    for org, rid in (("org-0", "new"), ("org-0", "r-0000"), ("org-u", "new")):
        assert queries[(300, org, rid)] == queries[(30, org, rid)], queries
