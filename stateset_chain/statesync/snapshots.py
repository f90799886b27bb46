"""Taking snapshots and keeping them on disk.

Layout (``<home>/data/snapshots`` for ``statesetd start``)::

    <dir>/<height>/manifest       the manifest (format.py), written last
    <dir>/<height>/<index>        chunk ``index`` as served (zlib)
    <dir>/.tmp-<height>/          a snapshot being written (never listed; also holds the
                                  ``spill-<index>`` files of its chunks' unsorted items)
    <dir>/.del-<height>/          a snapshot being deleted (never listed)

**Crash safety.** A snapshot is written into ``.tmp-<height>``, every file fsynced, then renamed
to ``<height>`` and the directory fsynced: a crash leaves either no snapshot or a whole one, and
only whole ones are listed. Pruning renames a snapshot to ``.del-<height>`` before deleting its
files. Leftover ``.tmp-`` and ``.del-`` directories are removed when the store is opened.

**Not blocking consensus.** ``Snapshotter.maybe_snapshot`` runs at Commit: it takes the commit's
``CommittedView`` (a LevelDB snapshot, O(1)) and hands it to a worker thread, which reads the
state as it was at that height however many blocks commit meanwhile. One snapshot at a time: a
height that comes while one is still being written is skipped (and logged).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from array import array
from collections.abc import Callable
from pathlib import Path

from stateset_chain.statesync import format as fmt
from stateset_chain.store.commit import CommittedView
from stateset_chain.store.kv import KVStore

log = logging.getLogger("stateset.statesync")

MANIFEST = "manifest"


class SnapshotStore:
    """The snapshots of one node, on disk."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        for leftover in self.dir.iterdir():
            if leftover.name.startswith((".tmp-", ".del-")):
                shutil.rmtree(leftover, ignore_errors=True)

    def heights(self) -> list[int]:
        """Heights of the complete snapshots, newest first."""
        found = [
            int(p.name) for p in self.dir.iterdir()
            if p.name.isdigit() and (p / MANIFEST).is_file()
        ]
        return sorted(found, reverse=True)

    def manifest(self, height: int) -> bytes | None:
        try:
            return (self.dir / str(height) / MANIFEST).read_bytes()
        except FileNotFoundError:
            return None

    def chunk(self, height: int, index: int) -> bytes | None:
        if index < 0:
            return None
        try:
            return (self.dir / str(height) / str(index)).read_bytes()
        except FileNotFoundError:
            return None

    def save(self, state: KVStore, height: int, app_hash: bytes, app_version: int,
             is_local: Callable[[bytes], bool]) -> fmt.Manifest:
        """Writes the snapshot of ``state`` (the committed state at ``height``), crash-safely:
        one pass sizes the buckets (at the deepest depth, then summed to the chosen one), a
        second spills each chunk's items to a file of its own, then each chunk is sorted into
        the tree's order, its buckets' roots computed, and written compressed."""
        final = self.dir / str(height)
        existing = self.manifest(height)
        if existing is not None:
            manifest = fmt.decode_manifest(existing)
            if manifest.app_hash == app_hash:
                return manifest  # taken already (a block replayed after a restart)
            # another chain's (the state was reset, not the snapshots): never serve it
            gone = self.dir / f".del-{height}"
            os.replace(final, gone)
            shutil.rmtree(gone, ignore_errors=True)
        tmp = self.dir / f".tmp-{height}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            manifest = self._write(tmp, state, height, app_hash, app_version, is_local)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _fsync_dir(tmp)
        os.replace(tmp, final)
        _fsync_dir(self.dir)
        return manifest

    def _write(self, tmp: Path, state: KVStore, height: int, app_hash: bytes, app_version: int,
               is_local: Callable[[bytes], bool]) -> fmt.Manifest:
        def items():
            return ((k, v) for k, v in state.iterate() if not is_local(k))

        finest = 1 << fmt.MAX_DEPTH
        fine_sizes, fine_counts = array("Q", bytes(8 * finest)), array("Q", bytes(8 * finest))
        for k, v in items():
            b = fmt.bucket_of(fmt.sha256(k), fmt.MAX_DEPTH)
            fine_sizes[b] += 8 + len(k) + len(v)
            fine_counts[b] += 1
        depth = fmt.depth_for(sum(fine_sizes))
        group = 1 << (fmt.MAX_DEPTH - depth)
        sizes = [sum(fine_sizes[i : i + group]) for i in range(0, finest, group)]
        counts = [sum(fine_counts[i : i + group]) for i in range(0, finest, group)]
        plan = fmt.pack_chunks(sizes, counts)
        chunk_of = array("I", bytes(4 << depth))
        for index, (first, count) in enumerate(plan):
            for b in range(first, first + count):
                chunk_of[b] = index
        spill = _Spill(tmp, len(plan))
        for k, v in items():
            spill.add(chunk_of[fmt.bucket_of(fmt.sha256(k), depth)], fmt.encode_item(k, v))
        spill.close()
        roots = [fmt.EMPTY] * (1 << depth)
        entries: list[fmt.ChunkEntry] = []
        for index, (first, count) in enumerate(plan):
            leaves = sorted(
                (fmt.sha256(k), fmt.sha256(v), k, v) for k, v in spill.read(index)
            )
            raw = b"".join(fmt.encode_item(k, v) for _, _, k, v in leaves)
            pairs = [(kh, vh) for kh, vh, _, _ in leaves]
            pos = 0
            for b in range(first, first + count):
                start = pos
                while pos < len(pairs) and fmt.bucket_of(pairs[pos][0], depth) == b:
                    pos += 1
                roots[b] = fmt.subtree_root(depth, pairs, start, pos)
            _write_synced(tmp / str(index), fmt.compress(raw))
            entries.append(fmt.ChunkEntry(fmt.sha256(raw), len(raw), first, count))
        buckets = tuple(fmt.Bucket(r, n) for r, n in zip(roots, counts, strict=True))
        manifest = fmt.Manifest(height, app_hash, app_version, depth, buckets, tuple(entries))
        if manifest.root() != app_hash:  # the state read is not the one committed at height
            raise RuntimeError(f"snapshot of height {height} does not make its app hash")
        _write_synced(tmp / MANIFEST, manifest.encode())
        return manifest

    def prune(self, keep: int) -> list[int]:
        """Deletes all but the ``keep`` newest snapshots; returns the heights deleted."""
        doomed = self.heights()[keep:]
        for height in doomed:
            gone = self.dir / f".del-{height}"
            os.replace(self.dir / str(height), gone)  # unlisted at once, then deleted
            shutil.rmtree(gone, ignore_errors=True)
        if doomed:
            _fsync_dir(self.dir)
        return doomed


