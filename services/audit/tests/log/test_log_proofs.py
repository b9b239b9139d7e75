"""The log as a Merkle tree through the API: one leaf per event, signed heads, proofs that verify,
and tampering found by the integrity check."""

import base64
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from audit.log import merkle
from audit.log.signing import verify_tree_head
from audit.main import spec
from govit.common.v1 import common_pb2
from govit_kit.testing import bearer, publish_event, wait_until


async def logged(http, token, n):
    async def enough():
        r = await http.get("/v1/entries", params={"limit": 100}, headers=bearer(token))
        items = r.json()["items"]
        return items if len(items) >= n else None

    return await wait_until(enough)


async def fill(space, n, org="org-a", first_id=None):
    ids = []
    for i in range(n):
        ids.append(
            await publish_event(
                space,
                "intake",
                "project",
                "submitted",
                common_pb2.OrgRef(org_id=org),
                subject=f"p{i}",
                org_id=org,
                project_id=f"p{i % 3}",
                event_id=first_id if i == 0 and first_id else None,
            )
        )
    return ids


@pytest.fixture
def auditor(issuer):
    return issuer.issue("ada", "org-audit", ["auditor"])


async def test_ten_redeliveries_give_one_entry(start_service, event_space, auditor):
    audit = await start_service(spec())
    event_id = await publish_event(
        event_space,
        "intake",
        "project",
        "submitted",
        common_pb2.OrgRef(org_id="org-a"),
        subject="p1",
        org_id="org-a",
    )
    for n in range(9):  # the same event again, each stored by JetStream as a new message
        await publish_event(
            event_space,
            "intake",
            "project",
            "submitted",
            common_pb2.OrgRef(org_id="org-a"),
            subject="p1",
            org_id="org-a",
            event_id=event_id,
            msg_id=f"again-{n}",
        )
    marker = await publish_event(
        event_space,
        "intake",
        "project",
        "submitted",
        common_pb2.OrgRef(org_id="org-a"),
        subject="p2",
        org_id="org-a",
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
        items = await logged(http, auditor, 2)
        # The marker came after all ten copies: once it is logged, every copy was handled.
        assert [e["event_id"] for e in items] == [event_id, marker]
        assert [e["leaf_index"] for e in items] == [0, 1]


async def test_signed_heads_and_proofs_verify(start_service, event_space, auditor, issuer):
    audit = await start_service(spec())
    await fill(event_space, 5)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
        await logged(http, auditor, 5)
        pem = (await http.get("/v1/public-key")).text
        first = (await http.post("/v1/tree-heads", headers=bearer(auditor))).json()
        assert first["tree_size"] == 5
        await fill(event_space, 6, org="org-b")
        await logged(http, auditor, 11)
        unit = issuer.issue("alice", "org-a", ["unit_staff"])
        r = await http.post("/v1/tree-heads", headers=bearer(unit))
        assert r.status_code == 403
        second = (await http.post("/v1/tree-heads", headers=bearer(auditor))).json()
        assert second["tree_size"] == 11
        latest = (await http.get("/v1/tree-heads/latest", headers=bearer(unit))).json()
        assert latest == second
        for head in (first, second):
            assert verify_tree_head(
                pem,
                head["tree_size"],
                bytes.fromhex(head["root_hash"]),
                datetime.fromisoformat(head["signed_at"]).astimezone(UTC),
                base64.b64decode(head["signature"]),
            )

        root = bytes.fromhex(second["root_hash"])
        for leaf in range(11):
            r = await http.get(f"/v1/entries/{leaf}/inclusion-proof", headers=bearer(auditor))
            proof = r.json()
            entry = await http.get("/v1/entries", params={"limit": 100}, headers=bearer(auditor))
            raw = base64.b64decode(entry.json()["items"][leaf]["entry"])
            assert merkle.leaf_hash(raw).hex() == proof["leaf_hash"]
            merkle.verify_inclusion(
                leaf,
                11,
                merkle.leaf_hash(raw),
                [bytes.fromhex(h) for h in proof["audit_path"]],
                root,
            )
        # A unit reads proofs of its own entries only: leaf 7 is org-b's.
        assert (
            await http.get("/v1/entries/0/inclusion-proof", headers=bearer(unit))
        ).status_code == 200
        assert (
            await http.get("/v1/entries/7/inclusion-proof", headers=bearer(unit))
        ).status_code == 404

        r = await http.get(
            "/v1/consistency-proof", params={"first": 5, "second": 11}, headers=bearer(auditor)
        )
        merkle.verify_consistency(
            5,
            11,
            bytes.fromhex(first["root_hash"]),
            root,
            [bytes.fromhex(h) for h in r.json()["proof"]],
        )
        r = await http.get(
            "/v1/consistency-proof", params={"first": 5, "second": 99}, headers=bearer(auditor)
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "first"
        report = (await http.get("/v1/integrity", headers=bearer(auditor))).json()
        assert (
            report["ok"] and report["entries_checked"] == 11 and report["tree_heads_checked"] >= 2
        )


TAMPERING = {
    "update": ("UPDATE audit_entry SET subject = 'forged' WHERE leaf_index = 3", "changed", 3),
    "delete": ("DELETE FROM audit_entry WHERE leaf_index = 4", "missing", 4),
    "insert": (
        "INSERT INTO audit_entry (leaf_index, event_id, event_type, source, subject, event_time,"
        " recorded_at, payload_type, payload, entry, leaf_hash) SELECT 8, 'forged', event_type,"
        " source, subject, event_time, recorded_at, payload_type, payload, entry, leaf_hash"
        " FROM audit_entry WHERE leaf_index = 2",
        "inserted",
        8,
    ),
    "reorder": (
        "UPDATE audit_entry SET leaf_index = CASE leaf_index WHEN 1 THEN 5 WHEN 5 THEN 1 END"
        " WHERE leaf_index IN (1, 5)",
        None,
        1,
    ),
}


@pytest.mark.parametrize("kind", sorted(TAMPERING))
async def test_direct_sql_changes_are_found(kind, start_service, event_space, auditor):
    audit = await start_service(spec())
    await fill(event_space, 8)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
        await logged(http, auditor, 8)
        await http.post("/v1/tree-heads", headers=bearer(auditor))
        assert (await http.get("/v1/integrity", headers=bearer(auditor))).json()["ok"]
        sql, problem_kind, leaf = TAMPERING[kind]
        async with audit.runtime.db.engine.begin() as conn:
            # The database refuses such changes (L17, see test_the_database_refuses_...); a
            # superuser can switch its triggers off, and the integrity check must still see it.
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
            if kind == "reorder":  # the unique index would refuse the swap in one step
                await conn.execute(
                    text("UPDATE audit_entry SET leaf_index = -1 WHERE leaf_index = 1")
                )
                await conn.execute(
                    text("UPDATE audit_entry SET leaf_index = 1 WHERE leaf_index = 5")
                )
                await conn.execute(
                    text("UPDATE audit_entry SET leaf_index = 5 WHERE leaf_index = -1")
                )
            else:
                await conn.execute(text(sql))
        report = (await http.get("/v1/integrity", headers=bearer(auditor))).json()
    assert not report["ok"]
    first = report["problems"][0]
    assert first["leaf_index"] == leaf, report
    if problem_kind:
        assert first["kind"] == problem_kind, report


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_entry SET subject = 'forged' WHERE leaf_index = 0",
        "DELETE FROM audit_entry WHERE leaf_index = 0",
        "DELETE FROM merkle_node",
        "UPDATE tree_head SET tree_size = 0",
        "TRUNCATE audit_entry",
    ],
)
async def test_the_database_refuses_to_change_the_log(sql, start_service, event_space, auditor):
    audit = await start_service(spec())
    await fill(event_space, 1)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
        await logged(http, auditor, 1)
        await http.post("/v1/tree-heads", headers=bearer(auditor))
        with pytest.raises(DBAPIError, match=r"append-only \(L17\)"):
            async with audit.runtime.db.engine.begin() as conn:
                await conn.execute(text(sql))
        assert (await http.get("/v1/integrity", headers=bearer(auditor))).json()["ok"]


async def test_a_leaf_index_past_64_bits_is_named_not_an_overflow(start_service, auditor):
    audit = await start_service(spec())
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
        for path, field in (
            (f"/v1/entries/{2**63}/inclusion-proof", "leaf_index"),
            (f"/v1/entries/0/inclusion-proof?tree_size={2**64}", "tree_size"),
            (f"/v1/consistency-proof?first={2**64}&second={2**65}", "first"),
        ):
            r = await http.get(path, headers=bearer(auditor))
            assert r.status_code == 422, (path, r.text)
            assert r.json()["errors"][0]["field"] == field
