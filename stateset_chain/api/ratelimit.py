"""Per-key rate limits: a token bucket per API key (or per client address without a key).

``rate`` requests per second sustained, ``burst`` at once. The buckets live in the API process
(one per key); several API processes behind a balancer each enforce the limit on their share.
A refused request gets 429 ``rate_limited`` with ``Retry-After``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, rate: float, burst: int, clock=time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, who: str) -> float:
        """0.0 if a request by ``who`` may pass now, else the seconds until one may."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        with self._lock:
            b = self._buckets.get(who)
            if b is None:
                b = self._buckets[who] = _Bucket(float(self.burst), now)
            b.tokens = min(float(self.burst), b.tokens + (now - b.updated) * self.rate)
            b.updated = now
            if b.tokens >= 1.0:
                b.tokens -= 1.0
                return 0.0
            return (1.0 - b.tokens) / self.rate
