"""A watch's deadline in working days counted on the provisional calendar of a year nobody had
published is counted again from the log once the year is published or declared (the State
Council's notice in the profile's calendar_overrides), before any finding is raised: no
deployment-overdue finding (L4, with L12's pauses) for a day that is in fact a holiday."""

import datetime as dt

import pytest
from sqlalchemy import select

from audit.compliance import flows
from audit.compliance.models import Watch
from audit.main import spec
from govit_kit.policy import WorkingCalendar, provisional_holidays

from .test_findings import QUIET, SH, exit_step, logged

# A hypothetical notice for 2027 shaped like 2026's: the statutory holidays on weekdays and
# their substitute days off, bridging days 11 and 12 February, Saturday 20 February worked.
NOTICE_2027 = {
    **{d: False for d in provisional_holidays(2027) if d.weekday() < 5},
    dt.date(2027, 2, 11): False,
    dt.date(2027, 2, 12): False,
    dt.date(2027, 2, 20): True,
}


# 2027 unpublished whatever chinese-calendar is installed (govit_kit.testing): the recount is
# tested above all once the library knows the year.
pytestmark = pytest.mark.usefixtures("unpublished_after_2026")


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2027, month, day, 10, tzinfo=SH)


def close(month: int, day: int) -> dt.datetime:
    return dt.datetime(2027, month, day, 23, 59, 59, 999999, tzinfo=SH)


async def watch(audit, key: str) -> Watch:
    async with audit.runtime.db.sessions() as s:
        return await s.scalar(select(Watch).where(Watch.key == key))


async def test_deployment_watches_are_recounted_when_the_notice_is_entered(
    start_service, event_space, monkeypatch
):
    audit = await start_service(spec(), **QUIET)  # suining: 10 working days to deploy
    # Configured Thursday 28 January: due 17 February on the provisional calendar.
    await exit_step(event_space, "r-run", "configured", at(1, 28))
    # The same, with its plan filed Monday 15 February (2 working days left on the provisional
    # calendar, 4 on the notice's) and approved Monday 1 March: due the 3rd, or truly the 5th.
    await exit_step(event_space, "r-plan", "configured", at(1, 28))
    await exit_step(event_space, "r-plan", "migration_plan_submitted", at(2, 15))
    await exit_step(event_space, "r-plan", "migration_plan_approved", at(3, 1))
    await logged(audit, 4)
    run, plan = await watch(audit, "r-run"), await watch(audit, "r-plan")
    assert (run.due_at, run.provisional_years) == (close(2, 17), "2027")
    assert (plan.due_at, plan.provisional_years) == (close(3, 3), "2027")

    # The operator enters the notice: counted again before any finding is raised.
    monkeypatch.setattr(audit.runtime, "calendar", WorkingCalendar(NOTICE_2027))
    assert await flows.raise_due(audit.runtime, now=close(2, 18)) == []
    run = await watch(audit, "r-run")
    assert (run.due_at, run.provisional_years) == (close(2, 19), None)
    [late] = await flows.raise_due(audit.runtime, now=close(2, 19))
    assert (late.key, late.check_code, late.rule_id) == ("r-run", "deployment-overdue", "L4")
    assert dt.datetime.fromisoformat(late.figures["due_at"]) == close(2, 19)
    assert "calendar" not in late.figures
    assert await flows.raise_due(audit.runtime, now=close(3, 4)) == []
    [plan_late] = await flows.raise_due(audit.runtime, now=close(3, 5))
    assert plan_late.key == "r-plan"
