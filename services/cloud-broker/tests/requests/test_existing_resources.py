"""存量资源登记: the bureau takes on its books a resource already running on a provider's
platform (L10); L11 counts its stable months from `in_use_since`, billing from the registration."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from cloud_broker.billing.models import BillLine, UsageLine
from cloud_broker.requests import flows as request_flows
from cloud_broker.requests.models import RequestTransition, ResourceRequest
from cloud_broker.utilisation import flows as utilisation_flows
from govit_kit.db import utcnow
from govit_kit.policy import SHANGHAI

URL = "/v1/resource-requests/existing"
# 00:30 on 1 December 2026 in China: October 2026 has ended (see tests/utilisation).
NOW = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)


def existing(**overrides) -> dict:
    return {
        "org_id": "org-a",
        "project_id": "p-legacy",
        "service_mode": "general",
        "items": [{"sku": "ecs.vcpu", "quantity": 8}, {"sku": "evs.storage", "quantity": 500}],
        "platform_id": "pa",
        "resource_ids": ["ecs-legacy-1", "evs-legacy-1"],
        "in_use_since": "2026-03-01",
        "reason": "迁移上云前已在运行的存量系统",
        **overrides,
    }


async def ready(broker) -> None:
    """Platforms pa and pb with prices; unit A's cloud account (unit B has none)."""
    await broker.catalog()
    r = await broker.http.put("/v1/units/org-a", headers=broker.admin, json={"name": "A"})
    assert r.status_code == 200, r.text


async def counts(broker) -> tuple[int, int, int]:
    """Requests, history rows and request events stored."""
    ob = broker.running.runtime.db.tables.outbox
    async with broker.running.runtime.db.sessions() as s:
        return (
            await s.scalar(select(func.count()).select_from(ResourceRequest)),
            await s.scalar(select(func.count()).select_from(RequestTransition)),
            await s.scalar(
                select(func.count()).where(ob.c.event_type.like("%.resource_request.%"))
            ),
        )


