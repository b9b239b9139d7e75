"""Reconciliation under traffic: an event published and logged between the listing of what a
service published and the read of the log is not 'logged but never published'; an entry the
service never published still is."""

import httpx

from audit.log import reconcile
from audit.main import spec as audit_spec
from govit.common.v1 import common_pb2
from govit_kit.testing import bearer, publish_event, wait_until
from intake.main import spec as intake_spec

PROJECT = {"project_type": "new", "total_investment": "1000"}


async def test_an_event_logged_during_the_reconciliation_is_not_flagged(
    start_service, event_space, issuer, monkeypatch
):
    # Xianyang sets no application rules, so a bare draft submits: one event per project.
    intake = await start_service(intake_spec(), policy_profile="xianyang")
    audit = await start_service(
        audit_spec(), intake_grpc=f"127.0.0.1:{intake.grpc_port}", audit_reconcile_grace_s=0
    )
    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    unit = issuer.issue("alice", "org-a", ["unit_staff"])
    ih = httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}")
    ah = httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}")
    async with ih, ah:

        async def submit(name: str) -> None:
            r = await ih.post("/v1/projects", headers=bearer(unit), json={"name": name, **PROJECT})
            r = await ih.post(f"/v1/projects/{r.json()['id']}/submit", headers=bearer(unit))
            assert r.status_code == 200, r.text

        async def logged(n: int):
            async def enough():
                r = await ah.get("/v1/entries", headers=bearer(auditor))
                return r.json()["items"] if len(r.json()["items"]) >= n else None

            return await wait_until(enough)

        await submit("p0")
        await logged(1)
        report = (await ah.get("/v1/reconciliation", headers=bearer(auditor))).json()
        intake_rec = report["services"]["intake"]
        assert (intake_rec["published"], intake_rec["logged"]) == (1, 1), intake_rec
        assert intake_rec["logged_not_published"] == 0

        # Between the listing and the read of the log, intake publishes one more event and the
        # log takes it in: normal traffic.
        listed = reconcile.published_by

        async def listing_then_traffic(rt, peer, who):
            events = await listed(rt, peer, who)
            if peer == "intake":
                await submit("p1")
                await logged(2)
            return events

        monkeypatch.setattr(reconcile, "published_by", listing_then_traffic)
        report = (await ah.get("/v1/reconciliation", headers=bearer(auditor))).json()
        intake_rec = report["services"]["intake"]
        assert intake_rec["logged_not_published"] == 0, intake_rec
        assert intake_rec["logged_not_published_ids"] == []
        assert (intake_rec["published"], intake_rec["logged"]) == (1, 2)
        assert intake_rec["logged_in_flight"] == 1
        monkeypatch.setattr(reconcile, "published_by", listed)

        # The next reconciliation lists it: all is accounted for.
        report = (await ah.get("/v1/reconciliation", headers=bearer(auditor))).json()
        intake_rec = report["services"]["intake"]
        assert (intake_rec["published"], intake_rec["logged"], intake_rec["missing"]) == (2, 2, 0)
        assert (intake_rec["logged_not_published"], intake_rec["logged_in_flight"]) == (0, 0)

        # An entry under intake's name that intake never published, logged before the listing,
        # is still named.
        forged = await publish_event(
            event_space,
            "intake",
            "project",
            "submitted",
            common_pb2.OrgRef(org_id="org-a"),
            subject="p-forged",
            org_id="org-a",
        )
        await logged(3)
        report = (await ah.get("/v1/reconciliation", headers=bearer(auditor))).json()
        intake_rec = report["services"]["intake"]
        assert intake_rec["logged_not_published_ids"] == [forged], intake_rec
        assert report["ok"] is False
