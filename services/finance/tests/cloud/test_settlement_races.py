"""L18 (suining): the annual settlement and the bills of its year never pass each other, and the
contract terms it applies are versioned, each write an event.

The interleavings are forced: one path runs inside a unit of work the test holds open, the other
is sent over REST meanwhile. A bill committed alongside the settlement is counted by it or
flagged as outside it, never neither. It happens on 5 January 2027 (a year is settled, and its
quarters assessed, once they have ended)."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from finance.cloud import flows as cloud_flows
from finance.cloud.schemas import BillCreate
from govit.finance.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.testing import wait_until

from .test_broker_bills import issue

ASPECTS = ("response", "satisfaction", "confidentiality", "assurance", "quality")
TERMS = {"contract_ref": "SNZFY-2026-01", "pass_mark": "80.00", "penalty_ratio": "0.05"}
WHO = Principal("dan", "org-bureau", frozenset({Role.BUREAU_CLOUD_ADMIN}))


def bill(provider, month, amount):
    return {
        "provider_id": provider,
        "month": month,
        "lines": [{"org_id": "org-tax", "service_mode": "general", "amount": amount}],
    }


@pytest.fixture
def january_2027(monkeypatch):
    at = dt.datetime(2027, 1, 5, 2, tzinfo=dt.UTC)  # 10:00 in China
    monkeypatch.setattr(cloud_flows, "utcnow", lambda: at)


async def ready(finance_for, issuer, provider="prov"):
    """Suining finance with a provider's terms, its four 2026 quarters assessed and a March bill
    of 1000.00: 2026 can be settled."""
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await fin.call("PUT", "/v1/units/org-tax/funding", json={"level": "city", "funding": "full"})
    base = f"/v1/cloud-providers/{provider}"
    await fin.call("PUT", f"{base}/contract", bureau, json=TERMS, expect=200)
    for q in range(1, 5):
        body = {"year": 2026, "quarter": q, **dict.fromkeys(ASPECTS, "90")}
        await fin.call("POST", f"{base}/assessments", bureau, json=body, expect=201)
    await fin.call(
        "POST", "/v1/cloud-bills", bureau, json=bill(provider, "2026-03", "1000.00"), expect=201
    )
    return fin, bureau


def l18_flags(decisions):
    return [d for d in decisions if d["rule_id"] == "L18" and d["outcome"] == "flag"]


async def settlement_held_open(fin, provider, meanwhile):
    """Settle 2026 in a unit of work held open while `meanwhile()` (a REST call) is sent; returns
    the settlement, whether the call was still waiting when the settlement committed, and the
    call's answer."""
    rt = fin.running.runtime
    async with rt.db.unit_of_work() as uow:
        settlement = await cloud_flows.settle_year(
            uow=uow, profile=rt.profile, who=WHO, provider_id=provider, year=2026
        )
        call = asyncio.create_task(meanwhile())
        await asyncio.sleep(0.5)
        waited = not call.done()
    return settlement, waited, await call


async def test_a_december_bill_sent_while_the_year_is_settled_is_flagged(
    january_2027, finance_for, issuer
):
    fin, bureau = await ready(finance_for, issuer)
    december = bill("prov", "2026-12", "500.00")
    settlement, waited, r = await settlement_held_open(
        fin, "prov", lambda: fin.call("POST", "/v1/cloud-bills", bureau, json=december)
    )
    assert r.status_code == 201, r.text
    assert settlement.payable == 1000  # read before the December bill existed: not counted
    # ... so the bill, which waited for the settlement's commit, is flagged as outside it.
    assert waited, "the bill did not wait for the year's settlement"
    [flag] = l18_flags(r.json()["decisions"])
    assert flag["figures"]["settlement_id"] == settlement.id


