"""L11 over the profile's figures, at their edges: figures in by REST and a gRPC client stream,
the set-based monthly classification, the unit's answer and the bureau's ruling."""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import grpc
import jwt
import pytest
from sqlalchemy import select

from cloud_broker.requests import flows as request_flows
from cloud_broker.requests.models import ResourceRequest, UnitMark
from cloud_broker.utilisation import flows
from cloud_broker.utilisation.models import UtilisationFigure
from govit.cloud_broker.v1 import provider_service_pb2 as ppb
from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc
from govit.cloud_broker.v1 import types_pb2
from govit_kit.policy import load_profile

SN = load_profile("suining")
L11 = SN.rule("L11").figures
PERIOD = "2026-10"
# Activations count back from the period, not from today, so the tests do not age.
PERIOD_START = datetime(2026, 10, 1, tzinfo=UTC)
TB = 1024
# 00:30 on 1 December 2026 in China, still 30 November in UTC: the month under way is China's.
NOW = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
LAST, CURRENT, NEXT = "2026-11", "2026-12", "2027-01"
CITED = "L11 (SN C art13, art14)"


@pytest.fixture
def clock(monkeypatch):
    """Pins the "now" of the utilisation flows (they read utcnow() at call time)."""
    monkeypatch.setattr(flows, "utcnow", lambda: NOW)
    return NOW


async def active_resources(broker, names, org="org-a", platform="pa", months_ago=6):
    """Active resources (8 vCPU, 32 GB) that have run stably for `months_ago` months."""
    async with broker.running.runtime.db.unit_of_work() as uow:
        for name in names:
            uow.session.add(
                ResourceRequest(
                    id=name,
                    project_id="p",
                    org_id=org,
                    service_mode="general",
                    items=[{"sku": "ecs.vcpu", "quantity": 8}],
                    status="active",
                    submitted_by="x",
                    platform_id=platform,
                    resource_ids=[f"vm-{name}"],
                    activated_at=PERIOD_START - timedelta(days=31 * months_ago),
                    vcpu=8,
                    memory_gb=32,
                    storage_gb=1000,
                    materials={},
                )
            )


def fig(rid, cpu="30", mem="50", used="50", total="100"):
    out = {"resource_id": rid, "period": PERIOD}
    for k, v in (
        ("cpu_avg_percent", cpu),
        ("memory_avg_percent", mem),
        ("storage_used_gb", used),
        ("storage_total_gb", total),
    ):
        if v is not None:
            out[k] = str(v)
    return out


async def stored_figures(broker) -> list[tuple[str, str]]:
    """(resource, period) of every stored figure."""
    u = UtilisationFigure
    async with broker.running.runtime.db.sessions() as s:
        rows = await s.execute(select(u.resource_id, u.period).order_by(u.resource_id, u.period))
        return [tuple(r) for r in rows]


def pct(value, delta="0"):
    return str(Decimal(value) + Decimal(delta))


