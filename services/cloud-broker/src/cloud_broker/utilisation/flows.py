"""Use cases of utilisation (L11): figures in batches, the monthly classification as one
set-based statement, the unit's answer and the bureau's ruling."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time
from decimal import Decimal

from pydantic import ValidationError
from sqlalchemy import BigInteger, and_, case, cast, func, literal, or_, select, true

from cloud_broker.requests import rules as request_rules
from cloud_broker.requests.enums import RequestStatus
from cloud_broker.requests.models import ResourceRequest, UnitMark
from cloud_broker.utilisation.models import (
    ClassificationRun,
    UtilisationFigure,
    UtilisationFinding,
)
from cloud_broker.utilisation.schemas import FigureIn, FindingResponse, FindingRuling
from govit.cloud_broker.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput, NotFound
from govit_kit.idempotency import check_if_match
from govit_kit.policy import SHANGHAI, Decision, month_in_china
from govit_kit.uow import UnitOfWork

REPORTERS = (Role.CLOUD_PROVIDER, Role.SUPERVISION_PROVIDER)
READERS = frozenset({Role.BUREAU_CLOUD_ADMIN, Role.FINANCE_OFFICER, Role.AUDITOR})
GB_PER_TB = 1024


def figure_from_pb(f) -> FigureIn:
    """A protobuf figure as a checked FigureIn (decimal strings, empty = not measured)."""

    def dec(value: str):
        return value or None

    try:
        return FigureIn(
            resource_id=f.resource_id,
            period=f.period,
            cpu_avg_percent=dec(f.cpu_avg_percent),
            memory_avg_percent=dec(f.memory_avg_percent),
            storage_used_gb=dec(f.storage_used_gb),
            storage_total_gb=dec(f.storage_total_gb),
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "figures"
        raise InvalidInput(f"figures.{field}", f"{f.resource_id}: {err['msg']}") from None


def current_period() -> str:
    """The month under way in China (Asia/Shanghai), read at call time: L11 monitors months,
    so no figure of a later month exists yet and this one's are figures so far."""
    return month_in_china(utcnow())


def _upsert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert


async def store_figures(*, rt, who: Principal, figures: list[FigureIn]) -> int:
    """Store a batch (the latest figures of a resource's month win); a provider reports only
    resources on its own platform, the supervision provider any. One event per batch."""
    who.require(*REPORTERS)
    month = current_period()
    for i, f in enumerate(figures):
        if f.period > month:  # a client's mistake; the month under way stays open (L11)
            raise InvalidInput(
                f"figures.{i}.period",
                f"{f.resource_id}: {f.period} has not begun ({month} is under way in China); "
                f"{rt.profile.citation('L11')} takes the figures of a month that has begun",
            )
    ids = {f.resource_id for f in figures}
    async with rt.db.unit_of_work() as uow:
        q = select(ResourceRequest.id).where(ResourceRequest.id.in_(ids))
        if not who.has(Role.SUPERVISION_PROVIDER):
            q = q.where(ResourceRequest.platform_id == who.provider_id)
        known = set((await uow.session.scalars(q)).all())
        for i, f in enumerate(figures):
            if f.resource_id not in known:
                raise InvalidInput(
                    f"figures.{i}.resource_id", f"{f.resource_id} is not a resource you report on"
                )
        now = utcnow()
        rows = [
            {
                **f.model_dump(),
                "reported_by": who.subject,
                "reported_at": now,
            }
            for f in figures
        ]
        # One cached statement run for many rows (executemany), not a VALUES list compiled anew.
        stmt = _upsert(rt.db.engine.dialect.name)(UtilisationFigure.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["resource_id", "period"],
            set_={
                c: stmt.excluded[c]
                for c in (
                    "cpu_avg_percent",
                    "memory_avg_percent",
                    "storage_used_gb",
                    "storage_total_gb",
                    "reported_by",
                    "reported_at",
                )
            },
        )
        await uow.session.execute(stmt, rows)
        await uow.emit(
            "utilisation",
            "reported",
            events_pb2.UtilisationReported(
                reporter=to_actor(who),
                periods=sorted({f.period for f in figures}),
                count=len(figures),
            ),
            subject=who.provider_id or who.org_id,
        )
    return len(figures)


