"""GasKV: every access is charged the SDK's KVGasConfig amounts, and running out of gas fails at
the same point, with the same descriptor and figures, as charging through ``GasMeter.consume``."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.errors import OutOfGas
from stateset_chain.gas import (
    READ_COST_FLAT,
    READ_COST_PER_BYTE,
    WRITE_COST_FLAT,
    WRITE_COST_PER_BYTE,
    GasKV,
    GasMeter,
)
from stateset_chain.store.kv import KVStore, MemoryKV


class ReferenceGasKV(GasKV):
    """The plain form GasKV's get/set are an inlined copy of."""

    def get(self, key):
        self.meter.consume(READ_COST_FLAT, "ReadFlat")
        value = self.parent.get(key)
        self.meter.consume(READ_COST_PER_BYTE * (len(key) + len(value or b"")), "ReadPerByte")
        return value

    def set(self, key, value):
        self.meter.consume(WRITE_COST_FLAT, "WriteFlat")
        self.meter.consume(WRITE_COST_PER_BYTE * (len(key) + len(value)), "WritePerByte")
        self.parent.set(key, value)


OPS = st.lists(
    st.tuples(st.sampled_from(["get", "set"]), st.binary(min_size=1, max_size=8),
              st.binary(max_size=40)),
    max_size=12,
)


def run(kv_cls: type[GasKV], ops, limit) -> tuple[int, str, list]:
    store: KVStore = MemoryKV()
    meter = GasMeter(limit)
    kv = kv_cls(store, meter)
    seen = []
    try:
        for op, key, value in ops:
            seen.append(kv.get(key) if op == "get" else kv.set(key, value))
    except OutOfGas as e:
        return meter.consumed, e.log, seen
    return meter.consumed, "", seen


@given(OPS, st.one_of(st.none(), st.integers(0, 30_000)))
def test_gas_kv_charges_and_fails_like_consume(ops, limit):
    assert run(GasKV, ops, limit) == run(ReferenceGasKV, ops, limit)


def test_a_read_is_charged_flat_then_per_byte_of_key_and_value():
    store = MemoryKV()
    store.set(b"key", b"value")
    meter = GasMeter(None)
    GasKV(store, meter).get(b"key")
    assert meter.consumed == READ_COST_FLAT + READ_COST_PER_BYTE * 8
    GasKV(store, meter).get(b"missing")
    assert meter.consumed == 2 * READ_COST_FLAT + READ_COST_PER_BYTE * (8 + 7)


def test_out_of_gas_on_the_flat_read_cost_does_not_read():
    class Exploding(MemoryKV):
        def get(self, key):
            raise AssertionError("read after running out of gas")

    meter = GasMeter(READ_COST_FLAT - 1)
    try:
        GasKV(Exploding(), meter).get(b"k")
    except OutOfGas as e:
        assert "location: ReadFlat" in e.log and f"gasUsed: {READ_COST_FLAT}" in e.log
    else:
        raise AssertionError("expected OutOfGas")


def test_node_local_keys_are_charged_the_transient_store_prices():
    """Keys under a local prefix (a module's query indexes, outside the app hash) cost the SDK's
    TransientGasConfig: read 100 flat, write 200 + 3 per byte, delete 100, 3 per step."""
    from stateset_chain.gas import (
        LOCAL_DELETE_COST,
        LOCAL_ITER_NEXT_COST_FLAT,
        LOCAL_READ_COST_FLAT,
        LOCAL_WRITE_COST_FLAT,
        LOCAL_WRITE_COST_PER_BYTE,
    )

    assert (LOCAL_READ_COST_FLAT, LOCAL_WRITE_COST_FLAT, LOCAL_WRITE_COST_PER_BYTE) == (100, 200, 3)
    assert (LOCAL_DELETE_COST, LOCAL_ITER_NEXT_COST_FLAT) == (100, 3)
    meter = GasMeter(None)
    kv = GasKV(MemoryKV(), meter, (b"idx/",))
    kv.set(b"idx/a", b"12345")
    assert meter.consumed == 200 + 3 * 10
    assert kv.get(b"idx/a") == b"12345" and meter.consumed == 230 + 100
    assert list(kv.iterate(b"idx/", b"idx0")) == [(b"idx/a", b"12345")]
    assert meter.consumed == 330 + 3
    kv.delete(b"idx/a")
    assert meter.consumed == 333 + 100
    kv.set(b"state", b"v")  # any other key: the KV prices
    assert meter.consumed == 433 + WRITE_COST_FLAT + WRITE_COST_PER_BYTE * 6
