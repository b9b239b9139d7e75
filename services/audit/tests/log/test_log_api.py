"""Audit appends every event once, with its RFC 6962 leaf hash, and shows a unit only its own."""

import base64
import hashlib
import json

import httpx
from sqlalchemy import select

from audit.main import spec
from govit.common.v1 import common_pb2
from govit_kit.testing import bearer, publish_event, wait_until


async def test_every_event_once_and_scoped_reads(start_service, event_space, issuer):
    audit = await start_service(spec())
    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    unit_a = issuer.issue("alice", "org-a", ["unit_staff"])
    reviewer = issuer.issue("rita", "org-data-bureau", ["bureau_reviewer"])
    first = await publish_event(
        event_space,
        "intake",
        "project",
        "submitted",
        common_pb2.OrgRef(org_id="org-a"),
        subject="p1",
        org_id="org-a",
        project_id="p1",
    )
    await publish_event(
        event_space,
        "intake",
        "project",
        "submitted",
        common_pb2.OrgRef(org_id="org-a"),
        subject="p1",
        org_id="org-a",
        project_id="p1",
        event_id=first,
        msg_id="redelivered",
    )
    await publish_event(
        event_space,
        "finance",
        "funding_line",
        "opened",
        common_pb2.OrgRef(org_id="org-b"),
        subject="f1",
        org_id="org-b",
        project_id="p2",
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:

        async def entries(token=auditor, **params):
            r = await http.get("/v1/entries", params=params, headers=bearer(token))
            assert r.status_code == 200, r.text
            return r.json()["items"]

        async def two():
            items = await entries()
            return items if len(items) == 2 else None

        items = await wait_until(two)
        assert [e["event_type"] for e in items] == [
            "govit.intake.project.submitted",
            "govit.finance.funding_line.opened",
        ]
        assert items[0]["event_id"] == first
        assert [e["leaf_index"] for e in items] == [0, 1]
        assert items[0]["payload"] == {"org_id": "org-a"}
        # The leaf hash is SHA-256(0x00 || canonical entry), and the entry commits to the payload.
        async with audit.runtime.db.sessions() as session:
            from audit.log.models import AuditEntry

            row = await session.scalar(
                select(AuditEntry).where(AuditEntry.leaf_index == items[0]["leaf_index"])
            )
        assert hashlib.sha256(b"\x00" + row.entry).hexdigest() == items[0]["leaf_hash"]
        assert base64.b64decode(json.loads(row.entry)["data"]) == row.payload

        assert [e["org_id"] for e in await entries(unit_a)] == ["org-a"]
        assert await entries(unit_a, org_id="org-b") == []
        r = await http.get("/v1/entries", headers=bearer(reviewer))
        assert r.status_code == 403
        assert len(await entries(project_id="p2")) == 1


async def test_a_moment_without_its_offset_is_a_422_naming_the_field(start_service, issuer):
    audit = await start_service(spec())
    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
        r = await http.get(
            "/v1/entries", params={"since": "2026-01-01T00:00:00"}, headers=bearer(auditor)
        )
        assert r.status_code == 422, r.text
        assert "since" in r.text
        r = await http.get(
            "/v1/entries", params={"since": "2026-01-01T00:00:00+08:00"}, headers=bearer(auditor)
        )
        assert r.status_code == 200, r.text
        r = await http.post(
            "/v1/exports", json={"until": "2026-01-01T00:00:00"}, headers=bearer(auditor)
        )
        assert r.status_code == 422, r.text
        assert "until" in r.text
        # A moment Python has in its own offset but not in UTC: 422 naming it, not a 500.
        for moment in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"):
            r = await http.get("/v1/entries", params={"since": moment}, headers=bearer(auditor))
            assert r.status_code == 422 and r.json()["errors"][0]["field"] == "since", r.text
            r = await http.post("/v1/exports", json={"until": moment}, headers=bearer(auditor))
            assert r.status_code == 422 and r.json()["errors"][0]["field"] == "until", r.text
