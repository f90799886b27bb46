import plyvel
import pytest

from stateset_chain.store.kv import Branch, MemoryKV, PrefixKV
from stateset_chain.store.leveldb import LevelDBKV
from tests.store.conformance import CHECKS


@pytest.fixture(
    params=["memory", "leveldb", "leveldb-prefixed", "branch", "branch-of-branch",
            "branch-of-branch-of-branch", "prefix"]
)
def store(request, tmp_path):
    kind = request.param
    if kind.startswith("leveldb"):
        db = plyvel.DB(str(tmp_path / "db"), create_if_missing=True)
        if kind == "leveldb":
            yield LevelDBKV(db)
        else:
            db.put(b"o", b"outside")  # neighbours of the prefix must stay invisible
            db.put(b"q", b"outside")
            yield LevelDBKV(db, b"p/")
        db.close()
        return
    if kind == "memory":
        yield MemoryKV()
    elif kind == "branch":
        yield Branch(MemoryKV())
    elif kind == "branch-of-branch":
        yield Branch(Branch(MemoryKV()))
    elif kind == "branch-of-branch-of-branch":
        yield Branch(Branch(Branch(MemoryKV())))
    else:
        parent = MemoryKV()
        parent.set(b"o", b"outside")  # neighbours of the prefix must stay invisible
        parent.set(b"q", b"outside")
        yield PrefixKV(parent, b"p/")


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_conformance(store, check):
    check(store)


def test_branch_overlays_parent_and_writes_through():
    parent = MemoryKV()
    for k in [b"a", b"c", b"e"]:
        parent.set(k, b"p")
    b = Branch(parent)
    b.set(b"b", b"x")
    b.delete(b"c")
    b.set(b"e", b"x")
    assert list(b.iterate()) == [(b"a", b"p"), (b"b", b"x"), (b"e", b"x")]
    assert list(b.iterate(reverse=True)) == [(b"e", b"x"), (b"b", b"x"), (b"a", b"p")]
    assert parent.get(b"c") == b"p"  # untouched until write()
    assert b.changes() == [(b"b", b"x"), (b"c", None), (b"e", b"x")]
    b.write()
    assert list(parent.iterate()) == [(b"a", b"p"), (b"b", b"x"), (b"e", b"x")]
    assert b.changes() == []


def test_discarded_branch_changes_nothing():
    parent = MemoryKV()
    parent.set(b"a", b"1")
    b = Branch(parent)
    b.set(b"a", b"2")
    b.set(b"z", b"3")
    b.discard()
    assert list(parent.iterate()) == [(b"a", b"1")]
    assert b.get(b"a") == b"1"


def test_readonly_prefix_view_refuses_writes():
    view = PrefixKV(MemoryKV(), b"s/", readonly=True)
    with pytest.raises(TypeError):
        view.set(b"k", b"v")
    with pytest.raises(TypeError):
        view.delete(b"k")


def test_a_read_sees_the_nearest_branch_that_wrote_or_deleted_the_key():
    """tx -> block -> genesis -> state: a read stops at the first level holding the key."""
    state = MemoryKV()
    for k in [b"a", b"b", b"c", b"d"]:
        state.set(k, b"state")
    genesis = Branch(state)
    genesis.set(b"b", b"genesis")
    genesis.delete(b"c")
    block = Branch(genesis)
    block.set(b"c", b"block")
    block.delete(b"d")
    tx = Branch(block)
    tx.set(b"a", b"tx")
    assert [tx.get(k) for k in [b"a", b"b", b"c", b"d", b"e"]] == [
        b"tx", b"genesis", b"block", None, None
    ]
    assert [block.get(k) for k in [b"a", b"b", b"c", b"d"]] == [
        b"state", b"genesis", b"block", None
    ]


def test_branch_set_refuses_what_the_store_refuses_but_takes_bytes_subclasses():
    class Key(bytes):
        pass

    b = Branch(MemoryKV())
    b.set(Key(b"k"), Key(b"v"))
    assert b.get(b"k") == b"v"
    for key, value in [("k", b"v"), (b"", b"v"), (b"k", "v"), (b"k", 1)]:
        with pytest.raises(TypeError):
            b.set(key, value)
