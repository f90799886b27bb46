"""Snapshots on disk: taken every N heights at Commit from that height's view, the newest K
kept, only whole snapshots listed, and the format's codecs."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateset_chain.statesync import format as fmt
from stateset_chain.statesync.application import StateSyncApplication
from stateset_chain.statesync.snapshots import MANIFEST, SnapshotStore
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.kv import MemoryKV
from stateset_chain.store.smt import PySparseMerkleTree
from tests.chain import Chain, address
from tests.statesync.test_restore import fresh_node, restore

from tendermint.abci import types_pb2 as abci


def test_snapshots_are_taken_every_interval_and_the_newest_k_kept(tmp_path):
    chain = Chain.start(n_wallets=2, store=CommitStore.open(str(tmp_path / "db")))
    node = StateSyncApplication(chain.app, SnapshotStore(tmp_path / "snaps"), interval=3, keep=2)
    chain.app = node  # Chain drives the wrapper, as the ABCI server does
    hashes = {}
    w = chain.wallets
    for _ in range(10):
        chain.block([chain.send(w[0], address(w[1]), 5)])
        node.snapshotter.wait()
        hashes[chain.height] = node.core.store.last_app_hash
    listed = node.list_snapshots(abci.RequestListSnapshots()).snapshots
    assert [s.height for s in listed] == [9, 6]  # heights 3, 6, 9 taken; 3 pruned
    for s in listed:
        manifest = fmt.decode_manifest(s.metadata)
        assert manifest.app_hash == hashes[s.height]
        assert s.hash == fmt.sha256(s.metadata) and s.chunks == len(manifest.chunks)
    # the snapshot of height 6 still restores height 6, though the chain has moved on
    target = fresh_node(tmp_path)
    assert offer_height(node, target, listed[1], hashes[6])
    assert target.info(abci.RequestInfo()).last_block_height == 6


def offer_height(served, target, snapshot, app_hash) -> bool:
    res = target.offer_snapshot(abci.RequestOfferSnapshot(snapshot=snapshot, app_hash=app_hash))
    if res.result != abci.ResponseOfferSnapshot.ACCEPT:
        return False
    for i in range(snapshot.chunks):
        data = served.load_snapshot_chunk(abci.RequestLoadSnapshotChunk(
            height=snapshot.height, format=1, chunk=i)).chunk
        target.apply_snapshot_chunk(abci.RequestApplySnapshotChunk(index=i, chunk=data))
    return True


def test_a_half_written_snapshot_is_never_listed_and_is_cleaned_up(tmp_path):
    store = SnapshotStore(tmp_path)
    state = MemoryKV()
    state.set(b"a", b"1")
    store.save(state, 5, root_of(state), 1, lambda k: False)
    half = tmp_path / ".tmp-10"
    half.mkdir()
    (half / "0").write_bytes(b"partial")
    (tmp_path / "11").mkdir()  # a directory without its manifest: not a snapshot
    assert store.heights() == [5]
    SnapshotStore(tmp_path)  # reopened after the crash
    assert not half.exists()
    assert store.heights() == [5]
    again = store.save(state, 5, root_of(state), 1, lambda k: False)  # taken already
    assert again.encode() == store.manifest(5)
    # a snapshot left by another chain at the same height (the state was reset, not the
    # snapshots) is replaced, never served
    other = MemoryKV()
    other.set(b"b", b"2")
    replaced = store.save(other, 5, root_of(other), 1, lambda k: False)
    assert store.manifest(5) == replaced.encode() and replaced.app_hash == root_of(other)


def test_node_local_keys_stay_out_of_a_snapshot(tmp_path):
    store = SnapshotStore(tmp_path)
    state = MemoryKV()
    for k in (b"a", b"idx/1", b"z"):
        state.set(k, b"v")
    manifest = store.save(state, 1, root_of(state, lambda k: k.startswith(b"idx/")), 1,
                          lambda k: k.startswith(b"idx/"))
    assert manifest.items == 2
    items = fmt.open_chunk(store.chunk(1, 0), manifest, 0)
    assert sorted(items) == [(b"a", b"v"), (b"z", b"v")]
    assert store.chunk(1, 1) is None and store.chunk(2, 0) is None


def root_of(state, is_local=lambda k: False) -> bytes:
    root, _ = PySparseMerkleTree(lambda _k: None).update(
        (k, v) for k, v in state.iterate() if not is_local(k))
    return root


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.binary(min_size=1, max_size=8), st.binary(max_size=8), max_size=60),
       st.integers(0, 6))
def test_bucket_roots_recompute_the_tree_root(pairs, depth):
    """The manifest's arithmetic is the tree's: each bucket's subtree root from its leaves, and
    the root from the buckets, equal the sparse Merkle tree's root (the reference smt.py)."""
    expected, _ = PySparseMerkleTree(lambda _k: None).update(pairs.items())
    leaves = sorted((fmt.sha256(k), fmt.sha256(v)) for k, v in pairs.items())
    assert fmt.subtree_root(0, leaves) == expected
    buckets = []
    for b in range(1 << depth):
        mine = [leaf for leaf in leaves if fmt.bucket_of(leaf[0], depth) == b]
        buckets.append(fmt.Bucket(fmt.subtree_root(depth, mine), len(mine)))
    assert fmt.root_of_buckets(buckets) == expected