async def test_classification_edges_from_the_profile(broker):
    low_cpu, high_cpu = L11["low_cpu_avg_below_percent"], L11["high_cpu_avg_above_percent"]
    low_mem, high_mem = L11["low_memory_avg_below_percent"], L11["high_memory_avg_above_percent"]
    alt, alt_free = L11["low_storage_alt_below_percent"], L11["low_storage_alt_free_above_tb"]
    assert (low_cpu, alt, alt_free) == (10, 60, 1)  # the issue's edges: 9.9% / 10%, 59% with 1.5 TB
    # 59% used with 1.5 TB free: total = 1.5 TB / 0.41.
    total_15 = Decimal(1.5 * TB) / Decimal("0.41")
    cases = {
        "cpu-below": (
            fig("cpu-below", cpu=pct(low_cpu, "-0.1")),
            ("low", "normal", "normal"),
            "low",
        ),
        "cpu-at": (fig("cpu-at", cpu=pct(low_cpu)), ("normal", "normal", "normal"), "normal"),
        "cpu-high-at": (
            fig("cpu-high-at", cpu=pct(high_cpu)),
            ("normal", "normal", "normal"),
            "normal",
        ),
        "cpu-high": (
            fig("cpu-high", cpu=pct(high_cpu, "0.01")),
            ("high", "normal", "normal"),
            "high",
        ),
        "mem-below": (
            fig("mem-below", mem=pct(low_mem, "-0.1")),
            ("normal", "low", "normal"),
            "low",
        ),
        "mem-high": (
            fig("mem-high", mem=pct(high_mem, "0.01")),
            ("normal", "high", "normal"),
            "high",
        ),
        "sto-59-big": (
            fig("sto-59-big", used=f"{total_15 * Decimal('0.59'):.2f}", total=f"{total_15:.2f}"),
            ("normal", "normal", "low"),
            "low",
        ),
        "sto-59-small": (
            fig("sto-59-small", used="1180", total="2000"),
            ("normal", "normal", "normal"),
            "normal",
        ),
        "sto-39": (fig("sto-39", used="39", total="100"), ("normal", "normal", "low"), "low"),
        "sto-40": (fig("sto-40", used="40", total="100"), ("normal", "normal", "normal"), "normal"),
        "sto-80-small": (
            fig("sto-80-small", used="800", total="1000"),
            ("normal", "normal", "high"),
            "high",
        ),
        "sto-80-big": (
            fig("sto-80-big", used="8000", total="10000"),
            ("normal", "normal", "normal"),
            "normal",
        ),
        # The other edges: 低于/超过 are strict, so a figure at the threshold is normal; "more
        # than 1 TB free" and "less than 1 TB free" (1 TB = 1024 GB) exclude exactly 1 TB.
        "mem-at": (fig("mem-at", mem=pct(low_mem)), ("normal", "normal", "normal"), "normal"),
        "mem-high-at": (
            fig("mem-high-at", mem=pct(high_mem)),
            ("normal", "normal", "normal"),
            "normal",
        ),
        "sto-60-big": (
            fig("sto-60-big", used="3840", total="6400"),  # 60% used, 2.5 TB free
            ("normal", "normal", "normal"),
            "normal",
        ),
        "sto-48-1tb": (
            fig("sto-48-1tb", used="976", total="2000"),  # 48.8% used, exactly 1 TB free
            ("normal", "normal", "normal"),
            "normal",
        ),
        "sto-48-over-1tb": (
            fig("sto-48-over-1tb", used="975.99", total="2000"),  # 1024.01 GB free
            ("normal", "normal", "low"),
            "low",
        ),
        "sto-79-small": (
            fig("sto-79-small", used="799.99", total="1000"),  # 79.999%, 200 GB free
            ("normal", "normal", "normal"),
            "normal",
        ),
        "sto-80-1tb": (
            fig("sto-80-1tb", used="4096", total="5120"),  # 80% used, exactly 1 TB free
            ("normal", "normal", "normal"),
            "normal",
        ),
        "sto-80-under-1tb": (
            fig("sto-80-under-1tb", used="4096.01", total="5120"),  # 1023.99 GB free
            ("normal", "normal", "high"),
            "high",
        ),
        "mixed": (fig("mixed", cpu="5", mem="90"), ("low", "high", "normal"), "mixed"),
        # A missing figure is flagged, never classified as idle (even with CPU at 1%).
        "partial": (fig("partial", cpu="1", mem=None), ("low", "missing", "normal"), "missing"),
    }
    await active_resources(broker, [*cases, "silent"])
    await active_resources(broker, ["too-new"], months_ago=1)
    sup = broker.token("sup-1", "org-sup", ["supervision_provider"])
    r = await broker.http.post(
        "/v1/utilisation/figures", headers=sup, json={"figures": [c[0] for c in cases.values()]}
    )
    assert r.status_code == 200 and r.json()["accepted"] == len(cases), r.text
    r = await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.unit(), json={"period": PERIOD}
    )
    assert r.status_code == 403
    r = await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.admin, json={"period": PERIOD}
    )
    assert r.status_code == 200, r.text
    got = {}
    r = await broker.http.get(
        "/v1/utilisation/findings", headers=broker.admin, params={"period": PERIOD, "limit": 100}
    )
    for f in r.json()["items"]:
        got[f["resource_id"]] = f
    assert "too-new" not in got  # monitoring starts after the stable months
    for name, (_, classes, finding) in cases.items():
        f = got[name]
        assert (f["cpu_class"], f["memory_class"], f["storage_class"]) == classes, name
        assert f["finding"] == finding, name
        assert (f["rule_id"], f["article"]) == ("L11", "SN C art13, art14")
    assert got["silent"]["finding"] == "missing" and got["silent"]["status"] == "flagged"
    [run] = (
        await broker.http.get(
            "/v1/utilisation/classifications", headers=broker.unit(), params={"period": PERIOD}
        )
    ).json()
    assert (
        run["thresholds"]["low_cpu_avg_below_percent"] == 10
        and got["cpu-below"]["run_id"] == run["id"]
    )
    assert run["counts"]["missing"] == 2
    # The recommended size aims at the middle of the normal band: 8 vCPU at 9.9% -> 3.
    assert (got["cpu-below"]["recommended_vcpu"], got["cpu-below"]["recommended_memory_gb"]) == (
        3,
        32,
    )
    assert got["cpu-high"]["recommended_vcpu"] == 14
    assert got["sto-39"]["recommended_storage_gb"] == 65
    # A rerun adds nothing.
    r = await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.admin, json={"period": PERIOD}
    )
    assert sum(r.json()["findings"].values()) == len(cases) + 1
    # Units are told, one event each.
    assert await broker.events(f"org-a:{PERIOD}") == ["findings_recorded"]


