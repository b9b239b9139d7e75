"""F6's sweep reads the years reported by the projects under construction in SQL, however many
there are: past 32,767 of them a list of their ids would exceed asyncpg's bound parameters, and
the hourly sweep would fail every round."""

import asyncio
import importlib
from datetime import timedelta

import pytest
from sqlalchemy import text

from govit_kit import migrations
from govit_kit.db import Database, utcnow
from govit_kit.policy import SHANGHAI, load_profile
from review.db import Base
from review.progress import flows
from review.scheduled import SWEEPER

BUILDING = 33_000  # one more than a bound parameter list holds, and then some


@pytest.fixture
async def db(databases):
    url = await databases.create("review")
    spec = importlib.import_module("review.main").spec()
    await asyncio.to_thread(migrations.upgrade, spec, url)
    database = Database(url, Base.metadata, service="review")
    yield database
    await database.dispose()


async def test_the_sweep_flags_late_years_among_more_cases_than_bound_parameters(db):
    now = utcnow()
    two_years_ago = now - timedelta(days=2 * 366)
    async with db.sessions() as s:
        # Cases concluded now: their first report is not yet due.
        await s.execute(
            text(
                "INSERT INTO review_case (id, project_id, org_id, project_name, total_investment, "
                "track, decisions, attributes, round, chain_stage, approved_investment, status, "
                "opened_at, concluded_at, version) SELECT 'case-' || g, 'proj-' || g, "
                "'org-' || (g % 500), 'p', 450000, 'technical', '[]', '{}', 1, 'ndrc_approval', "
                "450000, 'concluded', :t, :t, 1 FROM generate_series(1, :n) g"
            ),
            {"t": now, "n": BUILDING},
        )
        # Two concluded two years ago: one reported its first year, one reported nothing.
        for cid in ("late-some", "late-all"):
            await s.execute(
                text(
                    "INSERT INTO review_case (id, project_id, org_id, project_name, "
                    "total_investment, track, decisions, attributes, round, chain_stage, "
                    "approved_investment, status, opened_at, concluded_at, version) VALUES "
                    "(:id, :id, 'org-a', 'p', 450000, 'technical', '[]', '{}', 1, "
                    "'ndrc_approval', 450000, 'concluded', :t, :t, 1)"
                ),
                {"id": cid, "t": two_years_ago},
            )
        first = two_years_ago.astimezone(SHANGHAI).year
        await s.execute(
            text(
                "INSERT INTO progress_report (id, case_id, project_id, org_id, year, status, "
                "decisions, version) VALUES ('r-1', 'late-some', 'late-some', 'org-a', :y, "
                "'submitted', '[]', 1)"
            ),
            {"y": first},
        )
        await s.commit()
    async with db.unit_of_work() as uow:
        flagged = await flows.flag_overdue(uow=uow, who=SWEEPER, profile=load_profile("yunyang"))
    late = sorted((r.case_id, r.year) for r in flagged)
    now_year = now.astimezone(SHANGHAI).year
    assert late == sorted(
        [("late-all", y) for y in range(first, now_year)]
        + [("late-some", y) for y in range(first + 1, now_year)]
    )
    assert all(r.decisions[0]["rule_id"] == "F6" for r in flagged)
