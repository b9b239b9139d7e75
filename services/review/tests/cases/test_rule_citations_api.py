"""Conflicts cite a rule with its profile's article, and only where the profile applies it:
D2 for a filing-only case."""


async def test_a_filing_only_case_cites_d2_with_its_article(review_for):
    """SN: 12万 is below D2's 30万, so the case is filed only; a joint-review opinion or a draw on
    it is a 409 citing D2 (SN P art22) (before: "(D2)" without the article)."""
    api = await review_for("suining")
    case = await api.open_case("p-filing", "org-a", "120000.00")
    assert case["track"] == "filing"
    r = await api.opinion(case["id"], api.security, ["information_security"])
    assert r.status_code == 409, r.text
    assert r.json()["detail"] == "a filing-only case has no joint review (D2 (SN P art22))"
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/draws",
        api.reviewer,
        json={"pool": "expert", "specialty": "it", "count": 1},
    )
    assert r.status_code == 409, r.text
    assert r.json()["detail"].endswith("(D2 (SN P art22))"), r.text
