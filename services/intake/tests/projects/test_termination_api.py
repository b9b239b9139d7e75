"""Review's events on a project's case: its conclusions (each round), resubmissions and F5's
approved termination (govit.review.case.terminated). They travel on different subjects, so
they may arrive in any order; a late or replayed one changes nothing."""

from intake_test_helpers import applied, new_project

from govit.review.v1 import events_pb2 as review_events
from govit.review.v1 import types_pb2 as review_types
from govit_kit.testing import publish_event, wait_until


async def test_review_termination_terminates_the_project(start_intake, client_for, event_space):
    c = client_for(await start_intake("suining"))
    pid = (await new_project(c))["id"]

    async def status() -> str:
        return (await c.http.get(f"/v1/projects/{pid}", headers=c.staff())).json()["status"]

    concluded = review_events.ReviewCaseConcluded(
        case_id="case-1",
        project_id=pid,
        org_id="org-a",
        conclusion=review_types.CONCLUSION_APPROVE,
        reason="同意",
    )
    await publish_event(
        event_space, "review", "case", "concluded", concluded, subject="case-1", org_id="org-a"
    )
    await wait_until(lambda: _is(status, "approved"))
    terminated = review_events.CaseStateChanged(
        case_id="case-1",
        project_id=pid,
        org_id="org-a",
        status="terminated",
        previous_status="concluded",
        reason="外部环境变化",
    )
    # An event about a project intake never held is skipped, and does not stop the next one.
    stray = review_events.CaseStateChanged(case_id="case-x", project_id="p-unknown", org_id="org-a")
    for msg, subject in ((stray, "case-x"), (terminated, "case-1")):
        await publish_event(
            event_space, "review", "case", "terminated", msg, subject=subject, org_id="org-a"
        )
    await wait_until(lambda: _is(status, "terminated"))


async def _is(status, expected: str) -> bool:
    return await status() == expected


def _concluded(pid: str, conclusion, round: int) -> review_events.ReviewCaseConcluded:
    return review_events.ReviewCaseConcluded(
        case_id="case-1", project_id=pid, org_id="org-a", conclusion=conclusion, round=round
    )


async def _publish(space, name: str, message) -> str:
    return await publish_event(
        space, "review", "case", name, message, subject="case-1", org_id="org-a"
    )


async def _concluder(c, space, pid):
    async def status() -> str:
        return (await c.http.get(f"/v1/projects/{pid}", headers=c.staff())).json()["status"]

    async def conclude(conclusion, round: int) -> str:
        event_id = await _publish(space, "concluded", _concluded(pid, conclusion, round))
        await applied(c, "review-case-concluded", event_id)
        return await status()

    return conclude


REVISE = review_types.CONCLUSION_APPROVE_AFTER_REVISION
APPROVE = review_types.CONCLUSION_APPROVE


async def test_a_late_conclusion_of_an_earlier_round_changes_nothing(
    start_intake, client_for, event_space
):
    c = client_for(await start_intake("suining"))
    conclude = await _concluder(c, event_space, (await new_project(c))["id"])
    assert await conclude(REVISE, 1) == "revision_requested"
    assert await conclude(APPROVE, 2) == "approved"
    # Round 1's conclusion, lagging (or replayed with a new id): round 2 is the project's.
    assert await conclude(REVISE, 1) == "approved"


async def test_a_conclusion_after_the_termination_changes_nothing_f5(
    start_intake, client_for, event_space
):
    c = client_for(await start_intake("suining"))
    pid = (await new_project(c))["id"]
    conclude = await _concluder(c, event_space, pid)
    assert await conclude(APPROVE, 1) == "approved"
    terminated = review_events.CaseStateChanged(
        case_id="case-1", project_id=pid, org_id="org-a", status="terminated"
    )
    await applied(
        c, "review-case-terminated", await _publish(event_space, "terminated", terminated)
    )
    # A replay of the approval, even of the latest round, does not bring the project back.
    assert await conclude(APPROVE, 1) == "terminated"


async def test_a_resubmission_in_review_puts_the_project_under_review_again(
    start_intake, client_for, event_space
):
    """The unit may resubmit in review (POST /v1/cases/{id}/resubmission): the project is no
    longer `revision_requested`, nor editable, while round 2 is under review."""
    c = client_for(await start_intake("suining"))
    pid = (await new_project(c))["id"]

    async def project() -> dict:
        return (await c.http.get(f"/v1/projects/{pid}", headers=c.staff())).json()

    async def edit() -> int:
        r = await c.http.patch(f"/v1/projects/{pid}", headers=c.staff(), json={"name": "修订"})
        return r.status_code

    revise = review_types.CONCLUSION_APPROVE_AFTER_REVISION
    revised = await _publish(event_space, "concluded", _concluded(pid, revise, 1))
    await applied(c, "review-case-concluded", revised)
    assert (await project())["status"] == "revision_requested" and await edit() == 200

    resubmitted = review_events.CaseResubmitted(
        case_id="case-1", project_id=pid, org_id="org-a", round=2, note="已按意见修改"
    )
    for _ in range(2):  # a replay of the resubmission changes nothing more
        event_id = await _publish(event_space, "resubmitted", resubmitted)
        await applied(c, "review-case-resubmitted", event_id)
        got = await project()
        assert got["status"] == "submitted" and got["submitted_at"], got
        assert await edit() == 409
    # Round 1's conclusion replayed does not send round 2 back to revision.
    await applied(
        c,
        "review-case-concluded",
        await _publish(event_space, "concluded", _concluded(pid, revise, 1)),
    )
    assert (await project())["status"] == "submitted"
    approve = _concluded(pid, review_types.CONCLUSION_APPROVE, 2)
    await applied(c, "review-case-concluded", await _publish(event_space, "concluded", approve))
    assert (await project())["status"] == "approved"
    # Round 2's resubmission arriving after round 2's conclusion changes nothing either.
    late = await _publish(event_space, "resubmitted", resubmitted)
    await applied(c, "review-case-resubmitted", late)
    assert (await project())["status"] == "approved"