def thresholds(profile) -> dict[str, int]:
    """L11's figures of the profile, by name."""
    return dict(profile.rule("L11").figures)


def _ceil_div(numerator, denominator: int):
    """ceil(n / d) for non-negative integer SQL expressions, on PostgreSQL and SQLite alike."""
    return (numerator + (denominator - 1)) // denominator


def stable_cutoff(profile, period: str) -> datetime:
    """Resources active since this moment have run the profile's stable months by the period.

    Periods are China's months (`month_in_china`) and `activate` stamps UTC: the cutoff is the
    first instant of the China month `stable_run_before_monitoring_months` before the period
    (SN C art14: 稳定运行3个月后开始监测), as an instant in UTC (16:00 UTC the day before), so
    two resources activated on one day in China are counted alike."""
    months = int(thresholds(profile)["stable_run_before_monitoring_months"])
    stable = request_rules.add_months(date(int(period[:4]), int(period[5:]), 1), -months)
    return datetime.combine(stable, time.min, tzinfo=SHANGHAI).astimezone(UTC)


def classification_select(profile, period: str, run_id: str, run_at: datetime):
    """The set-based classification of every active resource stable long enough (L11): one
    SELECT whose rows are the findings; each dimension judged on its own, a missing figure
    flagged as missing, never as idle."""
    t = thresholds(profile)
    cutoff = stable_cutoff(profile, period)
    r, u = ResourceRequest, UtilisationFigure
    # The figures once in whole hundredths (exact: they are stored with two decimals; ROUND
    # for SQLite, which holds them as floats), so the classes below compare integers, not
    # NUMERIC products, and stay exact at the edges (9.99 and 10.00, 60% with 1.5 TB free).
    figures = (
        select(
            r.id.label("resource_id"),
            r.org_id,
            r.vcpu,
            r.memory_gb,
            u.cpu_avg_percent.label("cpu"),
            u.memory_avg_percent.label("mem"),
            u.storage_used_gb.label("used"),
            u.storage_total_gb.label("total"),
            *(
                cast(func.round(col * 100), BigInteger).label(name)
                for name, col in (
                    ("cpu100", u.cpu_avg_percent),
                    ("mem100", u.memory_avg_percent),
                    ("used100", u.storage_used_gb),
                    ("total100", u.storage_total_gb),
                )
            ),
        )
        .select_from(r)
        .outerjoin(u, and_(u.resource_id == r.id, u.period == period))
        .where(
            r.status == RequestStatus.ACTIVE.value,
            r.activated_at <= cutoff,
        )
        # OFFSET 0 keeps the planner from inlining these expressions into every outer use
        # (about 40 references): each row's figures and classes are computed once.
        .offset(0)
        .subquery()
    )
    g = figures.c
    cpu, mem, used, total = g.cpu100, g.mem100, g.used100, g.total100
    free = total - used

    def below(figure: str):  # x < t, in hundredths (x an integer)
        return math.ceil(Decimal(str(t[figure])) * 100)

    def above(figure: str):  # x > t
        return math.floor(Decimal(str(t[figure])) * 100)

    def percent(figure: str):  # a storage percentage as an exact SQL literal
        value = Decimal(str(t[figure]))
        return int(value) if value == int(value) else value

    free_above = math.floor(Decimal(str(t["low_storage_alt_free_above_tb"])) * GB_PER_TB * 100)
    free_below = math.ceil(Decimal(str(t["high_storage_free_below_tb"])) * GB_PER_TB * 100)
    cpu_class = case(
        (cpu.is_(None), "missing"),
        (cpu < below("low_cpu_avg_below_percent"), "low"),
        (cpu > above("high_cpu_avg_above_percent"), "high"),
        else_="normal",
    )
    mem_class = case(
        (mem.is_(None), "missing"),
        (mem < below("low_memory_avg_below_percent"), "low"),
        (mem > above("high_memory_avg_above_percent"), "high"),
        else_="normal",
    )
    # Percentages compared without division: used * 100 < p * total.
    storage_class = case(
        (or_(used.is_(None), total.is_(None), total <= 0), "missing"),
        (used * 100 < percent("low_storage_below_percent") * total, "low"),
        (
            and_(
                used * 100 < percent("low_storage_alt_below_percent") * total,
                free > free_above,
            ),
            "low",
        ),
        (
            and_(
                used * 100 >= percent("high_storage_at_least_percent") * total,
                free < free_below,
            ),
            "high",
        ),
        else_="normal",
    )
    # A recommended size aims at the middle of the normal band the profile sets.
    cpu_target = (t["low_cpu_avg_below_percent"] + t["high_cpu_avg_above_percent"]) * 50
    mem_target = (t["low_memory_avg_below_percent"] + t["high_memory_avg_above_percent"]) * 50
    sto_target = (t["low_storage_below_percent"] + t["high_storage_at_least_percent"]) // 2
    inner = (
        select(
            g.resource_id,
            g.org_id,
            g.vcpu,
            g.memory_gb,
            g.cpu,
            g.mem,
            g.used,
            g.total,
            cpu_class.label("cpu_class"),
            mem_class.label("mem_class"),
            storage_class.label("storage_class"),
            _ceil_div(g.vcpu * cpu, cpu_target).label("cpu_fit"),
            _ceil_div(g.memory_gb * mem, mem_target).label("mem_fit"),
            _ceil_div(used, sto_target).label("sto_fit"),
        )
        .offset(0)
        .subquery()
    )
    c = inner.c
    classes = (c.cpu_class, c.mem_class, c.storage_class)
    finding = case(
        (or_(*(x == "missing" for x in classes)), "missing"),
        (and_(or_(*(x == "low" for x in classes)), or_(*(x == "high" for x in classes))), "mixed"),
        (or_(*(x == "low" for x in classes)), "low"),
        (or_(*(x == "high" for x in classes)), "high"),
        else_="normal",
    )

    def resized(cls, fit, current):
        return case((cls.in_(("low", "high")), case((fit < 1, 1), else_=fit)), else_=current)

    article = profile.rule("L11").article or ""
    columns = {
        "id": c.resource_id + literal(f":{period}"),
        "resource_id": c.resource_id,
        "org_id": c.org_id,
        "period": literal(period),
        "cpu_class": c.cpu_class,
        "memory_class": c.mem_class,
        "storage_class": c.storage_class,
        "finding": finding,
        "cpu_avg_percent": c.cpu,
        "memory_avg_percent": c.mem,
        "storage_used_gb": c.used,
        "storage_total_gb": c.total,
        "vcpu": c.vcpu,
        "memory_gb": c.memory_gb,
        "recommended_vcpu": resized(c.cpu_class, c.cpu_fit, c.vcpu),
        "recommended_memory_gb": resized(c.mem_class, c.mem_fit, c.memory_gb),
        "recommended_storage_gb": case(
            (c.storage_class.in_(("low", "high")), case((c.sto_fit < 1, 1), else_=c.sto_fit)),
            else_=None,
        ),
        "rule_id": literal("L11"),
        "article": literal(article),
        "status": case(
            (or_(*(x == "missing" for x in classes)), "flagged"),
            (or_(*(x.in_(("low", "high")) for x in classes)), "open"),
            else_="closed",
        ),
        "plan": literal(""),
        "response_reason": literal(""),
        "ruling_reason": literal(""),
        "run_id": literal(run_id),
        "created_at": literal(run_at, UtilisationFinding.created_at.type),
        "version": literal(1),
    }
    # WHERE true: SQLite otherwise reads a rerun's ON CONFLICT as the join's ON.
    return select(*(v.label(k) for k, v in columns.items())).where(true()), list(columns)