def test_buckets_pack_into_chunks_near_the_target(monkeypatch):
    monkeypatch.setattr(fmt, "CHUNK_TARGET", 100)
    sizes = [40, 0, 70, 10, 0, 90, 30, 0, 0]
    counts = [1 if s else 0 for s in sizes]
    plan = fmt.pack_chunks(sizes, counts)
    assert plan == [(0, 3), (3, 3), (6, 3)]  # the trailing empty buckets join the last chunk
    assert fmt.pack_chunks([0, 0], [0, 0]) == [(0, 2)]
    monkeypatch.setattr(fmt, "MAX_CHUNK_RAW", 120)
    assert fmt.pack_chunks([60, 70], [1, 1]) == [(0, 1), (1, 1)]  # 130 would be too large
    with pytest.raises(ValueError):
        fmt.pack_chunks([121], [1])


def test_a_manifest_round_trips_and_malformed_ones_are_refused():
    buckets = (fmt.Bucket(b"\x22" * 32, 3), fmt.Bucket(fmt.EMPTY, 0))
    chunk = fmt.ChunkEntry(bytes(range(32)), 1234, 0, 2)
    manifest = fmt.Manifest(42, b"\x11" * 32, 10, 1, buckets, (chunk,))
    assert fmt.decode_manifest(manifest.encode()) == manifest
    data = manifest.encode()
    bad_manifests = [
        dataclasses.replace(manifest, chunks=(fmt.ChunkEntry(bytes(32), 1, 0, 1),)),  # 1 of 2
        dataclasses.replace(manifest, chunks=(fmt.ChunkEntry(bytes(32), 1, 1, 1),
                                              fmt.ChunkEntry(bytes(32), 1, 0, 1))),
        dataclasses.replace(manifest, buckets=(buckets[0], fmt.Bucket(b"\x01" * 32, 0))),
        dataclasses.replace(manifest, chunks=(fmt.ChunkEntry(bytes(32), 0, 0, 2),)),
    ]
    for bad in (data[:-1], b"XXXXXXXX" + data[8:], data + b"\0",
                *(m.encode() for m in bad_manifests)):
        with pytest.raises(fmt.BadManifest):
            fmt.decode_manifest(bad)


def test_a_node_with_state_aborts_an_offer(tmp_path):
    chain = Chain.start(n_wallets=2, store=CommitStore.open(str(tmp_path / "db")))
    served = StateSyncApplication(chain.app, SnapshotStore(tmp_path / "snaps"), interval=1)
    served.snapshotter.maybe_snapshot(chain.core.store.committed())
    served.snapshotter.wait()
    [snapshot] = served.list_snapshots(abci.RequestListSnapshots()).snapshots
    res = served.offer_snapshot(abci.RequestOfferSnapshot(
        snapshot=snapshot, app_hash=chain.core.store.last_app_hash))
    assert res.result == abci.ResponseOfferSnapshot.ABORT
    assert (tmp_path / "snaps" / str(snapshot.height) / MANIFEST).is_file()
    # the snapshot itself restores a fresh node
    node = fresh_node(tmp_path)
    assert restore(served, node, snapshot) == [abci.ResponseApplySnapshotChunk.ACCEPT]
