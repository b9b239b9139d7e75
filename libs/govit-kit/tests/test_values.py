"""The value types REST inputs share (`govit_kit.values`) and the protobuf timestamp converter:
a value the database could not take is a 422 / INVALID_ARGUMENT naming the field, not a 500."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI, Query
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel

from govit_kit.convert import from_timestamp
from govit_kit.errors import InvalidInput
from govit_kit.http import install_error_handlers
from govit_kit.values import IdPath, UtcDatetime


class Window(BaseModel):
    starts_at: UtcDatetime


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/at")
    async def at(moment: Annotated[UtcDatetime | None, Query()] = None) -> dict:
        return {"moment": moment.isoformat() if moment else None}

    @app.post("/window")
    async def window(body: Window) -> dict:
        return {"starts_at": body.starts_at.isoformat()}

    @app.put("/units/{org_id}")
    async def unit(org_id: IdPath) -> dict:
        return {"org_id": org_id}

    return app


async def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://t")


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
async def test_a_moment_outside_utcs_years_is_422_naming_the_field(moment):
    """In its own offset the moment is a date Python has; in UTC it is not (it overflowed as a
    500 where the database layer converts it)."""
    async with await _client() as client:
        r = await client.get("/at", params={"moment": moment})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "moment"
        assert "years 1 to 9999" in r.json()["detail"]
        r = await client.post("/window", json={"starts_at": moment})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "starts_at"


async def test_a_moment_is_held_in_utc_and_a_naive_one_refused():
    async with await _client() as client:
        r = await client.get("/at", params={"moment": "2026-03-01T08:00:00+08:00"})
        assert r.json() == {"moment": "2026-03-01T00:00:00+00:00"}
        r = await client.get("/at", params={"moment": "9999-12-31T23:59:59Z"})
        assert r.status_code == 200
        r = await client.post("/window", json={"starts_at": "2026-03-01T08:00:00"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "starts_at"


@pytest.mark.parametrize("org_id", ["x" * 65, "org a", "机构", "a;b"])
async def test_an_id_in_a_path_longer_than_its_column_or_odd_is_422(org_id):
    async with await _client() as client:
        r = await client.put(f"/units/{org_id}")
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "org_id"


@pytest.mark.parametrize("org_id", ["org-a", "x" * 64, "city:xianyang", "unit_1.b"])
async def test_an_id_either_services_body_accepts_passes_the_path(org_id):
    async with await _client() as client:
        r = await client.put(f"/units/{org_id}")
        assert r.status_code == 200 and r.json() == {"org_id": org_id}


@pytest.mark.parametrize(
    "ts",
    [
        Timestamp(seconds=2**40),
        Timestamp(seconds=-(2**40)),
        Timestamp(seconds=0, nanos=-1),
        Timestamp(seconds=0, nanos=10**9),
    ],
)
def test_an_invalid_protobuf_timestamp_is_invalid_input_naming_the_field(ts):
    with pytest.raises(InvalidInput) as err:
        from_timestamp(ts, "form.cdo_signed_at")
    assert err.value.extensions["errors"][0]["field"] == "form.cdo_signed_at"
    assert "not a valid timestamp" in err.value.detail


def test_the_timestamps_at_the_edges_convert():
    assert from_timestamp(Timestamp(seconds=253402300799)) == datetime(
        9999, 12, 31, 23, 59, 59, tzinfo=UTC
    )
    assert from_timestamp(Timestamp(seconds=-62135596800)) == datetime(1, 1, 1, tzinfo=UTC)
