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
    """A view of ``parent`` that charges ``meter`` for each read, write, delete and step;
    keys under ``local`` (node-local query indexes) at the transient prices."""

    def __init__(self, parent: KVStore, meter: GasMeter, local: tuple[bytes, ...] = ()) -> None:
        self.parent = parent
        self.meter = meter
        self.local = local  # prefixes of node-local keys: charged the transient prices

    def _is_local(self, key: bytes) -> bool:
        return bool(self.local) and key.startswith(self.local)

    def get(self, key):
        if self._is_local(key):
            self.meter.consume(LOCAL_READ_COST_FLAT, "ReadFlat")
            return self.parent.get(key)
        self.meter.consume(READ_COST_FLAT, "ReadFlat")
        value = self.parent.get(key)
        size = len(key) + len(value) if value else len(key)
        self.meter.consume(READ_COST_PER_BYTE * size, "ReadPerByte")
        return value

    def set(self, key, value):
        local = self._is_local(key)
        self.meter.consume(LOCAL_WRITE_COST_FLAT if local else WRITE_COST_FLAT, "WriteFlat")
        per_byte = LOCAL_WRITE_COST_PER_BYTE if local else WRITE_COST_PER_BYTE
        self.meter.consume(per_byte * (len(key) + len(value)), "WritePerByte")
        self.parent.set(key, value)

    def delete(self, key):
        self.meter.consume(LOCAL_DELETE_COST if self._is_local(key) else DELETE_COST, "Delete")
        self.parent.delete(key)

    def iterate(self, start=None, end=None, reverse=False):
        for k, v in self.parent.iterate(start, end, reverse):
            if self._is_local(k):
                self.meter.consume(LOCAL_ITER_NEXT_COST_FLAT, "IterNextFlat")
            else:
                self.meter.consume(ITER_NEXT_COST_FLAT, "IterNextFlat")
                self.meter.consume(READ_COST_PER_BYTE * (len(k) + len(v)), "ValuePerByte")
            yield k, v


# -- fast paths ----------------------------------------------------------------------------------
# The same names, faster (stateset_chain/fast/gas.py); the definitions above are the reference.
from stateset_chain import fast as _fast  # noqa: E402
from stateset_chain.fast import gas as _fast_gas  # noqa: E402

_fast.install(globals(), _fast_gas)
