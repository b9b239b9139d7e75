"""On PostgreSQL the scheduler's sweep and the overdue and paused lists read the open deadlines
off their partial indexes, never the history: met and raised deadlines, one or more for every
request ever filed, which a plain due_at index would read and filter out on every round."""

import asyncio
import importlib
from datetime import timedelta

import pytest
from sqlalchemy import text

from cloud_broker.db import Base
from cloud_broker.deadlines import service
from cloud_broker.deadlines.scheduled import raise_passed
from govit_kit import migrations
from govit_kit.auth import Principal, Role
from govit_kit.db import Database, utcnow
from govit_kit.http import PageParams, fetch_page
from govit_kit.testing import counted_statements

HISTORY = 20_000  # past deadlines, met (some late, raised first)
ADMIN = Principal("admin-1", "data-bureau", frozenset({Role.BUREAU_CLOUD_ADMIN}))

# Open deadlines: (id, due in hours from now, passed, paused).
OPEN = [
    ("due-1", -3, False, False),  # past due, not raised: the sweep's
    ("due-2", -2, False, False),
    ("due-3", -1, False, False),
    ("late-1", -48, True, False),  # raised, still unmet: overdue, not the sweep's
    ("late-2", -24, True, False),
    ("paused-1", -30, False, True),  # paused: its clock stands still
    ("paused-2", 30, False, True),
    ("running-1", 24, False, False),  # not yet due
    ("running-2", 48, False, False),
]


@pytest.fixture
async def db(databases):
    url = await databases.create("cloud_broker")
    spec = importlib.import_module("cloud_broker.main").spec()
    await asyncio.to_thread(migrations.upgrade, spec, url)
    database = Database(url, Base.metadata, service="cloud_broker")
    now = utcnow()
    columns = (
        "id, subject_kind, subject_id, kind, org_id, party, rule_id, article, reason, due_at, "
        "met_at, passed_at, paused_at, created_at"
    )
    async with database.sessions() as s:
        await s.execute(
            text(
                f"INSERT INTO deadline ({columns}) SELECT 'old-' || g, 'resource_request', "
                "'r-' || g, 'approval', 'org-' || (g % 50), 'bureau', 'L4', 'SN C art11', 'r', "
                "CAST(:t AS timestamptz) - (g || ' minutes')::interval, "
                "CAST(:t AS timestamptz) - (g || ' minutes')::interval, "
                "CASE WHEN g % 10 = 0 THEN CAST(:t AS timestamptz) END, NULL, :t "
                "FROM generate_series(1, :n) g"
            ),
            {"t": now - timedelta(days=1), "n": HISTORY},
        )
        for did, hours, passed, paused in OPEN:
            due = now + timedelta(hours=hours)
            await s.execute(
                text(
                    f"INSERT INTO deadline ({columns}) VALUES (:id, 'resource_request', :id, "
                    "'approval', 'org-a', 'bureau', 'L4', 'SN C art11', 'r', :due, NULL, :passed, "
                    ":paused, :t)"
                ),
                {
                    "id": did,
                    "due": due,
                    "passed": due if passed else None,
                    "paused": now - timedelta(hours=1) if paused else None,
                    "t": now,
                },
            )
        await s.commit()
        await s.execute(text("ANALYZE deadline"))
        await s.commit()
    yield database
    await database.dispose()


async def plans(db, run) -> list[str]:
    """The EXPLAIN ANALYZE of every select of deadlines that `run` executes, with its own
    parameters."""
    with counted_statements(db.engine) as ran:
        result = await run()
    seen = [
        (s, p) for s, p in ran.naming("FROM deadline") if s.lstrip().upper().startswith("SELECT")
    ]
    assert seen, "no select of deadlines ran"
    out = []
    async with db.engine.connect() as conn:
        for statement, parameters in seen:
            rows = await conn.exec_driver_sql("EXPLAIN (ANALYZE) " + statement, parameters)
            out.append("\n".join(r[0] for r in rows))
        await conn.rollback()
    return result, out


async def test_the_sweep_reads_only_deadlines_not_yet_raised(db):
    raised, [plan] = await plans(db, lambda: raise_passed(db))
    assert raised == 3
    assert "ix_deadline_unraised" in plan, plan
    assert "Rows Removed by Filter" not in plan, plan


async def _page(db, select):
    async with db.sessions() as s:
        rows, _ = await fetch_page(s, select, PageParams(limit=50, offset=0))
    return [r.id for r in rows]


async def test_the_overdue_list_reads_only_open_running_deadlines(db):
    ids, [plan] = await plans(db, lambda: _page(db, service.overdue(ADMIN, utcnow())))
    assert ids == ["late-1", "late-2", "due-1", "due-2", "due-3"]
    assert "ix_deadline_open_running" in plan, plan
    assert "Sort" not in plan and "Rows Removed by Filter" not in plan, plan


async def test_the_paused_list_reads_only_paused_deadlines(db):
    ids, [plan] = await plans(db, lambda: _page(db, service.paused(ADMIN)))
    assert sorted(ids) == ["paused-1", "paused-2"]
    assert "ix_deadline_open_paused" in plan, plan
    assert "Rows Removed by Filter" not in plan, plan
