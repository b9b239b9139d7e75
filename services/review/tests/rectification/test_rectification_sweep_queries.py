"""J1's round is set-based: it reads only the open orders due for a step of the ladder (one
query, off the (status, due_at) index), the cases its last two steps act on in one more, and
then works order by order only on those it escalates. Open orders not yet due, orders at the top
of the ladder and resolved ones are never read, so a round's queries do not grow with them."""

from datetime import timedelta

from sqlalchemy import event, text

from govit_kit.db import utcnow
from govit_kit.testing import counted_statements
from review.rectification import flows
from review.rectification.enums import LADDER
from review.rectification.models import RectificationOrder
from review.scheduled import SWEEPER


async def seed(api, tag: str, *, waiting: int, due: dict[int, int]) -> None:
    """`waiting` open orders due in 30 days, as many at the ladder's top and as many resolved
    (both long overdue), and `due[level]` open orders overdue at that level; each its own
    concluded case."""
    top = len(LADDER)
    rows = [(f"{tag}-w{i}", "open", 0, timedelta(days=30)) for i in range(waiting)]
    rows += [(f"{tag}-t{i}", "open", top, timedelta(days=-30)) for i in range(waiting)]
    rows += [(f"{tag}-r{i}", "resolved", 0, timedelta(days=-30)) for i in range(waiting)]
    rows += [
        (f"{tag}-d{lvl}-{i}", "open", lvl, timedelta(days=-1))
        for lvl, n in due.items()
        for i in range(n)
    ]
    async with api.service.runtime.db.unit_of_work() as uow:
        for oid, status, level, due_in in rows:
            args = {"id": oid, "case": f"c-{oid}", "project": f"p-{oid}"}
            args |= {"status": status, "level": level, "due_at": utcnow() + due_in}
            await uow.session.execute(
                text(
                    "INSERT INTO review_case(id, project_id, org_id, project_name,"
                    " total_investment, track, decisions, attributes, round, chain_stage,"
                    " approved_investment, status, opened_at, version)"
                    " VALUES (:case, :project, 'org-a', 'p', 450000, 'technical', '[]',"
                    " '{}', 1, 'ndrc_approval', 450000, 'concluded', now(), 1)"
                ),
                args,
            )
            await uow.session.execute(
                text(
                    "INSERT INTO rectification_order(id, case_id, project_id, org_id, finding,"
                    " description, security, due_working_days, due_at, status, level,"
                    " escalations, decisions, issued_by, issued_at, version)"
                    " VALUES (:id, :case, :project, 'org-a', 'other', 'd', false, 10,"
                    " :due_at, :status, :level, '[]', '[]', 'x',"
                    " now() - interval '60 days', 1)"
                ),
                args,
            )


async def a_round(api) -> tuple[int, set[str], set[str]]:
    """One round of the ladder: its queries (the outbox relay's aside), the orders it escalated
    and the orders it read."""
    rt = api.service.runtime
    read = set()

    def loaded(order, _context):
        read.add(order.id)

    event.listen(RectificationOrder, "load", loaded)
    try:
        with counted_statements(rt.db.engine, ignore=("outbox", "inbox")) as ran:
            async with rt.db.unit_of_work() as uow:
                done = await flows.escalate_overdue(
                    uow=uow, who=SWEEPER, profile=rt.profile, calendar=rt.calendar
                )
    finally:
        event.remove(RectificationOrder, "load", loaded)
    assert not done.blocked
    return ran.count, {o.id for o in done.escalated}, read


async def test_a_round_reads_only_the_orders_due_for_a_step(review_for):
    api = await review_for("suining")
    # Every step of the ladder at once: criticism, deferral, suspension, termination.
    await seed(api, "a", waiting=3, due={0: 1, 1: 1, 2: 1, 3: 1})
    few, escalated, read = await a_round(api)
    assert escalated == read == {"a-d0-0", "a-d1-0", "a-d2-0", "a-d3-0"}
    await seed(api, "b", waiting=40, due={0: 1, 1: 1, 2: 1, 3: 1})
    many, escalated, read = await a_round(api)
    assert escalated == read == {"b-d0-0", "b-d1-0", "b-d2-0", "b-d3-0"}
    assert many == few
    # Nothing due: the recount's look and the read of the due orders.
    idle, escalated, read = await a_round(api)
    assert (escalated, read) == (set(), set())
    assert idle <= 2


async def test_an_escalation_costs_its_own_update_and_nothing_more(review_for):
    # An order criticised or its investment deferred is one UPDATE (its event goes with the
    # transaction's outbox insert); the cases the last two steps act on are read in one query
    # for all, then each suspended or terminated as the bureau would.
    api = await review_for("suining")
    counts = {}
    for n in (2, 6):
        await seed(api, f"n{n}", waiting=0, due={0: n // 2, 1: n - n // 2})
        counts[n], escalated, _ = await a_round(api)
        assert len(escalated) == n
    assert counts[6] - counts[2] == 4
    for n in (2, 6):
        await seed(api, f"t{n}", waiting=0, due={3: n})
        counts[n], escalated, _ = await a_round(api)
        assert len(escalated) == n
    # Each termination: the order's UPDATE and the case's; the cases read together.
    assert counts[6] - counts[2] == 2 * 4
    events = await api.event_types()
    assert events.count("govit.review.case.terminated") == 8
    assert events.count("govit.review.rectification.escalated") == 16


async def test_without_a_ladder_a_round_reads_no_order(review_for):
    # Wuhai has no J1 ladder: its overdue orders stay open and overdue, and are not read.
    api = await review_for("wuhai")
    await seed(api, "w", waiting=3, due={0: 2, 2: 2})
    queries, escalated, read = await a_round(api)
    assert (escalated, read) == (set(), set())
    assert queries <= 1  # the recount's look
