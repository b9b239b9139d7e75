"""Review opens a case from intake's event and records the bureau's conclusion."""

import asyncio

import httpx
from nats.js.errors import NotFoundError

from govit.intake.v1 import events_pb2 as intake_events
from govit_kit.convert import to_money
from govit_kit.testing import bearer, publish_event, wait_until
from review.main import spec


def submitted(project_id: str, org: str, amount: str) -> intake_events.ProjectSubmitted:
    return intake_events.ProjectSubmitted(
        project_id=project_id,
        org_id=org,
        name="网格化治理",
        project_type="new",
        total_investment=to_money(__import__("decimal").Decimal(amount)),
    )


async def test_case_opens_from_event_and_concludes_once(start_service, event_space, issuer):
    review = await start_service(spec())
    reviewer = issuer.issue("rita", "org-data-bureau", ["bureau_reviewer"])
    unit_a = issuer.issue("alice", "org-a", ["unit_staff"])
    unit_b = issuer.issue("bob", "org-b", ["unit_staff"])
    await publish_event(
        event_space,
        "intake",
        "project",
        "submitted",
        submitted("p-small", "org-a", "120000.00"),
        subject="p-small",
        org_id="org-a",
        project_id="p-small",
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{review.http_port}") as http:

        async def case_of(project_id):
            r = await http.get(
                "/v1/cases", params={"project_id": project_id}, headers=bearer(reviewer)
            )
            return r.json()["items"]

        [case] = await wait_until(lambda: case_of("p-small"))
        # D2 (suining): 12万 is below 30万, so the case is filing only, citing SN P art22.
        assert case["track"] == "filing"
        assert case["decisions"][0]["rule_id"] == "D2"
        assert case["decisions"][0]["article"] == "SN P art22"

        # The unit sees its own case; another unit gets 404 and an empty list.
        assert (
            await http.get(f"/v1/cases/{case['id']}", headers=bearer(unit_a))
        ).status_code == 200
        assert (
            await http.get(f"/v1/cases/{case['id']}", headers=bearer(unit_b))
        ).status_code == 404
        r = await http.get("/v1/cases", headers=bearer(unit_b))
        assert r.json()["items"] == []

        # A filing-only case (D2) is concluded without declared attributes (no pre-checks).
        body = {"conclusion": "approve", "reason": "必要、合理、经济"}
        r = await http.post(f"/v1/cases/{case['id']}/conclusion", json=body, headers=bearer(unit_a))
        assert r.status_code == 403
        r = await http.post(
            f"/v1/cases/{case['id']}/conclusion",
            json={**body, "status": "x"},
            headers=bearer(reviewer),
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "status"
        r = await http.post(
            f"/v1/cases/{case['id']}/conclusion", json=body, headers=bearer(reviewer)
        )
        assert r.status_code == 200 and r.json()["conclusion"] == "approve"
        r = await http.post(
            f"/v1/cases/{case['id']}/conclusion", json=body, headers=bearer(reviewer)
        )
        assert r.status_code == 409 and r.json()["state"] == "concluded"

    outbox = review.runtime.db.tables.outbox
    async with review.runtime.db.sessions() as session:
        types = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
    assert [t.event_type for t in types] == [
        "govit.review.case.opened",
        "govit.review.case.concluded",
    ]


async def test_redelivered_submission_opens_one_case(start_service, event_space, issuer):
    review = await start_service(spec())
    reviewer = issuer.issue("rita", "org-data-bureau", ["bureau_reviewer"])
    msg = submitted("p-big", "org-a", "500000.00")
    event_id = await publish_event(
        event_space,
        "intake",
        "project",
        "submitted",
        msg,
        subject="p-big",
        org_id="org-a",
        project_id="p-big",
    )
    # The same event again under another Nats-Msg-Id, so JetStream stores it twice.
    await publish_event(
        event_space,
        "intake",
        "project",
        "submitted",
        msg,
        subject="p-big",
        org_id="org-a",
        project_id="p-big",
        event_id=event_id,
        msg_id="again",
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{review.http_port}") as http:

        async def both_seen():
            inbox = review.runtime.db.tables.inbox
            async with review.runtime.db.sessions() as session:
                n = len((await session.execute(inbox.select())).all())
            try:
                info = await review.runtime.bus.js.consumer_info(
                    event_space.stream, "review-intake-project-submitted"
                )
            except NotFoundError:  # the consumer is still being created
                return False
            return n == 1 and info.num_pending == 0 and info.num_ack_pending == 0

        await wait_until(both_seen)
        r = await http.get("/v1/cases", params={"project_id": "p-big"}, headers=bearer(reviewer))
        assert len(r.json()["items"]) == 1
        assert r.json()["items"][0]["track"] == "technical_review"


async def test_two_reviewers_at_once_one_conclusion(review_for, issuer):
    api = await review_for("suining")
    r2 = issuer.issue("ray", "org-data-bureau", ["bureau_reviewer"])
    c = await api.open_case("p-race", "org-a", "500000.00")
    await api.declare(c["id"])
    await api.joint_review(c["id"], await api.draw_expert(c["id"], "ed"))
    results = await asyncio.gather(
        *(
            api.call(
                "POST",
                f"/v1/cases/{c['id']}/conclusion",
                tok,
                json={"conclusion": verdict, "reason": "并发"},
            )
            for tok, verdict in ((api.reviewer, "approve"), (r2, "reject"))
        )
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    assert (await api.event_types()).count("govit.review.case.concluded") == 1