async def test_the_bureau_registers_a_running_resource(broker):
    await ready(broker)
    for headers in (broker.unit(), broker.provider(), broker.token("f", "org-fin", ["auditor"])):
        r = await broker.http.post(URL, headers=headers, json=existing())
        assert r.status_code == 403, r.text
    assert await counts(broker) == (0, 0, 0)

    key = {**broker.admin, "Idempotency-Key": "register-legacy-1"}
    r = await broker.http.post(URL, headers=key, json=existing())
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["status"], req["new_system"], req["platform_id"]) == ("active", False, "pa")
    assert req["resource_ids"] == ["ecs-legacy-1", "evs-legacy-1"]
    assert req["org_id"] == "org-a" and req["submitted_by"] == "admin-1"
    # In use since 1 March 2026, 00:00 in China.
    assert datetime.fromisoformat(req["activated_at"]) == datetime(2026, 2, 28, 16, tzinfo=UTC)
    again = await broker.http.post(URL, headers=key, json=existing())
    assert again.status_code == 201 and again.json()["id"] == req["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert await counts(broker) == (1, 1, 1)
    async with broker.running.runtime.db.sessions() as s:
        row = await s.get(ResourceRequest, req["id"])
        assert (row.vcpu, row.memory_gb, row.storage_gb) == (8, 0, 500)

    # The unit reads its resource; another unit does not learn it exists.
    r = await broker.http.get(f"/v1/resource-requests/{req['id']}", headers=broker.unit())
    assert r.status_code == 200 and r.json()["status"] == "active", r.text
    assert r.json()["activated_at"] == req["activated_at"]
    r = await broker.http.get(f"/v1/resource-requests/{req['id']}", headers=broker.unit("org-b"))
    assert r.status_code == 404, r.text
    [step] = (
        await broker.http.get(f"/v1/resource-requests/{req['id']}/history", headers=broker.unit())
    ).json()
    assert (step["action"], step["from_status"], step["to_status"]) == ("register", "", "active")
    assert (step["actor"], step["reason"]) == ("admin-1", "迁移上云前已在运行的存量系统")
    assert abs(datetime.fromisoformat(step["at"]) - utcnow()) < timedelta(minutes=1)
    [l10] = step["decisions"]
    assert (l10["rule_id"], l10["article"], l10["outcome"]) == ("L10", "SN C art5, art6", "allow")
    assert await broker.events(req["id"]) == ["registered"]

    # From then on an ordinary resource: the unit applies to exit; as for any request, the
    # administrator who filed it (registered it) leaves the bureau's decision to another.
    today = utcnow().astimezone(SHANGHAI).date().isoformat()
    await broker.step(req["id"], "exit", broker.unit(), stopped_use_on=today, reason="下线")
    await broker.step(req["id"], "approve-exit", broker.admin, expect=403)
    out = await broker.step(req["id"], "approve-exit", broker.admin2)
    assert out["status"] == "transition"


async def test_bad_registrations_change_nothing(broker):
    await ready(broker)
    r = await broker.http.post(
        "/v1/catalog/platforms", headers=broker.admin, json={"id": "pc", "name": "PC"}
    )
    assert r.status_code == 201, r.text
    tomorrow = (utcnow().astimezone(SHANGHAI) + timedelta(days=1)).date().isoformat()
    cases = [
        ({"org_id": "org-b"}, "org_id"),  # no cloud account here
        ({"platform_id": "pz"}, "platform_id"),
        ({"items": [{"sku": "gpu.none", "quantity": 1}]}, "items.0.sku"),
        ({"service_mode": "managed"}, "items.0.sku"),  # not offered in that mode (L8)
        ({"platform_id": "pc"}, "items.0.sku"),  # no price in force on pc
        ({"in_use_since": tomorrow}, "in_use_since"),
        ({"in_use_since": "1999-12-31"}, "in_use_since"),
        ({"resource_ids": ["vm-1", "vm-1"]}, "resource_ids"),
        ({"resource_ids": [""]}, "resource_ids.0"),
        ({"resource_ids": []}, "resource_ids"),
        ({"reason": "  "}, "reason"),
    ]
    for change, field in cases:
        r = await broker.http.post(URL, headers=broker.admin, json=existing(**change))
        assert r.status_code == 422, (change, r.text)
        assert r.json()["errors"][0]["field"] == field, (change, r.text)
    assert await counts(broker) == (0, 0, 0)

    first = await broker.http.post(URL, headers=broker.admin, json=existing())
    assert first.status_code == 201, first.text
    r = await broker.http.post(
        URL, headers=broker.admin, json=existing(resource_ids=["vm-9", "evs-legacy-1"])
    )
    assert r.status_code == 409, r.text
    assert r.json()["resource_id"] == "evs-legacy-1" and "evs-legacy-1" in r.json()["detail"]
    assert r.json()["request_id"] == first.json()["id"]
    assert await counts(broker) == (1, 1, 1)
    # The same id on another platform is another resource; once reclaimed, an id is free again.
    r = await broker.http.post(URL, headers=broker.admin, json=existing(platform_id="pb"))
    assert r.status_code == 201, r.text
    async with broker.running.runtime.db.unit_of_work() as uow:
        await uow.session.execute(
            update(ResourceRequest)
            .where(ResourceRequest.id == first.json()["id"])
            .values(status="reclaimed")
        )
    r = await broker.http.post(URL, headers=broker.admin, json=existing())
    assert r.status_code == 201, r.text


@pytest.fixture
def clock(monkeypatch):
    """Pins the utilisation flows' "now" in the first days of December 2026 (China)."""
    monkeypatch.setattr(utilisation_flows, "utcnow", lambda: NOW)


async def test_l11_counts_stable_months_from_in_use_since(broker, clock):
    await ready(broker)
    ids = {}
    for name, since in (("old", "2026-05-01"), ("recent", "2026-08-01")):
        r = await broker.http.post(
            URL,
            headers=broker.admin,
            json=existing(resource_ids=[f"ecs-{name}"], in_use_since=since),
        )
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]
    figures = [
        {
            "resource_id": rid,
            "period": "2026-10",
            "cpu_avg_percent": "5",
            "memory_avg_percent": "50",
            "storage_used_gb": "300",
            "storage_total_gb": "500",
        }
        for rid in ids.values()
    ]
    r = await broker.http.post(
        "/v1/utilisation/figures", headers=broker.provider("pa"), json={"figures": figures}
    )
    assert r.status_code == 200, r.text
    r = await broker.http.post(
        "/v1/utilisation/classifications", headers=broker.admin, json={"period": "2026-10"}
    )
    assert r.status_code == 200, r.text
    # In use since May: 3 stable months by October. Since August: not yet (L11).
    assert r.json()["findings"] == {"low": 1}, r.text
    r = await broker.http.get(
        f"/v1/utilisation/findings/{ids['old']}:2026-10", headers=broker.unit()
    )
    assert r.status_code == 200, r.text
    finding = r.json()
    assert (finding["rule_id"], finding["cpu_class"]) == ("L11", "low")
    assert finding["recommended_vcpu"] < finding["vcpu"] == 8
    r = await broker.http.get(
        f"/v1/utilisation/findings/{ids['recent']}:2026-10", headers=broker.unit()
    )
    assert r.status_code == 404, r.text


async def test_billed_from_the_month_of_registration(broker, monkeypatch):
    await ready(broker)
    # Registered on 15 October 2026 (China); in use since January: September was settled before.
    registered = datetime(2026, 10, 15, 4, tzinfo=UTC)
    monkeypatch.setattr(request_flows, "utcnow", lambda: registered)
    r = await broker.http.post(URL, headers=broker.admin, json=existing(in_use_since="2026-01-01"))
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    r = await broker.http.post("/v1/billing/runs", headers=broker.admin, json={"period": "2026-09"})
    assert r.status_code == 200 and r.json()["bill_lines"] == 0, r.text
    r = await broker.http.post("/v1/billing/runs", headers=broker.admin, json={"period": "2026-10"})
    assert r.status_code == 200 and r.json()["bill_lines"] == 1, r.text
    async with broker.running.runtime.db.sessions() as s:
        lines = (await s.scalars(select(UsageLine).order_by(UsageLine.sku))).all()
        bill = await s.scalar(select(BillLine))
    assert [(u.period, u.resource_id, u.sku) for u in lines] == [
        ("2026-10", rid, "ecs.vcpu"),
        ("2026-10", rid, "evs.storage"),
    ]
    assert (bill.org_id, str(bill.amount)) == ("org-a", "1210.00")  # 8 x 120.00 + 500 x 0.50
