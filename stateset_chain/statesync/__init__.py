"""State sync: snapshots a node takes and serves, and restoring a new node from a peer's.

- ``format``       the snapshot format: manifest and chunk codecs (docs/statesync.md).
- ``snapshots``    ``SnapshotStore`` (snapshots on disk, crash-safe) and ``Snapshotter`` (every
                   N heights, on a worker thread, keeping the newest K).
- ``restore``      ``Restore``: OfferSnapshot and ApplySnapshotChunk, each chunk checked on
                   arrival, the app hash checked at the end, node-local indexes rebuilt.
- ``application``  ``StateSyncApplication``: the ABCI seam wrapping an ``App``.
"""
