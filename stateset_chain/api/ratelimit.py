"""Per-key rate limits shared by every API process: one row per key in PostgreSQL, one statement
per request.

The limit is ``rate`` requests per second sustained and ``burst`` at once, per API key (or per
client address for a request without a key). It is kept by GCRA, the generic cell rate
algorithm, which is a token bucket stored as a single timestamp: the key's *theoretical arrival
time* ``tat``. With ``T = 1 / rate`` and ``tau = burst * T``, a request at ``now`` is allowed iff
``max(tat, now) + T <= now + tau``, and then ``tat`` moves to ``max(tat, now) + T``; a refused
request leaves ``tat`` alone and may retry after ``max(tat, now) + T - tau - now`` seconds. A
fresh key can thus send ``burst`` requests at once, then one every ``T``, exactly as a bucket of
``burst`` tokens refilled at ``rate``.

The state lives in the database every API process already shares (``api_rate_limits``, an
UNLOGGED table: a crash forgets the counters, which only costs a fresh burst), so N processes
behind a balancer enforce ONE limit per key, not N. Each request is one
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (``STATEMENT``): PostgreSQL's row lock on the
key's row serialises concurrent requests of that key across processes, and the database clock
(``clock_timestamp()``) is the one clock they all read. Rows of keys idle for an hour are
deleted now and then (``PRUNE``).

A refused request gets 429 ``rate_limited`` with ``Retry-After``. ``rate <= 0`` turns the limit
off (no statement at all).
"""

from __future__ import annotations

import time
from datetime import timedelta

STATEMENT = """
INSERT INTO api_rate_limits AS r (who, tat, checked_at, allowed)
SELECT %(who)s, n.now + %(t)s, n.now, true FROM (SELECT clock_timestamp() AS now) AS n
ON CONFLICT (who) DO UPDATE SET
    checked_at = EXCLUDED.checked_at,
    allowed = greatest(r.tat, EXCLUDED.checked_at) + %(t)s <= EXCLUDED.checked_at + %(tau)s,
    tat = CASE WHEN greatest(r.tat, EXCLUDED.checked_at) + %(t)s <= EXCLUDED.checked_at + %(tau)s
               THEN greatest(r.tat, EXCLUDED.checked_at) + %(t)s
               ELSE r.tat END
RETURNING allowed, extract(epoch FROM greatest(tat, checked_at) - checked_at)::float8
"""

PRUNE = "DELETE FROM api_rate_limits WHERE tat < clock_timestamp() - interval '1 hour'"
PRUNE_EVERY = 60.0  # seconds between prunes, per process


class RateLimiter:
    """The limit's parameters and its one statement; ``take`` runs it on an async psycopg
    connection (the ASGI middleware's)."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self.clock = clock
        self._pruned = clock()
        if rate > 0:
            self.interval = 1.0 / rate
            self.params_t = timedelta(seconds=self.interval)
            self.params_tau = timedelta(seconds=self.interval * self.burst)

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def wait_after(self, allowed: bool, ahead: float) -> float:
        """0.0 when allowed, else the seconds until the key's next request may pass (``ahead``:
        how far the key's ``tat`` is ahead of the database clock)."""
        if allowed:
            return 0.0
        return max(ahead + self.interval - self.interval * self.burst, 0.001)

    async def take(self, conn, who: str) -> float:
        """0.0 if a request by ``who`` may pass now, else the seconds until one may."""
        if not self.enabled:
            return 0.0
        cur = await conn.execute(STATEMENT, {"who": who, "t": self.params_t,
                                             "tau": self.params_tau})
        row = await cur.fetchone()
        now = self.clock()
        if now - self._pruned > PRUNE_EVERY:
            self._pruned = now
            await conn.execute(PRUNE)
        return self.wait_after(bool(row[0]), float(row[1]))
