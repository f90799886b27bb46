"""State sync in process, over real LevelDB stores: a node snapshots its state, a fresh node
restores it chunk by chunk through OfferSnapshot/ApplySnapshotChunk and then runs the same blocks
to the same app hashes; bad manifests, chunks and states are refused the way CometBFT expects."""

from __future__ import annotations

import dataclasses
import zlib

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.app import APP_VERSION
from stateset_chain.coins import SSUSD, Coin
from stateset_chain.statesync import format as fmt
from stateset_chain.statesync.application import StateSyncApplication
from stateset_chain.statesync.snapshots import SnapshotStore
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.kv import MemoryKV
from stateset_chain.store.smt import SparseMerkleTree
from stateset_chain.wiring import standard_app
from tests.chain import BlockDriver, Chain, address

from stateset.orders.v1 import query_pb2 as oq
from stateset.orders.v1 import tx_pb2 as orders_tx
from tendermint.abci import types_pb2 as abci

Offer = abci.ResponseOfferSnapshot
Apply = abci.ResponseApplySnapshotChunk
ORDERS = "/stateset.orders.v1.Query/Orders"


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(fmt, "CHUNK_TARGET", 4_000)  # several chunks from a small state
    monkeypatch.setattr(fmt, "BUCKET_TARGET", 500)  # of several buckets each


def busy_chain(tmp_path) -> Chain:
    """A LevelDB-backed chain with sends, orders, payments and a cancel committed."""
    chain = Chain.start(n_wallets=5, store=CommitStore.open(str(tmp_path / "source")))
    w = chain.wallets
    merchant = w[3]
    chain.block([chain.send(w[0], address(w[1]), 1_250_000)]
                + [chain.create_order(w[i % 3], merchant, i) for i in range(12)])
    listed = oq.QueryOrdersResponse.FromString(chain.query(
        ORDERS, oq.QueryOrdersRequest(merchant=address(merchant), limit=100)).value).orders
    by_customer = {address(x): x for x in w[:3]}
    chain.block([
        chain.sign(by_customer[o.customer], [orders_tx.MsgPayOrder(
            payer=o.customer, order_id=o.id, amount=Coin(SSUSD, o.total).to_proto())])
        for o in listed[:5]
    ] + [chain.sign(by_customer[listed[6].customer], [orders_tx.MsgCancelOrder(
        signer=listed[6].customer, order_id=listed[6].id, reason="no")])])
    return chain


def snapshot_of(chain: Chain, directory) -> StateSyncApplication:
    served = StateSyncApplication(chain.app, SnapshotStore(directory), interval=1, keep=2)
    assert served.snapshotter.maybe_snapshot(chain.core.store.committed())
    served.snapshotter.wait()
    assert served.snapshotter.last_error is None
    return served


def fresh_node(tmp_path, name="target") -> StateSyncApplication:
    app = standard_app(CommitStore.open(str(tmp_path / name)))
    return StateSyncApplication(AbciApp(app), SnapshotStore(tmp_path / f"{name}-snapshots"))


def offer(node: StateSyncApplication, snapshot: abci.Snapshot, app_hash: bytes) -> int:
    req = abci.RequestOfferSnapshot(snapshot=snapshot, app_hash=app_hash)
    return node.offer_snapshot(req).result


def chunk(served: StateSyncApplication, snapshot: abci.Snapshot, i: int) -> bytes:
    return served.load_snapshot_chunk(abci.RequestLoadSnapshotChunk(
        height=snapshot.height, format=snapshot.format, chunk=i)).chunk


def apply(node, i: int, data: bytes, sender: str = "peer-a") -> abci.ResponseApplySnapshotChunk:
    return node.apply_snapshot_chunk(abci.RequestApplySnapshotChunk(index=i, chunk=data,
                                                                    sender=sender))


def restore(served, node, snapshot) -> list[int]:
    assert offer(node, snapshot, served.core.store.last_app_hash) == Offer.ACCEPT
    return [apply(node, i, chunk(served, snapshot, i)).result for i in range(snapshot.chunks)]


def all_state(app) -> list[tuple[bytes, bytes]]:
    return list(app.core.store.state.iterate())


