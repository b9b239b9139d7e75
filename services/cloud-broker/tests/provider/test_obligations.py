"""Provider obligations: monthly reports by the profile's day (L13), major platform changes
filed ahead (L14); edges from the profiles."""

import datetime as dt

import pytest

from cloud_broker.provider import obligations, rules
from govit_kit.policy import SHANGHAI, Outcome, calendar_for, load_profile
from govit_kit.testing import wait_until

SN, PDS = load_profile("suining"), load_profile("pingdingshan")
# 10:00 on Friday 9 October 2026 in China, the day after September's report fell due: the 5th
# is inside 国庆 (1-7 October), so the last day moved to Thursday 8 October (民法典 art 203).
NOW = dt.datetime(2026, 10, 9, 2, tzinfo=dt.UTC)
# The platforms' arrival on the catalog, long before the months the tests report on.
ON_CATALOG_SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


async def backdate(b, since=ON_CATALOG_SINCE, platforms=None):
    """Put the catalog's platforms (or those named) on it since `since`: a platform owes the
    reports of the months it was there in."""
    from sqlalchemy import update

    from cloud_broker.catalog.models import ProviderPlatform

    q = update(ProviderPlatform).values(created_at=since)
    if platforms is not None:
        q = q.where(ProviderPlatform.id.in_(platforms))
    async with b.running.runtime.db.unit_of_work() as uow:
        await uow.session.execute(q)


@pytest.fixture
def clock(monkeypatch):
    """Pins the "now" of the obligations (the scheduler's report due dates, filing a report or
    a platform change); the deadline sweep and the overdue list keep the real clock, which is
    later."""
    monkeypatch.setattr(obligations, "utcnow", lambda: NOW)
    return NOW


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h - 8, tzinfo=dt.UTC)


def test_report_due_by_the_profiles_day():
    assert PDS.figure("L13", "report_due_day_of_month") == 5
    d = rules.report_due(PDS, "2026-12")
    assert (d.rule_id, d.article) == ("L13", "PDS C art14, art17")
    assert d.figures["due"].date() == dt.date(2027, 1, 5)  # a Tuesday: it stays


@pytest.mark.parametrize(
    ("period", "due", "counted"),
    [
        ("2026-04", dt.date(2026, 5, 6), "2026-05-05"),  # 劳动节 1-5 May 2026
        ("2026-09", dt.date(2026, 10, 8), "2026-10-05"),  # 国庆 1-7 October 2026
        ("2026-11", dt.date(2026, 12, 7), "2026-12-05"),  # a Saturday
    ],
)
def test_a_due_day_on_a_rest_day_moves_to_the_next_working_day(period, due, counted):
    """PDS C art14 (每月5日前) with 民法典 art 203: a month is reported once it has ended, so a
    5th inside a holiday would leave no day to file on; the last day is the next working day,
    the decision still cites L13 and its article and its reason says why the day moved."""
    d = rules.report_due(PDS, period)
    assert (d.rule_id, d.article) == ("L13", "PDS C art14, art17")
    assert d.figures["due"].astimezone(SHANGHAI).date() == due
    assert d.figures["counted_due"] == dt.date.fromisoformat(counted)
    assert "民法典 art 203" in d.reason and due.isoformat() in d.reason
    # Filing on that first working day is on time; the day after is late and says the move.
    last = dt.datetime.combine(due, dt.time(23, 59), tzinfo=SHANGHAI)
    assert rules.report_filed(PDS, period, last).outcome is Outcome.ALLOW
    late = rules.report_filed(PDS, period, last + dt.timedelta(minutes=1))
    assert late.outcome is Outcome.FLAG and f"moved from {counted} by 民法典 art 203" in late.reason
    assert "民法典" not in rules.report_due(PDS, "2026-10").reason  # 5 November: a Thursday


