"""OptionalPaging: a list that answered every item before it was paged still does by default;
a limit or a cursor pages it as every other list (fetch_page), and a JSON array's next cursor
travels in the X-Next-Cursor header."""

import httpx
from fastapi import FastAPI, Response
from sqlalchemy import Column, Integer, MetaData, Table, select
from sqlalchemy.ext.asyncio import create_async_engine

from govit_kit.http import NEXT_CURSOR_HEADER, OptionalPaging, fetch_all_or_page


async def test_every_item_by_default_and_pages_on_request(tmp_path):
    metadata = MetaData()
    numbers = Table("numbers", metadata, Column("n", Integer, primary_key=True))
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(numbers.insert(), [{"n": n} for n in range(7)])
    app = FastAPI()

    @app.get("/numbers")
    async def listed(paging: OptionalPaging, response: Response) -> list[int]:
        async with engine.connect() as conn:
            rows, nxt = await fetch_all_or_page(
                conn, select(numbers).order_by(numbers.c.n), paging, mappings=True
            )
        if nxt:
            response.headers[NEXT_CURSOR_HEADER] = nxt
        return [r["n"] for r in rows]

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        r = await http.get("/numbers")
        assert r.json() == list(range(7)) and NEXT_CURSOR_HEADER not in r.headers
        seen, params = [], {"limit": 3}
        while True:
            r = await http.get("/numbers", params=params)
            seen += r.json()
            if NEXT_CURSOR_HEADER not in r.headers:
                break
            params = {"limit": 3, "cursor": r.headers[NEXT_CURSOR_HEADER]}
        assert seen == list(range(7))
        assert (await http.get("/numbers", params={"limit": 0})).status_code == 422
        assert (await http.get("/numbers", params={"limit": 101})).status_code == 422
    await engine.dispose()
