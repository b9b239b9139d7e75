"""0012: findings recorded before classification runs existed get a run per period, so a
period's totals and the first-run shortcut (no conflict check) hold for them too."""

import asyncio

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from cloud_broker.main import spec as broker_spec
from govit_kit import migrations

COLUMNS = (
    "id, resource_id, org_id, period, cpu_class, memory_class, storage_class, finding, "
    "vcpu, memory_gb, recommended_vcpu, recommended_memory_gb, rule_id, article, run_id, "
    "status, plan, response_reason, ruling_reason, created_at, version"
)


def early(rid, period, kind, run_id=""):
    return (
        f"('{rid}:{period}', '{rid}', 'org-a', '{period}', 'low', 'normal', 'normal', "
        f"'{kind}', 8, 32, 3, 32, 'L11', 'SN C art13, art14', '{run_id}', 'open', '', '', '', "
        f"'2026-11-0{len(rid)} 00:00:00+00', 1)"
    )


async def test_early_findings_get_a_run(databases):
    spec = broker_spec()
    url = await databases.create("broker_0012")
    await asyncio.to_thread(migrations.upgrade, spec, url, "0011")
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        values = [
            early("a", "2026-09", "low"),
            early("bb", "2026-09", "low"),
            early("ccc", "2026-09", "normal"),
            early("a", "2026-10", "missing"),
            early("later", "2026-10", "high", run_id="r-1"),
        ]
        await conn.execute(
            sa.text(f"INSERT INTO utilisation_finding ({COLUMNS}) VALUES {', '.join(values)}")
        )
    await asyncio.to_thread(migrations.upgrade, spec, url)
    async with engine.begin() as conn:
        runs = (
            await conn.execute(
                sa.text("SELECT id, period, counts, run_at FROM classification_run ORDER BY id")
            )
        ).all()
        owners = dict(
            (await conn.execute(sa.text("SELECT id, run_id FROM utilisation_finding"))).all()
        )
    await engine.dispose()
    assert [(r.id, r.period, r.counts) for r in runs] == [
        ("early-2026-09", "2026-09", {"low": 2, "normal": 1}),
        ("early-2026-10", "2026-10", {"missing": 1}),
    ]
    assert str(runs[0].run_at).startswith("2026-11-01")  # the earliest finding's time
    assert owners == {
        "a:2026-09": "early-2026-09",
        "bb:2026-09": "early-2026-09",
        "ccc:2026-09": "early-2026-09",
        "a:2026-10": "early-2026-10",
        "later:2026-10": "r-1",  # a finding that names its run keeps it
    }
