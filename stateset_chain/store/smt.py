"""The app hash: a binary sparse Merkle tree over sha256(key), with single-leaf subtrees compacted.

Shape (the tree of Celestia's SMT and of ICS23's ``SmtSpec``; see docs/merkle.md for the choice):

- every state key ``k`` with value ``v`` is a leaf at the path given by the bits of ``sha256(k)``;
- a leaf sits at the shallowest depth where its path is unique (a subtree holding one leaf *is*
  that leaf), so the depth is about log2(number of keys), not 256;
- ``leaf_hash  = sha256(0x00 || sha256(k) || sha256(v))``
  ``inner_hash = sha256(0x01 || left || right)``; an empty subtree hashes to 32 zero bytes;
- the root hash of the empty tree is 32 zero bytes.

Nodes are stored by *position* (depth and path prefix), not by hash, and only the latest version
is kept: an update rewrites just the nodes on the paths of the changed keys, so the cost of a
commit grows with the block's writes and the depth, never with the size of the state.

``SparseMerkleTree.update`` is pure with respect to storage: it reads committed nodes through
``load`` and returns the new root with the node writes, which the caller persists atomically.

This module is the readable specification (``PySparseMerkleTree``). The package ``stateset_native``
(``native/``, Rust) implements the same update, node for node; when it is importable,
``SparseMerkleTree`` is the class whose ``update`` runs there (tests/store/test_smt_native.py holds
both to the same roots, node writes and proofs). ``STATESET_NATIVE=0`` selects the reference.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from stateset_chain.crypto.hashes import sha256

EMPTY = bytes(32)
LEAF_PREFIX = b"\x00"
INNER_PREFIX = b"\x01"
_NODE_LEAF = 0
_NODE_INNER = 1


_sha256 = sha256  # an initialized context copied per call (see crypto/hashes.py)


def leaf_hash(key_hash: bytes, value_hash: bytes) -> bytes:
    return _sha256(LEAF_PREFIX + key_hash + value_hash)


def inner_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(INNER_PREFIX + left + right)


def bit(key_hash: bytes, depth: int) -> int:
    """The branch taken at ``depth``: 0 = left, 1 = right (most significant bit first)."""
    return (key_hash[depth >> 3] >> (7 - (depth & 7))) & 1


# A node's hash is computed when first asked for: most nodes loaded during an update are only
# walked through (their parent already holds their hash), so hashing them on load is waste.


class Leaf:
    __slots__ = ("key_hash", "value_hash", "_hash")

    def __init__(self, key_hash: bytes, value_hash: bytes) -> None:
        self.key_hash = key_hash
        self.value_hash = value_hash
        self._hash: bytes | None = None

    @property
    def hash(self) -> bytes:
        if self._hash is None:
            self._hash = leaf_hash(self.key_hash, self.value_hash)
        return self._hash

    def encode(self) -> bytes:
        return bytes([_NODE_LEAF]) + self.key_hash + self.value_hash


class Inner:
    __slots__ = ("left", "right", "_hash")

    def __init__(self, left: bytes, right: bytes) -> None:
        self.left = left
        self.right = right
        self._hash: bytes | None = None

    @property
    def hash(self) -> bytes:
        if self._hash is None:
            self._hash = inner_hash(self.left, self.right)
        return self._hash

    def encode(self) -> bytes:
        return bytes([_NODE_INNER]) + self.left + self.right


Node = Leaf | Inner


def decode_node(data: bytes) -> Node:
    if len(data) != 65 or data[0] not in (_NODE_LEAF, _NODE_INNER):
        raise ValueError(f"corrupt tree node ({len(data)} bytes)")
    if data[0] == _NODE_LEAF:
        return Leaf(data[1:33], data[33:65])
    return Inner(data[1:33], data[33:65])


def _hash(node: Node | None) -> bytes:
    return EMPTY if node is None else node.hash


def node_key(depth: int, prefix: bytes) -> bytes:
    """Where the node at ``depth`` with path ``prefix`` (its first ``depth`` bits) is stored."""
    return depth.to_bytes(2, "big") + prefix


def _prefix(key_hash: bytes, depth: int) -> bytes:
    """The first ``depth`` bits of ``key_hash``, zero-padded to whole bytes."""
    n, rem = divmod(depth, 8)
    if rem == 0:
        return key_hash[:n]
    return key_hash[:n] + bytes([key_hash[n] & (0xFF << (8 - rem)) & 0xFF])


def _child_prefix(prefix: bytes, depth: int, side: int) -> bytes:
    """The path of the child on ``side`` of the node at ``depth`` with path ``prefix``."""
    n, rem = divmod(depth, 8)
    if rem == 0:
        return prefix + (b"\x80" if side else b"\x00")
    if not side:
        return prefix
    return prefix[:n] + bytes([prefix[n] | (0x80 >> rem)])


ROOT_KEY = node_key(0, b"")

Change = tuple[bytes, bytes | None]  # (key_hash, value_hash or None for a delete)
NodeWrites = dict[bytes, bytes | None]  # node key -> encoded node, or None to delete


class PySparseMerkleTree:
    """Reads committed nodes through ``load(node_key) -> bytes | None``."""

    def __init__(self, load: Callable[[bytes], bytes | None]) -> None:
        self._load_raw = load

    def _load(self, depth: int, prefix: bytes) -> Node | None:
        raw = self._load_raw(node_key(depth, prefix))
        return None if raw is None else decode_node(raw)

    def root(self) -> bytes:
        return _hash(self._load(0, b""))

    # -- update ------------------------------------------------------------------------------

    def update(self, changes: Iterable[tuple[bytes, bytes | None]]) -> tuple[bytes, NodeWrites]:
        """The root after applying ``(key, value | None)`` changes (keys unique), and the node
        writes that produce it. Nothing is persisted."""
        items: list[Change] = sorted(
            (_sha256(k), None if v is None else _sha256(v)) for k, v in changes
        )
        for a, b in zip(items, items[1:], strict=False):
            if a[0] == b[0]:
                raise ValueError("duplicate key in one update")
        writes: NodeWrites = {}
        root = self._update(0, b"", self._load(0, b""), items, writes)
        return _hash(root), writes

    def _update(
        self, depth: int, prefix: bytes, node: Node | None, items: list[Change], writes: NodeWrites
    ) -> Node | None:
        """The new node at (depth, prefix), where ``node`` is stored now and ``items`` are the
        changes under it (sorted by key hash)."""
        if not items:
            return node
        here = node_key(depth, prefix)
        if not isinstance(node, Inner):
            leaves = {} if node is None else {node.key_hash: node.value_hash}
            for kh, vh in items:
                if vh is None:
                    leaves.pop(kh, None)
                else:
                    leaves[kh] = vh
            new = self._build(depth, prefix, sorted(leaves.items()), writes)
            if new is None and node is not None:
                writes[here] = None
            return new

        split = bisect_left(items, 1, key=lambda it: bit(it[0], depth))
        sides: list[Node | None | bytes] = [node.left, node.right]  # bytes = unchanged, by hash
        for side, part in ((0, items[:split]), (1, items[split:])):
            if part:
                child_prefix = _child_prefix(prefix, depth, side)
                child_hash = sides[side]
                assert isinstance(child_hash, bytes)
                child = None if child_hash == EMPTY else self._load(depth + 1, child_prefix)
                sides[side] = self._update(depth + 1, child_prefix, child, part, writes)
        hashes = [s if isinstance(s, bytes) else _hash(s) for s in sides]

        if hashes[0] == EMPTY and hashes[1] == EMPTY:
            writes[here] = None
            return None
        if EMPTY in hashes:
            side = 1 if hashes[0] == EMPTY else 0
            only = sides[side]
            child_prefix = _child_prefix(prefix, depth, side)
            if isinstance(only, bytes):
                only = self._load(depth + 1, child_prefix)
            if isinstance(only, Leaf):  # a lone leaf moves up to the shallowest unique depth
                writes[node_key(depth + 1, child_prefix)] = None
                writes[here] = only.encode()
                return only
        new_inner = Inner(hashes[0], hashes[1])
        writes[here] = new_inner.encode()
        return new_inner

    def _build(
        self, depth: int, prefix: bytes, leaves: list[Change], writes: NodeWrites
    ) -> Node | None:
        """Writes the canonical subtree holding exactly ``leaves`` at (depth, prefix)."""
        if not leaves:
            return None
        if len(leaves) == 1:
            kh, vh = leaves[0]
            assert vh is not None
            leaf = Leaf(kh, vh)
            writes[node_key(depth, prefix)] = leaf.encode()
            return leaf
        split = bisect_left(leaves, 1, key=lambda it: bit(it[0], depth))
        left = self._build(depth + 1, _child_prefix(prefix, depth, 0), leaves[:split], writes)
        right = self._build(depth + 1, _child_prefix(prefix, depth, 1), leaves[split:], writes)
        inner = Inner(_hash(left), _hash(right))
        writes[node_key(depth, prefix)] = inner.encode()
        return inner

    # -- proofs ------------------------------------------------------------------------------

    def prove(self, key: bytes) -> Proof:
        """A membership proof if ``key`` is in the tree, a non-membership proof otherwise."""
        kh = _sha256(key)
        siblings: list[bytes] = []
        depth, node = 0, self._load(0, b"")
        while isinstance(node, Inner):
            side = bit(kh, depth)
            siblings.append(node.left if side else node.right)
            child_hash = node.right if side else node.left
            depth += 1
            node = None if child_hash == EMPTY else self._load(depth, _prefix(kh, depth))
        if node is None:
            return Proof(siblings, None)
        return Proof(siblings, (node.key_hash, node.value_hash))


@dataclass(frozen=True)
class Proof:
    """The sibling hashes from the root down, and what the path ends in: the leaf found there
    (``(key_hash, value_hash)``: the key itself for membership, another key sharing the path for
    non-membership) or ``None`` (an empty subtree: non-membership)."""

    siblings: list[bytes]
    leaf: tuple[bytes, bytes] | None

    def encode(self) -> bytes:
        """``u16 n || n * 32-byte sibling ||`` then ``0x00`` (ends empty) or
        ``0x01 || key_hash || value_hash`` (ends in a leaf)."""
        out = bytearray(len(self.siblings).to_bytes(2, "big"))
        for s in self.siblings:
            out += s
        if self.leaf is None:
            out += b"\x00"
        else:
            out += b"\x01" + self.leaf[0] + self.leaf[1]
        return bytes(out)

    @classmethod
    def decode(cls, data: bytes) -> Proof:
        if len(data) < 3:
            raise ValueError("proof too short")
        n = int.from_bytes(data[:2], "big")
        if n > 256:
            raise ValueError("proof deeper than 256")
        end = 2 + 32 * n
        siblings = [data[2 + 32 * i : 2 + 32 * (i + 1)] for i in range(n)]
        tail = data[end:]
        if tail == b"\x00":
            return cls(siblings, None)
        if len(tail) == 65 and tail[0] == 1:
            return cls(siblings, (tail[1:33], tail[33:65]))
        raise ValueError("malformed proof ending")


def verify_proof(root: bytes, key: bytes, value: bytes | None, proof: Proof) -> bool:
    """True iff ``proof`` shows ``key -> value`` in the tree with ``root`` (``value=None``: that
    ``key`` is absent)."""
    kh = _sha256(key)
    depth = len(proof.siblings)
    if depth > 256:
        return False
    if value is not None:
        if proof.leaf is None or proof.leaf != (kh, _sha256(value)):
            return False
        h = leaf_hash(*proof.leaf)
    elif proof.leaf is None:
        h = EMPTY
    else:
        other, other_value = proof.leaf
        # another key's leaf on our path: it must share our first `depth` bits and differ.
        if other == kh or _prefix(other, depth) != _prefix(kh, depth):
            return False
        h = leaf_hash(other, other_value)
    for d in range(depth - 1, -1, -1):
        sibling = proof.siblings[d]
        h = inner_hash(sibling, h) if bit(kh, d) else inner_hash(h, sibling)
    return h == root


# -- the compiled implementation -----------------------------------------------------------------

try:
    import stateset_native as _native
except ImportError:  # not built: the reference runs (same roots, only slower)
    _native = None

NATIVE = _native is not None and os.environ.get("STATESET_NATIVE", "1") != "0"


class NativeSparseMerkleTree(PySparseMerkleTree):
    """The same tree with ``update`` compiled (native/src/: batch.rs and tree.rs). ``load`` may be a
    ``stateset_native.NodeCache``, which the compiled walk then reads without calling Python."""

    def update(self, changes: Iterable[tuple[bytes, bytes | None]]) -> tuple[bytes, NodeWrites]:
        assert _native is not None
        return _native.smt_update(self._load_raw, list(changes))


SparseMerkleTree: type[PySparseMerkleTree] = (
    NativeSparseMerkleTree if NATIVE else PySparseMerkleTree
)
