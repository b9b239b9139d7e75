"""G7's filing duty over REST (PDS P art18: 终验完成后,项目单位应将项目验收报告报市政务服务和大数据
管理局、市发改委、市财政局、市审计局备案): the unit files the report after the final acceptance, with
all four bodies; before it, the filing is refused citing G7. Where the profile's G7 is the
asset registration (suining, xianyang) or does not apply (wuhai, yunyang) there is no filing."""

import hashlib
from datetime import date, datetime, timedelta

import pytest

from govit_kit.policy import SHANGHAI, load_profile
from review.acceptance.rules import files_acceptance_report, report_filing

SHA = hashlib.sha256(b"%PDF-1.7 final acceptance report").hexdigest()
FOUR = ["data_bureau", "ndrc", "finance", "audit"]


def body(**kw) -> dict:
    return {
        "report_document": "平大数据验〔2026〕5号 终验报告.pdf",
        "report_sha256": SHA,
        "filed_on": "2026-07-20",
        "recipients": FOUR,
    } | kw


@pytest.mark.parametrize(
    ("profile", "files"),
    [
        ("pingdingshan", True),
        ("suining", False),
        ("xianyang", False),
        ("wuhai", False),
        ("yunyang", False),
    ],
)
def test_which_profiles_file_the_report(profile, files):
    assert files_acceptance_report(load_profile(profile)) is files


def test_report_filing_edges():
    pds = load_profile("pingdingshan")
    final = date(2026, 7, 10)
    [ok] = report_filing(pds, final_accepted_on=final, filed_on=final, recipients=frozenset(FOUR))
    assert (ok.rule_id, ok.article, ok.outcome) == ("G7", "PDS P art18", "allow")
    [early] = report_filing(
        pds, final_accepted_on=final, filed_on=date(2026, 7, 9), recipients=frozenset(FOUR)
    )
    assert (early.outcome, early.figures["final_accepted_on"]) == ("refuse", final)
    [none] = report_filing(pds, final_accepted_on=None, filed_on=final, recipients=frozenset(FOUR))
    assert (none.rule_id, none.article, none.outcome) == ("G7", "PDS P art18", "refuse")
    [short] = report_filing(
        pds, final_accepted_on=final, filed_on=final, recipients=frozenset(FOUR[:3])
    )
    assert short.figures["missing"] == ["audit"]


async def test_pingdingshan_files_after_the_final_acceptance(review_for):
    api = await review_for("pingdingshan")
    unit = api.token("alice", "org-a", "unit_staff")
    other = api.token("bob", "org-b", "unit_staff")
    case = await api.open_case("p-g7", "org-a", "800000.00")
    await api.declare(case["id"], unit)
    url = f"/v1/cases/{case['id']}"
    r = await api.call(
        "POST", f"{url}/conclusion", api.reviewer, json={"conclusion": "approve", "reason": "同意"}
    )
    assert r.status_code == 200, r.text
    filings = f"{url}/acceptance-report-filings"

    # Before any acceptance, and after the initial one only: refused citing G7.
    for stage in (None, "initial"):
        if stage:
            a = {"stage": "initial", "accepted_on": "2026-01-10"}
            assert (await api.call("POST", f"{url}/acceptances", api.reviewer, json=a)).is_success
        r = await api.call("POST", filings, unit, json=body())
        assert r.status_code == 422, r.text
        [g7] = r.json()["decisions"]
        assert (g7["rule_id"], g7["article"], g7["outcome"]) == ("G7", "PDS P art18", "refuse")
    final = {"stage": "final", "accepted_on": "2026-07-10"}
    assert (await api.call("POST", f"{url}/acceptances", api.reviewer, json=final)).is_success

    # The portfolio shows the accepted project's report as not filed, to the bureau and the unit.
    for token in (api.reviewer, unit):
        [row] = (await api.call("GET", "/v1/portfolio", token)).json()["items"]
        assert row["stage"] == "accepted" and row["acceptance_report_filed"] is False
        assert row["notices"] == ["acceptance report not filed (G7, PDS P art18)"]
    assert (await api.call("GET", "/v1/portfolio", other)).json()["items"] == []

    # A day before the final acceptance: refused, naming it.
    r = await api.call("POST", filings, unit, json=body(filed_on="2026-07-09"))
    assert r.status_code == 422
    [g7] = r.json()["decisions"]
    assert (g7["rule_id"], g7["figures"]["final_accepted_on"]) == ("G7", "2026-07-10")
    # Not with all four bodies.
    r = await api.call("POST", filings, unit, json=body(recipients=FOUR[:3]))
    assert r.status_code == 422 and r.json()["decisions"][0]["figures"]["missing"] == ["audit"]
    # Bad input names the field.
    tomorrow = (datetime.now(SHANGHAI).date() + timedelta(days=1)).isoformat()
    for bad, field in (
        (body(filed_on=tomorrow), "filed_on"),
        (body(report_sha256="abc"), "report_sha256"),
        (body(report_sha256="g" * 64), "report_sha256"),
        (body(recipients=["data_bureau", "press"]), "recipients"),
        (body(report_document=" "), "report_document"),
    ):
        r = await api.call("POST", filings, unit, json=bad)
        assert r.status_code == 422, r.text
        assert field in r.json()["errors"][0]["field"], r.text
    # Another unit's case is not found; the bureau does not file for the unit.
    assert (await api.call("POST", filings, other, json=body())).status_code == 404
    assert (await api.call("GET", filings, other)).status_code == 404
    assert (await api.call("POST", filings, api.reviewer, json=body())).status_code == 403
    r = await api.call("GET", filings, unit)
    assert r.status_code == 200 and r.json() == []

    # On the day of the final acceptance: filed (the hash is kept lower-case).
    r = await api.call(
        "POST", filings, unit, json=body(filed_on="2026-07-10", report_sha256=SHA.upper())
    )
    assert r.status_code == 201, r.text
    filed = r.json()
    assert filed["report_sha256"] == SHA and filed["recipients"] == sorted(FOUR)
    assert [(d["rule_id"], d["article"], d["outcome"]) for d in filed["decisions"]] == [
        ("G7", "PDS P art18", "allow")
    ]
    r = await api.call("POST", filings, unit, json=body())
    assert r.status_code == 409  # filed once
    for token in (unit, api.reviewer, api.auditor):
        assert [f["id"] for f in (await api.call("GET", filings, token)).json()] == [filed["id"]]
    [row] = (await api.call("GET", "/v1/portfolio", api.reviewer)).json()["items"]
    assert row["acceptance_report_filed"] is True and row["notices"] == []
    types = await api.event_types()
    assert types.count("govit.review.acceptance_report.filed") == 1


@pytest.mark.parametrize("profile", ["suining", "xianyang", "wuhai", "yunyang"])
async def test_no_filing_where_the_profile_has_none(review_for, profile):
    api = await review_for(profile)
    unit = api.token("alice", "org-a", "unit_staff")
    case = await api.open_case("p-nofile", "org-a", "800000.00")
    r = await api.call(
        "POST", f"/v1/cases/{case['id']}/acceptance-report-filings", unit, json=body()
    )
    assert r.status_code == 409 and r.json()["rule_id"] == "G7", r.text
    [row] = (await api.call("GET", "/v1/portfolio", api.reviewer)).json()["items"]
    assert row["acceptance_report_filed"] is None and row["notices"] == []
    assert "govit.review.acceptance_report.filed" not in await api.event_types()