def test_sn_report_due_by_the_end_of_the_next_month_in_china():
    """SN C art19: 每月不少于1次, no day: the report on a month is due by the end (in China) of
    the month after it, the month in which it is delivered."""
    assert SN.figure("L13", "report_interval_months") == 1
    d = rules.report_due(SN, "2026-10")
    assert (d.rule_id, d.article) == ("L13", "SN C art19, art22, art28")
    due = d.figures["due"]
    assert due.tzinfo is not None and due.astimezone(SHANGHAI).date() == dt.date(2026, 11, 30)
    assert dt.datetime(2026, 11, 30, 15, 59, 59, tzinfo=dt.UTC) <= due  # 23:59:59 in China
    assert due < dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC)  # 1 December 00:00 in China
    # A month's last day on a rest day moves to the next working day (民法典 art 203): 28
    # February 2027 and 31 January 2027 are Sundays.
    assert rules.report_due(SN, "2027-01").figures["due"].date() == dt.date(2027, 3, 1)
    assert rules.report_due(SN, "2026-12").figures["due"].date() == dt.date(2027, 2, 1)
    assert rules.report_due(SN, "2026-08").figures["due"].date() == dt.date(2026, 9, 30)


@pytest.mark.parametrize(
    ("filed", "starts", "major", "told", "outcome"),
    [
        (at(2026, 11, 23), at(2026, 11, 26), True, True, Outcome.ALLOW),  # Mon -> Thu: 3
        (at(2026, 11, 23), at(2026, 11, 25), True, True, Outcome.FLAG),  # 2 working days
        (at(2026, 11, 23), at(2026, 11, 26), True, False, Outcome.FLAG),  # users not told
        (at(2026, 11, 23), at(2026, 11, 24), False, False, Outcome.ALLOW),  # not major
        # Fri 26 Sep 2025 -> Thu 9 Oct: 28 Sep (make-up), 29, 30 Sep, 9 Oct = 4; the holiday skipped.
        (at(2025, 9, 26), at(2025, 10, 9), True, True, Outcome.ALLOW),
        # Fri 26 Sep 2025 -> Wed 8 Oct: 3 working days only thanks to the make-up Sunday.
        (at(2025, 9, 26), at(2025, 10, 8), True, True, Outcome.ALLOW),
        (at(2025, 9, 27), at(2025, 10, 8), True, True, Outcome.ALLOW),
        (at(2025, 9, 28), at(2025, 10, 8), True, True, Outcome.FLAG),
    ],
)
def test_pds_major_change_three_working_days_ahead(filed, starts, major, told, outcome):
    assert PDS.figure("L14", "advance_filing_working_days") == 3
    d = rules.change_notice(PDS, calendar_for(PDS), filed, starts, major, told)
    assert (d.rule_id, d.outcome) == ("L14", outcome)
    if outcome is Outcome.FLAG:
        assert d.article == "PDS C art15"


def test_sn_has_no_l14():
    d = rules.change_notice(SN, calendar_for(SN), at(2026, 11, 23), at(2026, 11, 24), True, False)
    assert d.outcome is Outcome.ALLOW and d.article == ""


