"""The classification on SQLite (the development backend): the edges where figures held as
floats would go wrong, a month's first run and a rerun, which adds nothing (its ON CONFLICT
must not be read as the join's ON)."""

from datetime import UTC, datetime

from sqlalchemy import select

from cloud_broker.db import Base
from cloud_broker.requests.models import ResourceRequest
from cloud_broker.utilisation import flows
from cloud_broker.utilisation.models import UtilisationFigure, UtilisationFinding
from govit_kit.db import Database
from govit_kit.policy import load_profile

# resource: (cpu, used GB, total GB), expected (cpu, storage) classes and status. SQLite keeps
# NUMERIC as REAL: 0.58 * 100 is 57.999..., so hundredths are rounded, not truncated.
CASES = {
    "cpu-below": (("9.99", "50", "100"), ("low", "normal"), "open"),
    "cpu-at": (("10", "50", "100"), ("normal", "normal"), "closed"),
    "cpu-high": (("60.01", "50", "100"), ("high", "normal"), "open"),
    "sto-at-40": (("30", "0.58", "1.45"), ("normal", "normal"), "closed"),
    "sto-below-40": (("30", "0.57", "1.45"), ("normal", "low"), "open"),
    "silent": (None, ("missing", "missing"), "flagged"),
}


async def test_edges_first_run_and_rerun_on_sqlite(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}", Base.metadata, service="cb")
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    since = datetime(2026, 3, 1, tzinfo=UTC)  # stable long before the period: does not age
    async with db.unit_of_work() as uow:
        for rid, (figures, _, _) in CASES.items():
            uow.session.add(
                ResourceRequest(
                    id=rid,
                    project_id="p",
                    org_id="org-a",
                    service_mode="general",
                    items=[],
                    status="active",
                    submitted_by="x",
                    platform_id="pa",
                    resource_ids=[],
                    activated_at=since,
                    vcpu=8,
                    memory_gb=32,
                    storage_gb=1000,
                    materials={},
                )
            )
            if figures:
                cpu, used, total = figures
                uow.session.add(
                    UtilisationFigure(
                        resource_id=rid,
                        period="2026-10",
                        cpu_avg_percent=cpu,
                        memory_avg_percent="50",
                        storage_used_gb=used,
                        storage_total_gb=total,
                        reported_by="x",
                    )
                )
    profile = load_profile("suining")
    counts = {"high": 1, "low": 2, "missing": 1, "normal": 2}
    f = UtilisationFinding
    try:
        async with db.unit_of_work() as uow:
            assert await flows.classify_in(uow=uow, profile=profile, period="2026-10") == counts
            assert len(uow.emitted) == 1  # one event for the unit
        async with db.unit_of_work() as uow:
            assert await flows.classify_in(uow=uow, profile=profile, period="2026-10") == counts
            assert uow.emitted == []  # nothing new to tell
        async with db.sessions() as s:
            rows = (
                await s.execute(select(f.resource_id, f.cpu_class, f.storage_class, f.status))
            ).all()
        assert {r[0]: (r[1:3], r[3]) for r in rows} == {
            rid: (classes, status) for rid, (_, classes, status) in CASES.items()
        }
    finally:
        await db.dispose()
