"""A transaction written in place into the block's branch under savepoints (``Branch.savepoint``:
the app's FinalizeBlock) reads, iterates, charges gas and leaves the block's writes exactly as the
reference stack does: ``GasKV`` over a branch of the block's branch (over a branch of that, for a
nested savepoint), written when the transaction succeeds, dropped when it fails or runs out of gas.

Both the fast classes (the names the app runs) and the reference ones are held to the reference
stack, over the block's memo of committed reads (the app's shape) and over a plain store whose
writes are recorded (the order ``Branch.write`` pushes them down). The block's own readers
(``changes_in``, its iteration) run between transactions, as the app's do: while a savepoint is
open they see its writes, which a branch of the block would hold apart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateset_chain import fast, gas
from stateset_chain.errors import OutOfGas
from stateset_chain.gas import GasMeter
from stateset_chain.store import kv
from stateset_chain.store.kv import MemoryKV
from stateset_chain.store.memo import CommittedReads
from tests.fast.test_kv import _Recorder

LOCAL = (b"idx/",)
KEYS = st.one_of(
    st.binary(min_size=1, max_size=2),
    st.binary(max_size=2).map(lambda k: b"idx/" + k),
    st.sampled_from([b"a", b"b", b"seed", b"blockkey"]),
)
BOUNDS = st.one_of(st.none(), st.binary(max_size=2))
VALUES = st.binary(max_size=6)
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("get"), KEYS),
        st.tuples(st.just("set"), KEYS, VALUES),
        st.tuples(st.just("delete"), KEYS),
        st.tuples(st.just("iterate"), BOUNDS, BOUNDS, st.booleans()),
        st.tuples(st.just("iterate-deleting"), BOUNDS, BOUNDS),  # deletes each key it yields
        st.tuples(st.just("open"), st.one_of(st.none(), st.integers(0, 60_000))),  # a tx starts
        st.tuples(st.just("keep")),  # the innermost tx succeeds
        st.tuples(st.just("drop")),  # the innermost tx fails
        st.tuples(st.just("block-changes_in"), KEYS, KEYS),
        st.tuples(st.just("block-iterate"), BOUNDS, BOUNDS, st.booleans()),
    ),
    max_size=50,
)
SEED = st.dictionaries(KEYS, st.binary(min_size=1, max_size=4), max_size=6)


class _Stack:
    """The reference shape: each open tx is a branch of the one below (the block's at the
    bottom); the gas view is over the innermost."""

    def __init__(self, block, branch_cls, gas_cls) -> None:
        self.block = block
        self.branch_cls = branch_cls
        self.gas_cls = gas_cls
        self.open: list = []

    def start(self) -> None:
        self.open.append(self.branch_cls(self.open[-1] if self.open else self.block))

    def keep(self) -> None:
        self.open.pop().write()

    def drop(self) -> None:
        self.open.pop().discard()

    def store(self):
        return self.open[-1] if self.open else self.block


class _InPlace:
    """The app's shape: every tx writes into the block's branch under a savepoint."""

    def __init__(self, block, branch_cls, gas_cls) -> None:
        self.block = block
        self.gas_cls = gas_cls
        self.open: list = []

    def start(self) -> None:
        self.open.append(self.block.savepoint())

    def keep(self) -> None:
        self.open.pop().write()

    def drop(self) -> None:
        self.open.pop().discard()

    def store(self):
        return self.block


def run(shape_cls, branch_cls, gas_cls, base_kind, seed, ops) -> tuple:
    state = _Recorder()
    for k, v in seed.items():
        state.set(k, v)
    state.calls.clear()
    base = CommittedReads(state) if base_kind == "memo" else state
    block = branch_cls(base)
    block.set(b"blockkey", b"333")  # the block's own writes before the txs
    block.delete(b"seed")
    shape = shape_cls(block, branch_cls, gas_cls)
    meter = GasMeter(None)
    seen: list = []
    for op, *args in ops:
        if op == "open":
            shape.start()
            meter = GasMeter(args[0])
            continue
        if op == "keep" or op == "drop":
            if shape.open:
                getattr(shape, op)()
            seen.append(meter.consumed)
            continue
        if op.startswith("block-"):  # the block's own readers, between txs (as the app's)
            if not shape.open:
                got = (
                    block.changes_in(*args)
                    if op == "block-changes_in"
                    else list(block.iterate(*args))
                )
                seen.append(got)
            continue
        view = gas_cls(shape.store(), meter, LOCAL)
        try:
            if op == "get":
                seen.append(view.get(args[0]))
            elif op == "set":
                view.set(args[0], args[1])
            elif op == "delete":
                view.delete(args[0])
            elif op == "iterate":
                seen.append(list(view.iterate(*args)))
            else:
                got = []
                for k, v in view.iterate(args[0], args[1]):
                    got.append((k, v))
                    view.delete(k)
                seen.append(got)
        except OutOfGas as e:  # the tx fails: its writes go
            seen.append(("out of gas", e.log, meter.consumed))
            if shape.open:
                shape.drop()
        seen.append(meter.consumed)
    while shape.open:
        shape.keep()
    changes = block.changes()
    order = list(block._writes.items())
    block.write() if base_kind == "plain" else None
    return seen, changes, order, state.calls, list(state.iterate())


FAST = (kv.Branch, gas.GasKV)
REFERENCE = (fast.reference(kv, "Branch"), fast.reference(gas, "GasKV"))


@pytest.mark.parametrize("base_kind", ["memo", "plain"])
@pytest.mark.parametrize("classes", [FAST, REFERENCE], ids=["fast", "reference"])
@settings(deadline=None)  # 50 operations on two stacks: slow on a loaded machine
@given(seed=SEED, ops=OPS)
def test_in_place_under_savepoints_is_the_branch_of_the_branch(classes, base_kind, seed, ops):
    expected = run(_Stack, *REFERENCE, base_kind, seed, ops)
    assert run(_InPlace, *classes, base_kind, seed, ops) == expected


@pytest.mark.parametrize("floor", [0, 10**9])
@settings(deadline=None)  # 50 operations on two stacks: slow on a loaded machine
@given(seed=SEED, ops=OPS)
def test_a_rolled_back_key_leaves_the_pending_and_the_sorted_keys(floor, seed, ops):
    """Merged by an iteration (floor 0) or still pending (a floor above any list), a key first
    written under a savepoint that is undone is gone from both key lists: what the branch
    iterates and lists is what its write set holds."""
    from stateset_chain.fast import kv as fast_kv

    saved = fast_kv.MERGE_FLOOR
    fast_kv.MERGE_FLOOR = floor
    try:
        expected = run(_Stack, *REFERENCE, "memo", seed, ops)
        assert run(_InPlace, *FAST, "memo", seed, ops) == expected
        block = kv.Branch(MemoryKV())
        for k, v in seed.items():
            block.set(k, v)
        sp = block.savepoint()
        for op, *args in ops:
            if op == "set":
                block.set(args[0], args[1])
            elif op == "iterate":
                list(block.iterate(*args))
        sp.discard()
        assert sorted(block._sorted + block._pending) == sorted(block._writes)
        assert len(block._sorted) + len(block._pending) == len(block._writes)
    finally:
        fast_kv.MERGE_FLOOR = saved


@pytest.mark.parametrize("branch_cls", [FAST[0], REFERENCE[0]], ids=["fast", "reference"])
def test_savepoints_close_once_and_innermost_first(branch_cls):
    block = branch_cls(MemoryKV())
    outer = block.savepoint()
    block.set(b"k", b"1")
    inner = block.savepoint()
    block.set(b"k", b"2")
    with pytest.raises(RuntimeError):
        outer.write()
    inner.discard()
    assert block.get(b"k") == b"1"
    with pytest.raises(RuntimeError):
        inner.write()
    outer.discard()
    assert block.get(b"k") is None
    assert block.changes() == []
    block.set(b"k", b"3")  # no savepoint open: nothing logged
    assert block._journal is None


@pytest.mark.parametrize("branch_cls", [FAST[0], REFERENCE[0]], ids=["fast", "reference"])
def test_a_branch_written_into_a_journaled_branch_is_undone_with_it(branch_cls):
    """A handler's own branch (crosschain's sandbox) written into the block's branch while the
    tx's savepoint is open is part of the tx: undone if the tx fails."""
    block = branch_cls(MemoryKV())
    block.set(b"a", b"0")
    sp = block.savepoint()
    inner = branch_cls(block)
    inner.set(b"a", b"1")
    inner.set(b"b", b"2")
    inner.write()
    assert block.changes() == [(b"a", b"1"), (b"b", b"2")]
    sp.discard()
    assert block.changes() == [(b"a", b"0")]
