"""KeysetPaging and fetch_keyset_page: a list paged by a unique integer column instead of OFFSET.
The pages of a filtered list give every row once; a row added between two page reads neither
shifts nor repeats the next page (OFFSET repeats a row when one is added before the page); an
offset cursor of before, or one not issued here, is a 422 naming the cursor."""

import base64

import httpx
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, Table, select
from sqlalchemy.ext.asyncio import create_async_engine

from govit_kit.http import (
    KeysetPaging,
    PageParams,
    decode_key_cursor,
    encode_cursor,
    encode_key_cursor,
    fetch_keyset_page,
    fetch_page,
    install_error_handlers,
)

metadata = MetaData()
numbers = Table("numbers", metadata, Column("n", Integer, primary_key=True))
FILTERED = select(numbers).where(numbers.c.n % 3 != 0)


async def a_table(tmp_path, values):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(numbers.insert(), [{"n": n} for n in values])
    return engine


def an_app(engine) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/numbers")
    async def listed(paging: KeysetPaging) -> dict:
        async with engine.connect() as conn:
            # The query's own order (descending here) gives way to the key's.
            query = FILTERED.order_by(numbers.c.n.desc())
            rows, nxt = await fetch_keyset_page(conn, query, numbers.c.n, paging, mappings=True)
        return {"items": [r["n"] for r in rows], "next_cursor": nxt}

    return app


async def test_pages_give_every_row_once_even_as_rows_are_added(tmp_path):
    engine = await a_table(tmp_path, range(10, 40))
    transport = httpx.ASGITransport(app=an_app(engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        seen, params, pages = [], {"limit": 4}, 0
        while True:
            r = await http.get("/numbers", params=params)
            assert r.status_code == 200, r.text
            seen += r.json()["items"]
            pages += 1
            if pages == 2:  # between two reads: a row before the page read, one after it
                async with engine.begin() as conn:
                    await conn.execute(numbers.insert(), [{"n": 1}, {"n": 50}])
            if not r.json()["next_cursor"]:
                break
            params = {"limit": 4, "cursor": r.json()["next_cursor"]}
        want = [n for n in range(10, 40) if n % 3] + [50]
        assert seen == want  # each once, in key order; 1 came before where the pages were

        # OFFSET, the same reads: the row added before the page repeats the page's first row.
        async with engine.begin() as conn:
            await conn.execute(numbers.delete().where(numbers.c.n.in_([1, 50])))
        async with engine.connect() as conn:
            query = FILTERED.order_by(numbers.c.n)
            first, _ = await fetch_page(conn, query, PageParams(limit=4, offset=0), mappings=True)
            await conn.execute(numbers.insert(), [{"n": 1}])
            second, _ = await fetch_page(conn, query, PageParams(limit=4, offset=4), mappings=True)
            assert second[0]["n"] == first[-1]["n"]

        # An offset cursor of before is refused, saying so; a made-up one too.
        r = await http.get("/numbers", params={"cursor": encode_cursor(8)})
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "cursor"
        assert "by key" in r.json()["errors"][0]["message"]
        for forged in ("k", "k--5", "k1e3", "k" + "9" * 20, "k²", "abc"):
            cursor = base64.urlsafe_b64encode(forged.encode()).decode()
            r = await http.get("/numbers", params={"cursor": cursor})
            assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "cursor"), forged
        assert (await http.get("/numbers", params={"cursor": "%%%"})).status_code == 422
    await engine.dispose()


def test_a_cursor_gives_back_its_key():
    for key in (0, 7, -3, 2**63 - 1):
        assert decode_key_cursor(encode_key_cursor(key)) == key
    assert decode_key_cursor(None) is None and decode_key_cursor("") is None
