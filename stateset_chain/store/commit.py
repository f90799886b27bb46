"""The committed state: key/values, the Merkle tree over them, and (height, app hash).

One database holds three key spaces:

    s/<key>        state value
    t/<node key>   Merkle tree node (see smt.py: u16 depth || path prefix)
    m/height       u64 big-endian: the last committed height
    m/app_hash     the root of the tree at that height

``stage(changes, height)`` computes the app hash a block's writes would produce without writing
anything; ``commit()`` writes the state changes, the tree nodes, the height and the app hash in one
LevelDB ``WriteBatch`` with ``sync=True``. A crash at any point leaves either the previous commit or
this one, never a mix; on restart ``last_height``/``last_app_hash`` tell CometBFT's handshake which
blocks to replay.

**Node-local keys.** Keys under ``local_prefixes`` (set by the app from its modules) are stored and
committed like any state key, in the same batch, but are left out of the tree: they are query
indexes a module derives from its own state (the orders' list indexes), so they need no proof and
cost no tree work. They have no proofs (``prove`` refuses them) and do not count in the app hash.

**Reading the committed state from other threads.** ``committed()`` returns a ``CommittedView``:
the state exactly as the last commit left it (its height, app hash and a read-only store), which
stays the same however many commits follow while a reader holds it: a LevelDB snapshot, or for
the in-memory store a copy taken when first asked for after a commit. ABCI queries read from it
on their own thread while FinalizeBlock and Commit run (CometBFT's separate query connection
state). ``commit()`` publishes the new height and the database write together under a lock that
``committed()`` and ``prove()`` also take, so no reader sees a height with another height's data.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from stateset_chain.cache import BoundedCache
from stateset_chain.crypto.hashes import sha256
from stateset_chain.store import leveldb, proofs, smt, versions
from stateset_chain.store.kv import KVStore, MemoryKV, PrefixKV
from stateset_chain.store.smt import EMPTY, NodeWrites, Proof, SparseMerkleTree
from stateset_chain.store.versions import HeightUnavailable, HistoricalKV

STATE = b"s/"
TREE = versions.TREE  # b"t/"
META_HEIGHT = b"m/height"
META_APP_HASH = b"m/app_hash"
META_RESTORING = b"m/restoring"  # u64 height: a state-sync restore began and has not finished
# Set while a genesis written through to the database (``write_genesis``) awaits its first commit.
META_GENESIS = b"m/genesis"
# The key of every key hash the tree has held (never deleted: proofs at past heights need them).
PREIMAGE = b"k/"
META_PREIMAGES = b"m/preimages"  # set once every key's preimage is recorded
PAST_VIEWS = 4  # past-height views kept (their LevelDB snapshots and node memos), newest used
PAST_VIEW_NODES = 1 << 16  # tree nodes a past view remembers (~10 MiB)
CACHE_DEPTH = 16  # tree nodes this shallow stay in memory (at most 2^17 of them)
# Deeper nodes: a bounded cache. The Python one holds 2^21 nodes in ~500 MiB; the compiled one
# (99-byte entries) holds 3,670,016 in ~400 MiB: two maps of 2^21 buckets, each filled to the 7/8
# its hash table allows before it would double (so a million-key tree's deep nodes fit).
DEEP_CACHE_NODES = (7 << 19) if smt.NATIVE else (1 << 21)
# The points of commit() an ``on_commit_point`` observer is called at, with the height: before
# the batch is written, and right after (crash tests inject a SIGKILL there; nothing else does).
COMMIT_POINTS = ("before-write", "after-write")

Op = tuple[bytes, bytes | None]


class CorruptStore(Exception):
    """The database does not hold a consistent commit (not a user error: the node must stop)."""


# What a read or write of the state can raise that is not the transaction's doing: the app lets
# these stop the node instead of recording them as a tx's failure (a disk error on one node is
# not what its peers see).
STORE_FAILURES: tuple[type[BaseException], ...] = (CorruptStore, leveldb.StoreError, OSError)


class NotProvable(ValueError):
    """A proof was asked for a node-local key, which the tree does not hold."""


@dataclass(frozen=True)
class CommittedView:
    """The state of one commit, for readers that run beside block execution."""

    height: int
    app_hash: bytes
    state: KVStore  # read-only; does not change when later blocks commit
    raw: KVStore | None = None  # the whole database as of the view (tree nodes, preimages)
    past: bool = False  # an older height: read through the history (versions.py)
    # A past view's tree nodes once read (a height's nodes never change): proofs at one height
    # share the top of the tree, which a past read would otherwise seek for each time.
    _nodes: dict[bytes, bytes | None] = field(default_factory=dict, compare=False, repr=False)

    def node(self, key: bytes) -> bytes | None:
        """The tree node at ``key`` (smt.node_key) as of this view's height."""
        assert self.raw is not None
        if not self.past:
            return self.raw.get(TREE + key)
        memo = self._nodes
        try:
            return memo[key]
        except KeyError:
            pass
        found = versions.read_at(self.raw, TREE + key, self.height)
        if len(memo) < PAST_VIEW_NODES:
            memo[key] = found
        return found


