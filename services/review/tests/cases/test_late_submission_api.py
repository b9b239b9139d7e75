"""A project has one case. Intake's submission of a project can reach review late: the unit
resubmitted in intake while it also reopened the case in review itself, and intake's event came
after the round it meant had been opened and concluded. The late submission opens no second
case (finance would open a second construction line on a second approval), reopens no round
and takes no stale figures; it is logged and ignored. The project's one case is also a database
constraint, so two submissions applied at once cannot both open one."""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from govit.intake.v1 import events_pb2 as intake_events
from govit_kit.convert import to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.testing import publish_event, wait_until
from review.cases.models import ReviewCase

REVISE = {"conclusion": "approve_after_revision", "reason": "需完善", "required_revisions": ["改"]}
APPROVE = {"conclusion": "approve", "reason": "同意"}


async def _submit(api, project_id: str, amount: str, submitted_at=None) -> None:
    """Publish intake's ProjectSubmitted and wait until review has applied it."""
    inbox = api.service.runtime.db.tables.inbox

    async def applied_count():
        async with api.service.runtime.db.sessions() as session:
            return len((await session.execute(inbox.select())).all())

    before = await applied_count()
    msg = intake_events.ProjectSubmitted(
        project_id=project_id,
        org_id="org-a",
        name="网格化治理(修改)",
        project_type="new",
        total_investment=to_money(Decimal(amount)),
    )
    if submitted_at is not None:
        msg.submitted_at.CopyFrom(to_timestamp(submitted_at))
    await publish_event(
        api.space,
        "intake",
        "project",
        "submitted",
        msg,
        subject=project_id,
        org_id="org-a",
        project_id=project_id,
    )

    async def applied():
        return await applied_count() > before

    await wait_until(applied)


async def _conclude(api, case_id: str, body: dict) -> None:
    r = await api.call("POST", f"/v1/cases/{case_id}/conclusion", api.reviewer, json=body)
    assert r.status_code == 200, r.text


async def _resubmit_in_review(api, case_id: str) -> None:
    unit = api.token("alice", "org-a", "unit_staff")
    r = await api.call(
        "POST", f"/v1/cases/{case_id}/resubmission", unit, json={"note": "已按意见修改"}
    )
    assert r.status_code == 200, r.text


async def _cases(api, project_id: str) -> list[dict]:
    r = await api.call("GET", "/v1/cases", api.reviewer, params={"project_id": project_id})
    return r.json()["items"]


async def test_a_late_submission_after_the_round_concluded_opens_no_second_case(review_for, caplog):
    """Round 1 sent back; the unit resubmits in review and in intake; review's round 2 is
    approved before intake's event arrives. That event opens nothing: one case, one
    case.opened, one approving conclusion for finance."""
    api = await review_for("suining")
    case = await api.open_case("p-late", "org-a", "100000.00")
    await _conclude(api, case["id"], REVISE)
    submitted_in_intake = utcnow()  # between round 1's conclusion and round 2's
    await _resubmit_in_review(api, case["id"])
    await _conclude(api, case["id"], APPROVE)
    with caplog.at_level(logging.WARNING, logger="review.cases.flows"):
        await _submit(api, "p-late", "100000.00", submitted_at=submitted_in_intake)
    [only] = await _cases(api, "p-late")
    assert (only["id"], only["round"], only["status"]) == (case["id"], 2, "concluded")
    types = await api.event_types()
    assert types.count("govit.review.case.opened") == 1
    assert types.count("govit.review.case.concluded") == 2
    assert any("p-late" in m and "ignored" in m for m in caplog.messages), caplog.messages


async def test_a_late_submission_without_a_time_opens_no_second_case(review_for):
    """An event that does not say when it was submitted cannot be placed in the rounds; a
    concluded case is still not doubled."""
    api = await review_for("suining")
    case = await api.open_case("p-late-nt", "org-a", "100000.00")
    await _conclude(api, case["id"], REVISE)
    await _resubmit_in_review(api, case["id"])
    await _conclude(api, case["id"], {"conclusion": "reject", "reason": "不予通过"})
    await _submit(api, "p-late-nt", "100000.00")
    [only] = await _cases(api, "p-late-nt")
    assert (only["id"], only["round"], only["status"]) == (case["id"], 2, "concluded")
    assert (await api.event_types()).count("govit.review.case.opened") == 1


async def test_a_late_submission_does_not_reopen_the_next_revision(review_for):
    """Round 2 (opened in review) was sent back again; intake's late event of round 2 was
    submitted before that conclusion, so it answers no revision request: no round 3, and the
    figures stay those round 2 was reviewed at."""
    api = await review_for("suining")
    case = await api.open_case("p-late-rr", "org-a", "100000.00")
    await _conclude(api, case["id"], REVISE)
    submitted_in_intake = utcnow()
    await _resubmit_in_review(api, case["id"])
    await _conclude(api, case["id"], REVISE)
    await _submit(api, "p-late-rr", "900000.00", submitted_at=submitted_in_intake)
    [only] = await _cases(api, "p-late-rr")
    assert (only["round"], only["status"]) == (2, "revision_requested")
    assert Decimal(only["total_investment"]) == Decimal("100000.00")
    assert (await api.event_types()).count("govit.review.case.resubmitted") == 1
    # The unit's real resubmission of round 2's revisions, submitted after it, reopens round 3.
    await _submit(api, "p-late-rr", "900000.00", submitted_at=utcnow() + timedelta(seconds=1))
    [only] = await _cases(api, "p-late-rr")
    assert (only["round"], only["status"], only["track"]) == (3, "open", "technical_review")


async def test_a_late_submission_takes_no_stale_figures_into_the_open_round(review_for):
    """Round 3 is open (reopened in review); a submission older than round 2's conclusion is not
    its figures: ignored, the round keeps its amount."""
    api = await review_for("suining")
    case = await api.open_case("p-late-open", "org-a", "100000.00")
    await _conclude(api, case["id"], REVISE)
    stale = utcnow()
    await _resubmit_in_review(api, case["id"])
    await _conclude(api, case["id"], REVISE)
    await _resubmit_in_review(api, case["id"])
    await _submit(api, "p-late-open", "900000.00", submitted_at=stale)
    [only] = await _cases(api, "p-late-open")
    assert (only["round"], only["status"], only["track"]) == (3, "open", "filing")
    assert Decimal(only["total_investment"]) == Decimal("100000.00")


async def test_the_database_holds_one_case_per_project(review_for):
    """Two submissions applied at once would both see no case: the unique project id makes the
    second insert fail, so its event is retried and then finds the case."""
    api = await review_for("suining")
    case = await api.open_case("p-one", "org-a", "100000.00")
    async with api.service.runtime.db.sessions() as session:
        first = await session.get(ReviewCase, case["id"])
        twin = ReviewCase(
            project_id="p-one",
            org_id="org-a",
            project_name=first.project_name,
            total_investment=first.total_investment,
            track=first.track,
            decisions=[],
            status="open",
            round=1,
            attributes={},
            opened_at=utcnow(),
        )
        session.add(twin)
        with pytest.raises(IntegrityError):
            await session.commit()
    async with api.service.runtime.db.sessions() as session:
        ids = (
            await session.scalars(select(ReviewCase.id).where(ReviewCase.project_id == "p-one"))
        ).all()
    assert ids == [case["id"]]
