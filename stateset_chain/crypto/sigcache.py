"""A bounded cache of verified secp256k1 signatures (see stateset_chain/auth/sigcache.py for how
the app uses it, and why it cannot change a result).

The key is the triple ``(sha256(sign bytes), public key, signature)``: whether it verifies is a
pure function of it. Only valid triples are stored.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from stateset_chain.cache import BoundedCache
from stateset_chain.crypto import secp256k1
from stateset_chain.crypto.hashes import sha256

CAPACITY = 1 << 16  # triples (~20 MiB at most); a full cache starts over (see cache.py)
MIN_PARALLEL = 64  # fewer unseen signatures than this: one thread (no pool hand-off)
THREADS = max(1, min(4, os.cpu_count() or 1))

Triple = tuple[bytes, bytes, bytes]  # (sha256(sign bytes), pubkey, signature)
T = TypeVar("T")
R = TypeVar("R")
_pool: ThreadPoolExecutor | None = None


def run_batched(
    work: Callable[[list[T]], list[R]], items: list[T], threads: int = THREADS
) -> list[R]:
    """``work`` over ``items`` split into one contiguous batch per thread (on a shared pool of
    worker threads; inline when there is too little to split), results concatenated in order.
    For C work that releases the GIL (libsecp256k1 through coincurve)."""
    global _pool
    if threads <= 1 or len(items) < MIN_PARALLEL:
        return work(items)
    if _pool is None:
        _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="sigverify")
    size = -(-len(items) // threads)
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    return [r for part in _pool.map(work, batches) for r in part]


class VerifiedSignatures:
    """The set of triples known to verify (bounded; only speed depends on what it holds)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._valid: BoundedCache[Triple, bool] = BoundedCache(capacity)
        self.tx_hashes: BoundedCache[bytes, bool] = BoundedCache(capacity)  # all sigs verified

    def verify(self, pubkey: bytes, sign_bytes: bytes, signature: bytes) -> bool:
        """``secp256k1.verify``, answered from the cache when the triple verified before."""
        triple = (sha256(sign_bytes), pubkey, signature)
        if triple in self._valid:
            return True
        if not secp256k1.verify_digest(pubkey, triple[0], signature):
            return False
        self._valid.put(triple, True)
        return True

    def verify_unseen(self, triples: Sequence[Triple], threads: int = THREADS) -> int:
        """Verifies the triples not in the cache (on ``threads`` threads, each a contiguous
        batch) and stores the valid ones; returns how many were verified."""
        unseen = [t for t in dict.fromkeys(triples) if t not in self._valid]
        if not unseen:
            return 0
        for t in run_batched(_verify_batch, unseen, threads):
            self._valid.put(t, True)
        return len(unseen)

    def remember_tx(self, tx_hash: bytes) -> None:
        """CheckTx verified every signature of this tx: a block need not pre-verify it."""
        self.tx_hashes.put(tx_hash, True)

    def clear(self) -> None:
        self._valid.clear()
        self.tx_hashes.clear()


def _verify_batch(triples: list[Triple]) -> list[Triple]:
    return [t for t in triples if secp256k1.verify_digest(t[1], t[0], t[2])]


VERIFIED = VerifiedSignatures()