def test_a_restored_node_holds_the_same_state_and_rebuilt_indexes(tmp_path, small_chunks):
    chain = busy_chain(tmp_path)
    served = snapshot_of(chain, tmp_path / "snaps")
    [snapshot] = served.list_snapshots(abci.RequestListSnapshots()).snapshots
    assert snapshot.height == chain.height and snapshot.format == fmt.FORMAT
    assert snapshot.chunks > 2, "the test wants several chunks"
    node = fresh_node(tmp_path)
    assert restore(served, node, snapshot) == [Apply.ACCEPT] * snapshot.chunks
    info = node.info(abci.RequestInfo())
    assert info.last_block_height == chain.height
    assert info.last_block_app_hash == chain.core.store.last_app_hash
    # consensus state came in the chunks; the node-local list indexes were rebuilt from it
    assert all_state(node) == all_state(chain.app)
    local = [k for k, _ in all_state(node) if node.core.store.is_local(k)]
    assert len(local) > 50
    manifest = fmt.decode_manifest(snapshot.metadata)
    assert manifest.items == len(all_state(chain.app)) - len(local)
    node.core.run_invariants()
    # and it answers queries from the restored state
    m = address(chain.wallets[3])
    res = node.query(abci.RequestQuery(path=ORDERS, data=oq.QueryOrdersRequest(
        merchant=m, limit=100).SerializeToString()))
    assert res.code == 0 and res.height == chain.height
    assert oq.QueryOrdersResponse.FromString(res.value).total_count == 12


def test_a_restored_node_follows_the_chain_with_the_same_app_hashes(tmp_path, small_chunks):
    chain = busy_chain(tmp_path)
    served = snapshot_of(chain, tmp_path / "snaps")
    [snapshot] = served.list_snapshots(abci.RequestListSnapshots()).snapshots
    node = fresh_node(tmp_path)
    restore(served, node, snapshot)
    w = chain.wallets
    follower = BlockDriver(node, height=chain.height, chain_id=chain.chain_id)  # type: ignore[arg-type]
    for n in range(3):
        txs = [chain.send(w[0], address(w[4]), 1000 + n), chain.create_order(w[1], w[3], 100 + n)]
        ours = follower.block(txs)
        theirs = chain.block(txs)
        assert [r.code for r in ours.tx_results] == [0, 0]
        assert ours.app_hash == theirs.app_hash
        assert ours.SerializeToString(deterministic=True) == \
            theirs.SerializeToString(deterministic=True)
    assert all_state(node) == all_state(chain.app)


def test_a_tampered_chunk_is_refused_at_once_and_its_sender_rejected(tmp_path, small_chunks):
    chain = busy_chain(tmp_path)
    served = snapshot_of(chain, tmp_path / "snaps")
    [snapshot] = served.list_snapshots(abci.RequestListSnapshots()).snapshots
    node = fresh_node(tmp_path)
    assert offer(node, snapshot, chain.core.store.last_app_hash) == Offer.ACCEPT
    assert apply(node, 0, chunk(served, snapshot, 0)).result == Apply.ACCEPT
    good = chunk(served, snapshot, 1)
    raw = bytearray(zlib.decompress(good))
    raw[-1] ^= 0x01  # one bit of one value
    for bad in (zlib.compress(bytes(raw)), good[:-3], b"not zlib", zlib.compress(b"x" * 10**8)):
        res = apply(node, 1, bad, sender="evil-peer")
        assert res.result == Apply.RETRY
        assert list(res.refetch_chunks) == [1]
        assert list(res.reject_senders) == ["evil-peer"]
    # the honest chunk, refetched from another peer, is then accepted and the restore completes
    assert apply(node, 1, good, sender="peer-b").result == Apply.ACCEPT
    results = [apply(node, i, chunk(served, snapshot, i)).result
               for i in range(2, snapshot.chunks)]
    assert results == [Apply.ACCEPT] * (snapshot.chunks - 2)
    assert node.info(abci.RequestInfo()).last_block_app_hash == chain.core.store.last_app_hash


def test_offers_that_do_not_match_the_trusted_app_hash_are_rejected(tmp_path):
    chain = busy_chain(tmp_path)
    served = snapshot_of(chain, tmp_path / "snaps")
    [snapshot] = served.list_snapshots(abci.RequestListSnapshots()).snapshots
    node = fresh_node(tmp_path)
    trusted = chain.core.store.last_app_hash
    assert offer(node, snapshot, bytes(32)) == Offer.REJECT
    wrong_format = abci.Snapshot()
    wrong_format.CopyFrom(snapshot)
    wrong_format.format = 2
    assert offer(node, wrong_format, trusted) == Offer.REJECT_FORMAT
    unbound = abci.Snapshot()
    unbound.CopyFrom(snapshot)
    unbound.hash = bytes(32)  # the hash no longer binds the manifest
    assert offer(node, unbound, trusted) == Offer.REJECT
    garbage = abci.Snapshot()
    garbage.CopyFrom(snapshot)
    garbage.metadata = b"junk"
    garbage.hash = fmt.sha256(b"junk")
    assert offer(node, garbage, trusted) == Offer.REJECT
    assert offer(node, snapshot, trusted) == Offer.ACCEPT