async def test_a_settlement_sent_while_a_december_bill_is_recorded_counts_it(
    january_2027, finance_for, issuer
):
    fin, bureau = await ready(finance_for, issuer)
    rt = fin.running.runtime
    async with rt.db.unit_of_work() as uow:
        december, _ = await cloud_flows.settle_bill(
            uow=uow,
            profile=rt.profile,
            who=WHO,
            data=BillCreate.model_validate(bill("prov", "2026-12", "500.00")),
        )
        settle = asyncio.create_task(
            fin.call("POST", "/v1/cloud-providers/prov/settlements", bureau, json={"year": 2026})
        )
        await asyncio.sleep(0.5)
        waited = not settle.done()
    assert not l18_flags(december.decisions)  # no settlement when the bill read it
    r = await settle
    assert r.status_code == 201, r.text
    assert r.json()["payable"] == "1500.00", "the December bill is neither counted nor flagged"
    assert waited


async def test_a_broker_december_verified_while_the_year_is_settled_is_flagged(
    january_2027, finance_for, issuer
):
    """The month's own bill of cloud-broker's lines (not only a supplement) verified after, or
    alongside, the settlement of its year is flagged L18."""
    fin, bureau = await ready(finance_for, issuer, provider="platform-1")
    await issue(fin, "bl-dec", "org-tax", "general", "700.00", month="2026-12")

    async def kept():
        pending = await fin.call("GET", "/v1/broker-bill-lines", bureau, expect=200)
        return len(pending.json()["items"]) == 1

    await wait_until(kept)
    verify = {"platform_id": "platform-1", "month": "2026-12", "adjustments": []}
    settlement, waited, r = await settlement_held_open(
        fin,
        "platform-1",
        lambda: fin.call("POST", "/v1/cloud-bills/broker-verifications", bureau, json=verify),
    )
    assert r.status_code == 201, r.text
    assert (r.json()["supplement"], settlement.payable) == (0, 1000)
    [flag] = l18_flags(r.json()["decisions"])
    assert flag["figures"]["settlement_id"] == settlement.id
    assert waited


async def contract_events(fin):
    outbox = fin.running.runtime.db.tables.outbox
    async with fin.running.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
    out = []
    for row in rows:
        if row.event_type == "govit.finance.provider_contract.recorded":
            out.append(events_pb2.ProviderContractRecorded.FromString(row.payload))
    return out


async def test_contract_terms_are_versioned_and_each_write_is_an_event(
    january_2027, finance_for, issuer
):
    fin, bureau = await ready(finance_for, issuer)
    url = "/v1/cloud-providers/prov/contract"
    [first] = await contract_events(fin)
    assert (first.version, first.pass_mark, first.penalty_ratio) == (1, "80.00", "0.0500")
    assert (first.contract_ref, first.recorded_by.subject) == ("SNZFY-2026-01", "dan")
    # Two rewrites at once queue on the terms' row: two versions, two events, none lost.
    answers = await asyncio.gather(
        fin.call("PUT", url, bureau, json={**TERMS, "pass_mark": "85.00"}),
        fin.call("PUT", url, bureau, json={**TERMS, "penalty_ratio": "0.1000"}),
    )
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert sorted(a.json()["version"] for a in answers) == [2, 3]
    events = await contract_events(fin)
    assert [e.version for e in events] == [1, 2, 3]
    last = max(answers, key=lambda a: a.json()["version"]).json()
    assert (Decimal(events[-1].pass_mark), Decimal(events[-1].penalty_ratio)) == (
        Decimal(last["pass_mark"]),
        Decimal(last["penalty_ratio"]),
    )
    # The settlement names the version of the terms it applied, on its record and its event.
    r = await fin.call(
        "POST", "/v1/cloud-providers/prov/settlements", bureau, json={"year": 2026}, expect=201
    )
    assert r.json()["contract_version"] == 3
    outbox = fin.running.runtime.db.tables.outbox
    async with fin.running.runtime.db.sessions() as session:
        payload = await session.scalar(
            outbox.select()
            .with_only_columns(outbox.c.payload)
            .where(outbox.c.event_type == "govit.finance.cloud_settlement.recorded")
        )
    assert events_pb2.CloudSettlementRecorded.FromString(payload).contract_version == 3