async def test_figures_are_checked_and_scoped_to_the_provider(broker):
    await active_resources(broker, ["mine"], platform="pa")
    await active_resources(broker, ["theirs"], platform="pb")
    pa = broker.provider("pa")
    for body, field in (
        ({"figures": [fig("mine", cpu="100.5")]}, "figures.0.cpu_avg_percent"),
        ({"figures": [fig("mine", mem="-1")]}, "figures.0.memory_avg_percent"),
        ({"figures": [fig("mine", used="101", total="100")]}, "figures.0"),
        ({"figures": [{**fig("mine"), "period": "2026-13"}]}, "figures.0.period"),
        ({"figures": [fig("mine"), fig("theirs")]}, "figures.1.resource_id"),
    ):
        r = await broker.http.post("/v1/utilisation/figures", headers=pa, json=body)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field
    assert (
        await broker.http.post(
            "/v1/utilisation/figures", headers=broker.unit(), json={"figures": [fig("mine")]}
        )
    ).status_code == 403
    # The latest push of a month wins.
    for cpu in ("50", "5"):
        r = await broker.http.post(
            "/v1/utilisation/figures", headers=pa, json={"figures": [fig("mine", cpu=cpu)]}
        )
        assert r.status_code == 200
    await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.admin, json={"period": PERIOD}
    )
    r = await broker.http.get(f"/v1/utilisation/findings/mine:{PERIOD}", headers=broker.unit())
    assert r.json()["cpu_class"] == "low"
    assert (
        await broker.http.get(
            f"/v1/utilisation/findings/mine:{PERIOD}", headers=broker.unit("org-b")
        )
    ).status_code == 404


