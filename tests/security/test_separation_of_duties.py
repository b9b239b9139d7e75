"""Self-approval and skipped stages (OWASP API5, business flows): a unit never approves its own
request or case; the official who filed a cloud request never decides on it, even with a token
that also carries the cloud administrator's role; a step that skips a stage is refused naming
the state the object is in."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from authz_run import start  # noqa: E402
from authz_seeds import ADMIN, CDO, STAFF, file_request  # noqa: E402
from authz_support import CALLERS, Caller  # noqa: E402


class Dual(Caller):
    """One person holding two roles in one token: unit staff of org-a and cloud administrator."""

    def token(self, issuer) -> str:
        return issuer.issue(self.subject, self.org, ["unit_staff", "bureau_cloud_admin"])


async def post(s, caller, url, **kw):
    return await s.http.post(url, headers=s.headers(caller), **kw)


async def test_cloud_requests_no_self_approval_and_no_skipped_stage(
    start_service, issuer, event_space
):
    """One broker for three checks: a unit takes no bureau step on its own request; a step that
    skips a stage is a 409 naming the state; the filer never decides, whatever else it holds."""
    _, s, ids = await start("cloud_broker", start_service, issuer, event_space)
    await unit_takes_no_bureau_step(s, ids)
    await skipped_stage_is_a_409_naming_the_state(s, ids)
    await filer_never_decides(s, ids)


async def filer_never_decides(s, ids):
    dual = Dual("dual-1", "org-a", "unit_staff")
    rid = await file_request(s, ids["project_id"], dual)
    base = f"/v1/resource-requests/{rid}"

    for step in ("accept", "reject"):
        r = await post(s, dual, f"{base}/{step}", json={"reason": "自己审"})
        assert r.status_code == 403, r.text
        assert "dual-1 filed this request" in r.json()["detail"]
    assert (await post(s, ADMIN, f"{base}/accept")).status_code == 200
    r = await post(s, dual, f"{base}/approve")
    assert r.status_code == 403 and "another official decides" in r.json()["detail"], r.text
    assert (await post(s, ADMIN, f"{base}/approve")).status_code == 200
    r = await post(s, dual, f"{base}/allocate", json={"platform_id": "pa"})
    assert r.status_code == 403, r.text
    history = (await s.http.get(f"{base}/history", headers=s.headers(ADMIN))).json()
    deciders = {row["actor"] for row in history if row["action"] in ("accept", "approve")}
    assert deciders == {ADMIN.subject}


async def unit_takes_no_bureau_step(s, ids):
    base = f"/v1/resource-requests/{ids['request_id']}"
    for unit in (STAFF, CDO):
        for step, body in (
            ("accept", None),
            ("approve", None),
            ("reject", {"reason": "x"}),
            ("plan-approval", None),
            ("allocate", {"platform_id": "pa"}),
            ("activate", None),
        ):
            r = await post(s, unit, f"{base}/{step}", json=body)
            assert r.status_code == 403, (unit.role, step, r.text)


async def skipped_stage_is_a_409_naming_the_state(s, ids):
    base = f"/v1/resource-requests/{ids['request_id']}"
    for step, body in (("approve", None), ("allocate", {"platform_id": "pa"}), ("activate", None)):
        r = await post(s, ADMIN, f"{base}/{step}", json=body)
        assert r.status_code == 409, (step, r.text)
        assert r.json()["state"] == "submitted" and "submitted" in r.json()["detail"], r.text
    assert (await post(s, ADMIN, f"{base}/accept")).status_code == 200
    r = await post(s, ADMIN, f"{base}/allocate", json={"platform_id": "pa"})
    assert (r.status_code, r.json()["state"]) == (409, "accepted"), r.text
    r = await post(s, STAFF, f"{base}/deploy")
    assert (r.status_code, r.json()["state"]) == (409, "accepted"), r.text


async def test_review_a_unit_never_concludes_its_own_case_and_the_chain_keeps_its_order(
    start_service, issuer, event_space
):
    _, s, ids = await start("review", start_service, issuer, event_space)
    case = f"/v1/cases/{ids['case_id']}"
    conclusion = {"conclusion": "approve", "reason": "我们自己同意"}
    for unit in (STAFF, CDO):
        r = await post(s, unit, f"{case}/conclusion", json=conclusion)
        assert r.status_code == 403, r.text
    # D7: NDRC approval before the bureau's approving conclusion, finance before the NDRC:
    # refused citing D7 and the stage the chain stands at.
    step = {"document_number": "发改〔2027〕1号", "approved_amount": "800000.00"}
    for path, role in (("ndrc-approval", "ndrc_officer"), ("investment-review", "finance_officer")):
        r = await post(s, CALLERS[role], f"{case}/{path}", json=step)
        assert r.status_code == 422, r.text
        [decision] = r.json()["decisions"]
        assert decision["rule_id"] == "D7" and decision["article"], decision
        assert "stands at none" in decision["reason"], decision
    # A drawn expert declines only their own assignment; another expert may not.
    other = Caller("expert-2", "org-univ", "expert")
    r = await post(
        s, other, f"/v1/assignments/{ids['assignment_id']}/decline", json={"reason": "x"}
    )
    assert r.status_code == 403, r.text


async def test_intake_a_unit_neither_signs_off_as_cdo_nor_approves_its_own_framework_plan(
    start_service, issuer, event_space
):
    _, s, ids = await start("intake", start_service, issuer, event_space)
    r = await post(s, STAFF, f"/v1/projects/{ids['project_id']}/cdo-signoff")
    assert r.status_code == 403, r.text
    for unit in (STAFF, CDO):
        r = await post(
            s, unit, f"/v1/framework-plans/{ids['plan_id']}/approve", json={"opinion": "同意"}
        )
        assert r.status_code == 403, r.text
