"""Pools and draws over REST: conflicts excluded, the record re-runs, a decline is redrawn,
and an expert sees only the cases drawn for them."""


async def register(api, name, *, employer=None, conflicts=(), specialty="software", **kw):
    body = {
        "pool": kw.get("pool", "expert"),
        "name": name,
        "subject": kw.get("subject"),
        "employer_org_id": employer,
        "specialties": [specialty],
        "available": kw.get("available", True),
        "conflicts": list(conflicts),
    }
    r = await api.call("POST", "/v1/pool-members", api.reviewer, json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def test_draw_excludes_conflicts_reruns_and_redraws(review_for):
    api = await review_for("yunyang")
    case = await api.open_case("p-1", "org-a", "800000.00")
    own = await register(api, "同单位", employer="org-a", subject="x-own")
    involved = await register(api, "参与项目", conflicts=["p-1"], subject="x-inv")
    away = await register(api, "出差", available=False, subject="x-away")
    others = [await register(api, f"专家{i}", subject=f"x-{i}") for i in range(4)]
    await register(api, "网络", specialty="network", subject="x-net")

    # Only the bureau draws.
    unit = api.token("alice", "org-a", "unit_staff")
    body = {"specialty": "software", "count": 2}
    r = await api.call("POST", f"/v1/cases/{case['id']}/draws", unit, json=body)
    assert r.status_code == 403
    # Asking for more than the eligible is a 409 that lists the exclusions; nothing is recorded.
    r = await api.call(
        "POST", f"/v1/cases/{case['id']}/draws", api.reviewer, json={**body, "count": 5}
    )
    assert r.status_code == 409 and r.json()["eligible"] == 4
    assert {e["member_id"] for e in r.json()["excluded"]} == {own["id"], involved["id"], away["id"]}

    retry = {"Idempotency-Key": "draw-p-1-software"}
    r = await api.call(
        "POST", f"/v1/cases/{case['id']}/draws", api.reviewer, json=body, headers=retry
    )
    assert r.status_code == 201, r.text
    draw = r.json()
    # A retried request replays the same draw; drawing again is refused (no fishing).
    r = await api.call(
        "POST", f"/v1/cases/{case['id']}/draws", api.reviewer, json=body, headers=retry
    )
    assert r.status_code == 201 and r.json() == draw
    assert r.headers["Idempotent-Replayed"] == "true"
    r = await api.call("POST", f"/v1/cases/{case['id']}/draws", api.reviewer, json=body)
    assert r.status_code == 409 and r.json()["draw_id"] == draw["id"]
    assert draw["candidates"] == sorted(o["id"] for o in others)
    assert len(draw["picked"]) == 2 and set(draw["picked"]) <= set(draw["candidates"])
    assert draw["decisions"][0]["rule_id"] == "D6"
    assert draw["decisions"][0]["article"] == "YY art4, art10"

    # An auditor re-runs the draw from its record and gets the same experts.
    r = await api.call("GET", f"/v1/draws/{draw['id']}/verification", api.auditor)
    assert r.status_code == 200 and r.json()["matches"] is True
    assert r.json()["recomputed"] == draw["picked"]
    # A unit cannot read draw records.
    assert (await api.call("GET", f"/v1/draws/{draw['id']}/verification", unit)).status_code == 403

    # Experts: a drawn one sees the case; another gets 404 and an empty list.
    by_id = {o["id"]: o for o in others}
    drawn_subject = by_id[draw["picked"][0]]["subject"]
    not_drawn = next(o for o in others if o["id"] not in draw["picked"])
    drawn_tok = api.token(drawn_subject, "org-univ", "expert")
    other_tok = api.token(not_drawn["subject"], "org-univ", "expert")
    assert (await api.call("GET", f"/v1/cases/{case['id']}", drawn_tok)).status_code == 200
    assert [c["id"] for c in (await api.call("GET", "/v1/cases", drawn_tok)).json()["items"]] == [
        case["id"]
    ]
    assert (await api.call("GET", f"/v1/cases/{case['id']}", other_tok)).status_code == 404
    assert (await api.call("GET", "/v1/cases", other_tok)).json()["items"] == []

    # The drawn expert declines; a replacement is drawn from the remaining eligible two.
    assignments = (await api.call("GET", f"/v1/cases/{case['id']}/assignments", drawn_tok)).json()
    [mine] = assignments  # an expert sees only their own assignment
    assert mine["subject"] == drawn_subject
    # The applicant unit does not learn who was drawn.
    r = await api.call(
        "GET", f"/v1/cases/{case['id']}/assignments", api.token("al", "org-a", "unit_staff")
    )
    assert r.status_code == 403
    r = await api.call(
        "POST", f"/v1/assignments/{mine['id']}/decline", other_tok, json={"reason": "x"}
    )
    assert r.status_code == 403  # not theirs to decline
    r = await api.call(
        "POST", f"/v1/assignments/{mine['id']}/decline", drawn_tok, json={"reason": "回避:出国"}
    )
    assert r.status_code == 201, r.text
    # The expert gets their own assignment back, declined: nothing of the redraw (its seed,
    # its candidates, who replaces them) is theirs to know.
    declined = r.json()
    assert (declined["id"], declined["status"]) == (mine["id"], "declined")
    assert declined["decline_reason"] == "回避:出国" and declined["declined_at"]
    assert not {"seed", "candidates", "picked", "excluded"} & set(declined)
    draws = (await api.call("GET", f"/v1/cases/{case['id']}/draws", api.reviewer)).json()
    redraw = draws[-1]
    assert redraw["kind"] == "redraw" and redraw["replaces_assignment_id"] == mine["id"]
    remaining = sorted(set(by_id) - set(draw["picked"]))
    assert redraw["candidates"] == remaining and len(redraw["picked"]) == 1
    assert {e["reason"] for e in redraw["excluded"]} >= {"already drawn for this case"}
    r = await api.call("GET", f"/v1/draws/{redraw['id']}/verification", api.auditor)
    assert r.json()["matches"] is True
    # The decliner no longer sees the case; the history keeps both draws and the decline.
    assert (await api.call("GET", f"/v1/cases/{case['id']}", drawn_tok)).status_code == 404
    draws = (await api.call("GET", f"/v1/cases/{case['id']}/draws", api.reviewer)).json()
    assert [d["kind"] for d in draws] == ["initial", "redraw"]
    assignments = (
        await api.call("GET", f"/v1/cases/{case['id']}/assignments", api.reviewer)
    ).json()
    assert sorted(a["status"] for a in assignments) == ["active", "active", "declined"]
    types = await api.event_types()
    assert types.count("govit.review.draw.made") == 2
    assert types.count("govit.review.pool_member.registered") == 8


async def test_filing_case_draws_no_experts(review_for):
    api = await review_for("suining")
    case = await api.open_case("p-small", "org-a", "299999.99")
    assert case["track"] == "filing"
    await register(api, "专家")
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/draws",
        api.reviewer,
        json={"specialty": "software", "count": 1},
    )
    assert r.status_code == 409