async def test_client_stream_of_figures(broker):
    names = [f"r{i}" for i in range(30)]
    await active_resources(broker, names, platform="pa")
    await active_resources(broker, ["other"], platform="pb")
    auth = [("authorization", broker.provider("pa")["authorization"])]

    def batches(ids, cpu="7.5"):
        for i in range(0, len(ids), 10):
            yield ppb.ReportUtilisationRequest(
                figures=[
                    types_pb2.UtilisationFigure(
                        resource_id=r,
                        period=PERIOD,
                        cpu_avg_percent=cpu,
                        memory_avg_percent="40",
                        storage_used_gb="50",
                        storage_total_gb="100",
                    )
                    for r in ids[i : i + 10]
                ]
            )

    async with grpc.aio.insecure_channel(f"127.0.0.1:{broker.grpc_port}") as ch:
        stub = ppb_grpc.ProviderServiceStub(ch)
        resp = await stub.ReportUtilisation(batches(names), metadata=auth)
        assert resp.accepted == 30
        for ids, cpu, code in (
            (["other"], "7.5", grpc.StatusCode.INVALID_ARGUMENT),
            (["r1"], "100.01", grpc.StatusCode.INVALID_ARGUMENT),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await stub.ReportUtilisation(batches(ids, cpu), metadata=auth)
            assert err.value.code() is code
        # A figure holding U+0000 in a streamed batch is named, as in a unary request.
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ReportUtilisation(batches(["r1", "r\x002"]), metadata=auth)
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert err.value.details() == (
            "figures.1.resource_id: must not contain the NUL character (U+0000)"
            " (refused at batch 0; nothing stored)"
        ), err.value.details()
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ReportUtilisation(batches(names))
        assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED
    r = await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.admin, json={"period": PERIOD}
    )
    assert r.json()["findings"] == {"low": 30, "missing": 1}


