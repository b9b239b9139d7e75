"""The entries are paged by leaf index, not OFFSET (govit_kit.http.fetch_keyset_page): the pages
of a filtered list give every entry once, an entry appended between two page reads comes once at
the end, a deep page reads no entry before it, and an offset cursor of before is a 422 naming
the cursor (INVALID_ARGUMENT naming page.page_token over gRPC)."""

import grpc
import httpx
import pytest

from audit.main import spec
from govit.audit.v1 import audit_service_pb2 as pb
from govit.audit.v1 import audit_service_pb2_grpc as pb_grpc
from govit.common.v1 import common_pb2
from govit_kit.http import encode_cursor
from govit_kit.testing import bearer, counted_statements, publish_event, wait_until


async def submitted(space, i: int) -> None:
    org = "org-a" if i % 3 else "org-b"
    await publish_event(
        space,
        "intake",
        "project",
        "submitted",
        common_pb2.OrgRef(org_id=org),
        subject=f"p{i}",
        org_id=org,
        project_id=f"p{i}",
    )


async def test_pages_give_every_entry_once_as_the_log_grows(start_service, event_space, issuer):
    audit = await start_service(spec())
    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    unit_a = issuer.issue("alice", "org-a", ["unit_staff"])
    for i in range(12):
        await submitted(event_space, i)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:

        async def logged(n):
            async def enough():
                r = await http.get("/v1/entries", params={"limit": 100}, headers=bearer(auditor))
                return r.json()["items"] if len(r.json()["items"]) >= n else None

            return await wait_until(enough)

        everything = await logged(12)
        org_a = [e["leaf_index"] for e in everything if e["org_id"] == "org-a"]
        assert len(org_a) == 8

        async def pages(token, params, *, between=None):
            seen, cursor, reads = [], None, 0
            while True:
                q = params | ({"cursor": cursor} if cursor else {})
                r = await http.get("/v1/entries", params=q, headers=bearer(token))
                assert r.status_code == 200, r.text
                page = r.json()
                assert len(page["items"]) <= params["limit"]
                seen += [e["leaf_index"] for e in page["items"]]
                reads += 1
                if between and reads == 1:
                    await between()
                if not (cursor := page["next_cursor"]):
                    return seen

        for token, params in (
            (auditor, {"org_id": "org-a", "limit": 3}),
            (unit_a, {"limit": 3}),
            (unit_a, {"limit": 4}),  # the last page full: a next_cursor, then an empty page
        ):
            assert await pages(token, params) == org_a, params

        # Appended between the first and second page reads: the next pages go on where the
        # first stopped, and the new entry comes once, at the end.
        async def append():
            await submitted(event_space, 13)  # org-a
            await logged(13)

        seen = await pages(auditor, {"org_id": "org-a", "limit": 3}, between=append)
        everything = await logged(13)
        assert seen == [e["leaf_index"] for e in everything if e["org_id"] == "org-a"]
        assert seen[:-1] == org_a and len(set(seen)) == 9

        # A page deep in the log reads from its key on: no OFFSET.
        r = await http.get("/v1/entries", params={"limit": 5}, headers=bearer(auditor))
        with counted_statements(audit.runtime.db.engine) as ran:
            params = {"limit": 5, "cursor": r.json()["next_cursor"]}
            r = await http.get("/v1/entries", params=params, headers=bearer(auditor))
        statements = [s for s, _ in ran.naming("audit_entry")]
        assert [e["leaf_index"] for e in r.json()["items"]] == [
            e["leaf_index"] for e in everything
        ][5:10]
        assert statements and not [s for s in statements if "OFFSET" in s.upper()]

        # A cursor of the paging by position is refused by name.
        r = await http.get(
            "/v1/entries", params={"cursor": encode_cursor(3)}, headers=bearer(auditor)
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "cursor", r.json()

    async with grpc.aio.insecure_channel(f"127.0.0.1:{audit.grpc_port}") as ch:
        stub = pb_grpc.AuditServiceStub(ch)
        md = [("authorization", f"Bearer {unit_a}")]
        seen, token = [], ""
        while True:
            page = common_pb2.PageRequest(page_size=3, page_token=token)
            resp = await stub.ListEntries(pb.ListEntriesRequest(page=page), metadata=md)
            seen += [e.leaf_index for e in resp.entries]
            if not (token := resp.page.next_page_token):
                break
        assert seen == [e["leaf_index"] for e in everything if e["org_id"] == "org-a"]
        with pytest.raises(grpc.aio.AioRpcError) as err:
            page = common_pb2.PageRequest(page_size=3, page_token=encode_cursor(3))
            await stub.ListEntries(pb.ListEntriesRequest(page=page), metadata=md)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "page.page_token" in err.value.details()
