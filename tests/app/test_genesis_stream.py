"""A streamed genesis (InitChain writing through to the store every few orders) leaves exactly the
state, tree and app hash of the same genesis held in memory, and a node stopped before its first
commit starts from InitChain again.

The genesis is a busy chain's export (every module's records, orders in many states); the
streamed runs write through after every order and every third one (``App.genesis_part_items``),
against the default, which this small genesis never reaches. Also: the genesis reader gives the
values ``json.loads`` gives; the orders in a file named by its SHA-256 give the state of the same
orders inline, and a missing file, a wrong digest or a malformed reference is refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.genesisjson import (
    FileList,
    GenesisDigestMismatch,
    GenesisFileMissing,
    GenesisFileReference,
    StreamedList,
    read_app_state,
    write_list_file,
)
from stateset_chain.store.commit import META_GENESIS, TREE, CommitStore
from stateset_chain.wiring import standard_app
from tests.app.export_helpers import busy_net
from tests.chain import CHAIN_ID, BlockDriver


@pytest.fixture(scope="module")
def app_state() -> bytes:
    from stateset_chain.export import export_app_state

    net = busy_net()
    state = export_app_state(net.chain.core)
    assert len(state["orders"]["orders"]) >= 5
    return json.dumps(state).encode()


def start(store: CommitStore, app_state: bytes, part_items: int | None = None) -> BlockDriver:
    app = standard_app(store)
    app.check_invariants_every_block = True  # every invariant, after block 1
    if part_items is not None:
        app.genesis_part_items = part_items
    driver = BlockDriver(AbciApp(app), chain_id=CHAIN_ID)
    driver.init(app_state)
    return driver


def raw_keys(store: CommitStore, prefix: bytes) -> list[tuple[bytes, bytes]]:
    from stateset_chain.store.kv import prefix_end

    return list(store._raw.iterate(prefix, prefix_end(prefix)))


@pytest.mark.parametrize("part_items", [1, 3])
def test_a_streamed_genesis_gives_the_state_and_app_hash_of_one_held_in_memory(
    app_state, part_items
):
    held_store, streamed_store = CommitStore.in_memory(), CommitStore.in_memory()
    held = start(held_store, app_state)
    streamed = start(streamed_store, app_state, part_items)
    # the streamed genesis is in the store, marked; the held one is not written yet
    assert streamed_store._raw.get(META_GENESIS) == b"\x01"
    assert held_store._raw.get(META_GENESIS) is None and not raw_keys(held_store, b"s/")
    first_held, first_streamed = held.finalize([]), streamed.finalize([])
    assert first_streamed.app_hash == first_held.app_hash
    held.commit()
    streamed.commit()
    assert streamed_store._raw.get(META_GENESIS) is None  # cleared by the first commit
    assert raw_keys(streamed_store, b"s/") == raw_keys(held_store, b"s/")
    assert raw_keys(streamed_store, b"k/") == raw_keys(held_store, b"k/")
    assert raw_keys(streamed_store, TREE) == raw_keys(held_store, TREE)
    # and the chains go on alike
    assert streamed.block([]).app_hash == held.block([]).app_hash


def test_init_chain_returns_the_same_app_hash_streamed_or_held(app_state):
    responses = []
    for part_items in (None, 2):
        app = standard_app(CommitStore.in_memory())
        if part_items is not None:
            app.genesis_part_items = part_items
        responses.append(BlockDriver(AbciApp(app), chain_id=CHAIN_ID).init(app_state))
    assert responses[0].app_hash and responses[0].app_hash == responses[1].app_hash


def test_a_node_stopped_before_its_first_commit_starts_from_init_chain_again(
    app_state, tmp_path: Path
):
    path = str(tmp_path / "state")
    store = CommitStore.open(path)
    first = start(store, app_state, 2)
    genesis_hash = first.finalize([]).app_hash
    store.close()  # stopped before Commit: the genesis written through is not a commit
    reopened = CommitStore.open(path)
    assert reopened.last_height == 0
    assert list(reopened._raw.iterate()) == []  # wiped: nothing of the genesis is left
    again = start(reopened, app_state, 2)
    assert again.finalize([]).app_hash == genesis_hash
    again.commit()
    reopened.close()
    committed = CommitStore.open(path)
    assert committed.last_height == 1 and committed._raw.get(META_GENESIS) is None
    committed.close()


def test_init_chain_called_again_in_the_same_process_starts_over(app_state):
    store = CommitStore.in_memory()
    driver = start(store, app_state, 2)
    driver.init(app_state)  # CometBFT retrying InitChain: the written-through part is wiped
    again = driver.finalize([]).app_hash
    assert again == start(CommitStore.in_memory(), app_state).finalize([]).app_hash


# -- the reader ---------------------------------------------------------------------------

STREAMS = {"orders": ("orders",)}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63) + 1, 2**63 - 1) | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def materialized(doc):
    section = doc.get("orders")
    if isinstance(section, dict) and isinstance(section.get("orders"), StreamedList):
        section["orders"] = list(section["orders"])
    return doc


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), json_values, max_size=4), st.lists(json_values, max_size=5),
       json_values)
def test_the_reader_gives_the_values_json_loads_gives(others, orders, other_field):
    doc = dict(others)
    doc["orders"] = {"orders": orders, "params": other_field}
    raw = json.dumps(doc).encode()
    got = read_app_state(raw, STREAMS)
    assert isinstance(got["orders"]["orders"], StreamedList)
    assert materialized(got) == json.loads(raw)
    assert list(read_app_state(raw, STREAMS)["orders"]["orders"]) == orders  # iterable again


@pytest.mark.parametrize("raw", [b'{"orders": {"orders": [1, 2}}', b'{"a": 1', b'{"a": 1} x'])
def test_the_reader_refuses_malformed_json_as_json_loads_does(raw):
    with pytest.raises(ValueError):
        json.loads(raw)
    with pytest.raises(ValueError):
        read_app_state(raw, STREAMS)
    with pytest.raises(ValueError, match="not a JSON object"):
        read_app_state(b"[1]", STREAMS)


@pytest.mark.parametrize("raw", [
    b'{"orders": {"orders": [1]}, "orders": {"orders": [2]}}',  # a repeated key: the last wins
    b'{"orders": {"orders": [1], "orders": [2]}}',
    b'{"orders": {"orders": [18446744073709551616]}, "a": -9223372036854775809}',  # > 64 bits
])
def test_what_the_streaming_pass_cannot_read_is_read_by_json_loads(raw):
    assert materialized(read_app_state(raw, STREAMS)) == json.loads(raw)


def test_a_streamed_field_that_is_not_a_list_is_given_as_parsed():
    assert read_app_state(b'{"orders": {"orders": {"a": 1}}}', STREAMS) == {
        "orders": {"orders": {"a": 1}}}
    assert read_app_state(b"", STREAMS) == {}


# -- a streamed list in a file of its own, named by its SHA-256 -----------------------------


def with_orders_file(app_state: bytes, directory: Path, name: str = "genesis.orders.json"):
    """``app_state`` with its orders moved into ``directory / name``; (document, file)."""
    doc = json.loads(app_state)
    size, digest = write_list_file(doc["orders"]["orders"], directory / name)
    assert size == (directory / name).stat().st_size
    doc["orders"]["orders"] = {"path": name, "sha256": digest}
    return json.dumps(doc).encode(), directory / name


def start_from_dir(store: CommitStore, app_state: bytes, genesis_dir, part_items=None):
    app = standard_app(store)
    app.check_invariants_every_block = True
    app.genesis_dir = None if genesis_dir is None else str(genesis_dir)
    if part_items is not None:
        app.genesis_part_items = part_items
    driver = BlockDriver(AbciApp(app), chain_id=CHAIN_ID)
    driver.init(app_state)
    return driver


@pytest.mark.parametrize("part_items", [None, 2])
def test_orders_in_a_file_named_by_its_digest_give_the_state_of_the_inline_genesis(
    app_state, tmp_path: Path, part_items
):
    named, orders_file = with_orders_file(app_state, tmp_path)
    assert len(named) < len(app_state) - orders_file.stat().st_size + 200  # the request is small
    inline_store, file_store = CommitStore.in_memory(), CommitStore.in_memory()
    inline = start(inline_store, app_state)
    from_file = start_from_dir(file_store, named, tmp_path, part_items)
    assert from_file.finalize([]).app_hash == inline.finalize([]).app_hash
    inline.commit()
    from_file.commit()
    for prefix in (b"s/", b"k/", TREE):
        assert raw_keys(file_store, prefix) == raw_keys(inline_store, prefix)
    assert from_file.block([]).app_hash == inline.block([]).app_hash


def test_a_wrong_digest_is_refused_before_anything_is_written(app_state, tmp_path: Path):
    named, orders_file = with_orders_file(app_state, tmp_path)
    doc = json.loads(named)
    good = doc["orders"]["orders"]["sha256"]
    doc["orders"]["orders"]["sha256"] = ("0" if good[0] != "0" else "1") + good[1:]
    store = CommitStore.in_memory()
    with pytest.raises(GenesisDigestMismatch, match=f"has SHA-256 {good}, the genesis names"):
        start_from_dir(store, json.dumps(doc).encode(), tmp_path, 1)
    assert not raw_keys(store, b"s/") and store._raw.get(META_GENESIS) is None
    # the right digest, but the file's bytes changed: refused the same way
    orders_file.write_bytes(orders_file.read_bytes().replace(b"[", b"[ ", 1))
    with pytest.raises(GenesisDigestMismatch):
        start_from_dir(CommitStore.in_memory(), named, tmp_path, 1)


def test_a_missing_file_or_a_malformed_reference_is_refused(app_state, tmp_path: Path):
    named, orders_file = with_orders_file(app_state, tmp_path)
    with pytest.raises(GenesisFileReference, match="--genesis-dir"):
        start_from_dir(CommitStore.in_memory(), named, None)
    with pytest.raises(GenesisFileMissing, match="does not exist"):
        start_from_dir(CommitStore.in_memory(), named, tmp_path / "elsewhere")
    doc = json.loads(named)
    for path in ("/abs/genesis.orders.json", "../genesis.orders.json", "", 7):
        doc["orders"]["orders"]["path"] = path
        with pytest.raises(GenesisFileReference, match="relative path"):
            start_from_dir(CommitStore.in_memory(), json.dumps(doc).encode(), tmp_path)
    doc["orders"]["orders"] = {"path": orders_file.name, "sha256": "AB" * 32}
    with pytest.raises(GenesisFileReference, match="64 lower-case hex"):
        start_from_dir(CommitStore.in_memory(), json.dumps(doc).encode(), tmp_path)


def test_a_file_changed_after_its_check_is_refused_at_its_end(tmp_path: Path):
    _, digest = write_list_file([{"a": 1}, {"b": 2}], tmp_path / "list.json")
    raw = json.dumps({"orders": {"orders": {"path": "list.json", "sha256": digest}}}).encode()
    listed = read_app_state(raw, STREAMS, tmp_path)["orders"]["orders"]
    assert isinstance(listed, FileList) and list(listed) == [{"a": 1}, {"b": 2}]
    (tmp_path / "list.json").write_bytes(b'[{"a": 1}, {"b": 3}]')
    with pytest.raises(GenesisDigestMismatch, match="changed while InitChain read it"):
        list(listed)


@settings(max_examples=100, deadline=None)
@given(st.lists(json_values, max_size=5))
def test_a_list_in_a_file_reads_as_the_same_list_inline(items):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _, digest = write_list_file(items, Path(tmp) / "l.json")
        ref = {"path": "l.json", "sha256": digest}
        got = read_app_state(json.dumps({"orders": {"orders": ref}}).encode(), STREAMS, tmp)
        assert list(got["orders"]["orders"]) == json.loads(json.dumps(items))


@pytest.mark.parametrize("content", [b'{"a": 1}', b"[18446744073709551616, 1]", b"[1, 2] x"])
def test_what_yajl_cannot_read_in_a_file_is_read_by_json_loads(tmp_path: Path, content):
    import hashlib

    (tmp_path / "l.json").write_bytes(content)
    ref = {"path": "l.json", "sha256": hashlib.sha256(content).hexdigest()}
    raw = json.dumps({"orders": {"orders": ref}}).encode()
    try:
        expected = json.loads(content)
    except ValueError:
        with pytest.raises(ValueError):
            read_app_state(raw, STREAMS, tmp_path)
        return
    assert read_app_state(raw, STREAMS, tmp_path) == {"orders": {"orders": expected}}