async def classify(*, rt, who: Principal, period: str) -> dict[str, int]:
    """Run the month's classification (once per resource and period), then tell each unit
    what was found (one event per unit, not per resource). Only a month that has ended is
    classified: the month under way has figures so far, a later one none (L11)."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    if not rt.profile.applies("L11"):
        raise Conflict(f"L11 (utilisation review) does not apply in profile {rt.profile.name}")
    month = current_period()
    if period >= month:
        raise InvalidInput(
            "period",
            f"{period} has not ended ({month} is under way in China); "
            f"{rt.profile.citation('L11')} classifies a month once it has ended",
        )
    async with rt.db.unit_of_work() as uow:
        counts = await classify_in(uow=uow, profile=rt.profile, period=period, who=who.subject)
    return counts


async def classify_in(
    *, uow: UnitOfWork, profile, period: str, who: str = "service:cloud_broker"
) -> dict[str, int]:
    """The classification inside a unit of work (the benchmark calls it directly)."""
    dialect = uow.session.bind.dialect.name
    if dialect == "postgresql":
        # Runs of one period one at a time (until commit), so the earlier run read below is
        # the latest there is. SQLite has a single writer anyway.
        await uow.session.execute(
            select(func.pg_advisory_xact_lock(func.hashtext(f"classification:{period}")))
        )
    # Every finding is recorded by a run and never deleted, so the latest earlier run of the
    # period holds the period's totals, and without one the period has no finding yet.
    earlier = (
        await uow.session.execute(
            select(ClassificationRun.id, ClassificationRun.counts)
            .where(ClassificationRun.period == period)
            .order_by(ClassificationRun.run_at.desc())
            .limit(1)
        )
    ).first()
    run = ClassificationRun(
        period=period,
        rule_id="L11",
        article=profile.rule("L11").article or "",
        thresholds=thresholds(profile),
        counts={},
        run_by=who,
        run_at=utcnow(),
    )
    uow.session.add(run)
    await uow.session.flush()
    query, names = classification_select(profile, period, run.id, run.run_at)
    stmt = _upsert(dialect)(UtilisationFinding).from_select(names, query)
    if earlier is not None:
        # A rerun: a resource already classified for the period keeps its finding (its key
        # <resource>:<period> conflicts); only new ones are added. ON CONFLICT rather than NOT
        # EXISTS, which makes PostgreSQL rescan the findings table per row. The month's first
        # run needs no conflict check (one index probe and WAL record less per row).
        stmt = stmt.on_conflict_do_nothing(index_elements=["id"])
    f = UtilisationFinding
    if dialect == "postgresql":
        # This run's rows counted as they are written (RETURNING), not by rereading the table.
        recorded = stmt.returning(f.org_id, f.finding).cte("recorded")
        rows = (
            await uow.session.execute(
                select(recorded.c.org_id, recorded.c.finding, func.count()).group_by(
                    recorded.c.org_id, recorded.c.finding
                )
            )
        ).all()
    else:
        await uow.session.execute(stmt)
        rows = (
            await uow.session.execute(
                select(f.org_id, f.finding, func.count())
                .where(f.run_id == run.id)
                .group_by(f.org_id, f.finding)
            )
        ).all()
    totals = dict(earlier.counts) if earlier is not None else {}
    for _, finding, n in rows:
        totals[finding] = totals.get(finding, 0) + n
    run.counts = {k: totals[k] for k in sorted(totals)}
    # Only this run's findings are told (a rerun tells no unit twice); normal ones to no unit.
    rows = sorted((org, finding, n) for org, finding, n in rows if finding != "normal")
    per_unit: dict[str, dict[str, int]] = {}
    for org, finding, n in rows:
        per_unit.setdefault(org, {})[finding] = n
    for org, found in per_unit.items():
        await uow.emit(
            "utilisation",
            "findings_recorded",
            events_pb2.UtilisationFindingsRecorded(
                org_id=org,
                period=period,
                low=found.get("low", 0),
                high=found.get("high", 0),
                mixed=found.get("mixed", 0),
                missing=found.get("missing", 0),
                rule_id="L11",
                article=profile.rule("L11").article or "",
            ),
            subject=f"{org}:{period}",
            org_id=org,
        )
    return run.counts


async def get_finding(*, session, who: Principal, finding_id: str) -> UtilisationFinding:
    """A finding the caller may see (a unit its own)."""
    finding = await session.get(UtilisationFinding, finding_id)
    if finding is None:
        raise NotFound("finding not found")
    who.check_owner(finding.org_id, READERS, "finding")
    return finding


async def respond(
    *, uow: UnitOfWork, who: Principal, finding_id: str, data: FindingResponse, if_match=None
) -> UtilisationFinding:
    """The unit accepts a downsize or reclaim plan, or disputes the finding with a reason."""
    who.require(Role.UNIT_STAFF, Role.UNIT_CDO)
    finding = await get_finding(session=uow.session, who=who, finding_id=finding_id)
    check_if_match(if_match, finding.version)
    if finding.status != "open" or finding.finding not in ("low", "mixed"):
        raise Conflict(
            f"the finding is {finding.status} ({finding.finding}); only an open low finding is "
            "answered",
            state=finding.status,
        )
    if data.accept and not data.plan:
        raise InvalidInput("plan", "accepting names the plan: downsize or reclaim")
    if not data.accept and not data.reason.strip():
        raise InvalidInput("reason", "a dispute gives its reason")
    finding.status = "accepted" if data.accept else "disputed"
    finding.plan, finding.response_reason = data.plan, data.reason
    await uow.session.flush()
    await _emit_finding(uow, finding, who)
    return finding


async def rule_on(
    *, uow: UnitOfWork, rt, who: Principal, finding_id: str, data: FindingRuling, if_match=None
) -> UtilisationFinding:
    """The bureau rules on a dispute; without good reason the unit is marked for the year
    (extra fees flagged to finance, new requests refused: L11). The year is 本年度 (SN C art14)
    of the ruling, which establishes the refusal, in China; not the finding's month (a
    December finding is ruled on in January at the earliest)."""
    from cloud_broker.requests import units
    from cloud_broker.requests.schemas import MarkCreate

    who.require(Role.BUREAU_CLOUD_ADMIN)
    finding = await get_finding(session=uow.session, who=who, finding_id=finding_id)
    check_if_match(if_match, finding.version)
    if finding.status != "disputed":
        raise Conflict(f"the finding is {finding.status}, not disputed", state=finding.status)
    finding.status = "upheld" if data.good_reason else "refused"
    finding.ruling_reason = data.reason
    await uow.session.flush()
    await _emit_finding(uow, finding, who)
    ruled_at = utcnow()
    year = request_rules.l11_year(ruled_at)
    already = await uow.session.scalar(
        select(UnitMark).where(UnitMark.org_id == finding.org_id, UnitMark.year == year)
    )
    if not data.good_reason and already is None:
        await units.mark_unit(
            uow=uow,
            rt=rt,
            who=who,
            org_id=finding.org_id,
            data=MarkCreate(year=year, reason=data.reason, finding_id=finding.id),
            at=ruled_at,
        )
    return finding


async def _emit_finding(uow: UnitOfWork, finding: UtilisationFinding, who: Principal) -> None:
    await uow.emit(
        "utilisation_finding",
        finding.status,
        events_pb2.UtilisationFindingChanged(
            finding_id=finding.id,
            resource_id=finding.resource_id,
            org_id=finding.org_id,
            period=finding.period,
            finding=finding.finding,
            status=finding.status,
            plan=finding.plan,
            reason=finding.ruling_reason or finding.response_reason,
            actor=to_actor(who),
        ),
        subject=finding.id,
        org_id=finding.org_id,
    )


async def expansion_reference(*, session, rt, finding_id: str, req) -> Decision:
    """L11: an expansion may refer to a high finding of the same resource."""
    finding = await session.get(UtilisationFinding, finding_id)
    if finding is None or finding.resource_id != req.id:
        raise InvalidInput("finding_id", "names no finding of this resource")
    if finding.finding not in ("high", "mixed"):
        raise InvalidInput("finding_id", f"the finding is {finding.finding}, not high")
    return Decision.allow(
        rt.profile, "L11", f"the expansion refers to the high finding of {finding.period}"
    )
