"""The integrity check hashes the whole log again (seconds of CPU at a few hundred thousand
entries): it does so in a worker thread, chunk by chunk, never on the event loop that serves
every other request meanwhile."""

import threading

import httpx

from audit.log import merkle
from audit.main import spec
from govit_kit.testing import bearer

from .test_log_proofs import fill, logged


async def test_the_check_hashes_nothing_on_the_event_loop(
    start_service, event_space, issuer, monkeypatch
):
    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    audit = await start_service(spec())
    await fill(event_space, 8)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
        await logged(http, auditor, 8)
        await http.post("/v1/tree-heads", headers=bearer(auditor))
        loop_thread, threads = threading.get_ident(), []

        def spy(hash_function):
            def hashed(*args):
                threads.append(threading.get_ident())
                return hash_function(*args)

            return hashed

        monkeypatch.setattr(merkle, "leaf_hash", spy(merkle.leaf_hash))
        monkeypatch.setattr(merkle, "node_hash", spy(merkle.node_hash))
        report = (await http.get("/v1/integrity", headers=bearer(auditor))).json()
    assert report["ok"] and report["entries_checked"] == 8, report
    assert threads, "the check hashed nothing"
    assert loop_thread not in threads
