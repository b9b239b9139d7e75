"""An export from the running service verifies offline; reconciliation finds a logged gap."""

import httpx
from sqlalchemy import text

from audit.exchange.bundle import verify_bundle
from audit.main import spec as audit_spec
from govit_kit.testing import bearer, counted_statements, wait_until
from intake.main import spec as intake_spec


async def test_export_verifies_and_reconciliation_names_a_gap(start_service, issuer, tmp_path):
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
        for n in range(3):
            r = await ih.post(
                "/v1/projects",
                headers=bearer(unit),
                json={"name": f"p{n}", "project_type": "new", "total_investment": "1000"},
            )
            await ih.post(f"/v1/projects/{r.json()['id']}/submit", headers=bearer(unit))

        async def three():
            r = await ah.get("/v1/entries", headers=bearer(auditor))
            return r.json()["items"] if len(r.json()["items"]) == 3 else None

        items = await wait_until(three)
        assert {e["actor"] for e in items} == {"alice"}
        r = await ah.post("/v1/exports", json={"org_id": "org-a"}, headers=bearer(unit))
        assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
        bundle = tmp_path / "bundle.zip"
        bundle.write_bytes(r.content)
        pem = (await ah.get("/v1/public-key")).text
        report = verify_bundle(bundle, trusted_public_key_pem=pem)
        assert report.ok and report.checked == 3, report.problems

        rec = (await ah.get("/v1/reconciliation", headers=bearer(auditor))).json()
        intake_rec = rec["services"]["intake"]
        assert (intake_rec["published"], intake_rec["logged"], intake_rec["missing"]) == (3, 3, 0)
        assert "unreachable" in rec["services"]["review"]["error"]  # not started in this test
        async with audit.runtime.db.engine.begin() as conn:
            await conn.execute(text("SET LOCAL session_replication_role = replica"))  # L17 guard
            await conn.execute(text("DELETE FROM audit_entry WHERE leaf_index = 1"))
        rec = (await ah.get("/v1/reconciliation", headers=bearer(auditor))).json()
        assert rec["services"]["intake"]["missing_ids"] == [items[1]["event_id"]]
        assert (await ah.get("/v1/reconciliation", headers=bearer(unit))).status_code == 403


async def test_an_export_takes_the_same_queries_for_more_entries(
    start_service, event_space, issuer, tmp_path, monkeypatch
):
    # Every entry's inclusion proof comes from one read of the log's size and the nodes all the
    # proofs need, fetched together: five entries or twenty-five take the same queries.
    import zipfile

    from audit.exchange.bundle import ENTRIES
    from audit.log import service
    from govit.common.v1 import common_pb2
    from govit_kit.testing import publish_event

    # No signing or compliance run of its own while the queries are counted.
    audit = await start_service(
        audit_spec(), audit_sign_interval_s=3600, audit_compliance_interval_s=3600
    )
    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    engine = audit.runtime.db.engine

    async def publish(n):
        for i in range(n):
            await publish_event(
                event_space,
                "intake",
                "project",
                "submitted",
                common_pb2.OrgRef(org_id="org-a"),
                subject=f"p{i}",
                org_id="org-a",
                project_id=f"p{i % 3}",
            )

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as ah:

        async def logged(n):
            async def enough():
                r = await ah.get("/v1/entries", params={"limit": 100}, headers=bearer(auditor))
                return len(r.json()["items"]) >= n or None

            await wait_until(enough)

        async def export(name):
            with counted_statements(engine, ignore=("outbox", "inbox")) as ran:
                r = await ah.post("/v1/exports", json={}, headers=bearer(auditor))
            assert r.status_code == 200, r.text
            bundle = tmp_path / name
            bundle.write_bytes(r.content)
            pem = (await ah.get("/v1/public-key")).text
            report = verify_bundle(bundle, trusted_public_key_pem=pem)
            assert report.ok, report.problems
            with zipfile.ZipFile(bundle) as zf:
                return ran.count, report.checked, zf.read(ENTRIES)

        await publish(5)
        await logged(5)
        few, checked, _ = await export("five.zip")
        assert checked == 5
        await publish(20)
        await logged(25)
        more, checked, entries = await export("twenty-five.zip")
        assert checked == 25
        assert more == few, f"{few} queries for 5 entries, {more} for 25"
        # Nodes fetched a few per query give the same entries and proofs, byte for byte.
        monkeypatch.setitem(service.NODES_PER_QUERY, "postgresql", 4)
        chunked, checked, same = await export("chunked.zip")
        assert checked == 25 and same == entries and chunked > more
