"""G7's filing (PDS P art18: 终验完成后, 项目单位应将项目验收报告报市政务服务和大数据管理局、市发改委、
市财政局、市审计局备案): finance (市财政局) keeps its copy of every acceptance report filed with it,
from review's `acceptance_report.filed`, and lists them: finance and the other bureau roles all,
a unit its own, a cloud provider none (403)."""

from govit.common.v1 import common_pb2
from govit.review.v1 import events_pb2 as review_events
from govit_kit.convert import to_timestamp
from govit_kit.db import utcnow
from govit_kit.testing import publish_event, wait_until

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
ALL_FOUR = ["data_bureau", "ndrc", "finance", "audit"]


async def filed(fin, filing_id, project_id, *, org="org-a", event_id=None, recipients=ALL_FOUR):
    return await publish_event(
        fin.space,
        "review",
        "acceptance_report",
        "filed",
        review_events.AcceptanceReportFiled(
            filing_id=filing_id,
            case_id=f"case-{project_id}",
            project_id=project_id,
            org_id=org,
            acceptance_id=f"acc-{project_id}",
            report_document=f"平大数据验〔2027〕{filing_id} 终验报告.pdf",
            report_sha256=SHA,
            filed_on="2027-07-20",
            recipients=recipients,
            decisions=[
                common_pb2.Decision(
                    rule_id="G7",
                    article="PDS P art18",
                    outcome="allow",
                    reason="the acceptance report is filed after the final acceptance",
                )
            ],
            filed_by=common_pb2.Actor(subject="ann", org_id=org, roles=["unit_staff"]),
            filed_at=to_timestamp(utcnow()),
        ),
        subject=filing_id,
        org_id=org,
        project_id=project_id,
        event_id=event_id,
    )


async def applied(fin, *event_ids):
    from sqlalchemy import select

    inbox = fin.running.runtime.db.tables.inbox
    async with fin.running.runtime.db.sessions() as session:
        seen = await session.scalars(
            select(inbox.c.event_id).where(inbox.c.event_id.in_(event_ids))
        )
        return set(seen) == set(event_ids)


async def listed(fin, token=None, **params):
    r = await fin.call(
        "GET", "/v1/acceptance-report-filings", token, params=params or None, expect=200
    )
    return r.json()


async def test_finance_keeps_and_lists_the_reports_filed_with_it(finance_for):
    fin = await finance_for("pingdingshan")
    # Filed, then delivered again (the same event, and the relay sending it once more).
    first = await filed(fin, "fl-1", "p1", event_id="ev-fl-1")
    await filed(fin, "fl-1", "p1", event_id="ev-fl-1")
    again = await filed(fin, "fl-1", "p1", event_id="ev-fl-1-again")
    other = await filed(fin, "fl-2", "p2", org="org-b")
    await wait_until(lambda: applied(fin, first, again, other))

    page = await listed(fin)
    assert [f["filing_id"] for f in page["items"]] == ["fl-1", "fl-2"]
    one = page["items"][0]
    assert one["project_id"] == "p1" and one["org_id"] == "org-a"
    assert one["case_id"] == "case-p1" and one["acceptance_id"] == "acc-p1"
    assert one["report_document"] == "平大数据验〔2027〕fl-1 终验报告.pdf"
    assert one["report_sha256"] == SHA and one["filed_on"] == "2027-07-20"
    assert one["recipients"] == sorted(ALL_FOUR) and one["filed_by"] == "ann"
    assert [(d["rule_id"], d["article"]) for d in one["decisions"]] == [("G7", "PDS P art18")]

    assert [f["filing_id"] for f in (await listed(fin, project_id="p2"))["items"]] == ["fl-2"]
    assert (await listed(fin, project_id="p9"))["items"] == []
    # The auditor and the data bureau read them all; a unit its own only.
    assert len((await listed(fin, fin.auditor))["items"]) == 2
    assert len((await listed(fin, fin.bureau))["items"]) == 2
    assert [f["filing_id"] for f in (await listed(fin, fin.unit_a))["items"]] == ["fl-1"]
    assert (await listed(fin, fin.unit_a, project_id="p2"))["items"] == []
    assert [f["filing_id"] for f in (await listed(fin, fin.unit_b))["items"]] == ["fl-2"]
    # Paged like finance's other lists.
    page = await listed(fin, limit=1)
    assert [f["filing_id"] for f in page["items"]] == ["fl-1"] and page["next_cursor"]


async def test_a_filing_not_made_with_finance_is_not_kept_and_a_provider_reads_none(
    finance_for, issuer
):
    fin = await finance_for("pingdingshan")
    done = await filed(fin, "fl-3", "p3", recipients=["data_bureau", "ndrc", "audit"])
    await wait_until(lambda: applied(fin, done))
    assert (await listed(fin))["items"] == []
    provider = issuer.issue("pam", "org-pa", ["cloud_provider"], provider_id="pa")
    r = await fin.call("GET", "/v1/acceptance-report-filings", provider, expect=403)
    assert r.json()["status"] == 403
