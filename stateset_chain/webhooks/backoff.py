"""Retry schedule: exponential backoff with full jitter, capped, for at most ``max_age``.

Attempt n (1-based, after n failures) waits ``uniform(base * 2**(n-1) / 2, base * 2**(n-1))``
seconds, capped at ``cap``. Defaults: base 5 s, cap 1 h, max_age 3 days: the schedule reaches the
cap after ~10 failures and then retries hourly until the delivery is 3 days old, when it is marked
failed. Wall-clock time and randomness are fine here: this is the read side, not consensus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    base: float = 5.0
    cap: float = 3600.0
    max_age: float = 3 * 24 * 3600.0

    def delay(self, failures: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after the ``failures``-th failed attempt (failures >= 1)."""
        top = min(self.cap, self.base * (2 ** min(failures - 1, 40)))
        return (rng or random).uniform(top / 2, top)
