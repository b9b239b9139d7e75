"""F5: review's approved termination (govit.review.case.terminated) terminates the project."""

from intake_test_helpers import new_project

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
