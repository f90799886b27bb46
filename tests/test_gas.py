"""GasKV: every access is charged the SDK's KVGasConfig amounts (node-local keys the
TransientGasConfig's). That the fast GasKV charges and fails exactly like the reference one is
tests/fast/test_gas.py."""

from __future__ import annotations

from stateset_chain.errors import OutOfGas
from stateset_chain.gas import (
    READ_COST_FLAT,
    READ_COST_PER_BYTE,
    WRITE_COST_FLAT,
    WRITE_COST_PER_BYTE,
    GasKV,
    GasMeter,
)
from stateset_chain.store.kv import MemoryKV


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
