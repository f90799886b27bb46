"""The fast ``GasKV`` of ``stateset_chain/gas.py`` (the reference): ``get`` and ``set`` run for
every store access of every transaction, so they charge the meter inline instead of through
``GasMeter.consume``: the same amounts in the same order, failing at the same point with the
same descriptor and the same consumed figure (tests/fast/test_gas.py runs both side by side).

The app's stores are always one of two shapes: in FinalizeBlock this view directly over the
block's ``Branch`` (the tx writing in place under a savepoint, ``Branch.savepoint``) over the
block's memo of committed reads (``store/memo.py``); in CheckTx and the module harnesses over a
transaction's ``Branch`` over another ``Branch`` over the committed state. So ``get`` walks up to
two branches' write sets itself (one dict lookup each), then the memo, and calls only the
committed state's ``get`` (a memo miss), and ``set`` writes into the branch's write set (and its
undo log) directly: one Python call per access where the reference makes two or three. Any
other parent is read through its methods.
"""

from __future__ import annotations

from stateset_chain import gas as reference
from stateset_chain.gas import (
    DELETE_COST,
    ITER_NEXT_COST_FLAT,
    LOCAL_DELETE_COST,
    LOCAL_ITER_NEXT_COST_FLAT,
    LOCAL_READ_COST_FLAT,
    LOCAL_WRITE_COST_FLAT,
    LOCAL_WRITE_COST_PER_BYTE,
    READ_COST_FLAT,
    READ_COST_PER_BYTE,
    WRITE_COST_FLAT,
    WRITE_COST_PER_BYTE,
)
from stateset_chain.store import kv
from stateset_chain.store.kv import _ABSENT
from stateset_chain.store.memo import CommittedReads as _CommittedReads

REPLACES = ("GasKV",)

# The fast Branch (store/kv.py has installed it by now): the only parent whose write set is read
# directly here.
_Branch = kv.Branch
_MISSING = object()


class GasKV(reference.GasKV):
    def __init__(self, parent, meter, local: tuple[bytes, ...] = ()) -> None:
        self.parent = parent  # the reference's three attributes, without its call
        self.meter = meter
        self.local = local
        self._branch = type(parent) is _Branch  # read and write its write set directly

    def get(self, key):
        if self.local and key.startswith(self.local):
            self.meter.consume(LOCAL_READ_COST_FLAT, "ReadFlat")
            return self.parent.get(key)
        meter = self.meter
        limit = meter.limit
        consumed = meter.consumed = meter.consumed + READ_COST_FLAT
        if limit is not None and consumed > limit:
            meter.consume(0, "ReadFlat")  # raises OutOfGas
        if self._branch:  # Branch.get of one or two branches over the memo, inline
            branch = self.parent
            value = branch._writes.get(key, _MISSING)
            if value is _MISSING:
                below = branch.parent
                if type(below) is _Branch:  # a tx's branch over another (CheckTx)
                    value = below._writes.get(key, _MISSING)
                    below = below.parent
                if value is _MISSING:
                    if type(below) is _CommittedReads:  # the block's memo, inline
                        value = below.values.get(key, _MISSING)
                        if value is _MISSING:
                            value = below.get(key)
                    else:
                        value = below.get(key)
        else:
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
        branch = self.parent
        if self._branch and type(key) is bytes and type(value) is bytes and key:
            writes = branch._writes  # Branch.set, without its call
            journal = branch._journal
            if key not in writes:
                branch._pending.append(key)
                if journal is not None:
                    journal.append((key, _ABSENT))
            elif journal is not None:
                journal.append((key, writes[key]))
            writes[key] = value
        else:
            branch.set(key, value)

    def delete(self, key):
        local = self.local and key.startswith(self.local)
        self.meter.consume(LOCAL_DELETE_COST if local else DELETE_COST, "Delete")
        self.parent.delete(key)

    def iterate(self, start=None, end=None, reverse=False):
        local = self.local
        meter = self.meter
        for k, v in self.parent.iterate(start, end, reverse):
            if local and k.startswith(local):
                meter.consume(LOCAL_ITER_NEXT_COST_FLAT, "IterNextFlat")
            else:
                meter.consume(ITER_NEXT_COST_FLAT, "IterNextFlat")
                meter.consume(READ_COST_PER_BYTE * (len(k) + len(v)), "ValuePerByte")
            yield k, v
