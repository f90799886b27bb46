"""Deterministic gas: a meter, and a store view that charges for every access.

Costs are the Cosmos SDK's KVGasConfig and auth params, so gas figures look familiar to wallets.
"""

from __future__ import annotations

from dataclasses import dataclass

from stateset_chain.errors import OutOfGas
from stateset_chain.store.kv import KVStore

READ_COST_FLAT = 1000
READ_COST_PER_BYTE = 3
WRITE_COST_FLAT = 2000
WRITE_COST_PER_BYTE = 30
DELETE_COST = 1000
ITER_NEXT_COST_FLAT = 30
TX_SIZE_COST_PER_BYTE = 10
SIG_VERIFY_COST_SECP256K1 = 1000


@dataclass(slots=True)
class GasMeter:
    """Counts gas up to ``limit``; ``limit=None`` means unmetered (genesis, end-block)."""

    limit: int | None
    consumed: int = 0

    def consume(self, amount: int, descriptor: str) -> None:
        self.consumed += amount
        if self.limit is not None and self.consumed > self.limit:
            raise OutOfGas(
                f"out of gas in location: {descriptor}; gasWanted: {self.limit}, "
                f"gasUsed: {self.consumed}"
            )


# Node-local keys (``Module.local_prefixes``: query indexes outside the app hash) are charged the
# Cosmos SDK's TransientGasConfig, the SDK's price for its own store outside the app hash.
LOCAL_READ_COST_FLAT = 100
LOCAL_WRITE_COST_FLAT = 200
LOCAL_WRITE_COST_PER_BYTE = 3
LOCAL_DELETE_COST = 100
LOCAL_ITER_NEXT_COST_FLAT = 3


class GasKV(KVStore):
    """A view of ``parent`` that charges ``meter`` for each read, write, delete and step.

    ``get`` and ``set`` run for every store access, so they charge the meter inline (the same
    amounts, in the same order, failing at the same point with the same descriptor as
    ``meter.consume``)."""

    def __init__(self, parent: KVStore, meter: GasMeter, local: tuple[bytes, ...] = ()) -> None:
        self.parent = parent
        self.meter = meter
        self.local = local  # prefixes of node-local keys: charged the transient prices

    def get(self, key):
        if self.local and key.startswith(self.local):
            self.meter.consume(LOCAL_READ_COST_FLAT, "ReadFlat")
            return self.parent.get(key)
        meter = self.meter
        limit = meter.limit
        consumed = meter.consumed = meter.consumed + READ_COST_FLAT
        if limit is not None and consumed > limit:
            meter.consume(0, "ReadFlat")  # raises OutOfGas
        value = self.parent.get(key)
        size = len(key) + len(value) if value else len(key)
        consumed = meter.consumed = consumed + READ_COST_PER_BYTE * size
        if limit is not None and consumed > limit:
            meter.consume(0, "ReadPerByte")
        return value

    def set(self, key, value):
        if self.local and key.startswith(self.local):
            self.meter.consume(LOCAL_WRITE_COST_FLAT, "WriteFlat")
            per_byte = LOCAL_WRITE_COST_PER_BYTE * (len(key) + len(value))
            self.meter.consume(per_byte, "WritePerByte")
            self.parent.set(key, value)
            return
        meter = self.meter
        limit = meter.limit
        consumed = meter.consumed = meter.consumed + WRITE_COST_FLAT
        if limit is not None and consumed > limit:
            meter.consume(0, "WriteFlat")
        consumed = meter.consumed = consumed + WRITE_COST_PER_BYTE * (len(key) + len(value))
        if limit is not None and consumed > limit:
            meter.consume(0, "WritePerByte")
        self.parent.set(key, value)

    def delete(self, key):
        local = self.local and key.startswith(self.local)
        self.meter.consume(LOCAL_DELETE_COST if local else DELETE_COST, "Delete")
        self.parent.delete(key)

    def iterate(self, start=None, end=None, reverse=False):
        local = self.local
        for k, v in self.parent.iterate(start, end, reverse):
            if local and k.startswith(local):
                self.meter.consume(LOCAL_ITER_NEXT_COST_FLAT, "IterNextFlat")
            else:
                self.meter.consume(ITER_NEXT_COST_FLAT, "IterNextFlat")
                self.meter.consume(READ_COST_PER_BYTE * (len(k) + len(v)), "ValuePerByte")
            yield k, v
