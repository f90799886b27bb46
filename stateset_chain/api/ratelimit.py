"""Per-key rate limits shared by every API process: one row per key in PostgreSQL, one statement
per lease of tokens.

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
behind a balancer enforce ONE limit per key, not N. A statement is one
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (``STATEMENT``): PostgreSQL's row lock on the
key's row serialises concurrent requests of that key across processes, and the database clock
(``clock_timestamp()``) is the one clock they all read. Rows of keys idle for an hour are
deleted now and then (``PRUNE``).

**Leases** (the fast path): one statement takes up to ``lease`` tokens at once, GCRA moving
``tat`` by ``T`` per token granted (as many as the bucket holds, at most ``lease``); the process
spends them locally for ``LEASE_SECONDS`` without a statement, then gives the unspent ones back
with the key's next statement (``tat`` moves back by ``T`` each). ``lease`` is
``min(MAX_LEASE, rate * LEASE_SECONDS, burst // 10)``, at least 1; at 1 (a low rate or a small
burst) every request runs the statement, which is plain GCRA. Never more requests pass than
GCRA lets through; a request can be refused early by at most the tokens other processes hold
unspent (a lease each, for at most ``LEASE_SECONDS``).

A refused request gets 429 ``rate_limited`` with ``Retry-After``. ``rate <= 0`` turns the limit
off (no statement at all).
"""

from __future__ import annotations

import time
from datetime import timedelta

# Lease up to %(want)s tokens for one process: as many as the bucket holds now (``granted``;
# 0 = refused), tat moving by granted * T; first, %(refund)s unused tokens of this process's
# expired lease go back (tat moves back by refund * T: tokens never spent). With want = 1 and
# refund = 0 this is the plain GCRA step. P = the key's tat after the refund, or now if later.
_P = "greatest(r.tat - %(t)s * %(refund)s, EXCLUDED.checked_at)"
_GRANTED = (f"greatest(0, least(%(want)s, floor(extract(epoch FROM EXCLUDED.checked_at + %(tau)s "
            f"- {_P}) / extract(epoch FROM %(t)s))::int))")
STATEMENT = f"""
INSERT INTO api_rate_limits AS r (who, tat, checked_at, allowed, granted)
SELECT %(who)s, n.now + %(t)s * least(%(want)s, %(burst)s), n.now, true,
       least(%(want)s, %(burst)s)
  FROM (SELECT clock_timestamp() AS now) AS n
ON CONFLICT (who) DO UPDATE SET
    checked_at = EXCLUDED.checked_at,
    granted = {_GRANTED},
    allowed = {_GRANTED} > 0,
    tat = {_P} + %(t)s * {_GRANTED}
RETURNING allowed, granted, extract(epoch FROM greatest(tat, checked_at) - checked_at)::float8
"""

PRUNE = "DELETE FROM api_rate_limits WHERE tat < clock_timestamp() - interval '1 hour'"
PRUNE_EVERY = 60.0  # seconds between prunes, per process
LEASE_SECONDS = 0.1  # how long a process keeps leased tokens before giving the rest back
MAX_LEASE = 100      # tokens per lease at most


class RateLimiter:
    """The limit's parameters, its one statement, and this process's leases: ``take`` runs
    the statement on an async psycopg connection (the ASGI middleware's) only when this
    process holds no leased token for the key.

    A lease is ``min(MAX_LEASE, rate * LEASE_SECONDS, burst // 10)`` tokens (at least 1: with
    1, every request runs the statement, exactly GCRA) taken from the key's row at once and
    spent locally for ``LEASE_SECONDS``; what is left then goes back to the row with the key's
    next statement. So the limit stays ONE per key across processes and never lets more pass
    than GCRA would; it can refuse early by at most the tokens other processes hold unspent
    (a lease each, for at most ``LEASE_SECONDS``)."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic,
                 lease_seconds: float = LEASE_SECONDS, max_lease: int = MAX_LEASE) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self.clock = clock
        self.lease_seconds = lease_seconds
        self._pruned = clock()
        # who -> [tokens left, expires at (clock)]; expired tokens are refunded on the next take
        self._leases: dict[str, list[float]] = {}
        self.lease = 1
        if rate > 0:
            self.interval = 1.0 / rate
            self.params_t = timedelta(seconds=self.interval)
            self.params_tau = timedelta(seconds=self.interval * self.burst)
            self.lease = max(1, min(max_lease, int(rate * lease_seconds), self.burst // 10))

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def wait_after(self, allowed: bool, ahead: float) -> float:
        """0.0 when allowed, else the seconds until the key's next request may pass (``ahead``:
        how far the key's ``tat`` is ahead of the database clock)."""
        if allowed:
            return 0.0
        return max(ahead + self.interval - self.interval * self.burst, 0.001)

    def spend(self, who: str) -> bool:
        """True if a token this process holds for ``who`` (a lease) lets a request pass now,
        spending it; False if ``take`` must decide (the statement). No I/O: the middleware
        calls it first and awaits ``take`` only when it says False."""
        held = self._leases.get(who)
        if held is not None and held[0] >= 1 and self.clock() < held[1]:
            held[0] -= 1
            return True
        return False

    async def take(self, conn_factory, who: str) -> float:
        """0.0 if a request by ``who`` may pass now, else the seconds until one may.
        ``conn_factory()`` is an async context manager giving a connection (only entered when
        the statement must run)."""
        if not self.enabled:
            return 0.0
        if self.spend(who):
            return 0.0
        now = self.clock()
        held = self._leases.get(who)
        refund = 0
        if held is not None:
            if now >= held[1]:
                refund = int(held[0])
            del self._leases[who]
        async with conn_factory() as conn:
            cur = await conn.execute(STATEMENT, {
                "who": who, "t": self.params_t, "tau": self.params_tau, "want": self.lease,
                "refund": refund, "burst": self.burst,
            })
            row = await cur.fetchone()
            if now - self._pruned > PRUNE_EVERY:
                self._pruned = now
                await conn.execute(PRUNE)
                self._leases = {w: h for w, h in self._leases.items() if h[1] > now}
        allowed, granted = bool(row[0]), int(row[1])
        if allowed and granted > 1:
            self._leases[who] = [granted - 1, now + self.lease_seconds]
        return self.wait_after(allowed, float(row[2]))