async def test_member_update_is_guarded_by_version(review_for):
    api = await review_for("suining")
    m = await register(api, "专家")
    url = f"/v1/pool-members/{m['id']}"
    r = await api.http.patch(
        url,
        json={"available": False},
        headers={"authorization": f"Bearer {api.reviewer}", "If-Match": '"1"'},
    )
    assert r.status_code == 200 and r.json()["available"] is False
    r = await api.http.patch(
        url,
        json={"conflicts": ["org-z"]},
        headers={"authorization": f"Bearer {api.reviewer}", "If-Match": '"1"'},
    )
    assert r.status_code == 412


async def test_agency_draw(review_for):
    api = await review_for("yunyang")
    case = await api.open_case("p-ag", "org-a", "800000.00")
    await register(api, "监理甲", pool="agency", specialty="assessment")
    conflicted = await register(
        api, "监理乙", pool="agency", specialty="assessment", conflicts=["org-a"]
    )
    await register(api, "专家", specialty="assessment")  # an expert is not in the agency pool
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/draws",
        api.reviewer,
        json={"pool": "agency", "specialty": "assessment", "count": 1},
    )
    assert r.status_code == 201, r.text
    assert len(r.json()["candidates"]) == 1
    assert r.json()["excluded"] == [
        {"member_id": conflicted["id"], "reason": "declared conflict: org-a"}
    ]


async def test_blank_subject_or_employer_is_a_422(review_for):
    """A member's login subject and employer are ids: blanks are none (422 naming the field,
    nothing registered)."""
    api = await review_for("yunyang")
    body = {"pool": "expert", "name": "专家", "specialties": ["software"]}
    for field in ("subject", "employer_org_id"):
        r = await api.call("POST", "/v1/pool-members", api.reviewer, json={**body, field: "   "})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field, r.text
    r = await api.call("GET", "/v1/pool-members", api.reviewer)
    assert r.json()["items"] == []
