"""Rotating the signing key: heads signed by the old key still verify when its public key is
listed, and are named when it is not; the new key signs the next head even if the log is idle."""

import httpx
from sqlalchemy import select

from audit.log.models import TreeHead
from audit.log.signing import Signer
from audit.main import spec
from govit_kit.testing import bearer, run_service, settings_for
from services.audit.tests.log.test_log_proofs import fill, logged


async def test_heads_signed_by_a_rotated_key(databases, event_space, jwt_dir, tmp_path, issuer):
    auditor = issuer.issue("ada", "org-audit", ["auditor"])
    url = await databases.create("audit")
    old_key, new_key = tmp_path / "old.key", tmp_path / "new.key"
    old_pub = tmp_path / "old.pem"
    old_pub.write_text(Signer.from_file(old_key).public_pem)

    def settings(key, previous=()):
        return settings_for(
            "audit",
            database_url=url,
            space=event_space,
            data_dir=jwt_dir,
            cls=spec().settings_cls,
            audit_signing_key_file=key,
            audit_previous_public_key_files=list(previous),
        )

    async def integrity(audit) -> dict:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
            return (await http.get("/v1/integrity", headers=bearer(auditor))).json()

    audit = await run_service(spec(), settings(old_key))
    try:
        await fill(event_space, 3)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
            await logged(http, auditor, 3)
            r = await http.post("/v1/tree-heads", headers=bearer(auditor))
            old_head = r.json()
        assert (await integrity(audit))["ok"]
    finally:
        await audit.shutdown()

    # Rotated, the old public key forgotten: its heads cannot be checked, and integrity says so.
    audit = await run_service(spec(), settings(new_key))
    try:
        report = await integrity(audit)
        assert not report["ok"]
        assert report["problems"][0]["kind"] == "signature"
        assert old_head["key_id"] in report["problems"][0]["detail"]
    finally:
        await audit.shutdown()

    # Rotated properly: the old heads verify with the listed key, and the idle log gets a head
    # signed by the new key, so an export can carry the current key.
    audit = await run_service(spec(), settings(new_key, [old_pub]))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{audit.http_port}") as http:
            r = await http.post("/v1/tree-heads", headers=bearer(auditor))
            new_head = r.json()
            key = (await http.get("/v1/public-key")).headers["Key-Id"]
        assert new_head["tree_size"] == old_head["tree_size"] == 3
        assert new_head["key_id"] == key != old_head["key_id"]
        report = await integrity(audit)
        assert report["ok"], report
        async with audit.runtime.db.sessions() as s:
            assert len(list(await s.scalars(select(TreeHead)))) >= 2
    finally:
        await audit.shutdown()
