"""Audit log append throughput: each event one transaction, as the audit consumer applies it.

Figure: `audit.log.flows.append_events` with one event (the next leaf, the subtrees it completes, the log size,
and the compliance checks) in its own unit of work, in entries/s. Reference: bare SQLAlchemy
Core transactions on the same engine inserting one row of the same size, in commits/s. The
sides alternate in rounds.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

from sqlalchemy import Column, LargeBinary, MetaData, String, Table

from audit.db import Base
from audit.log.flows import append_events
from audit.log.models import LogState
from bench.audit_tree import entry
from bench.infra import Infra, Result, alternate
from govit_kit.db import new_id, utcnow
from govit_kit.events import Event
from govit_kit.policy import calendar_for, load_profile

NAME = "audit_append"
WARMUP = 50


def _event(i: int) -> Event:
    return Event(
        id=new_id(),
        type="govit.intake.project.submitted",
        source="/govit/intake",
        subject=f"project-{i}",
        time=utcnow(),
        payload_type="govit.intake.v1.ProjectSubmitted",
        payload=entry(i)[:160],
        org_id=f"org-{i % 97}",
        project_id=f"project-{i}",
        actor="bench",
    )


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    profile = load_profile("suining")
    rt = SimpleNamespace(
        profile=profile,
        calendar=calendar_for(profile),
        settings=SimpleNamespace(audit_compliance_grace_s=30.0),
    )
    bare_meta = MetaData()
    bare = Table(
        "bare_entry",
        bare_meta,
        Column("event_id", String(36), primary_key=True),
        Column("entry", LargeBinary),
    )
    async with infra.database(NAME, Base.metadata, "audit") as db:
        async with db.engine.begin() as conn:
            await conn.run_sync(bare_meta.create_all)
            await conn.execute(LogState.__table__.insert().values(id=1, tree_size=0))
        counter = iter(range(10**9))

        async def reference(count: int) -> float:
            start = time.perf_counter()
            for _ in range(count):
                i = next(counter)
                async with db.engine.begin() as conn:
                    await conn.execute(bare.insert().values(event_id=new_id(), entry=entry(i)))
            return time.perf_counter() - start

        async def subject(count: int) -> float:
            start = time.perf_counter()
            for _ in range(count):
                async with db.unit_of_work() as uow:
                    await append_events(rt, uow=uow, events=[_event(next(counter))])
            return time.perf_counter() - start

        warm = time.perf_counter()
        await reference(WARMUP)
        await subject(WARMUP)
        timed = await alternate(
            n, budget_s, (time.perf_counter() - warm) / WARMUP, reference, subject
        )
    return Result(
        NAME,
        timed.n / timed.subject_s,
        "entries/s",
        "bare Core transaction, one row (same engine)",
        timed.n / timed.reference_s,
        "commits/s",
        timed.n,
    )
