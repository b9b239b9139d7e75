"""Concurrent draws on PostgreSQL: one initial draw per case, pool and specialty (D6)."""

import asyncio
from collections import Counter


async def test_concurrent_initial_draws_make_one_draw(review_for):
    api = await review_for("suining")
    for i in range(30):
        member = {"pool": "expert", "name": f"e{i}", "subject": f"e{i}", "specialties": ["it"]}
        r = await api.call("POST", "/v1/pool-members", api.reviewer, json=member)
        assert r.status_code == 201, r.text
    for t in range(4):
        case = await api.open_case(f"p{t}", "org-a", "500000")
        url = f"/v1/cases/{case['id']}/draws"
        answers = await asyncio.gather(
            *[
                api.call("POST", url, api.reviewer, json={"specialty": "it", "count": 3})
                for _ in range(3)
            ]
        )
        statuses = Counter(r.status_code for r in answers)
        assert statuses == {201: 1, 409: 2}, [r.text for r in answers]
        refused = [r.json()["detail"] for r in answers if r.status_code == 409]
        assert all("already drawn" in d for d in refused), refused
        draws = (await api.call("GET", url, api.reviewer)).json()
        assert len(draws) == 1, draws
