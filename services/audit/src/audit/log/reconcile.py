"""Reconciliation (J4): what each service's outbox published against what the log holds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from audit.log import service
from audit.log.models import AuditEntry
from govit.platform.v1 import outbox_service_pb2 as pb
from govit.platform.v1 import outbox_service_pb2_grpc as pb_grpc
from govit_kit.auth import Principal
from govit_kit.convert import from_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Unavailable
from govit_kit.rpc import call_peer

PUBLISHERS = ["intake", "review", "cloud_broker", "finance"]
SHOWN = 100  # ids listed per kind; the counts are complete


async def published_by(rt, peer: str, who: Principal) -> list[pb.PublishedEvent]:
    """Every event a peer's outbox published, paging through its OutboxService."""
    stub = pb_grpc.OutboxServiceStub(rt.channel(peer))
    events, after = [], 0
    while True:
        page = await call_peer(
            stub.ListPublishedEvents,
            pb.ListPublishedEventsRequest(after_seq=after, page_size=1000),
            who,
            timeout=30,
        )
        events += page.events
        if len(page.events) < 1000:
            return events
        after = page.last_seq


async def reconcile(rt, who: Principal) -> dict:
    """Per service: published, logged, missing (published longer ago than the grace period and
    not in the log), in flight (published just now), and logged but never published.

    The listing and the log are read one after the other while events keep flowing, so an event
    published and logged between the two reads is in the log but not in the listing. Only
    entries the log held before the listing began are compared with it (the log's size, read
    first, bounds them: leaves are numbered in commit order), and of those only the ones logged
    longer ago than the grace period: a service marks an event published after the broker's
    ack, so audit may log it a moment before the service records it as published. Later
    entries are counted as `logged_in_flight` and compared at the next reconciliation."""
    grace = timedelta(seconds=rt.settings.audit_reconcile_grace_s)
    report: dict = {"ok": True, "grace_seconds": grace.total_seconds(), "services": {}}
    for peer in PUBLISHERS:
        async with rt.db.sessions() as session:
            bound = await service.tree_size(session) or 0
        cutoff = utcnow() - grace
        try:
            published = await published_by(rt, peer, who)
        except Unavailable as exc:
            report["ok"] = False
            report["services"][peer] = {"error": f"unreachable: {exc.detail}"}
            continue
        async with rt.db.sessions() as session:
            rows = (
                await session.execute(
                    select(
                        AuditEntry.event_id, AuditEntry.leaf_index, AuditEntry.recorded_at
                    ).where(AuditEntry.source == f"/govit/{peer}")
                )
            ).all()
        logged = {r.event_id for r in rows}
        settled = {r.event_id for r in rows if r.leaf_index < bound and r.recorded_at < cutoff}
        ids = {e.event_id for e in published}
        missing = [
            e.event_id
            for e in published
            if e.event_id not in logged and from_timestamp(e.published_at) < cutoff
        ]
        in_flight = [
            e.event_id
            for e in published
            if e.event_id not in logged and from_timestamp(e.published_at) >= cutoff
        ]
        unexpected = sorted(settled - ids)
        report["ok"] &= not missing and not unexpected
        report["services"][peer] = {
            "published": len(ids),
            "logged": len(logged),
            "missing": len(missing),
            "in_flight": len(in_flight),
            "logged_not_published": len(unexpected),
            "logged_in_flight": len(logged - settled - ids),
            "missing_ids": missing[:SHOWN],
            "logged_not_published_ids": unexpected[:SHOWN],
        }
    return report
