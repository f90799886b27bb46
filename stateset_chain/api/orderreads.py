"""Get order's reads, batched: one statement for every order asked while the previous one ran.

The fast path of ``GET /v1/orders/{id}`` (``app.LimitsAndMetrics``) asks ``OrderReads.get(id)``
for the order's body: its stored API JSON (``orders.api_json``, written by the indexer with the
row), or its rendering for a row written before that column existed, or None for no such order
(the route then answers the 404, so errors come from one place).

The reads go out on one connection of their own, one statement at a time, and batch themselves:
a request that finds no read in flight reads its order at once (a primary-key lookup); requests
that arrive while a read runs wait, and when it ends the first of them reads every waiting id in
one statement (``id = ANY``) and answers the others. Under N concurrent get orders a statement
thus serves up to N of them, which is one round trip, one psycopg call and one PostgreSQL
statement instead of N; a lone request waits for nothing. The answers are the same rows the
route reads (``orders.GET_ORDER``), so the bytes are the same.

The connection is opened on first use and again after any failure; the requests of a failed
read get its exception (the fast path hands them to the route, which answers 503 or the
order). Nothing here writes.
"""

from __future__ import annotations

import asyncio

import psycopg

from stateset_chain.readside import jsoncodec
from stateset_chain.readside.render import render_order

# An order's stored API JSON (``orders.api_json``, written by the indexer with the row), and its
# proto JSON only for a row written before that column existed (rendered here then). The route
# and the lists (``orders``) select the same columns.
ORDER_JSON = "api_json, CASE WHEN api_json IS NULL THEN doc END"
ONE = f"SELECT id, {ORDER_JSON} FROM orders WHERE id = $1"
MANY = f"SELECT id, {ORDER_JSON} FROM orders WHERE id = ANY ($1)"

_LEAD = object()  # a waiter's answer that makes it run the next read


class OrderReads:
    """Batched reads of orders' API JSON on one connection (see the module docstring)."""

    def __init__(self, db_url: str, connect_timeout: float = 5.0) -> None:
        self.db_url = db_url
        self.connect_timeout = connect_timeout
        self._conn: psycopg.AsyncConnection | None = None
        self._cursor: psycopg.AsyncRawCursor | None = None
        self._busy = False  # a read is in flight (or handed to the next waiter)
        self._waiting: list[tuple[str, asyncio.Future]] = []
        self.statements = 0  # reads run (a test counts them against the requests answered)

    async def get(self, order_id: str) -> bytes | None:
        """The body of ``GET /v1/orders/{order_id}`` for a found order, else None."""
        if self._busy:
            future = asyncio.get_running_loop().create_future()
            entry = (order_id, future)
            self._waiting.append(entry)
            try:
                answer = await future
            except asyncio.CancelledError:  # a read handed to it must still run: hand it on
                if (future.done() and not future.cancelled() and future.exception() is None
                        and future.result() is _LEAD):
                    self._waiting.remove(entry)
                    self._hand_off()
                raise
            if answer is not _LEAD:
                return answer
            batch, self._waiting = self._waiting, []
            return await self._lead(order_id, [e for e in batch if e is not entry])
        self._busy = True
        return await self._lead(order_id, [])

    async def _lead(self, order_id: str, others: list[tuple[str, asyncio.Future]]) -> bytes | None:
        """Read ``order_id`` and the ids of ``others``, answer them, then hand the next read to
        the first request still waiting (or mark the reads idle)."""
        try:
            try:
                found = await self._read([order_id, *(oid for oid, _ in others)])
            except BaseException as e:
                await self._close()
                for _, future in others:
                    if not future.done():
                        future.set_exception(e if isinstance(e, Exception)
                                             else psycopg.OperationalError("read cancelled"))
                raise
            for oid, future in others:
                if not future.done():
                    future.set_result(found.get(oid))
            return found.get(order_id)
        finally:
            self._hand_off()

    def _hand_off(self) -> None:
        while self._waiting:
            future = self._waiting[0][1]
            if not future.done():
                future.set_result(_LEAD)
                return
            self._waiting.pop(0)  # its request went away (cancelled)
        self._busy = False

    async def _read(self, ids: list[str]) -> dict[str, bytes]:
        cur = self._cursor or await self._open()
        self.statements += 1
        distinct = list(dict.fromkeys(ids))
        if len(distinct) == 1:
            await cur.execute(ONE, distinct, prepare=True)
        else:
            await cur.execute(MANY, [distinct], prepare=True)
        rows = await cur.fetchall()
        return {row[0]: order_bytes(row[1:]) for row in rows}

    async def _open(self) -> psycopg.AsyncRawCursor:
        self._conn = await psycopg.AsyncConnection.connect(
            self.db_url, autocommit=True, connect_timeout=max(1, round(self.connect_timeout)))
        jsoncodec.use_on(self._conn)
        self._cursor = psycopg.AsyncRawCursor(self._conn)
        return self._cursor

    async def _close(self) -> None:
        conn, self._conn, self._cursor = self._conn, None, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:  # already broken: nothing to give back
                pass

    async def close(self) -> None:
        await self._close()


def order_bytes(row) -> bytes:
    """The API JSON of an order row selected with ``ORDER_JSON``."""
    stored, doc = row
    return stored.encode() if stored is not None else jsoncodec.dumps(render_order(doc))