async def test_reports_overdue_and_changes_flagged(clock, broker_pds):
    b = broker_pds
    await b.catalog()
    await backdate(b)  # on the catalog all September
    pa, pb = b.provider("pa"), b.provider("pb")

    # The scheduler stores last month's due date (the 5th, moved off 国庆) and, as it passed,
    # raises it once.
    async def overdue_for_pa():
        r = await b.http.get("/v1/deadlines/overdue", headers=pa)
        return [i for i in r.json()["items"] if i["passed_at"]]

    [item] = await wait_until(overdue_for_pa)
    assert (item["kind"], item["party"], item["rule_id"]) == (
        "monthly_report",
        "provider:pa",
        "L13",
    )
    assert item["article"] == "PDS C art14, art17"
    assert [
        i["party"] for i in (await b.http.get("/v1/deadlines/overdue", headers=pb)).json()["items"]
    ] == ["provider:pb"]
    period = item["subject_id"].split(":")[1]
    report = {"period": period, "utilisation": "u", "om": "o", "optimisation": "p", "security": "s"}
    r = await b.http.post("/v1/provider/reports", headers=pa, json=report)
    assert r.status_code == 201 and r.json()["late"] is True
    # Late is an L13 flag naming the article and the due date (the 5th moved to the first
    # working day after 国庆, in China), recorded on the report and in its event, as L14's flag
    # on a platform change.
    [flag] = r.json()["decisions"]
    assert (flag["rule_id"], flag["outcome"], flag["article"]) == (
        "L13",
        "flag",
        "PDS C art14, art17",
    )
    assert period == "2026-09"
    due = dt.datetime.fromisoformat(flag["figures"]["due"])
    assert due.astimezone(SHANGHAI).date() == dt.date(2026, 10, 8)
    assert "after its due date" in flag["reason"]
    assert "moved from 2026-10-05 by 民法典 art 203" in flag["reason"]
    filed = await _report_event(b, r.json()["id"])
    assert filed.late is True
    assert [(d.rule_id, d.outcome, d.article) for d in filed.decisions] == [
        ("L13", "flag", "PDS C art14, art17")
    ]
    assert (await b.http.post("/v1/provider/reports", headers=pa, json=report)).status_code == 409
    assert (
        await b.http.post("/v1/provider/reports", headers=b.unit(), json=report)
    ).status_code == 403
    assert (await b.http.get("/v1/deadlines/overdue", headers=pa)).json()["items"] == []
    # The month under way has no report yet: a 422 naming the period and L13 with its article.
    month = f"{NOW.astimezone(SHANGHAI):%Y-%m}"
    r = await b.http.post("/v1/provider/reports", headers=pa, json={**report, "period": month})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period", r.text
    assert "L13 (PDS C art14, art17)" in r.json()["errors"][0]["message"], r.text

    soon = (NOW + dt.timedelta(days=1)).isoformat()  # a make-up Saturday: 1 working day ahead
    change = {
        "title": "存储扩容",
        "plan": "分批迁移",
        "major": True,
        "users_notified": True,
        "starts_at": soon,
    }
    r = await b.http.post("/v1/provider/platform-changes", headers=pa, json=change)
    assert r.status_code == 201
    [d] = r.json()["decisions"]
    assert (d["rule_id"], d["outcome"], d["article"]) == ("L14", "flag", "PDS C art15")
    r = await b.http.post(
        "/v1/provider/platform-changes",
        headers=pa,
        json={**change, "starts_at": "2020-01-01T00:00:00Z"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "starts_at"
    # A moment UTC has no day for is named, not a 500.
    r = await b.http.post(
        "/v1/provider/platform-changes",
        headers=pa,
        json={**change, "starts_at": "9999-12-31T23:59:59-14:00"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "starts_at", r.text


async def _report_event(b, report_id):
    """The `provider_report.filed` event the outbox holds for a report."""
    from sqlalchemy import select

    from govit.cloud_broker.v1 import events_pb2

    ob = b.running.runtime.db.tables.outbox
    async with b.running.runtime.db.sessions() as s:
        payload = await s.scalar(
            select(ob.c.payload).where(
                ob.c.subject == report_id, ob.c.event_type.like("%provider_report.filed")
            )
        )
    return events_pb2.ProviderReportFiled.FromString(payload)


def test_a_late_report_is_an_l13_flag_naming_the_due_date():
    """PDS C art14 (每月5日前): October's report is due by 23:59:59 on 5 November in China; one
    filed a second later is flagged, citing L13 and the article, with the due date; where L13
    does not apply nothing is decided."""
    due = dt.datetime(2026, 11, 5, 15, 59, 59, 999999, tzinfo=dt.UTC)
    on_time = rules.report_filed(PDS, "2026-10", due)
    assert (on_time.rule_id, on_time.outcome) == ("L13", Outcome.ALLOW)
    late = rules.report_filed(PDS, "2026-10", due + dt.timedelta(seconds=1))
    assert (late.rule_id, late.article, late.outcome) == ("L13", "PDS C art14, art17", Outcome.FLAG)
    assert late.figures["due"] == due and "2026-11-05" in late.reason
    sn = rules.report_filed(SN, "2026-10", dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert (sn.outcome, sn.article) == (Outcome.FLAG, "SN C art19, art22, art28")
    assert rules.report_filed(load_profile("wuhai"), "2026-10", due) is None


async def test_reports_and_changes_over_grpc(clock, broker_pds):
    """L13 and L14 over the provider's gRPC API: the same rules and refusals as over REST."""
    import grpc

    from govit.cloud_broker.v1 import provider_service_pb2 as ppb
    from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc
    from govit_kit.convert import to_timestamp

    b = broker_pds
    await b.catalog()
    pa = [("authorization", b.provider("pa")["authorization"])]
    unit = [("authorization", b.unit()["authorization"])]
    last_month = obligations.previous_period(NOW)
    report = ppb.FileMonthlyReportRequest(
        period=last_month, utilisation="u", om="o", optimisation="p", security="s"
    )
    async with grpc.aio.insecure_channel(f"127.0.0.1:{b.grpc_port}") as channel:
        stub = ppb_grpc.ProviderServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.FileMonthlyReport(report, metadata=unit)
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
        bad = ppb.FileMonthlyReportRequest(period=last_month, utilisation="u")
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.FileMonthlyReport(bad, metadata=pa)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "om" in err.value.details()
        filed = await stub.FileMonthlyReport(report, metadata=pa)
        assert filed.period == last_month and filed.report_id
        # Pingdingshan's day is the 5th: NOW is past it.
        assert filed.late is True
        [d] = filed.decisions
        assert (d.rule_id, d.outcome, d.article) == ("L13", "flag", "PDS C art14, art17")
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.FileMonthlyReport(report, metadata=pa)
        assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION

        soon = NOW + dt.timedelta(days=1)
        change = ppb.FilePlatformChangeRequest(
            title="存储扩容", plan="分批迁移", major=True, users_notified=True
        )
        change.starts_at.CopyFrom(to_timestamp(soon))
        filed = await stub.FilePlatformChange(change, metadata=pa)
        [d] = filed.decisions
        assert (d.rule_id, d.outcome, d.article) == ("L14", "flag", "PDS C art15")
        change.starts_at.CopyFrom(to_timestamp(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.FilePlatformChange(change, metadata=pa)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "starts_at" in err.value.details()
        # A Timestamp beyond year 9999 is named, not INTERNAL.
        change.starts_at.seconds = 2**40
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.FilePlatformChange(change, metadata=pa)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert err.value.details().startswith("starts_at: not a valid timestamp")


async def test_sn_a_month_without_a_report_is_overdue(monkeypatch, broker):
    """SN C art19: at least one report a month. At 10:00 on 10 November in China the scheduler
    stores, for each platform, October's report due by the end of November (China); once that
    passes (the real clock is later) a platform that never reported is overdue, citing L13 and
    the SN article; one that reported within November met it, not late."""
    monkeypatch.setattr(obligations, "utcnow", lambda: dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC))
    b = broker
    await b.catalog()
    await backdate(b)  # on the catalog all October
    pa, pb = b.provider("pa"), b.provider("pb")

    async def overdue(headers):
        r = await b.http.get("/v1/deadlines/overdue", headers=headers)
        return [i for i in r.json()["items"] if i["passed_at"]]

    [item] = await wait_until(lambda: overdue(pa))
    assert (item["kind"], item["party"], item["subject_id"]) == (
        "monthly_report",
        "provider:pa",
        "pa:2026-10",
    )
    assert (item["rule_id"], item["article"]) == ("L13", "SN C art19, art22, art28")
    assert dt.datetime.fromisoformat(item["due_at"]).astimezone(SHANGHAI).date() == dt.date(
        2026, 11, 30
    )
    await wait_until(lambda: overdue(pb))
    report = {
        "period": "2026-10",
        "utilisation": "u",
        "om": "o",
        "optimisation": "p",
        "security": "s",
    }
    r = await b.http.post("/v1/provider/reports", headers=pb, json=report)  # on 10 November
    assert r.status_code == 201 and r.json()["late"] is False, r.text
    [on_time] = r.json()["decisions"]
    assert (on_time["rule_id"], on_time["outcome"]) == ("L13", "allow"), r.text
    assert on_time["article"] == "SN C art19, art22, art28"
    assert await overdue(pb) == []
    assert [i["subject_id"] for i in await overdue(pa)] == ["pa:2026-10"]


def test_drills_short_of_the_profiles_figure():
    """L15 (PDS C art14: 每年至少组织2次应急演练): a year with fewer drills than the figure is a
    deadline missed at the year's end in China; SN sets no number (C art26), so nothing."""
    assert PDS.figure("L15", "min_drills_per_year") == 2
    assert rules.drills_short(PDS, 2025, 2) is None
    d = rules.drills_short(PDS, 2025, 1)
    assert (d.rule_id, d.article, d.outcome) == ("L15", "PDS C art14", Outcome.DEADLINE)
    assert d.figures["due"] == dt.datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert (d.figures["held"], d.figures["required"]) == (1, 2)
    assert rules.drills_short(SN, 2025, 0) is None


async def test_drills_a_year_short_of_the_figure_is_overdue(monkeypatch, broker_pds):
    """L15: providers record the drills they held; once 2025 has ended in China, a platform
    with 1 drill in it (pb) is overdue citing L15 and PDS C art14, one with 2 (pa) is not."""
    from sqlalchemy import update

    from cloud_broker.catalog.models import ProviderPlatform

    now = {"at": dt.datetime(2025, 12, 20, 2, tzinfo=dt.UTC)}  # 10:00 on 20 December in China
    monkeypatch.setattr(obligations, "utcnow", lambda: now["at"])
    b = broker_pds
    await b.catalog()
    # On the catalog since mid-2024: 2025 is a whole year of theirs (2024 is not).
    async with b.running.runtime.db.unit_of_work() as uow:
        await uow.session.execute(
            update(ProviderPlatform).values(created_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
        )
    pa, pb = b.provider("pa"), b.provider("pb")

    async def drill(headers, day, expect=201):
        r = await b.http.post(
            "/v1/provider/drills", headers=headers, json={"held_on": day, "summary": "断电演练"}
        )
        assert r.status_code == expect, r.text
        return r.json()

    first = await drill(pa, "2025-03-10")
    assert (first["platform_id"], first["held_on"], first["filed_by"]) == (
        "pa",
        "2025-03-10",
        "robot-pa",
    )
    await drill(pa, "2025-10-15")
    await drill(pb, "2025-05-05")
    await drill(pa, "2025-03-10", expect=409)  # one per platform and day
    # A drill dated after today (China) is refused, naming the field and the rule.
    body = await drill(pa, "2025-12-21", expect=422)
    assert (
        body["errors"][0]["field"] == "held_on"
        and "L15 (PDS C art14)" in body["errors"][0]["message"]
    ), body
    await drill(b.unit(), "2025-06-01", expect=403)
    # A provider lists only its own drills; the bureau all.
    r = await b.http.get("/v1/provider/drills", headers=pa, params={"year": 2025})
    assert [d["held_on"] for d in r.json()["items"]] == ["2025-03-10", "2025-10-15"]
    r = await b.http.get("/v1/provider/drills", headers=pb)
    assert [d["platform_id"] for d in r.json()["items"]] == ["pb"]
    r = await b.http.get("/v1/provider/drills", headers=b.admin)
    assert len(r.json()["items"]) == 3
    assert (await b.http.get("/v1/provider/drills", headers=b.unit())).status_code == 403

    async def drills_overdue(headers):
        r = await b.http.get("/v1/deadlines/overdue", headers=headers)
        return [i for i in r.json()["items"] if i["kind"] == "emergency_drills"]

    assert await drills_overdue(b.admin) == []  # 2025 has not ended
    now["at"] = dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC)  # 2025 is over in China

    async def raised():
        return [i for i in await drills_overdue(pb) if i["passed_at"]]

    [item] = await wait_until(raised)
    assert (item["subject_id"], item["party"], item["rule_id"], item["article"]) == (
        "pb:2025",
        "provider:pb",
        "L15",
        "PDS C art14",
    )
    assert "1 emergency drill(s) held in 2025" in item["reason"]
    assert dt.datetime.fromisoformat(item["due_at"]).astimezone(SHANGHAI).date() == dt.date(
        2025, 12, 31
    )
    assert await drills_overdue(pa) == []
    assert [i["subject_id"] for i in await drills_overdue(b.admin)] == ["pb:2025"]
    assert await b.events("pb:2025") == ["passed"]  # raised once
    # A drill of 2025 recorded late brings it to the figure: no longer overdue (it was raised).
    await drill(pb, "2025-11-11")
    assert await drills_overdue(pb) == []


async def test_drills_over_grpc(monkeypatch, broker_pds):
    """L15 over the provider's gRPC API: the same rules and refusals as over REST, on the
    caller's own platform only."""
    import grpc

    from govit.cloud_broker.v1 import provider_service_pb2 as ppb
    from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc

    monkeypatch.setattr(obligations, "utcnow", lambda: dt.datetime(2025, 12, 20, 2, tzinfo=dt.UTC))
    b = broker_pds
    await b.catalog()
    pa = [("authorization", b.provider("pa")["authorization"])]
    unit = [("authorization", b.unit()["authorization"])]
    drill = ppb.RecordDrillRequest(held_on="2025-03-10", summary="断电演练")
    async with grpc.aio.insecure_channel(f"127.0.0.1:{b.grpc_port}") as channel:
        stub = ppb_grpc.ProviderServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.RecordDrill(drill, metadata=unit)
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
        for bad, field in (
            (ppb.RecordDrillRequest(held_on="2025-03-10"), "summary"),
            (ppb.RecordDrillRequest(held_on="10 March", summary="s"), "held_on"),
            # After today in China (20 December 2025), naming the rule.
            (ppb.RecordDrillRequest(held_on="2025-12-21", summary="s"), "L15 (PDS C art14)"),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await stub.RecordDrill(bad, metadata=pa)
            assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert field in err.value.details()
        recorded = await stub.RecordDrill(drill, metadata=pa)
        assert (recorded.platform_id, recorded.held_on) == ("pa", "2025-03-10")
        assert recorded.drill_id
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.RecordDrill(drill, metadata=pa)  # one per platform and day
        assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    r = await b.http.get("/v1/provider/drills", headers=b.provider("pa"))
    assert [d["id"] for d in r.json()["items"]] == [recorded.drill_id]
    r = await b.http.get("/v1/provider/drills", headers=b.provider("pb"))
    assert r.json()["items"] == []


async def test_a_platform_with_the_longest_id_gets_its_report_due_and_files_it(broker):
    """A platform id may be 64 characters (the catalog's pattern): its L13 due date, keyed
    `<platform>:<month>`, is stored and met like any other (it once overflowed the key)."""
    b = broker
    long_id = "p" * 64
    await b.catalog(platforms=(long_id,))
    await backdate(b)
    runtime = b.running.runtime
    # 10:00 on 10 November in China: October's report is due (SN C art19).
    now = dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC)
    assert await obligations.ensure_report_deadlines(rt=runtime, now=now) == 1
    assert await obligations.ensure_report_deadlines(rt=runtime, now=now) == 0  # once
    headers = b.provider(long_id)
    report = {
        "period": "2026-10",
        "utilisation": "u",
        "om": "o",
        "optimisation": "p",
        "security": "s",
    }
    r = await b.http.post("/v1/provider/reports", headers=headers, json=report)
    assert r.status_code == 201, r.text
    from sqlalchemy import select

    from cloud_broker.deadlines.models import Deadline

    # The broker's own scheduler (on the real clock) may meanwhile store a later month's row.
    async with runtime.db.sessions() as session:
        rows = (
            await session.scalars(select(Deadline).where(Deadline.party == f"provider:{long_id}"))
        ).all()
    [row] = [r for r in rows if r.subject_id.endswith(":2026-10")]
    assert row.subject_id == f"{long_id}:2026-10" and row.met_at is not None


def test_operation_logs_kept_a_year_after_the_wipe():
    """L17 (SN C art31: 至少完整保存一年): the wipe's attestation keeps the operation logs at least
    `log_retention_min_years` after the wipe day; a 29 February wipe counts to 28 February.
    Pingdingshan has no L17: nothing is asked."""
    assert SN.figure("L17", "log_retention_min_years") == 1
    wiped = dt.date(2026, 12, 6)
    assert rules.logs_kept(SN, wiped, dt.date(2027, 12, 6)).outcome is Outcome.ALLOW
    for short in (None, dt.date(2027, 12, 5)):
        d = rules.logs_kept(SN, wiped, short)
        assert (d.rule_id, d.article, d.outcome) == ("L17", "SN C art31", Outcome.REFUSE)
        assert d.figures["earliest"] == dt.date(2027, 12, 6)
    assert rules.logs_kept(SN, dt.date(2028, 2, 29), dt.date(2029, 2, 28)).outcome is Outcome.ALLOW
    assert rules.logs_kept(PDS, wiped, None) is None


def test_the_calendar_counts_up_to_the_last_computable_year():
    """What the working-day calendar can count from a day on: up to the first year no source
    covers (the statute's computation ends with borax's lunar tables, 2100)."""
    cal = calendar_for(PDS)
    assert rules.countable_until(cal, dt.date(2026, 12, 6)) == dt.date(2101, 1, 1)
    assert rules.countable_until(cal, dt.date(2100, 12, 31)) == dt.date(2101, 1, 1)


async def test_a_change_starting_past_the_calendar_is_the_clients_mistake(clock, broker_pds):
    """L14 counts working days up to the start: a start in a year no calendar covers is a 422
    naming starts_at and L14 with its article (not a 503 for the operator), and nothing is filed."""
    b = broker_pds
    await b.catalog()
    pa = b.provider("pa")
    change = {
        "title": "存储扩容",
        "plan": "分批迁移",
        "major": True,
        "users_notified": True,
        "starts_at": "2101-06-01T00:00:00Z",
    }
    r = await b.http.post("/v1/provider/platform-changes", headers=pa, json=change)
    assert r.status_code == 422, r.text
    [err] = r.json()["errors"]
    assert err["field"] == "starts_at"
    assert "L14 (PDS C art15)" in err["message"] and "2101" in err["message"]
    ob = b.running.runtime.db.tables.outbox
    from sqlalchemy import func, select

    async with b.running.runtime.db.sessions() as s:
        filed = await s.scalar(
            select(func.count())
            .select_from(ob)
            .where(ob.c.event_type.like("%platform_change.filed"))
        )
    assert filed == 0
    # The last day the calendar counts is still accepted.
    r = await b.http.post(
        "/v1/provider/platform-changes",
        headers=pa,
        json={**change, "starts_at": "2100-12-31T12:00:00+08:00"},
    )
    assert r.status_code == 201, r.text


async def test_a_platform_owes_no_report_on_a_month_that_ended_before_it_came(broker_no_scheduler):
    """L13: a platform owes the report on a month it was on the catalog in, a part of it
    included; one added after the month ended (in China) is not overdue for it at once. At
    10:00 on 9 October 2026 in China, September's reports are due: pa (on the catalog since
    January) and pb (since 20:00 on 30 September) owe one, pc (since 1 October) does not."""
    b = broker_no_scheduler
    await b.catalog(platforms=("pa", "pb", "pc"))
    await backdate(b, platforms=["pa"])
    await backdate(b, dt.datetime(2026, 9, 30, 20, tzinfo=SHANGHAI), platforms=["pb"])
    await backdate(b, dt.datetime(2026, 10, 1, 0, tzinfo=SHANGHAI), platforms=["pc"])
    assert await obligations.ensure_report_deadlines(rt=b.running.runtime, now=NOW) == 2
    from sqlalchemy import select

    from cloud_broker.deadlines.models import Deadline

    async with b.running.runtime.db.sessions() as s:
        subjects = (
            await s.scalars(
                select(Deadline.subject_id).where(Deadline.subject_kind == "provider_report")
            )
        ).all()
    assert sorted(subjects) == ["pa:2026-09", "pb:2026-09"]