async def test_dispute_without_good_reason_marks_the_unit(broker, monkeypatch, clock):
    await active_resources(broker, ["idle", "busy", "idle2"])
    sup = broker.token("sup-1", "org-sup", ["supervision_provider"])
    await broker.http.post(
        "/v1/utilisation/figures",
        headers=sup,
        json={"figures": [fig("idle", cpu="3"), fig("busy", cpu="90"), fig("idle2", cpu="2")]},
    )
    await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.admin, json={"period": PERIOD}
    )
    idle, idle2, busy = f"idle:{PERIOD}", f"idle2:{PERIOD}", f"busy:{PERIOD}"
    u = broker.unit()
    r = await broker.http.post(
        f"/v1/utilisation/findings/{idle}/response", headers=u, json={"accept": True}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "plan"
    r = await broker.http.post(
        f"/v1/utilisation/findings/{busy}/response",
        headers=u,
        json={"accept": False, "reason": "x"},
    )
    assert r.status_code == 409  # a high finding is not answered
    r = await broker.http.post(
        f"/v1/utilisation/findings/{idle2}/response",
        headers=u,
        json={"accept": True, "plan": "downsize"},
    )
    assert r.json()["status"] == "accepted"
    r = await broker.http.post(
        f"/v1/utilisation/findings/{idle}/response",
        headers=broker.unit("org-b"),
        json={"accept": False, "reason": "x"},
    )
    assert r.status_code == 404
    r = await broker.http.post(
        f"/v1/utilisation/findings/{idle}/response",
        headers=u,
        json={"accept": False, "reason": "年底业务高峰"},
    )
    assert r.json()["status"] == "disputed"
    r = await broker.http.post(
        f"/v1/utilisation/findings/{idle}/ruling",
        headers=broker.admin,
        json={"good_reason": False, "reason": "历史数据不支持"},
    )
    assert r.status_code == 200 and r.json()["status"] == "refused"
    assert await broker.events("org-a") == ["marked"]
    # Marked for 2026 (the ruling's year in China): requests filed in 2026 are refused, citing L11.
    assert await marked_years(broker) == [2026]
    monkeypatch.setattr(request_flows, "utcnow", lambda: NOW)
    pid = await broker.approved_project()
    body = await broker.file(pid, expect=422)
    assert [(d["rule_id"], d["article"]) for d in body["decisions"]] == [
        ("L11", "SN C art13, art14")
    ]
    # A high finding lets the unit expand, referring to it; a low one does not.
    r = await broker.http.post(
        "/v1/resource-requests/busy/changes",
        headers=u,
        json={"items": [{"sku": "ecs.vcpu", "quantity": 8}], "reason": "扩容", "finding_id": idle},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "finding_id"


async def test_expansion_refers_to_a_high_finding(broker):
    await active_resources(broker, ["busy"])
    sup = broker.token("sup-1", "org-sup", ["supervision_provider"])
    await broker.http.post(
        "/v1/utilisation/figures", headers=sup, json={"figures": [fig("busy", cpu="90")]}
    )
    await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.admin, json={"period": PERIOD}
    )
    r = await broker.http.post(
        "/v1/resource-requests/busy/changes",
        headers=broker.unit(),
        json={
            "items": [{"sku": "ecs.vcpu", "quantity": 16}],
            "reason": "扩容",
            "finding_id": f"busy:{PERIOD}",
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["finding_id"] == f"busy:{PERIOD}"


async def test_no_l11_in_pingdingshan(broker_pds):
    r = await broker_pds.http.post(
        "/v1/utilisation/classifications", headers=broker_pds.admin, json={"period": PERIOD}
    )
    assert r.status_code == 409 and "L11" in r.json()["detail"]


async def test_concurrent_runs_of_a_month_record_each_finding_once(broker):
    names = [f"c{i}" for i in range(40)]
    await active_resources(broker, names)
    sup = broker.token("sup-1", "org-sup", ["supervision_provider"])
    figures = [fig(n, cpu="5" if i % 2 else "30") for i, n in enumerate(names)]
    r = await broker.http.post("/v1/utilisation/figures", headers=sup, json={"figures": figures})
    assert r.status_code == 200, r.text

    async def run():
        return await broker.http.post(
            "/v1/utilisation/classifications", headers=broker.admin, json={"period": PERIOD}
        )

    # Both runs start before either commits; the second waits and then adds nothing.
    first, second = await asyncio.gather(run(), run())
    assert (first.status_code, second.status_code) == (200, 200), (first.text, second.text)
    assert first.json()["findings"] == second.json()["findings"] == {"low": 20, "normal": 20}
    runs = (
        await broker.http.get(
            "/v1/utilisation/classifications", headers=broker.admin, params={"period": PERIOD}
        )
    ).json()
    assert [r["counts"] for r in runs] == [{"low": 20, "normal": 20}] * 2
    assert await broker.events(f"org-a:{PERIOD}") == ["findings_recorded"]


async def test_figures_of_a_month_not_begun_are_refused(broker, clock):
    await active_resources(broker, ["mine", "also"], platform="pa")
    pa = broker.provider("pa")
    body = {"figures": [{**fig("mine"), "period": NEXT}, {**fig("also"), "period": CURRENT}]}
    r = await broker.http.post("/v1/utilisation/figures", headers=pa, json=body)
    assert r.status_code == 422, r.text
    [error] = r.json()["errors"]
    assert error["field"] == "figures.0.period" and CITED in error["message"], error
    assert await stored_figures(broker) == []  # not even the batch's valid figure
    # The month under way in China is taken (figures so far; the latest report wins).
    r = await broker.http.post(
        "/v1/utilisation/figures",
        headers=pa,
        json={"figures": [{**fig("mine"), "period": CURRENT}]},
    )
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
    assert await stored_figures(broker) == [("mine", CURRENT)]


async def test_client_stream_refuses_a_month_not_begun(broker, clock):
    await active_resources(broker, ["r0", "r1", "r2"], platform="pa")
    auth = [("authorization", broker.provider("pa")["authorization"])]

    def figure(rid, period):
        return types_pb2.UtilisationFigure(
            resource_id=rid,
            period=period,
            cpu_avg_percent="7.5",
            memory_avg_percent="40",
            storage_used_gb="50",
            storage_total_gb="100",
        )

    def stream():
        yield ppb.ReportUtilisationRequest(figures=[figure("r0", CURRENT), figure("r1", NEXT)])
        yield ppb.ReportUtilisationRequest(figures=[figure("r2", CURRENT)])

    async with grpc.aio.insecure_channel(f"127.0.0.1:{broker.grpc_port}") as ch:
        stub = ppb_grpc.ProviderServiceStub(ch)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ReportUtilisation(stream(), metadata=auth)
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        details = err.value.details()
        assert details.startswith("figures.1.period:") and CITED in details, details
        assert details.endswith("(refused at batch 0; nothing stored)"), details
        assert await stored_figures(broker) == []

        def good_then_bad():
            yield ppb.ReportUtilisationRequest(figures=[figure("r0", CURRENT)])
            yield ppb.ReportUtilisationRequest(figures=[figure("r2", NEXT)])

        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ReportUtilisation(good_then_bad(), metadata=auth)
        details = err.value.details()
        # The first batch stayed stored, and the caller is told so.
        assert details.endswith("(refused at batch 1; the batches before it stored 1 figure)"), (
            details
        )
        assert await stored_figures(broker) == [("r0", CURRENT)]
        resp = await stub.ReportUtilisation(
            iter([ppb.ReportUtilisationRequest(figures=[figure("r1", CURRENT)])]), metadata=auth
        )
        assert resp.accepted == 1
    assert await stored_figures(broker) == [("r0", CURRENT), ("r1", CURRENT)]


async def test_client_stream_refuses_batches_once_its_token_expires(broker, clock):
    """Regression: the stream's token was verified once, so a provider could go on sending
    figures on it after the token expired. Now a batch sent after the expiry is refused
    (UNAUTHENTICATED) and what was stored before it is said. No timing is asserted: the stream
    waits for the expiry before its second batch."""
    await active_resources(broker, ["r0", "r1"], platform="pa")
    token = broker.issuer.issue("robot-pa", "org-pa", ["cloud_provider"], provider_id="pa", ttl_s=5)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]

    def figure(rid):
        return types_pb2.UtilisationFigure(
            resource_id=rid,
            period=CURRENT,
            cpu_avg_percent="7.5",
            memory_avg_percent="40",
            storage_used_gb="50",
            storage_total_gb="100",
        )

    async def before_and_after():
        yield ppb.ReportUtilisationRequest(figures=[figure("r0")])
        await asyncio.sleep(exp + 1 - time.time())  # past the token's expiry
        yield ppb.ReportUtilisationRequest(figures=[figure("r1")])

    async with grpc.aio.insecure_channel(f"127.0.0.1:{broker.grpc_port}") as ch:
        stub = ppb_grpc.ProviderServiceStub(ch)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            resp = await stub.ReportUtilisation(
                before_and_after(), metadata=[("authorization", f"Bearer {token}")]
            )
            pytest.fail(f"a batch sent after the expiry was taken: {resp}")
    assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED, err.value
    details = err.value.details()
    assert details == "token expired (refused at batch 1; the batches before it stored 1 figure)"
    assert await stored_figures(broker) == [("r0", CURRENT)]


async def test_only_a_month_that_has_ended_is_classified(broker, clock):
    await active_resources(broker, ["idle"])
    sup = broker.token("sup-1", "org-sup", ["supervision_provider"])
    r = await broker.http.post(
        "/v1/utilisation/figures",
        headers=sup,
        json={"figures": [{**fig("idle", cpu="3"), "period": CURRENT}]},
    )
    assert r.status_code == 200, r.text
    for period in (CURRENT, NEXT):
        r = await broker.http.post(
            "/v1/utilisation/classifications", headers=broker.admin, json={"period": period}
        )
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert error["field"] == "period" and CITED in error["message"], error
    # Nothing changed: no run, no finding, no unit told.
    assert (
        await broker.http.get("/v1/utilisation/classifications", headers=broker.admin)
    ).json() == []
    r = await broker.http.get("/v1/utilisation/findings", headers=broker.admin)
    assert r.json()["items"] == []
    assert await broker.events(f"org-a:{CURRENT}") == []
    # Last month has ended (in China, though UTC is still in it).
    r = await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.admin, json={"period": LAST}
    )
    assert r.status_code == 200 and r.json()["period"] == LAST, r.text
    runs = (await broker.http.get("/v1/utilisation/classifications", headers=broker.admin)).json()
    assert [run["period"] for run in runs] == [LAST]


async def disputed_finding(broker, monkeypatch, period: str, classified_at: datetime) -> str:
    """An idle resource's low finding of `period`, classified at `classified_at` (the month
    has ended by then) and disputed by the unit; returns the finding's id."""
    monkeypatch.setattr(flows, "utcnow", lambda: classified_at)
    await active_resources(broker, ["idle"])
    sup = broker.token("sup-1", "org-sup", ["supervision_provider"])
    r = await broker.http.post(
        "/v1/utilisation/figures",
        headers=sup,
        json={"figures": [{**fig("idle", cpu="3"), "period": period}]},
    )
    assert r.status_code == 200, r.text
    r = await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.admin, json={"period": period}
    )
    assert r.status_code == 200, r.text
    finding = f"idle:{period}"
    r = await broker.http.post(
        f"/v1/utilisation/findings/{finding}/response",
        headers=broker.unit(),
        json={"accept": False, "reason": "年底业务高峰"},
    )
    assert r.json()["status"] == "disputed", r.text
    return finding


