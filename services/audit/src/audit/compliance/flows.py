"""Use cases of compliance that change state: checking each appended entry, raising the
findings that fell due, and resolving them. Each finding commits with its event."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from audit.compliance import service
from audit.compliance.models import Finding
from audit.log.models import AuditEntry
from govit.audit.v1 import events_pb2
from govit.common.v1 import common_pb2
from govit_kit.auth import Principal
from govit_kit.convert import to_actor, to_timestamp
from govit_kit.db import utcnow
from govit_kit.uow import UnitOfWork

log = logging.getLogger(__name__)


async def check_entry(rt, uow: UnitOfWork, row: AuditEntry) -> None:
    """Run the checks on an entry in the transaction that appends it."""
    await service.on_append(
        uow.session,
        row,
        profile=rt.profile,
        calendar=rt.calendar,
        grace=timedelta(seconds=rt.settings.audit_compliance_grace_s),
    )


def _rule(f: Finding) -> common_pb2.RuleRef:
    return common_pb2.RuleRef(rule_id=f.rule_id, article=f.article)


async def raise_due(rt, now: datetime | None = None) -> list[Finding]:
    """Turn every watch past its time into a finding and its FindingRaised event; first count
    again the watches counted on a year since published (service.recount), and those of the
    month checks stored before the rest-day rule (service.realign, 民法典 art 203), so that none
    is raised on a date the calendar does not give it."""
    raised: list[Finding] = []
    async with rt.db.unit_of_work() as uow:
        await service.recount(uow.session, profile=rt.profile, calendar=rt.calendar)
        await service.realign(uow.session, profile=rt.profile, calendar=rt.calendar)
        for watch in await service.due_watches(uow.session, now or utcnow()):
            finding = await service.finding_from(
                uow.session, watch, profile=rt.profile, calendar=rt.calendar
            )
            if finding is None:
                continue
            await uow.emit(
                "finding",
                "raised",
                events_pb2.FindingRaised(
                    finding_id=finding.id,
                    check=finding.check_code,
                    rule=_rule(finding),
                    summary=finding.summary,
                    project_id=finding.project_id or "",
                    org_id=finding.org_id or "",
                    evidence_leaf_indexes=finding.evidence,
                    raised_at=to_timestamp(finding.raised_at),
                ),
                subject=finding.id,
                org_id=finding.org_id,
                project_id=finding.project_id,
            )
            raised.append(finding)
    return raised


async def resolve(uow: UnitOfWork, who: Principal, finding_id: str, resolution: str) -> Finding:
    """An auditor closes a finding; FindingResolved lets holds on its project go."""
    finding = await service.resolve(uow.session, who, finding_id, resolution)
    await uow.emit(
        "finding",
        "resolved",
        events_pb2.FindingResolved(
            finding_id=finding.id,
            check=finding.check_code,
            rule=_rule(finding),
            project_id=finding.project_id or "",
            org_id=finding.org_id or "",
            resolution=resolution,
            resolved_by=to_actor(who),
            resolved_at=to_timestamp(finding.resolved_at),
        ),
        subject=finding.id,
        org_id=finding.org_id,
        project_id=finding.project_id,
    )
    return finding


async def watch_deadlines(rt, stop: asyncio.Event) -> None:
    """From start-up on, every GOVIT_AUDIT_COMPLIANCE_INTERVAL_S, raise the findings that fell
    due (recounting first). Watches live in the database, so a restart loses none."""
    while not stop.is_set():
        try:
            await raise_due(rt)
        except Exception:  # a database hiccup: try again next round
            log.exception("raising compliance findings failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=rt.settings.audit_compliance_interval_s)
        except TimeoutError:
            pass