@dataclass
class _Staged:
    height: int
    changes: list[Op]
    nodes: NodeWrites
    app_hash: bytes


class CommitStore:
    def __init__(
        self,
        raw: KVStore,
        apply: Callable[[list[Op]], None],
        state: KVStore | None = None,
        close: Callable[[], None] | None = None,
        snapshot: Callable[[], KVStore] | None = None,
        raw_snapshot: Callable[[], KVStore] | None = None,
    ) -> None:
        self._raw = raw
        self._raw_snapshot = raw_snapshot if raw_snapshot is not None else self._copy_raw
        # a read-only store of the committed state as it is now, unchanged by later commits
        self._snapshot = snapshot if snapshot is not None else self._copy_state
        self._lock = threading.Lock()  # commit's write + height vs. views and proofs
        self._view: CommittedView | None = None
        self._past_views: OrderedDict[int, CommittedView] = OrderedDict()
        self._apply = apply
        self._close = close
        self.state: KVStore = state if state is not None else PrefixKV(raw, STATE, readonly=True)
        self._nodes = node_cache(raw.get, TREE, CACHE_DEPTH, DEEP_CACHE_NODES)
        self.tree = SparseMerkleTree(self._nodes)
        self._staged: _Staged | None = None
        self.local_prefixes: tuple[bytes, ...] = ()  # keys kept out of the tree (see above)
        # Called as ``on_commit_point(point, height)`` at each of COMMIT_POINTS; None in a node.
        self.on_commit_point: Callable[[str, int], None] | None = None
        if raw.get(META_RESTORING) is not None or raw.get(META_GENESIS) is not None:
            # a restore that never finished, or a genesis whose first block never committed:
            # nothing in it is usable (CometBFT sends InitChain again to a node at height 0)
            self._wipe()
        self._genesis_written = False  # write_genesis wrote since the store opened or committed
        height = raw.get(META_HEIGHT)
        self.last_height = int.from_bytes(height, "big") if height else 0
        self.last_app_hash = raw.get(META_APP_HASH) or EMPTY
        # Versions kept for queries at past heights (0: all, 1: the latest only); see versions.py.
        self.keep_versions = 1
        self.earliest_height = versions.load_earliest(raw, self.last_height)
        if self.tree.root() != self.last_app_hash:
            raise CorruptStore(
                f"tree root {self.tree.root().hex()} != stored app hash "
                f"{self.last_app_hash.hex()} at height {self.last_height}"
            )

    @classmethod
    def open(cls, path: str, keep_versions: int = 1) -> CommitStore:
        """The node's LevelDB at ``path`` (created if missing), keeping ``keep_versions``."""
        db = leveldb.open_db(path)
        store = cls(
            leveldb.LevelDBKV(db),
            lambda ops: leveldb.write_batch(db, ops, sync=True),
            state=_ReadOnlyLevelDB(db, STATE),
            close=db.close,
            snapshot=lambda: _ReadOnlyLevelDB(db.snapshot(), STATE),  # type: ignore[arg-type]
            raw_snapshot=lambda: leveldb.LevelDBKV(db.snapshot()),  # type: ignore[arg-type]
        )
        store.keep_versions = keep_versions
        return store

    @classmethod
    def in_memory(cls) -> CommitStore:
        raw = MemoryKV()

        def apply(ops: list[Op]) -> None:
            for k, v in ops:
                if v is None:
                    raw.delete(k)
                else:
                    raw.set(k, v)

        return cls(raw, apply)

    def close(self) -> None:
        if self._close is not None:
            self._close()

    def _copy_raw(self) -> KVStore:
        copy = MemoryKV()
        for k, v in self._raw.iterate():
            copy.set(k, v)
        return PrefixKV(copy, b"", readonly=True)

    def _copy_state(self) -> KVStore:
        copy = MemoryKV()
        for k, v in self.state.iterate():
            copy.set(k, v)
        return PrefixKV(copy, b"", readonly=True)

    def committed(self) -> CommittedView:
        """The last commit's state as one consistent, read-only view (any thread)."""
        view = self._view
        if view is not None and view.height == self.last_height:
            return view
        with self._lock:
            view = self._view
            if view is None or view.height != self.last_height:
                view = CommittedView(
                    self.last_height, self.last_app_hash, self._snapshot(), self._raw_snapshot()
                )
                self._view = view
        return view

    def view_at(self, height: int) -> CommittedView:
        """The committed state at ``height`` (0: the latest), read-only, from any thread; a
        height outside the kept window is ``HeightUnavailable``. A past view refuses node-local
        keys (``versions.LatestOnly``): query indexes keep no history."""
        latest = self.committed()
        if height in (0, latest.height):
            return latest
        with self._lock:
            last, earliest = self.last_height, self.earliest_height
            if height > last:
                raise HeightUnavailable(
                    f"height {height} is not committed yet: the latest is {last}"
                )
            if height < earliest:
                kept = "all" if self.keep_versions == 0 else str(self.keep_versions)
                raise HeightUnavailable(
                    f"height {height} is not available: this node keeps heights {earliest} to "
                    f"{last} (keep-versions {kept}); older ones are pruned"
                )
            cached = self._past_views.get(height)
            if cached is not None:
                self._past_views.move_to_end(height)
                return cached
            raw = self._raw_snapshot()
            app_hash = versions.read_at(raw, META_APP_HASH, height) or EMPTY
            state = HistoricalKV(raw, STATE, height, self.local_prefixes)
            view = CommittedView(height, app_hash, state, raw, past=True)
            self._past_views[height] = view
            while len(self._past_views) > PAST_VIEWS:
                self._past_views.popitem(last=False)
            for old in [h for h in self._past_views if h < earliest]:
                del self._past_views[old]
        return view

    def ics23_proof(
        self, view: CommittedView, key: bytes
    ) -> tuple[bytes | None, proofs.ics23.CommitmentProof]:
        """``key``'s value in ``view`` and its ICS23 ``CommitmentProof`` against the view's app
        hash (membership, or non-membership when absent)."""
        if self.is_local(key):
            raise NotProvable(f"key {key.hex()} is a node-local query index: it has no proof")
        assert view.raw is not None
        raw = view.raw
        value = view.state.get(key)
        proof = proofs.commitment_proof(
            view.node, key, view.state.get, lambda kh: raw.get(PREIMAGE + kh)
        )
        return value, proof

    def record_preimages(self) -> None:
        """Records the preimage of every key hash in the tree, once (stores written before
        preimages were kept: a one-time pass over the state)."""
        if self._raw.get(META_PREIMAGES) is not None:
            return
        ops: list[Op] = []
        for k, _ in self.state.iterate():
            if not self.is_local(k):
                ops.append((PREIMAGE + sha256(k), k))
            if len(ops) >= 100_000:
                self._apply(ops)
                ops = []
        ops.append((META_PREIMAGES, b"\x01"))
        self._apply(ops)

    # -- staging and committing ----------------------------------------------------------

    def stage(self, changes: Iterable[Op], height: int) -> bytes:
        """The app hash after applying ``changes`` to the committed state; replaces any earlier
        staged block (InitChain stages genesis, then block 1 restages genesis + block 1)."""
        changes = list(changes)
        local = self.local_prefixes
        merklized = [op for op in changes if not op[0].startswith(local)] if local else changes
        app_hash, nodes = self.tree.update(merklized)
        self._staged = _Staged(height, changes, nodes, app_hash)
        return app_hash

    def discard_staged(self) -> None:
        self._staged = None

    def commit(self) -> tuple[int, bytes]:
        """Makes the staged block durable in one atomic, synced write; returns (height, hash)."""
        staged = self._staged
        if staged is None:
            raise RuntimeError("commit without a staged block")
        if staged.height <= self.last_height:
            raise RuntimeError(f"commit of height {staged.height} after {self.last_height}")
        ops: list[Op] = [(STATE + k, v) for k, v in staged.changes]
        ops += [(TREE + k, v) for k, v in staged.nodes.items()]
        ops.append((META_HEIGHT, staged.height.to_bytes(8, "big")))
        ops.append((META_APP_HASH, staged.app_hash))
        history, earliest = versions.history_ops(
            self._raw, self._history_entries(staged) if self.keep_versions != 1 else [],
            staged.height, self.earliest_height, self.keep_versions,
        )
        ops += history
        ops += self._preimage_ops(staged.changes)
        if self._genesis_written:
            ops.append((META_GENESIS, None))  # the genesis written through is committed now
        self._reached("before-write", staged.height)
        with self._lock:
            self._apply(ops)
            self._reached("after-write", staged.height)
            self._nodes.commit(staged.nodes)
            self.last_height = staged.height
            self.last_app_hash = staged.app_hash
            self.earliest_height = earliest
        self._staged = None
        self._genesis_written = False
        return self.last_height, self.last_app_hash

    # -- a genesis larger than memory ---------------------------------------------------------

    def write_genesis(self, changes: list[Op]) -> None:
        """Writes part of a genesis (InitChain's writes so far) and its tree nodes through to the
        database before anything is committed, so InitChain holds a bounded part of a large
        genesis in memory. The database is marked (``META_GENESIS``) until the first commit
        clears the mark in its batch: reopened with the mark, the store wipes itself, as a node
        that crashed before its first commit starts from InitChain again. The tree root after
        the last part is the genesis app hash, as if the whole genesis had been staged at once
        (the root is a function of the keys and values, whatever order they were written in)."""
        if self.last_height != 0 or self._staged is not None:
            raise RuntimeError("a genesis is written only into a store with nothing committed")
        local = self.local_prefixes
        merklized = [op for op in changes if not op[0].startswith(local)] if local else changes
        _, nodes = self.tree.update(merklized)
        ops: list[Op] = [(STATE + k, v) for k, v in changes]
        ops += [(TREE + k, v) for k, v in nodes.items()]
        ops += self._preimage_ops(changes)
        if not self._genesis_written:
            ops.append((META_GENESIS, b"\x01"))
        self._apply(ops)
        self._nodes.commit(nodes)
        self._genesis_written = True

    def discard_genesis(self) -> None:
        """Drops a staged genesis and wipes one written through and not committed (InitChain
        runs again)."""
        if self.last_height == 0:
            self._staged = None
        if self._genesis_written:
            self._wipe()

    def _reached(self, point: str, height: int) -> None:
        if self.on_commit_point is not None:
            self.on_commit_point(point, height)

    # -- restoring from a state-sync snapshot -------------------------------------------------

    def begin_restore(self, height: int) -> None:
        """Starts filling an empty store from a snapshot of ``height``. Until
        ``finish_restore``, the store is marked: reopened after a crash, it wipes itself (the
        state-sync starts over) instead of running over half a state."""
        if self.last_height != 0 or self._staged is not None:
            raise RuntimeError("a snapshot is restored only into a store with no commit")
        self._wipe()  # leftovers of an earlier restore attempt
        self._apply([(META_RESTORING, height.to_bytes(8, "big"))])

    def restore_items(self, items: list[tuple[bytes, bytes]]) -> None:
        """Writes snapshot items (consensus keys) and their tree nodes (no height yet: the
        restore is a commit only with ``finish_restore``)."""
        if any(self.is_local(k) for k, _ in items):
            raise ValueError("a snapshot holds no node-local keys")
        _, nodes = self.tree.update(items)
        ops: list[Op] = [(STATE + k, v) for k, v in items]
        ops += [(TREE + k, v) for k, v in nodes.items()]
        ops += self._preimage_ops(items)  # proofs need them
        self._apply(ops)
        self._nodes.commit(nodes)

    def restore_local(self, changes: list[Op]) -> None:
        """Writes rebuilt node-local keys (only those: they stay out of the tree)."""
        if not all(self.is_local(k) for k, _ in changes):
            raise ValueError("restore_local writes node-local keys only")
        self._apply([(STATE + k, v) for k, v in changes])

    def finish_restore(self, height: int, app_hash: bytes) -> None:
        """Makes the restored state the commit of ``height`` if its root is ``app_hash``, else
        raises ``CorruptStore`` (the caller wipes it with ``abort_restore``)."""
        root = self.tree.root()
        if root != app_hash:
            raise CorruptStore(
                f"restored state has root {root.hex()}, the trusted app hash is {app_hash.hex()}"
            )
        with self._lock:
            self._apply([
                (META_HEIGHT, height.to_bytes(8, "big")), (META_APP_HASH, app_hash),
                (META_RESTORING, None),
                # versions.py: no history before the restored height; every preimage recorded
                (versions.META_EARLIEST, height.to_bytes(8, "big")), (META_PREIMAGES, b"\x01"),
            ])
            self.last_height, self.last_app_hash = height, app_hash
            self.earliest_height = height

    def abort_restore(self) -> None:
        self._wipe()

    def _wipe(self) -> None:
        """Deletes every key of the database: state, tree nodes, preimages, history, meta (an
        unfinished restore into a store that had no commit)."""
        batch: list[Op] = []
        for k, _ in self._raw.iterate():
            batch.append((k, None))
            if len(batch) >= 100_000:
                self._apply(batch)
                batch = []
        self._apply(batch)
        self._nodes = node_cache(self._raw.get, TREE, CACHE_DEPTH, DEEP_CACHE_NODES)
        self.tree = SparseMerkleTree(self._nodes)
        self._genesis_written = False
        self.last_height, self.last_app_hash = 0, EMPTY
        self.earliest_height = 0
        self._view = None
        self._past_views.clear()

    def _history_entries(self, staged: _Staged) -> list[tuple[bytes, bytes | None]]:
        """(history key, committed value) of every key the staged block changes that keeps
        history: state keys but the node-local ones, tree nodes that exist (through the node
        cache), and the height and app hash (versions.py)."""
        get, enc, local = self._raw.get, versions.enc, self.local_prefixes
        entries = [
            (enc(STATE + k), get(STATE + k))
            for k, _ in staged.changes
            if not (local and k.startswith(local))
        ]
        nodes = self._nodes
        for k in staged.nodes:
            old = nodes(k)
            if old is not None:
                entries.append((TREE + k, old))
        entries.append((enc(META_HEIGHT), get(META_HEIGHT)))
        entries.append((enc(META_APP_HASH), get(META_APP_HASH)))
        return entries

    def _preimage_ops(self, changes: Iterable[tuple[bytes, bytes | None]]) -> list[Op]:
        local = self.local_prefixes
        return [
            (PREIMAGE + sha256(k), k)
            for k, v in changes
            if v is not None and not (local and k.startswith(local))
        ]

    # -- proofs and checks ---------------------------------------------------------------

    def is_local(self, key: bytes) -> bool:
        return bool(self.local_prefixes) and key.startswith(self.local_prefixes)

    def prove(self, key: bytes) -> tuple[bytes | None, Proof]:
        """The committed value of ``key`` (None if absent) and its proof against last_app_hash."""
        _, value, proof = self.prove_committed(key)
        return value, proof

    def prove_committed(self, key: bytes) -> tuple[int, bytes | None, Proof]:
        """``prove`` with the height it proves against, consistent while a commit runs on
        another thread (the commit waits for the proof, a few node reads)."""
        if self.is_local(key):
            raise NotProvable(f"key {key.hex()} is a node-local query index: it has no proof")
        with self._lock:
            return self.last_height, self.state.get(key), self.tree.prove(key)

    def recompute_app_hash(self) -> bytes:
        """The root rebuilt from every state key but the node-local ones (O(state): for tests and
        `statesetd` checks)."""
        fresh = SparseMerkleTree(lambda _key: None)
        root, _ = fresh.update((k, v) for k, v in self.state.iterate() if not self.is_local(k))
        return root


