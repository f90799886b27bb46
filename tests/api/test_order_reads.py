"""Get order's batched reads (``api.orderreads``): the same bytes as the route's read, fewer
statements than requests under concurrency, recovery after the connection dies, and no stall
when a waiting request goes away."""

from __future__ import annotations

import asyncio
import threading

import psycopg

from stateset_chain.api.orderreads import OrderReads, order_bytes
from stateset_chain.api.orders import GET_ORDER
from stateset_chain.readside import jsoncodec
from tests.api import factory

IDS = [f"ord_{i:010d}" for i in (1, 2, 3, 4, 3, 1)] + ["ord_missing", "ord x", "é"]


def _seed(conn, n: int = 4) -> None:
    for i in range(1, n + 1):  # even sequences have stored JSON, odd ones are rendered
        factory.insert(conn, factory.paid_order(i, "c", "m", "SHIPPED", 10**6 * i, factory.EPOCH))


def _route_bodies(url: str, ids) -> dict[str, bytes | None]:
    """What the route reads for each id (``orders.GET_ORDER``), as the route answers it."""
    with psycopg.connect(url, autocommit=True) as conn:
        jsoncodec.use_on(conn)
        out = {}
        for oid in ids:
            row = conn.execute(GET_ORDER, (oid,)).fetchone()
            out[oid] = None if row is None else order_bytes(row)
        return out


def test_batched_reads_answer_what_the_route_reads(db_url, conn):
    """Requests asked at once: each gets the route's bytes (stored or rendered; None for a
    missing order, duplicates alike), and the first statement's waiters share one more."""
    _seed(conn)
    expected = _route_bodies(db_url, IDS)

    async def main():
        reads = OrderReads(db_url)
        try:
            got = await asyncio.gather(*(reads.get(oid) for oid in IDS))
            return got, reads.statements
        finally:
            await reads.close()

    got, statements = asyncio.run(main())
    assert got == [expected[oid] for oid in IDS]
    assert sum(b is not None for b in got) == 6
    assert statements == 2  # the first alone, every other waiting one in the next


def test_reads_recover_after_the_connection_dies(db_url, conn):
    """The reader's connection killed by PostgreSQL: the read then in flight fails (the fast
    path hands it to the route), the next opens a new connection and answers."""
    _seed(conn)
    expected = _route_bodies(db_url, ["ord_0000000002"])["ord_0000000002"]

    async def main():
        reads = OrderReads(db_url)
        try:
            assert await reads.get("ord_0000000002") == expected
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE pid <> pg_backend_pid() AND datname = current_database() "
                         "AND query LIKE %s", ("%FROM orders WHERE id = $1%",))
            failures = 0
            for _ in range(3):
                try:
                    assert await reads.get("ord_0000000002") == expected
                except psycopg.OperationalError:
                    failures += 1
            assert failures <= 1
            assert await reads.get("ord_0000000002") == expected
        finally:
            await reads.close()

    asyncio.run(main())


def test_a_cancelled_request_does_not_stall_the_reads(db_url, conn):
    """A waiting request cancelled before its batch, and one cancelled right after the next
    read was handed to it: the others are answered and later reads still run."""
    _seed(conn)
    expected = _route_bodies(db_url, IDS)
    tasks: dict[str, asyncio.Task] = {}

    class Paced(OrderReads):
        gate: asyncio.Event
        cancel_after_hand_off: str | None = None

        async def _read(self, ids):
            await self.gate.wait()
            return await super()._read(ids)

        def _hand_off(self) -> None:
            super()._hand_off()
            victim, self.cancel_after_hand_off = self.cancel_after_hand_off, None
            if victim is not None:
                tasks[victim].cancel()  # its future already holds the lead

    async def main():
        reads = Paced(db_url)
        reads.gate = asyncio.Event()
        try:
            for oid in ("ord_0000000001", "ord_0000000002", "ord_0000000003", "ord_0000000004"):
                tasks[oid] = asyncio.create_task(reads.get(oid))
                await asyncio.sleep(0)
            tasks["ord_0000000003"].cancel()  # waiting, not yet handed anything
            await asyncio.sleep(0)
            reads.cancel_after_hand_off = "ord_0000000002"  # the first waiter: it gets the lead
            reads.gate.set()
            assert await tasks["ord_0000000001"] == expected["ord_0000000001"]
            assert await tasks["ord_0000000004"] == expected["ord_0000000004"]
            for oid in ("ord_0000000002", "ord_0000000003"):
                assert tasks[oid].cancelled()
            assert await asyncio.wait_for(reads.get("ord_0000000002"), 10) == (
                expected["ord_0000000002"])
        finally:
            await reads.close()

    asyncio.run(main())


def test_concurrent_get_orders_over_http_match_the_route(db_url, conn):
    """Eight clients at once against the fast path (batched reads) and the route: the same
    status and bytes for every id, found or not."""
    from stateset_chain.api.app import ApiConfig
    from tests.api.conftest import ApiServer

    _seed(conn, 20)
    paths = [f"/v1/orders/ord_{i:010d}" for i in range(1, 23)]  # 21 and 22: missing
    # (no rate limit: 480 requests of one client address would pass its burst)
    fast = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rate=0))
    slow = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rate=0, fast_get_order=False))
    try:
        want = {p: (r.status_code, r.content) for p in paths for r in [slow.get(p)]}
        failures: list[str] = []

        def client(k: int) -> None:
            import requests

            with requests.Session() as s:
                for j in range(60):
                    p = paths[(k * 7 + j) % len(paths)]
                    r = s.get(fast.url + p)
                    if (r.status_code, r.content) != want[p]:
                        failures.append(f"{p}: {r.status_code} {r.content[:80]!r}")

        threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        reads = fast.app.state.service.reads
        assert 0 < reads.statements <= 8 * 60
    finally:
        fast.stop()
        slow.stop()
