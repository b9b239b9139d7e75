"""The service catalog: everyone signed in reads it, only cloud administrators change it."""


async def test_catalog_read_by_all_managed_by_admins(broker):
    http, unit, admin = broker.http, broker.unit(), broker.admin
    r = await http.get("/v1/catalog/skus", headers=unit)
    assert r.status_code == 200
    codes = {s["code"] for s in r.json()}
    assert {"ecs.vcpu", "evs.storage", "idc.rack_unit"} <= codes
    r = await http.get("/v1/catalog/skus", headers=unit, params={"service_mode": "managed"})
    assert {s["code"] for s in r.json()} == {"net.bandwidth", "idc.rack_unit"}
    assert (await http.get("/v1/catalog/skus")).status_code == 401

    modes = (await http.get("/v1/catalog/service-modes", headers=broker.provider())).json()
    assert [(m["mode"], m["name"], m["needs_plan_approval"]) for m in modes] == [
        ("general", "普通云服务", False),
        ("dedicated", "专享云服务", True),
        ("managed", "托管服务", False),
    ]
    assert {m["article"] for m in modes} == {"SN C art7"}

    sku = {"code": "gpu.card", "name": "GPU", "unit": "card", "service_modes": ["dedicated"]}
    assert (await http.post("/v1/catalog/skus", headers=unit, json=sku)).status_code == 403
    assert (await http.post("/v1/catalog/skus", headers=admin, json=sku)).status_code == 201
    assert (await http.post("/v1/catalog/skus", headers=admin, json=sku)).status_code == 409
    bad = {**sku, "code": "x.y", "service_modes": ["cheap"]}
    r = await http.post("/v1/catalog/skus", headers=admin, json=bad)
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("service_modes")

    await broker.http.post("/v1/catalog/platforms", headers=admin, json={"id": "pa", "name": "A"})
    price = {
        "platform_id": "pa",
        "unit_price": "800.00",
        "valid_from": "2026-01-01",
        "valid_to": "2026-06-30",
    }
    r = await http.post("/v1/catalog/skus/gpu.card/prices", headers=admin, json=price)
    assert r.status_code == 201, r.text
    # Ranges of one SKU on one platform never overlap; a later range may follow.
    clash = {**price, "valid_from": "2026-06-30", "valid_to": None}
    r = await http.post("/v1/catalog/skus/gpu.card/prices", headers=admin, json=clash)
    assert r.status_code == 409
    later = {**price, "unit_price": "700.00", "valid_from": "2026-07-01", "valid_to": None}
    assert (
        await http.post("/v1/catalog/skus/gpu.card/prices", headers=admin, json=later)
    ).status_code == 201
    for wrong, field in (
        ({**later, "unit_price": "-1"}, "unit_price"),
        ({**later, "valid_from": "2027-01-02", "valid_to": "2027-01-01"}, "body"),
        ({**later, "platform_id": "nope", "valid_from": "2030-01-01"}, None),
    ):
        r = await http.post("/v1/catalog/skus/gpu.card/prices", headers=admin, json=wrong)
        assert r.status_code in (404, 422), r.text
        if field:
            assert r.json()["errors"][0]["field"] == field
    r = await http.get(
        "/v1/catalog/skus/gpu.card/prices",
        headers=unit,
        params={"platform_id": "pa", "on": "2026-07-15"},
    )
    assert [p["unit_price"] for p in r.json()] == ["700.00"]
    assert (await http.get("/v1/catalog/skus/nope", headers=unit)).status_code == 404
    r = await http.post("/v1/catalog/skus/gpu.card/retire", headers=admin)
    assert r.json()["active"] is False