class NodeCache:
    """The tree's view of committed nodes: every node at depth <= ``cache_depth`` stays in memory
    (and every known absence there), deeper nodes in a bounded cache of recently used ones; a miss
    reads ``get(prefix + node_key)``. ``stateset_native.NodeCache`` is the same, compiled."""

    def __init__(
        self, get: Callable[[bytes], bytes | None], prefix: bytes, cache_depth: int, deep: int
    ) -> None:
        self._get = get
        self._prefix = prefix
        self._depth = cache_depth
        self._top: dict[bytes, bytes | None] = {}  # the top of the tree, all of it
        self._deep: BoundedCache[bytes, bytes] = BoundedCache(deep)  # recently used deeper ones

    def __call__(self, key: bytes) -> bytes | None:
        try:
            return self._top[key]
        except KeyError:
            pass
        shallow = int.from_bytes(key[:2], "big") <= self._depth
        if not shallow:
            hit = self._deep.get(key)
            if hit is not None:
                return hit
        value = self._get(self._prefix + key)
        if shallow:
            self._top[key] = value
        elif value is not None:
            self._deep.put(key, value)
        return value

    def commit(self, nodes: NodeWrites) -> None:
        """Records a commit's node writes once they are durable."""
        for k, v in nodes.items():
            if int.from_bytes(k[:2], "big") <= self._depth:
                self._top[k] = v
            elif v is None:
                self._deep.drop(k)
            else:
                self._deep.put(k, v)


def node_cache(
    get: Callable[[bytes], bytes | None], prefix: bytes, cache_depth: int, deep: int
) -> NodeCache:
    """The compiled node cache when the tree is compiled (its walk then reads the cache directly),
    else the Python one."""
    if smt.NATIVE and smt._native is not None:
        return smt._native.NodeCache(get, prefix, cache_depth, deep)  # type: ignore[no-any-return]
    return NodeCache(get, prefix, cache_depth, deep)


class _ReadOnlyLevelDB(leveldb.LevelDBKV):
    """The committed state straight from LevelDB (one call per read: the hot path)."""

    def set(self, key: bytes, value: bytes) -> None:
        raise TypeError("read-only store view: write through a Branch")

    def delete(self, key: bytes) -> None:
        raise TypeError("read-only store view: write through a Branch")