async def rule_without_good_reason(broker, monkeypatch, finding: str, at: datetime) -> None:
    monkeypatch.setattr(flows, "utcnow", lambda: at)
    r = await broker.http.post(
        f"/v1/utilisation/findings/{finding}/ruling",
        headers=broker.admin,
        json={"good_reason": False, "reason": "历史数据不支持"},
    )
    assert r.status_code == 200 and r.json()["status"] == "refused", r.text


async def marked_years(broker, org="org-a") -> list[int]:
    async with broker.running.runtime.db.sessions() as s:
        rows = await s.scalars(select(UnitMark.year).where(UnitMark.org_id == org))
        return sorted(rows)


async def test_a_december_finding_ruled_in_january_marks_the_new_year(broker, monkeypatch):
    """L11 (SN C art14): the unit's requests of 本年度 are refused, the year the refusal is
    established (the ruling), not the finding's month: December is classified only in January,
    so a mark on the finding's year would land on a year already over."""
    # 10:00 on 4 January 2027 in China.
    ruled_at = datetime(2027, 1, 4, 2, tzinfo=UTC)
    finding = await disputed_finding(broker, monkeypatch, "2026-12", ruled_at)
    await rule_without_good_reason(broker, monkeypatch, finding, ruled_at)
    assert await marked_years(broker) == [2027]
    # A request submitted in 2027 (China) is refused, citing L11 and its article.
    monkeypatch.setattr(request_flows, "utcnow", lambda: ruled_at + timedelta(days=30))
    pid = await broker.approved_project()
    body = await broker.file(pid, expect=422)
    assert [(d["rule_id"], d["article"]) for d in body["decisions"]] == [
        ("L11", "SN C art13, art14")
    ]


async def test_a_ruling_on_new_years_eve_utc_marks_chinas_new_year(broker, monkeypatch):
    """17:00 UTC on 31 December 2026 is 01:00 on 1 January 2027 in China: the mark is 2027's,
    and a request at 00:30 on 1 January in China (still 2026 in UTC) is refused."""
    ruled_at = datetime(2026, 12, 31, 17, tzinfo=UTC)
    finding = await disputed_finding(broker, monkeypatch, "2026-11", ruled_at)
    await rule_without_good_reason(broker, monkeypatch, finding, ruled_at)
    assert await marked_years(broker) == [2027]
    monkeypatch.setattr(request_flows, "utcnow", lambda: datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    pid = await broker.approved_project()
    body = await broker.file(pid, expect=422)
    assert [d["rule_id"] for d in body["decisions"]] == ["L11"]
