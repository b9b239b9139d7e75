"""Use cases of the yearly progress and performance report during construction (F6)."""

from sqlalchemy import select

from govit.review.v1 import events_pb2
from govit_kit.auth import PROJECT_READERS, UNIT_ROLES, Principal, Role
from govit_kit.convert import to_actor, to_decision, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.policy import SHANGHAI, Decision, PolicyProfile
from govit_kit.uow import UnitOfWork
from review.acceptance.enums import Stage
from review.acceptance.models import Acceptance
from review.cases import service as cases
from review.cases.enums import CaseStatus
from review.cases.models import ReviewCase
from review.progress import rules
from review.progress.models import ProgressReport
from review.progress.schemas import ProgressReportCreate

SUBMITTED, OVERDUE = "submitted", "overdue"
# Under construction: approved (a chain stage), not terminated, not yet (finally) accepted.
BUILDING = (CaseStatus.CONCLUDED, CaseStatus.SUSPENDED)
DONE = (Stage.SINGLE, Stage.FINAL)


def _first_year(case: ReviewCase) -> int:
    """The year construction began: the approving conclusion's, in China."""
    return (case.concluded_at or case.opened_at).astimezone(SHANGHAI).year


async def _accepted(session, case_id: str) -> bool:
    return (
        await session.scalar(
            select(Acceptance.id).where(Acceptance.case_id == case_id, Acceptance.stage.in_(DONE))
        )
        is not None
    )


async def _emit(uow: UnitOfWork, who: Principal, row: ProgressReport, decisions: list[Decision]):
    await uow.emit(
        "progress_report",
        row.status,
        events_pb2.ProgressReportRecorded(
            report_id=row.id,
            case_id=row.case_id,
            project_id=row.project_id,
            org_id=row.org_id,
            year=row.year,
            status=row.status,
            decisions=[to_decision(d) for d in decisions],
            actor=to_actor(who),
            recorded_at=to_timestamp(utcnow()),
        ),
        subject=row.id,
        org_id=row.org_id,
        project_id=row.project_id,
    )


async def submit(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    case_id: str,
    data: ProgressReportCreate,
) -> ProgressReport:
    """F6 (YY art21): the unit's report for a year of construction; a year flagged overdue
    takes its report late (the flag stays in the record)."""
    who.require(*UNIT_ROLES)
    case = await cases.get(session=uow.session, case_id=case_id, who=who)
    if not profile.applies("F6"):
        raise Conflict(
            f"F6 does not apply in profile {profile.name}: no yearly report during construction",
            rule_id="F6",
        )
    if not case.chain_stage or case.status not in BUILDING:
        raise Conflict(
            f"case is {case.status}; only a project under construction reports", state=case.status
        )
    if await _accepted(uow.session, case.id):
        raise Conflict("the project is accepted: construction is over", state="accepted")
    now = utcnow()
    first, current = _first_year(case), now.astimezone(SHANGHAI).year
    if not first <= data.year <= current:
        raise InvalidInput("year", f"a year of construction, {first} to {current}")
    row = await uow.session.scalar(
        select(ProgressReport)
        .where(ProgressReport.case_id == case.id, ProgressReport.year == data.year)
        .with_for_update()
    )
    if row is not None and row.status == SUBMITTED:
        raise Conflict(f"the {data.year} report is already submitted", state=SUBMITTED)
    decision = rules.recorded(profile, data.year, at=now)
    if row is None:
        row = ProgressReport(
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            year=data.year,
            decisions=[],
        )
        uow.session.add(row)
    row.status = SUBMITTED
    row.progress, row.investment_execution = data.progress, data.investment_execution
    row.trial_run_effects = data.trial_run_effects
    row.submitted_by, row.submitted_at = who.subject, now
    row.decisions = [*row.decisions, decision.to_dict()]
    await uow.session.flush()
    await _emit(uow, who, row, [decision])
    return row


def visible(who: Principal, case_id: str):
    """The select of a case's reports the caller may list."""
    query = select(ProgressReport).where(ProgressReport.case_id == case_id)
    scope = who.org_scope(PROJECT_READERS)
    query = query if scope is None else query.where(ProgressReport.org_id == scope)
    return query.order_by(ProgressReport.year)


async def flag_overdue(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile
) -> list[ProgressReport]:
    """F6: flag, once, each year whose deadline has passed with no report from a project under
    construction (run by the daily sweep, or by the bureau)."""
    who.require(Role.BUREAU_REVIEWER, Role.PLATFORM_OPERATOR)
    if not profile.applies("F6"):
        return []
    now = utcnow()
    under_construction = (
        ReviewCase.chain_stage.is_not(None),
        ReviewCase.status.in_(BUILDING),
        ~select(Acceptance.id)
        .where(Acceptance.case_id == ReviewCase.id, Acceptance.stage.in_(DONE))
        .exists(),
    )
    building = list(
        await uow.session.scalars(
            select(ReviewCase)
            .where(*under_construction)
            .order_by(ReviewCase.opened_at, ReviewCase.id)
        )
    )
    known: dict[str, set[int]] = {}
    if building:
        # The years reported, of the same cases chosen in SQL (a join): a list of their ids
        # would be one bound parameter per case, past the driver's limit (32,767 on asyncpg).
        for case_id, year in await uow.session.execute(
            select(ProgressReport.case_id, ProgressReport.year)
            .join(ReviewCase, ReviewCase.id == ProgressReport.case_id)
            .where(*under_construction)
        ):
            known.setdefault(case_id, set()).add(year)
    flagged = []
    for case in building:
        years = rules.late_years(
            profile, first_year=_first_year(case), reported=known.get(case.id, set()), now=now
        )
        for year in years:
            flag = rules.overdue(profile, year)
            row = ProgressReport(
                case_id=case.id,
                project_id=case.project_id,
                org_id=case.org_id,
                year=year,
                status=OVERDUE,
                decisions=[flag.to_dict()],
                overdue_flagged_at=now,
            )
            uow.session.add(row)
            await uow.session.flush()
            await _emit(uow, who, row, [flag])
            flagged.append(row)
    return flagged
