"""The fast GasKV (stateset_chain/fast/gas.py) charges the same gas as the reference (gas.py:
every charge through ``GasMeter.consume``), in the same order, runs out at the same point with the
same descriptor and figures, and leaves the same store."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stateset_chain import fast, gas
from stateset_chain.errors import OutOfGas
from stateset_chain.gas import GasMeter
from stateset_chain.store.kv import MemoryKV

LOCAL_KEYS = st.binary(max_size=6).map(lambda k: b"idx/" + k)
KEYS = st.one_of(st.binary(min_size=1, max_size=8), LOCAL_KEYS)
OPS = st.lists(
    st.tuples(st.sampled_from(["get", "set", "delete", "iterate"]), KEYS, st.binary(max_size=40)),
    max_size=14,
)


def run(kv_cls, ops, limit, local) -> tuple:
    store = MemoryKV()
    store.set(b"idx/seed", b"1")
    store.set(b"seed", b"22")
    meter = GasMeter(limit)
    kv = kv_cls(store, meter, local)
    seen: list = []
    error = ""
    try:
        for op, key, value in ops:
            if op == "get":
                seen.append(kv.get(key))
            elif op == "set":
                kv.set(key, value)
            elif op == "delete":
                kv.delete(key)
            else:
                seen.append(list(kv.iterate(key, None)))
    except OutOfGas as e:
        error = e.log
    return meter.consumed, error, seen, list(store.iterate())


def test_the_fast_gas_kv_is_installed_behind_the_reference_name():
    assert gas.GasKV.__module__ == "stateset_chain.fast.gas"
    assert fast.reference(gas, "GasKV").__module__ == "stateset_chain.gas"


@given(OPS, st.one_of(st.none(), st.integers(0, 40_000)), st.sampled_from([(), (b"idx/",)]))
def test_fast_gas_kv_charges_and_fails_like_the_reference(ops, limit, local):
    reference = fast.reference(gas, "GasKV")
    assert run(gas.GasKV, ops, limit, local) == run(reference, ops, limit, local)


def run_on_branches(kv_cls, branch_cls, ops, limit, local) -> tuple:
    """The app's shape: the view over a tx's branch over a block's branch over the state."""
    state = MemoryKV()
    state.set(b"idx/seed", b"1")
    state.set(b"seed", b"22")
    block = branch_cls(state)
    block.set(b"blockkey", b"333")
    block.delete(b"seed")
    tx = branch_cls(block)
    meter = GasMeter(limit)
    view = kv_cls(tx, meter, local)
    seen: list = []
    error = ""
    try:
        for op, key, value in ops:
            if op == "get":
                seen.append(view.get(key))
            elif op == "set":
                view.set(key, value)
            elif op == "delete":
                view.delete(key)
            else:
                seen.append(list(view.iterate(key, None)))
    except OutOfGas as e:
        error = e.log
    tx_changes = tx.changes()
    tx.write()
    block_changes = block.changes()
    return meter.consumed, error, seen, tx_changes, block_changes, list(state.iterate())


BRANCH_KEYS = st.one_of(KEYS, st.sampled_from([b"seed", b"blockkey", b"idx/seed"]))
BRANCH_OPS = st.lists(
    st.tuples(st.sampled_from(["get", "set", "delete", "iterate"]), BRANCH_KEYS,
              st.binary(max_size=40)),
    max_size=14,
)


@given(BRANCH_OPS, st.one_of(st.none(), st.integers(0, 40_000)), st.sampled_from([(), (b"idx/",)]))
def test_fast_gas_kv_over_branches_reads_writes_and_charges_like_the_reference(ops, limit, local):
    """The fast view walks the fast branches' write sets itself; the reference view over the
    reference branches gives the same reads, gas, failures and writes."""
    from stateset_chain.store import kv

    reference_kv = fast.reference(gas, "GasKV")
    reference_branch = fast.reference(kv, "Branch")
    assert run_on_branches(gas.GasKV, kv.Branch, ops, limit, local) == run_on_branches(
        reference_kv, reference_branch, ops, limit, local
    )
