"""Review's acceptance and finance's officer both write the system status (I3): the record made
last wins, so a lagging or replayed acceptance does not overwrite the officer's correction."""

import datetime as dt

from sqlalchemy import select

from govit.review.v1 import events_pb2 as review_events
from govit_kit.convert import to_timestamp
from govit_kit.testing import publish_event, wait_until


async def acceptance(fin, acceptance_id, eligible, recorded_at, event_id=None):
    """Review's acceptance of p1, recorded at `recorded_at`; waits until finance applied it."""
    event_id = await publish_event(
        fin.space,
        "review",
        "acceptance",
        "recorded",
        review_events.AcceptanceRecorded(
            acceptance_id=acceptance_id,
            case_id="case-p1",
            project_id="p1",
            org_id="org-a",
            stage="final",
            accepted_on="2026-06-30",
            om_eligible=eligible,
            recorded_at=to_timestamp(recorded_at),
        ),
        subject=acceptance_id,
        org_id="org-a",
        project_id="p1",
        event_id=event_id,
    )

    async def applied():
        inbox = fin.running.runtime.db.tables.inbox
        async with fin.running.runtime.db.sessions() as session:
            return await session.scalar(
                select(inbox.c.event_id).where(inbox.c.event_id == event_id)
            )

    await wait_until(applied)


async def status(fin):
    r = await fin.call("GET", "/v1/projects/p1/system-status", expect=200)
    return r.json()


async def test_an_older_acceptance_does_not_overwrite_the_officers_record(finance_for):
    """Review accepted the system (om_eligible) two hours ago; finance's officer then records it
    as not accepted and not compliant. The same acceptance replayed (another copy) and a lagging
    one recorded an hour ago leave the officer's record as it is; an acceptance review records
    after the officer's write replaces it. Before, every acceptance event overwrote it."""
    fin = await finance_for("yunyang")
    await fin.project("p1", "300000.00")
    now = dt.datetime.now(dt.UTC)
    await acceptance(fin, "acc-1", True, now - dt.timedelta(hours=2), event_id="acc-1")
    assert (await status(fin))["accepted"] is True
    body = {"accepted": False, "security_compliant": False, "shares_data": True, "in_catalog": True}
    await fin.call("PUT", "/v1/projects/p1/system-status", json=body, expect=200)
    written = await status(fin)

    await acceptance(fin, "acc-1", True, now - dt.timedelta(hours=2), event_id="acc-1-replay")
    await acceptance(fin, "acc-2", True, now - dt.timedelta(hours=1))
    kept = await status(fin)
    assert (kept["accepted"], kept["security_compliant"]) == (False, False), kept
    assert written["recorded_by"] == "fay" and written["acceptance_at"] is not None
    assert kept["recorded_by"] == "fay" and kept["acceptance_at"] == written["acceptance_at"]
    assert (kept["shares_data"], kept["in_catalog"]) == (True, True)

    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    await acceptance(fin, "acc-3", True, later)
    newer = await status(fin)
    assert (newer["accepted"], newer["security_compliant"]) == (True, True), newer
    assert newer["recorded_by"] == "service:review"
    assert (newer["shares_data"], newer["in_catalog"]) == (True, True)
    # An acceptance review recorded before acc-3, arriving after it, changes nothing either.
    await acceptance(fin, "acc-4", False, later - dt.timedelta(minutes=1))
    assert (await status(fin))["accepted"] is True
