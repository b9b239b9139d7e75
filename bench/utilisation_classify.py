"""Utilisation (L11): figures streamed over gRPC into PostgreSQL, then the monthly classification.

Setup (not timed): the broker runs in this process on a fresh database, with N active
resources (50 x n: 100,000 at the default n=2000, 15,000 with --quick) stably running for
6 months; 2% of them get no figures (they must come out as "missing").
Figure 1 (printed on its own line): the figures streamed by one provider through
ProviderService.ReportUtilisation (client streaming, batches of 1,000), in figures/s.
Figure 2 (the result line): the month's first classification run, in ms: one INSERT ... SELECT
of every finding (normal ones too) counted by its RETURNING, the run row with the totals, and
one event per unit, committed. Also printed: the classifying SELECT alone, counted but not
written, which shows what the writing costs; and on PostgreSQL the writing alone (the same rows
stored as findings with nothing classified), the floor of any classification that records a
finding per resource. Reference: a plain SQL aggregate over the same
rows (the join of active resources and the period's figures, grouped by unit; every resource
is older than the stability cutoff, so both read all of them, as the counts check), in ms;
ratio = classification / aggregate (goal: within 2x). The two alternate over rounds; between
rounds (not timed) the findings and runs are deleted, so each round is again the month's
first run; the medians are reported.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import grpc
from sqlalchemy import delete, func, select, text

from bench.infra import Infra, Result
from cloud_broker.config import CloudBrokerSettings
from cloud_broker.main import spec as broker_spec
from cloud_broker.requests.models import ResourceRequest
from cloud_broker.utilisation import flows
from cloud_broker.utilisation.models import (
    ClassificationRun,
    UtilisationFigure,
    UtilisationFinding,
)
from govit.cloud_broker.v1 import provider_service_pb2 as ppb
from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc
from govit.cloud_broker.v1 import types_pb2
from govit_kit.auth import TokenIssuer, generate_dev_keys
from govit_kit.db import utcnow
from govit_kit.testing import Databases, EventSpace, delete_stream, run_service

NAME = "utilisation_classify"
PERIOD = "2026-10"
BATCH = 1000
ROUNDS = 3
UNITS = 200


def resources(count: int) -> list[dict]:
    since = datetime(2026, 3, 1, tzinfo=UTC)  # stable for months before PERIOD, whatever today is
    return [
        {
            "id": f"res-{i:06d}",
            "project_id": "p",
            "org_id": f"org-{i % UNITS:03d}",
            "service_mode": "general",
            "items": [{"sku": "ecs.vcpu", "quantity": 8}],
            "status": "active",
            "decisions": [],
            "submitted_by": "bench",
            "submitted_at": since,
            "version": 1,
            "materials": {},
            "new_system": True,
            "platform_id": "pa",
            "resource_ids": [f"vm-{i}"],
            "activated_at": since,
            "updated_at": since,
            "vcpu": 8,
            "memory_gb": 32,
            "storage_gb": 1000,
        }
        for i in range(count)
    ]


def batches(count: int):
    """Figures of every resource but each 50th, spread over the classes."""
    figures = []
    for i in range(count):
        if i % 50 == 49:
            continue
        total = 500 + (i % 7) * 700
        figures.append(
            types_pb2.UtilisationFigure(
                resource_id=f"res-{i:06d}",
                period=PERIOD,
                cpu_avg_percent=f"{(i * 7) % 100}.{i % 10}" if (i * 7) % 100 < 100 else "99",
                memory_avg_percent=f"{(i * 13) % 100}",
                storage_used_gb=f"{total * ((i * 11) % 100) / 100:.2f}",
                storage_total_gb=f"{total}",
            )
        )
        if len(figures) == BATCH:
            yield ppb.ReportUtilisationRequest(figures=figures)
            figures = []
    if figures:
        yield ppb.ReportUtilisationRequest(figures=figures)


# The writing alone: the same rows joined and stored as findings with nothing classified
# (constant classes, the current sizes): the least any classification that records a finding
# per resource pays on this machine. PostgreSQL only.
WRITE_ONLY = text(
    "INSERT INTO utilisation_finding (id, resource_id, org_id, period, cpu_class, "
    "memory_class, storage_class, finding, cpu_avg_percent, memory_avg_percent, "
    "storage_used_gb, storage_total_gb, vcpu, memory_gb, recommended_vcpu, "
    "recommended_memory_gb, recommended_storage_gb, rule_id, article, status, plan, "
    "response_reason, ruling_reason, created_at, version, run_id) "
    "SELECT r.id || ':' || :period, r.id, r.org_id, :period, 'normal', 'normal', 'normal', "
    "'normal', u.cpu_avg_percent, u.memory_avg_percent, u.storage_used_gb, "
    "u.storage_total_gb, r.vcpu, r.memory_gb, r.vcpu, r.memory_gb, NULL, 'L11', '', "
    "'closed', '', '', '', now(), 1, 'floor' "
    "FROM resource_request r LEFT JOIN utilisation_figure u "
    "ON u.resource_id = r.id AND u.period = :period WHERE r.status = 'active'"
)

AGGREGATE = text(
    "SELECT r.org_id, count(*), avg(u.cpu_avg_percent), avg(u.memory_avg_percent), "
    "sum(u.storage_used_gb), sum(u.storage_total_gb) "
    "FROM resource_request r LEFT JOIN utilisation_figure u "
    "ON u.resource_id = r.id AND u.period = :period "
    "WHERE r.status = 'active' GROUP BY r.org_id"
)


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    count = max(1000, n * 50)
    tmp = Path(infra.tmp.name) / "utilisation"
    generate_dev_keys(tmp)
    databases = Databases(infra.pg_url) if infra.use_pg else None
    url = (
        await databases.create("bench_utilisation")
        if databases
        else f"sqlite+aiosqlite:///{tmp / 'broker.db'}"
    )
    space = EventSpace(infra.nats_url, "BENCH_UTIL", "butil.govit")
    settings = CloudBrokerSettings(
        service="cloud_broker",
        database_url=url,
        nats_url=infra.nats_url,
        stream=space.stream,
        subject_root=space.subject_root,
        data_dir=tmp,
        http_port=0,
        grpc_port=0,
        scheduler_interval_s=3600,
    )
    running = await run_service(broker_spec(), settings)
    try:
        db = running.runtime.db
        rows = resources(count)
        async with db.unit_of_work() as uow:
            for i in range(0, count, 5000):
                await uow.session.execute(ResourceRequest.__table__.insert(), rows[i : i + 5000])
        token = TokenIssuer.from_settings(settings).issue(
            "robot-pa", "org-pa", ["cloud_provider"], provider_id="pa"
        )
        async with grpc.aio.insecure_channel(f"127.0.0.1:{running.grpc_port}") as channel:
            stub = ppb_grpc.ProviderServiceStub(channel)
            started = time.perf_counter()
            resp = await stub.ReportUtilisation(
                batches(count), metadata=[("authorization", f"Bearer {token}")], timeout=600
            )
            stream_s = time.perf_counter() - started
        async with db.sessions() as s:
            stored = await s.scalar(select(func.count()).select_from(UtilisationFigure))
        assert stored == resp.accepted, (stored, resp.accepted)
        print(
            f"{'utilisation_stream':<20}  {resp.accepted / stream_s:>7.0f} figures/s | "
            f"{resp.accepted} figures of {count} resources over gRPC client streaming, "
            f"{stream_s:.1f} s",
            flush=True,
        )
        profile = running.runtime.profile
        classify_ms, aggregate_ms = [], []

        async def classify() -> float:
            async with db.unit_of_work() as uow:
                if infra.use_pg:
                    await uow.session.execute(
                        text("TRUNCATE utilisation_finding, classification_run")
                    )
                else:
                    await uow.session.execute(delete(UtilisationFinding))
                    await uow.session.execute(delete(ClassificationRun))
            t = time.perf_counter()
            async with db.unit_of_work() as uow:
                found = await flows.classify_in(uow=uow, profile=profile, period=PERIOD)
            elapsed = (time.perf_counter() - t) * 1000
            assert sum(found.values()) == count and found.get("missing") == count // 50, found
            return elapsed

        async def aggregate() -> float:
            t = time.perf_counter()
            async with db.sessions() as s:
                groups = (await s.execute(AGGREGATE, {"period": PERIOD})).all()
            assert len(groups) == min(UNITS, count)
            return (time.perf_counter() - t) * 1000

        async def classify_select() -> float:
            # The classifying SELECT alone (what the INSERT reads), counted, not written.
            sub = flows.classification_select(profile, PERIOD, "run", utcnow())[0].subquery()
            # Group by what it computes, so every class and recommendation is evaluated.
            q = select(
                sub.c.finding,
                func.count(),
                func.sum(sub.c.recommended_vcpu),
                func.sum(sub.c.recommended_memory_gb),
                func.sum(sub.c.recommended_storage_gb),
            ).group_by(sub.c.finding)
            t = time.perf_counter()
            async with db.sessions() as s:
                rows = (await s.execute(q)).all()
            assert sum(r[1] for r in rows) == count
            return (time.perf_counter() - t) * 1000

        async def write_only() -> float:
            async with db.unit_of_work() as uow:
                await uow.session.execute(text("TRUNCATE utilisation_finding"))
            t = time.perf_counter()
            async with db.unit_of_work() as uow:
                written = (await uow.session.execute(WRITE_ONLY, {"period": PERIOD})).rowcount
            elapsed = (time.perf_counter() - t) * 1000
            assert written == count, written
            return elapsed

        select_ms = [await classify_select() for _ in range(ROUNDS)]
        write_ms = [await write_only() for _ in range(ROUNDS)] if infra.use_pg else []
        for r in range(ROUNDS):
            if r % 2 == 0:
                aggregate_ms.append(await aggregate())
                classify_ms.append(await classify())
            else:
                classify_ms.append(await classify())
                aggregate_ms.append(await aggregate())
        print(
            f"{'utilisation_select':<20}  {statistics.median(select_ms):>7.0f} ms        | "
            f"the classifying SELECT alone (not written), ratio to the aggregate "
            f"{statistics.median(select_ms) / statistics.median(aggregate_ms):.2f}",
            flush=True,
        )
        if write_ms:
            print(
                f"{'utilisation_write':<20}  {statistics.median(write_ms):>7.0f} ms        | "
                f"the same rows written as findings, nothing classified, ratio to the "
                f"aggregate {statistics.median(write_ms) / statistics.median(aggregate_ms):.2f}",
                flush=True,
            )
        return Result(
            NAME,
            statistics.median(classify_ms),
            "ms",
            f"plain SQL aggregate over the same {count} rows",
            statistics.median(aggregate_ms),
            "ms",
            count,
        )
    finally:
        await running.shutdown()
        await delete_stream(infra.nats_url, space.stream)
        if databases:
            await databases.drop_all()
