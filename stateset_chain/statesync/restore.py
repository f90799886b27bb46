"""Restoring a node from a snapshot: what OfferSnapshot and ApplySnapshotChunk do.

CometBFT offers a snapshot with the app hash of its height, taken from a light-client-verified
header (the only trusted input). The manifest's subtree roots must recompute that app hash (else
``REJECT``, before any chunk is fetched); each chunk's items must then rebuild its buckets' roots on
arrival, so a bad chunk is refused at once (``RETRY``, the chunk refetched, its sender rejected)
rather than after the whole download, whoever made the snapshot. After the last chunk:

1. the tree built from the restored items must have the trusted app hash as its root, else the
   restored state is wiped and the snapshot refused (``REJECT_SNAPSHOT``; CometBFT tries another);
2. every module rebuilds its node-local keys from the restored consensus state
   (``Module.rebuild_local``: the orders' list indexes and counters);
3. the store records the height and app hash in one synced write, and the app re-reads what it
   keeps from the state (``App.restored``). CometBFT then calls Info and checks the height and
   app hash once more.

Until step 3 the store is marked as restoring; a crash in between wipes it on the next start
(``CommitStore.begin_restore``), and CometBFT starts the state sync over.
"""

from __future__ import annotations

import logging

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path; sorts before it)

from stateset_chain.statesync import format as fmt
from stateset_chain.store.kv import Branch, KVStore

from tendermint.abci import types_pb2 as abci

log = logging.getLogger("stateset.statesync")

Offer = abci.ResponseOfferSnapshot
Apply = abci.ResponseApplySnapshotChunk
REBUILD_FLUSH = 200_000  # node-local writes held in memory before they go to the store


class Restore:
    """One app's restore, across the offers CometBFT makes (the last accepted one is active)."""

    def __init__(self, app, app_version: int) -> None:
        self.app = app
        self.app_version = app_version
        missing = [m.name for m in app.modules if m.local_prefixes and m.rebuild_local is None]
        if missing:
            raise ValueError(f"modules with node-local keys but no rebuild_local: {missing}")
        self.manifest: fmt.Manifest | None = None
        self.next_chunk = 0

    def offer(self, req: abci.RequestOfferSnapshot) -> abci.ResponseOfferSnapshot:
        snapshot = req.snapshot
        store = self.app.store
        if store.last_height != 0:
            log.warning("snapshot offered to a node that has state at height %d",
                        store.last_height)
            return Offer(result=Offer.ABORT)
        if snapshot.format != fmt.FORMAT:
            return Offer(result=Offer.REJECT_FORMAT)
        try:
            manifest = fmt.decode_manifest(snapshot.metadata)
        except fmt.BadManifest as e:
            log.warning("snapshot of height %d refused: %s", snapshot.height, e)
            return Offer(result=Offer.REJECT)
        problem = self._offer_problem(snapshot, manifest, bytes(req.app_hash))
        if problem:
            log.warning("snapshot of height %d refused: %s", snapshot.height, problem)
            return Offer(result=Offer.REJECT)
        store.begin_restore(manifest.height)
        self.manifest, self.next_chunk = manifest, 0
        log.info("restoring the snapshot of height %d: %d chunks, %d items",
                 manifest.height, len(manifest.chunks), manifest.items)
        return Offer(result=Offer.ACCEPT)

    def _offer_problem(self, snapshot, manifest: fmt.Manifest, app_hash: bytes) -> str:
        if fmt.sha256(bytes(snapshot.metadata)) != bytes(snapshot.hash):
            return "its hash is not the sha256 of its manifest"
        if manifest.height != snapshot.height or len(manifest.chunks) != snapshot.chunks:
            return "the manifest's height or chunk count differs from the offer's"
        if not manifest.chunks:
            return "no chunks"
        if manifest.app_hash != app_hash:
            return "the manifest's app hash is not the trusted one"
        if manifest.root() != app_hash:
            return "the manifest's subtree roots do not make the trusted app hash"
        if manifest.app_version != self.app_version:
            return (f"state layout version {manifest.app_version}; this build runs "
                    f"{self.app_version}")
        return ""

    def apply(self, req: abci.RequestApplySnapshotChunk) -> abci.ResponseApplySnapshotChunk:
        manifest = self.manifest
        if manifest is None:
            return Apply(result=Apply.ABORT)  # no accepted offer: CometBFT is out of step
        if req.index < self.next_chunk:
            return Apply(result=Apply.ACCEPT)  # applied already
        if req.index > self.next_chunk:
            return Apply(result=Apply.RETRY_SNAPSHOT)  # chunks come in order; start over
        try:
            items = fmt.open_chunk(bytes(req.chunk), manifest, req.index)
        except fmt.BadChunk as e:
            log.warning("chunk %d of the snapshot of height %d from %r refused: %s",
                        req.index, manifest.height, req.sender, e)
            return Apply(
                result=Apply.RETRY, refetch_chunks=[req.index],
                reject_senders=[req.sender] if req.sender else [],
            )
        store = self.app.store
        if any(store.is_local(k) for k, _ in items):
            log.warning("snapshot of height %d holds node-local keys: refused", manifest.height)
            return self._reject()
        store.restore_items(items)
        self.next_chunk += 1
        if self.next_chunk < len(manifest.chunks):
            return Apply(result=Apply.ACCEPT)
        return self._finish(manifest)

    def _finish(self, manifest: fmt.Manifest) -> abci.ResponseApplySnapshotChunk:
        store = self.app.store
        root = store.tree.root()
        if root != manifest.app_hash:
            log.warning("snapshot of height %d restores app hash %s, not the trusted %s: refused",
                        manifest.height, root.hex(), manifest.app_hash.hex())
            return self._reject()
        rebuilt = _FlushingBranch(store.state, store.restore_local)
        for module in self.app.modules:
            if module.rebuild_local is not None:
                module.rebuild_local(rebuilt)
        rebuilt.flush()
        store.finish_restore(manifest.height, manifest.app_hash)
        self.app.restored()
        self.manifest = None
        log.info("restored the snapshot of height %d (app hash %s)",
                 manifest.height, manifest.app_hash.hex())
        return Apply(result=Apply.ACCEPT)

    def _reject(self) -> abci.ResponseApplySnapshotChunk:
        self.app.store.abort_restore()
        self.manifest = None
        return Apply(result=Apply.REJECT_SNAPSHOT)


class _FlushingBranch(Branch):
    """A branch that hands its writes to ``flush_to`` every ``REBUILD_FLUSH`` writes (and on
    ``flush``), so a rebuild of millions of index keys stays bounded in memory. Reads see the
    flushed writes through the parent (the store's live state)."""

    def __init__(self, parent: KVStore, flush_to) -> None:
        super().__init__(parent)
        self._flush_to = flush_to
        self._count = 0

    def set(self, key: bytes, value: bytes) -> None:
        super().set(key, value)
        self._tick()

    def delete(self, key: bytes) -> None:
        super().delete(key)
        self._tick()

    def _tick(self) -> None:
        self._count += 1
        if self._count >= REBUILD_FLUSH:
            self.flush()

    def flush(self) -> None:
        changes = self.changes()
        if changes:
            self._flush_to(changes)
        self.discard()
        self._count = 0