def test_a_snapshot_of_another_state_is_rejected_at_the_offer(tmp_path):
    """A peer may build a whole snapshot of another state (its chunks match its manifest) and
    claim the trusted app hash: its subtree roots make another root, so the offer is refused
    before any chunk is fetched, and nothing is written."""
    chain = busy_chain(tmp_path)
    served = snapshot_of(chain, tmp_path / "snaps")
    trusted = chain.core.store.last_app_hash
    other = MemoryKV()
    for k, v in chain.core.store.state.iterate():
        other.set(k, v)
    key = next(k for k, _ in other.iterate() if not chain.core.store.is_local(k))
    other.set(key, other.get(key) + b"!")
    root, _ = SparseMerkleTree(lambda _k: None).update(
        (k, v) for k, v in other.iterate() if not chain.core.store.is_local(k))
    forged = SnapshotStore(tmp_path / "forged").save(
        other, chain.height, root, APP_VERSION, chain.core.store.is_local)
    claimed = dataclasses.replace(forged, app_hash=trusted)
    snapshot = abci.Snapshot(height=chain.height, format=1, chunks=len(claimed.chunks),
                             hash=claimed.hash, metadata=claimed.encode())
    node = fresh_node(tmp_path)
    assert offer(node, snapshot, trusted) == Offer.REJECT
    assert all_state(node) == []
    [honest] = served.list_snapshots(abci.RequestListSnapshots()).snapshots
    assert restore(served, node, honest) == [Apply.ACCEPT] * honest.chunks
    assert node.info(abci.RequestInfo()).last_block_app_hash == trusted


def test_a_chunk_of_another_state_is_refused_even_with_a_matching_sha256(tmp_path, small_chunks):
    """The manifest's chunk sha256 is not what binds a chunk: a manifest copied from an honest
    snapshot but listing a forged chunk's sha256 still has the honest subtree roots, so the
    forged chunk is refused on arrival (RETRY, sender rejected)."""
    chain = busy_chain(tmp_path)
    served = snapshot_of(chain, tmp_path / "snaps")
    [snapshot] = served.list_snapshots(abci.RequestListSnapshots()).snapshots
    honest = fmt.decode_manifest(snapshot.metadata)
    raw = bytearray(zlib.decompress(chunk(served, snapshot, 0)))
    raw[-1] ^= 0x01
    first = honest.chunks[0]
    chunks = (fmt.ChunkEntry(fmt.sha256(bytes(raw)), first.raw_size, first.first, first.count),
              *honest.chunks[1:])
    forged = dataclasses.replace(honest, chunks=chunks)
    fake = abci.Snapshot(height=snapshot.height, format=1, chunks=snapshot.chunks,
                         hash=forged.hash, metadata=forged.encode())
    node = fresh_node(tmp_path)
    assert offer(node, fake, chain.core.store.last_app_hash) == Offer.ACCEPT  # roots are honest
    res = apply(node, 0, zlib.compress(bytes(raw)), sender="evil-peer")
    assert res.result == Apply.RETRY and list(res.reject_senders) == ["evil-peer"]


def test_a_crash_during_restore_leaves_a_store_that_starts_over(tmp_path, small_chunks):
    chain = busy_chain(tmp_path)
    served = snapshot_of(chain, tmp_path / "snaps")
    [snapshot] = served.list_snapshots(abci.RequestListSnapshots()).snapshots
    node = fresh_node(tmp_path)
    assert offer(node, snapshot, chain.core.store.last_app_hash) == Offer.ACCEPT
    assert apply(node, 0, chunk(served, snapshot, 0)).result == Apply.ACCEPT
    node.core.store.close()  # the process dies mid-restore
    reopened = CommitStore.open(str(tmp_path / "target"))
    assert reopened.last_height == 0
    assert list(reopened.state.iterate()) == []
    again = StateSyncApplication(
        AbciApp(standard_app(reopened)), SnapshotStore(tmp_path / "t-snaps")
    )
    assert restore(served, again, snapshot) == [Apply.ACCEPT] * snapshot.chunks
    assert all_state(again) == all_state(chain.app)
