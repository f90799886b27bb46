"""Per-key rate limits are ONE limit per key across every API process: the GCRA state lives in
PostgreSQL (``api.ratelimit``). Two real ``statesetd api`` processes on one database share the
burst and the rate; a per-process limiter would let each process pass its own burst."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import tempfile
import threading
import time

import psycopg
import pytest
import requests

from stateset_chain.api.keys import create_key
from stateset_chain.api.ratelimit import RateLimiter


def _on(conn):
    """A connection factory (what ``RateLimiter.take`` enters) that gives ``conn``."""

    @contextlib.asynccontextmanager
    async def factory():
        yield conn

    return factory


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ApiProcess:
    """``statesetd api`` as a subprocess on a free loopback port."""

    def __init__(self, db_url: str, *extra: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "stateset_chain.cli.main", "api", "--db", db_url, "--listen",
             f"127.0.0.1:{self.port}", "--no-webhooks", "--log-level", "warning", *extra],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.url + "/health", timeout=2)
                return
            except requests.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.log.seek(0)
                    err = self.log.read().decode(errors="replace")
                    self.stop()
                    raise RuntimeError(f"statesetd api did not start: {err[-2000:]}") from None
                time.sleep(0.2)

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(self.url + path, timeout=30, **kw)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(20)
        if not self.log.closed and self.proc.poll() is not None:
            self.log.close()


@pytest.fixture
def two_apis(db_url):
    """Two API processes over one database, 0.01 requests/s per key, bursts of 4."""
    a = ApiProcess(db_url, "--rate", "0.01", "--burst", "4")
    try:
        b = ApiProcess(db_url, "--rate", "0.01", "--burst", "4")
    except BaseException:
        a.stop()
        raise
    yield a, b
    a.stop()
    b.stop()


def test_two_processes_share_one_burst_per_key(two_apis, conn):
    a, b = two_apis
    _, key = create_key(conn, kind="secret", livemode=False)
    _, other = create_key(conn, kind="secret", livemode=False)
    codes = [(a if i % 2 == 0 else b).get("/v1/webhooks", headers=bearer(key)).status_code
             for i in range(8)]
    assert codes == [200] * 4 + [429] * 4, codes  # per process it would have been 8 x 200
    refused = b.get("/v1/webhooks", headers=bearer(key))
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 90  # 1 / 0.01 s for the next token
    # another key has its own bucket, in both processes
    assert a.get("/v1/webhooks", headers=bearer(other)).status_code == 200
    assert b.get("/v1/webhooks", headers=bearer(other)).status_code == 200


def test_concurrent_requests_through_two_processes_pass_exactly_the_burst(two_apis, conn):
    a, b = two_apis
    _, key = create_key(conn, kind="secret", livemode=False)
    codes: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(12)

    def client(api: ApiProcess) -> None:
        start.wait()
        for _ in range(3):
            code = api.get("/v1/webhooks", headers=bearer(key)).status_code
            with lock:
                codes.append(code)

    threads = [threading.Thread(target=client, args=(a if i % 2 else b,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200] * 4 + [429] * 32


def test_requests_without_a_key_are_limited_per_address(two_apis):
    a, b = two_apis
    codes = [(a if i % 2 else b).get("/v1/orders").status_code for i in range(6)]
    assert codes == [200] * 4 + [429] * 2
    assert a.get("/health").status_code in (200, 503)  # outside /v1/: never limited


def test_refill_after_the_returned_wait(db_url):
    """GCRA against the real database clock: burst 2 at 4/s; the third waits ~0.25 s, and after
    the wait it passes (the wait is enough, whatever the clocks of the processes)."""

    async def scenario() -> list:
        limiter = RateLimiter(rate=4.0, burst=2)
        assert limiter.lease == 1  # a small burst: a statement per request, plain GCRA
        async with await psycopg.AsyncConnection.connect(db_url, autocommit=True) as conn:
            on = _on(conn)
            first = [await limiter.take(on, "key:refill") for _ in range(3)]
            await asyncio.sleep(first[2])
            after = await limiter.take(on, "key:refill")
            again = await limiter.take(on, "key:refill")
        return [*first, after, again]

    w1, w2, w3, after, again = asyncio.run(scenario())
    assert w1 == 0.0 and w2 == 0.0
    assert 0.0 < w3 <= 0.25 + 1e-3
    assert after == 0.0
    assert again > 0.0  # the refilled token was the only one


def test_rate_zero_is_off(db_url, conn):
    from stateset_chain.api.app import ApiConfig
    from tests.api.conftest import ApiServer

    s = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rate=0))
    try:
        assert all(s.get("/v1/orders").status_code == 200 for _ in range(30))
    finally:
        s.stop()
    assert conn.execute("SELECT count(*) FROM api_rate_limits").fetchone()[0] == 0


def test_leases_pass_exactly_the_burst_and_give_back_what_they_did_not_spend(db_url):
    """Two processes' limiters leasing 5 tokens at a time (a lease lasts 1,000 s of their clock
    here): requests alternating between them pass exactly the burst, no more (each lease is
    spent before its process asks again); an expired lease's unspent tokens go back to the
    key's row with the process's next statement, so they count as never taken."""
    clock = [0.0]

    def limiter():
        return RateLimiter(rate=0.01, burst=50, clock=lambda: clock[0], lease_seconds=1000.0)

    async def scenario():
        a, b = limiter(), limiter()
        assert a.lease == 5
        async with await psycopg.AsyncConnection.connect(db_url, autocommit=True) as conn:
            on = _on(conn)
            passed = [await (a if i % 2 else b).take(on, "key:lease") == 0.0 for i in range(60)]
            statements_row = await (await conn.execute(
                "SELECT granted FROM api_rate_limits WHERE who = 'key:lease'")).fetchone()
            # another key: A spends 1 of its lease, which expires; B leases; A's next statement
            # gives its 4 unspent tokens back before leasing again
            assert await a.take(on, "key:refund") == 0.0
            clock[0] += 1001.0
            assert await b.take(on, "key:refund") == 0.0
            assert await a.take(on, "key:refund") == 0.0
            ahead = await (await conn.execute(
                "SELECT extract(epoch FROM tat - checked_at)::float8 FROM api_rate_limits "
                "WHERE who = 'key:refund'")).fetchone()
        return passed, statements_row[0], ahead[0]

    passed, last_granted, ahead = asyncio.run(scenario())
    assert passed == [True] * 50 + [False] * 10
    assert last_granted == 0  # refused: the bucket is empty
    # taken: 5 (A) + 5 (B) - 4 (A's refund) + 5 (A) = 11 tokens of 100 s each
    assert abs(ahead - 1100.0) < 5.0, ahead


def test_the_lease_is_one_token_for_small_bursts_and_bounded():
    assert RateLimiter(rate=100.0, burst=200).lease == 10  # rate x 0.1 s
    assert RateLimiter(rate=100.0, burst=20).lease == 2  # a tenth of the burst
    assert RateLimiter(rate=0.01, burst=4).lease == 1  # every request: a statement
    assert RateLimiter(rate=10**6, burst=10**6).lease == 100  # MAX_LEASE
