"""The seam between the ABCI snapshot connection and the app: ``StateSyncApplication`` wraps the
app's ABCI face (``abci.adapter.AbciApp``) and answers the four snapshot methods; every other call
goes to it unchanged, and Commit also starts a snapshot when one is due (``Snapshotter``). The
snapshots read and the restore writes the state machine behind it (``AbciApp.core``)."""

from __future__ import annotations

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path; sorts before it)

from stateset_chain.abci.adapter import AbciApp
from stateset_chain.statesync import format as fmt
from stateset_chain.statesync.restore import Restore
from stateset_chain.statesync.snapshots import SnapshotStore, Snapshotter

from tendermint.abci import types_pb2 as abci


class StateSyncApplication:
    """``app`` serving snapshots from ``snapshots`` (taken every ``interval`` heights, the
    newest ``keep`` kept; ``interval`` 0: none taken, existing ones still served) and restoring
    from peers' snapshots."""

    def __init__(self, app: AbciApp, snapshots: SnapshotStore, interval: int = 0, keep: int = 2,
                 app_version: int | None = None) -> None:
        from stateset_chain.app import APP_VERSION

        version = APP_VERSION if app_version is None else app_version
        self._app = app
        self._core = app.core
        self.snapshots = snapshots
        is_local = self._core.store.is_local
        self.snapshotter = Snapshotter(snapshots, interval, keep, version, is_local)
        self.restore = Restore(self._core, version)

    def __getattr__(self, name: str):
        return getattr(self._app, name)

    def commit(self, req: abci.RequestCommit) -> abci.ResponseCommit:
        response = self._app.commit(req)
        if self.snapshotter.interval:
            self.snapshotter.maybe_snapshot(self._core.store.committed())
        return response

    def list_snapshots(self, req: abci.RequestListSnapshots) -> abci.ResponseListSnapshots:
        listed = []
        for height in self.snapshots.heights():
            metadata = self.snapshots.manifest(height)
            if metadata is None:  # pruned meanwhile
                continue
            manifest = fmt.decode_manifest(metadata)
            listed.append(abci.Snapshot(
                height=height, format=fmt.FORMAT, chunks=len(manifest.chunks),
                hash=fmt.sha256(metadata), metadata=metadata,
            ))
        return abci.ResponseListSnapshots(snapshots=listed)

    def load_snapshot_chunk(
        self, req: abci.RequestLoadSnapshotChunk
    ) -> abci.ResponseLoadSnapshotChunk:
        chunk = None
        if req.format == fmt.FORMAT:
            chunk = self.snapshots.chunk(req.height, req.chunk)
        return abci.ResponseLoadSnapshotChunk(chunk=chunk or b"")

    def offer_snapshot(self, req: abci.RequestOfferSnapshot) -> abci.ResponseOfferSnapshot:
        return self.restore.offer(req)

    def apply_snapshot_chunk(
        self, req: abci.RequestApplySnapshotChunk
    ) -> abci.ResponseApplySnapshotChunk:
        return self.restore.apply(req)
