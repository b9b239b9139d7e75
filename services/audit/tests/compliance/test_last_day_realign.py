"""exit-transition-overdue watches (L7, SN C art16: 3 months) stored before the rest-day rule
(民法典 art 203) kept the counted last day when it fell on a weekend or holiday; they are counted
again from the log on the profile's calendar before any finding is raised, and only once.
(Migration 0007 marked the working-day checks for the provisional recount, not these.)"""

import datetime as dt

from sqlalchemy import select, update

from audit.compliance import flows
from audit.compliance.models import Watch
from audit.main import spec

from .test_findings import QUIET, SH, exit_step, logged


def close(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.max, SH)


async def watch(audit, key: str) -> Watch | None:
    async with audit.runtime.db.sessions() as s:
        return await s.scalar(select(Watch).where(Watch.key == key))


async def test_a_transition_watch_stored_on_a_saturday_moves_to_monday(start_service, event_space):
    audit = await start_service(spec(), **QUIET)  # suining: a 3-month transition
    # Approved Saturday 5 September 2026: 3 months end on Saturday 5 December, so the last day
    # is Monday 7 December. Before the rule the watch was stored due on the Saturday.
    await exit_step(event_space, "r-sat", "exit_approved", dt.datetime(2026, 9, 5, 10, tzinfo=SH))
    await exit_step(event_space, "r-thu", "exit_approved", dt.datetime(2026, 9, 10, 10, tzinfo=SH))
    await logged(audit, 2)
    async with audit.runtime.db.unit_of_work() as uow:
        await uow.session.execute(
            update(Watch).where(Watch.key == "r-sat").values(due_at=close("2026-12-05"))
        )
    thursday = (await watch(audit, "r-thu")).due_at
    assert thursday == close("2026-12-10")

    # Sunday 6 December: nothing is raised; the watch is due at the close of Monday.
    assert await flows.raise_due(audit.runtime, now=dt.datetime(2026, 12, 6, 10, tzinfo=SH)) == []
    moved = await watch(audit, "r-sat")
    assert moved.due_at == close("2026-12-07") and moved.provisional_years is None
    assert (await watch(audit, "r-thu")).due_at == thursday  # a working day stays as it was
    # Once: the next round finds it on the rule and leaves it (the same row).
    assert await flows.raise_due(audit.runtime, now=close("2026-12-07") - dt.timedelta(1)) == []
    assert (await watch(audit, "r-sat")).id == moved.id
    [late] = await flows.raise_due(audit.runtime, now=close("2026-12-07"))
    assert (late.key, late.check_code, late.rule_id) == ("r-sat", "exit-transition-overdue", "L7")
    assert dt.datetime.fromisoformat(late.figures["due_at"]) == close("2026-12-07")
    assert "2026-12-05 is a rest day" in late.figures["calendar"]
