"""L11: monitoring starts after the profile's stable months (SN C art14), counted in China's
months like the periods (`month_in_china`): the cutoff is China's month boundary as an instant,
never UTC midnight (8 hours later)."""

from datetime import UTC, datetime

from sqlalchemy import select

from cloud_broker.db import Base
from cloud_broker.requests.models import ResourceRequest
from cloud_broker.utilisation import flows
from cloud_broker.utilisation.models import UtilisationFinding
from govit_kit.db import Database
from govit_kit.policy import load_profile, month_in_china

SN = load_profile("suining")

# resource id -> activated_at (UTC). China is UTC+8.
ACTIVATED = {
    "jun30-2359-cn": datetime(2026, 6, 30, 15, 59, 59, tzinfo=UTC),  # 30 June 23:59:59 China
    "jul01-0000-cn": datetime(2026, 6, 30, 16, tzinfo=UTC),  # 1 July 00:00 China
    "jul01-0700-cn": datetime(2026, 6, 30, 23, tzinfo=UTC),  # 1 July 07:00 China (30 June UTC)
    "jul01-0900-cn": datetime(2026, 7, 1, 1, tzinfo=UTC),  # 1 July 09:00 China
    "jul31-2359-cn": datetime(2026, 7, 31, 15, 59, tzinfo=UTC),  # 31 July 23:59 China
}


def test_the_cutoff_is_chinas_month_boundary():
    cutoff = flows.stable_cutoff(SN, "2026-10")
    assert cutoff == datetime(2026, 6, 30, 16, tzinfo=UTC)  # 1 July 00:00 in China
    assert month_in_china(cutoff) == "2026-07"
    assert flows.stable_cutoff(SN, "2026-01") == datetime(2025, 9, 30, 16, tzinfo=UTC)


async def test_resources_activated_on_one_china_day_are_treated_alike(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}", Base.metadata, service="cb")
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    async with db.unit_of_work() as uow:
        for rid, at in ACTIVATED.items():
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
                    activated_at=at,
                    vcpu=8,
                    memory_gb=32,
                    storage_gb=1000,
                    materials={},
                )
            )

    async def classified(period: str) -> set[str]:
        async with db.unit_of_work() as uow:
            await flows.classify_in(uow=uow, profile=SN, period=period)
        async with db.sessions() as s:
            q = select(UtilisationFinding.resource_id).where(UtilisationFinding.period == period)
            return set((await s.scalars(q)).all())

    try:
        # October: whatever ran from China's 1 July 00:00 on (3 whole China months before).
        assert await classified("2026-10") == {"jun30-2359-cn", "jul01-0000-cn"}
        # November: every resource activated in July in China, whatever the UTC date.
        assert await classified("2026-11") == set(ACTIVATED)
    finally:
        await db.dispose()
