"""Review's projection of audit findings (consumed events; emits nothing)."""

from datetime import date

from govit_kit.convert import from_money, from_timestamp
from govit_kit.db import utcnow
from govit_kit.uow import UnitOfWork
from review.portfolio.models import AuditFinding, ProjectActuals


async def _row(uow: UnitOfWork, msg) -> AuditFinding:
    row = await uow.session.get(AuditFinding, msg.finding_id)
    if row is None:
        row = AuditFinding(finding_id=msg.finding_id, summary="")
        uow.session.add(row)
    row.project_id = msg.project_id or row.project_id
    row.org_id = msg.org_id or row.org_id
    row.check = msg.check or row.check or ""
    row.rule_id = msg.rule.rule_id or row.rule_id or ""
    row.article = msg.rule.article or row.article or ""
    return row


async def finding_raised(*, uow: UnitOfWork, msg) -> None:
    """govit.audit.finding.raised: the finding is open on its project."""
    row = await _row(uow, msg)
    row.summary = msg.summary
    row.raised_at = from_timestamp(msg.raised_at) if msg.HasField("raised_at") else utcnow()


async def finding_resolved(*, uow: UnitOfWork, msg) -> None:
    """govit.audit.finding.resolved: the finding is closed."""
    row = await _row(uow, msg)
    row.resolved_at = from_timestamp(msg.resolved_at) if msg.HasField("resolved_at") else utcnow()


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


async def actuals_reported(*, uow: UnitOfWork, msg) -> None:
    """govit.intake.project.actuals_reported: keep the newest planned/actual cost and end date."""
    at = from_timestamp(msg.reported_at) if msg.HasField("reported_at") else utcnow()
    row = await uow.session.get(ProjectActuals, msg.project_id)
    if row is None:
        row = ProjectActuals(project_id=msg.project_id, reported_at=at)
        uow.session.add(row)
    elif row.reported_at > at:
        return  # an older report arriving late
    row.reported_at = at
    row.planned_cost = from_money(msg.planned_cost) if msg.HasField("planned_cost") else None
    row.actual_cost = from_money(msg.actual_cost) if msg.HasField("actual_cost") else None
    row.planned_end, row.actual_end = _date(msg.planned_end), _date(msg.actual_end)
