"""The reviewers of an application stay with the bureau: a unit reads its own entries in the log,
but none of those that name the experts (pool members, draws, assignments, opinions), though
review records them with the case's org_id. Not by REST, gRPC, an inclusion proof or an export;
the unit's export still verifies offline, and auditors read and export everything."""

import grpc
import httpx
import pytest

from audit.exchange.bundle import verify_bundle
from audit.log.service import WITHHELD_FROM_ORGS, withheld_from_orgs
from audit.main import spec
from govit.audit.v1 import audit_service_pb2 as pb
from govit.audit.v1 import audit_service_pb2_grpc as pb_grpc
from govit.common.v1 import common_pb2
from govit.review.v1 import events_pb2 as review
from govit_kit.testing import bearer, publish_event, wait_until

CASE, PROJECT, ORG = "c-1", "p-1", "org-a"
OPENED = "govit.review.case.opened"
DRAWN = "govit.review.draw.made"
OPINION = "govit.review.opinion.recorded"
REGISTERED = "govit.review.pool_member.registered"


async def review_events(space) -> None:
    """What review emits for one case, in order, each (but the pool's) with the case's org_id."""
    case = dict(subject=CASE, org_id=ORG, project_id=PROJECT)
    await publish_event(
        space,
        "review",
        "case",
        "opened",
        review.ReviewCaseOpened(case_id=CASE, project_id=PROJECT, org_id=ORG, track="filing"),
        **case,
    )
    await publish_event(
        space,
        "review",
        "pool_member",
        "registered",
        review.PoolMemberRegistered(member_id="m-1", pool="expert", name="张工"),
        subject="m-1",
    )
    await publish_event(
        space,
        "review",
        "draw",
        "made",
        review.DrawMade(
            draw_id="d-1",
            case_id=CASE,
            project_id=PROJECT,
            org_id=ORG,
            pool="expert",
            seed="5eed",
            candidates=["m-1", "m-2"],
            excluded=[review.Exclusion(member_id="m-3", reason="employed by the applicant")],
            picked=["m-1"],
        ),
        **case,
    )
    await publish_event(
        space,
        "review",
        "opinion",
        "recorded",
        review.OpinionRecorded(
            opinion_id="o-1",
            case_id=CASE,
            project_id=PROJECT,
            org_id=ORG,
            capacity="expert",
            recommendation="reject",
            author=common_pb2.Actor(subject="ed", org_id="org-univ"),
        ),
        **case,
    )
    await publish_event(
        space,
        "intake",
        "project",
        "submitted",
        common_pb2.OrgRef(org_id=ORG),
        subject=PROJECT,
        org_id=ORG,
        project_id=PROJECT,
    )


def test_the_withheld_types_name_the_reviewers_only():
    for kind in (DRAWN, OPINION, REGISTERED, "govit.review.pool_member.updated"):
        assert withheld_from_orgs(kind), kind
    assert withheld_from_orgs("govit.review.assignment.declined")  # any future one
    # A unit reads its rectification orders, review's and those intake records by hand (J3).
    for kind in (
        OPENED,
        "govit.review.case.concluded",
        "govit.review.drawing.x",
        "govit.review.rectification.issued",
        "govit.intake.security_rectification.opened",
        "govit.intake.security_rectification.closed",
    ):
        assert not withheld_from_orgs(kind), kind
    assert all(p.endswith(".") for p in WITHHELD_FROM_ORGS)  # whole aggregates, not a prefix


async def test_a_unit_reads_none_of_its_cases_reviewers(
    start_service, event_space, issuer, tmp_path
):
    audit = await start_service(spec())
    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    unit = issuer.issue("alice", ORG, ["unit_staff"])
    cdo = issuer.issue("carl", ORG, ["unit_cdo"])
    await review_events(event_space)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:

        async def entries(token, **params):
            r = await http.get("/v1/entries", params=params, headers=bearer(token))
            assert r.status_code == 200, r.text
            return r.json()["items"]

        async def all_five():
            items = await entries(auditor)
            return items if len(items) == 5 else None

        logged = await wait_until(all_five)
        leaf = {e["event_type"]: e["leaf_index"] for e in logged}
        # The auditor reads the draw and the opinion in full.
        drawn = next(e for e in logged if e["event_type"] == DRAWN)
        assert drawn["org_id"] == ORG and drawn["payload"]["picked"] == ["m-1"]

        for token in (unit, cdo):
            mine = await entries(token)
            assert [e["event_type"] for e in mine] == [OPENED, "govit.intake.project.submitted"]
            for params in ({"event_type": DRAWN}, {"event_type": OPINION}, {"project_id": PROJECT}):
                assert all(
                    e["event_type"] not in (DRAWN, OPINION) for e in await entries(token, **params)
                ), params
            assert await entries(token, event_type=OPINION) == []

        r = await http.post("/v1/tree-heads", headers=bearer(auditor))
        assert r.status_code == 200, r.text
        for kind in (DRAWN, OPINION, REGISTERED):
            url = f"/v1/entries/{leaf[kind]}/inclusion-proof"
            assert (await http.get(url, headers=bearer(unit))).status_code == 404, kind
            assert (await http.get(url, headers=bearer(auditor))).status_code == 200, kind
        url = f"/v1/entries/{leaf[OPENED]}/inclusion-proof"
        assert (await http.get(url, headers=bearer(unit))).status_code == 200

        # The unit's export leaves them out and still verifies; the auditor's holds them.
        pem = (await http.get("/v1/public-key")).text
        for token, count in ((unit, 2), (auditor, 4)):
            r = await http.post("/v1/exports", json={"project_id": PROJECT}, headers=bearer(token))
            assert r.status_code == 200, r.text
            bundle = tmp_path / f"{count}.zip"
            bundle.write_bytes(r.content)
            report = verify_bundle(bundle, trusted_public_key_pem=pem)
            assert report.ok and report.checked == count, report.problems

    async with grpc.aio.insecure_channel(f"127.0.0.1:{audit.grpc_port}") as ch:
        stub = pb_grpc.AuditServiceStub(ch)

        async def listed(token, **kw):
            resp = await stub.ListEntries(
                pb.ListEntriesRequest(**kw), metadata=[("authorization", f"Bearer {token}")]
            )
            return [e.event_type for e in resp.entries]

        assert await listed(unit) == [OPENED, "govit.intake.project.submitted"]
        assert await listed(unit, event_type=DRAWN) == []
        assert DRAWN in await listed(auditor, event_type=DRAWN)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetInclusionProof(
                pb.GetInclusionProofRequest(leaf_index=leaf[OPINION]),
                metadata=[("authorization", f"Bearer {unit}")],
            )
        assert err.value.code() == grpc.StatusCode.NOT_FOUND
