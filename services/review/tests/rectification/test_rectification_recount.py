"""J1: a rectification order's deadline counted on the provisional calendar of a year nobody had
published is counted again once the year is published or declared (the State Council's notice
entered in the profile's calendar_overrides), before the ladder escalates anything: no sanction
for a day that is in fact a public holiday. The recount is told (`rectification.recounted`) for
finance, which keeps the order's first deadline."""

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from govit.review.v1 import events_pb2
from govit_kit.convert import from_timestamp
from govit_kit.policy import SHANGHAI, WorkingCalendar, provisional_holidays
from review.rectification import flows

# A hypothetical notice for 2027 shaped like 2026's: the statutory holidays on weekdays and
# their substitute days off, bridging days 11 and 12 February, Saturday 20 February worked.
NOTICE_2027 = {
    **{d: False for d in provisional_holidays(2027) if d.weekday() < 5},
    date(2027, 2, 11): False,
    date(2027, 2, 12): False,
    date(2027, 2, 20): True,
}


# 2027 unpublished whatever chinese-calendar is installed (govit_kit.testing): the recount is
# tested above all once the library knows the year.
pytestmark = pytest.mark.usefixtures("unpublished_after_2026")


def cst(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), SHANGHAI).astimezone(UTC)


def close_of(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.max, SHANGHAI).astimezone(UTC)


async def test_an_order_is_recounted_before_the_ladder_climbs(review_for, monkeypatch):
    api = await review_for("suining")
    rt = api.service.runtime
    clock = {"now": cst("2027-01-28")}
    monkeypatch.setattr(flows, "utcnow", lambda: clock["now"])
    case = await api.open_case("p-r", "org-a", "300000.00")
    body = {
        "case_id": case["id"],
        "finding": "not_sharing_data",
        "description": "未接入共享平台",
        "due_working_days": 10,
    }
    r = await api.call("POST", "/v1/rectifications", api.reviewer, json=body)
    assert r.status_code == 201, r.text
    order = r.json()
    # Counted on the provisional calendar: due Wednesday 17 February, and the order says so.
    assert datetime.fromisoformat(order["due_at"]) == close_of("2027-02-17")
    assert "provisional" in order["calendar"]
    sweep = "/v1/rectifications/escalations"

    # The notice entered (8-12 February off): on the 18th the order is not overdue, it is due
    # Friday the 19th, and no longer provisional.
    monkeypatch.setattr(rt, "calendar", WorkingCalendar(NOTICE_2027))
    clock["now"] = cst("2027-02-18", 12)
    assert (await api.call("POST", sweep, api.reviewer)).json() == []
    r = await api.call("GET", f"/v1/rectifications/{order['id']}", api.reviewer)
    now = r.json()
    assert datetime.fromisoformat(now["due_at"]) == close_of("2027-02-19")
    assert now["level"] == 0 and now["calendar"] is None
    [deadline] = [d for d in now["decisions"] if d["outcome"] == "deadline"]
    assert datetime.fromisoformat(deadline["figures"]["due"]) == close_of("2027-02-19")
    assert "calendar" not in deadline["figures"]
    outbox = rt.db.tables.outbox
    async with rt.db.sessions() as session:
        payloads = (
            await session.scalars(
                select(outbox.c.payload).where(
                    outbox.c.event_type == "govit.review.rectification.recounted"
                )
            )
        ).all()
    [told] = [events_pb2.RectificationRecounted.FromString(p) for p in payloads]
    assert (told.order_id, told.level, told.calendar) == (order["id"], 0, "")
    assert from_timestamp(told.due_at) == close_of("2027-02-19")
    assert from_timestamp(told.previous_due_at) == close_of("2027-02-17")

    # Overdue after the 19th: one step, and its next deadline counted on the notice.
    clock["now"] = cst("2027-02-20", 1)
    [escalated] = (await api.call("POST", sweep, api.reviewer)).json()
    assert escalated["level"] == 1 and escalated["calendar"] is None
    assert (await api.event_types()).count("govit.review.rectification.recounted") == 1