class Snapshotter:
    """Takes a snapshot every ``interval`` heights on a worker thread and keeps ``keep``."""

    def __init__(self, snapshots: SnapshotStore, interval: int, keep: int, app_version: int,
                 is_local: Callable[[bytes], bool]) -> None:
        if interval < 0 or keep < 1:
            raise ValueError("snapshot interval must be >= 0 (0: off) and keep >= 1")
        self.snapshots = snapshots
        self.interval = interval
        self.keep = keep
        self.app_version = app_version
        self.is_local = is_local
        self._worker: threading.Thread | None = None
        self.last_error: BaseException | None = None

    def maybe_snapshot(self, view: CommittedView) -> bool:
        """At Commit: starts a snapshot of ``view`` if its height is due; True if started."""
        if not self.interval or view.height % self.interval:
            return False
        if self._worker is not None and self._worker.is_alive():
            log.warning("snapshot of height %d skipped: the previous one is still being written",
                        view.height)
            return False
        self._worker = threading.Thread(
            target=self._take, args=(view,), name=f"snapshot-{view.height}", daemon=True
        )
        self._worker.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        """Waits for the snapshot being written, if any (tests, shutdown)."""
        if self._worker is not None:
            self._worker.join(timeout)

    def _take(self, view: CommittedView) -> None:
        try:
            manifest = self.snapshots.save(
                view.state, view.height, view.app_hash, self.app_version, self.is_local
            )
            pruned = self.snapshots.prune(self.keep)
            log.info("snapshot of height %d: %d chunks, %d items%s", view.height,
                     len(manifest.chunks), manifest.items,
                     f"; pruned {pruned}" if pruned else "")
        except Exception as e:  # a snapshot failing must not stop the node
            self.last_error = e
            log.exception("snapshot of height %d failed", view.height)


class _Spill:
    """Each chunk's items, appended to a file of their own in ``directory`` (buffered, one file
    open at a time), read back one chunk at a time."""

    FLUSH = 1 << 20

    def __init__(self, directory: Path, chunks: int) -> None:
        self.paths = [directory / f"spill-{i}" for i in range(chunks)]
        self.buffers: list[list[bytes]] = [[] for _ in range(chunks)]
        self.sizes = [0] * chunks

    def add(self, chunk: int, item: bytes) -> None:
        self.buffers[chunk].append(item)
        self.sizes[chunk] += len(item)
        if self.sizes[chunk] >= self.FLUSH:
            self._flush(chunk)

    def _flush(self, chunk: int) -> None:
        with open(self.paths[chunk], "ab") as f:
            f.write(b"".join(self.buffers[chunk]))
        self.buffers[chunk], self.sizes[chunk] = [], 0

    def close(self) -> None:
        for chunk in range(len(self.paths)):
            self._flush(chunk)

    def read(self, chunk: int) -> list[tuple[bytes, bytes]]:
        path = self.paths[chunk]
        items = fmt.decode_items(path.read_bytes())
        path.unlink()
        return items


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
