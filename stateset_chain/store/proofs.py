"""ICS23 proofs of the app hash: ``CommitmentProof``s any ICS23 verifier checks with ``PROOF_SPEC``.

The tree (smt.py) is exactly ICS23's sparse Merkle tree spec (the ``smt_spec()`` of the ics23
libraries): a leaf is ``sha256(0x00 || sha256(key) || sha256(value))`` (``LeafOp``: hash SHA256,
prehash key and value SHA256, no length prefix, prefix ``0x00``), an inner node
``sha256(0x01 || left || right)`` (``InnerSpec``: children [0, 1] of 32 bytes, a one-byte prefix,
an empty child of 32 zero bytes), and keys are ordered by ``sha256(key)``
(``prehash_key_before_comparison``). A leaf sits at the shallowest depth where its path is unique,
so a proof's path is about log2(keys) steps long, never 256.

- **Membership**: an ``ExistenceProof`` of (key, value): the leaf op, then one ``InnerOp`` per
  level from the leaf up to the root (a left child: prefix ``0x01``, suffix the right sibling; a
  right child: prefix ``0x01 || left sibling``, no suffix).
- **Non-membership**: a ``NonExistenceProof`` with the existence proofs of the key's neighbours in
  ``sha256(key)`` order (the last leaf before it and the first after it; one of them is missing at
  either end of the tree). Their paths meet where the key's path would go, with only empty
  subtrees between them, which is what a verifier checks.

The tree stores key and value *hashes*; a proof needs the neighbour's key itself, so the commit
store keeps the preimage of every key hash it has written (``k/ || sha256(key) -> key``).

Nothing here reads storage directly: ``load(node_key)`` gives a committed node (at the height
proven), ``value(key)`` the state value there and ``preimage(key_hash)`` the key.
"""

from __future__ import annotations

from collections.abc import Callable

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.crypto.hashes import sha256
from stateset_chain.store.smt import (
    EMPTY,
    INNER_PREFIX,
    LEAF_PREFIX,
    Inner,
    Leaf,
    Node,
    _child_prefix,
    bit,
    decode_node,
    node_key,
)

from cosmos.ics23.v1 import proofs_pb2 as ics23

PROOF_OP_TYPE = "ics23:smt"  # the SDK names its store ops "ics23:iavl" / "ics23:simple"

LEAF_OP = ics23.LeafOp(
    hash=ics23.SHA256, prehash_key=ics23.SHA256, prehash_value=ics23.SHA256,
    length=ics23.NO_PREFIX, prefix=LEAF_PREFIX,
)
PROOF_SPEC = ics23.ProofSpec(
    leaf_spec=LEAF_OP,
    inner_spec=ics23.InnerSpec(
        child_order=[0, 1], child_size=32, min_prefix_length=1, max_prefix_length=1,
        empty_child=EMPTY, hash=ics23.SHA256,
    ),
    prehash_key_before_comparison=True,
)

Load = Callable[[bytes], bytes | None]


class ProofUnavailable(ValueError):
    """The store cannot build this proof (an empty tree, or a key preimage it never recorded)."""


def _node(load: Load, depth: int, prefix: bytes) -> Node | None:
    raw = load(node_key(depth, prefix))
    return None if raw is None else decode_node(raw)


def _walk(load: Load, kh: bytes) -> tuple[list[tuple[int, bytes, Inner]], Node | None]:
    """The inner nodes on ``kh``'s path from the root (depth, path prefix, node) and what the
    path ends in: a leaf (``kh``'s own or another key's sharing the path) or None (empty)."""
    steps: list[tuple[int, bytes, Inner]] = []
    depth, prefix = 0, b""
    node = _node(load, 0, b"")
    while isinstance(node, Inner):
        steps.append((depth, prefix, node))
        side = bit(kh, depth)
        child = node.right if side else node.left
        prefix = _child_prefix(prefix, depth, side)
        depth += 1
        node = None if child == EMPTY else _node(load, depth, prefix)
    return steps, node


def _path_ops(kh: bytes, steps: list[tuple[int, bytes, Inner]]) -> list[ics23.InnerOp]:
    ops = []
    for depth, _, node in reversed(steps):
        if bit(kh, depth):
            ops.append(ics23.InnerOp(hash=ics23.SHA256, prefix=INNER_PREFIX + node.left))
        else:
            ops.append(ics23.InnerOp(hash=ics23.SHA256, prefix=INNER_PREFIX, suffix=node.right))
    return ops


def _existence(
    load: Load, leaf: Leaf, value: Callable[[bytes], bytes | None],
    preimage: Callable[[bytes], bytes | None],
) -> ics23.ExistenceProof:
    key = preimage(leaf.key_hash)
    if key is None or sha256(key) != leaf.key_hash:
        raise ProofUnavailable(f"no recorded key for the leaf {leaf.key_hash.hex()}")
    found = value(key)
    if found is None or sha256(found) != leaf.value_hash:
        raise ProofUnavailable(f"the state value of key {key.hex()} does not match its leaf")
    steps, end = _walk(load, leaf.key_hash)
    if not isinstance(end, Leaf) or end.key_hash != leaf.key_hash:
        raise ProofUnavailable(f"leaf {leaf.key_hash.hex()} is not on its own path")
    return ics23.ExistenceProof(
        key=key, value=found, leaf=LEAF_OP, path=_path_ops(leaf.key_hash, steps)
    )


def _outermost(load: Load, depth: int, prefix: bytes, side: int) -> Leaf:
    """The leaf furthest to ``side`` (1: right) in the non-empty subtree at (depth, prefix)."""
    node = _node(load, depth, prefix)
    while isinstance(node, Inner):
        go = side if (node.right if side else node.left) != EMPTY else 1 - side
        prefix = _child_prefix(prefix, depth, go)
        depth += 1
        node = _node(load, depth, prefix)
    if node is None:
        raise ProofUnavailable(f"a subtree at depth {depth} hashed non-empty but has no node")
    return node


def commitment_proof(
    load: Load, key: bytes, value: Callable[[bytes], bytes | None],
    preimage: Callable[[bytes], bytes | None],
) -> ics23.CommitmentProof:
    """An existence proof if ``key`` is in the tree, else a non-existence proof."""
    kh = sha256(key)
    steps, end = _walk(load, kh)
    if isinstance(end, Leaf) and end.key_hash == kh:
        return ics23.CommitmentProof(exist=_existence(load, end, value, preimage))
    left: Leaf | None = end if isinstance(end, Leaf) and end.key_hash < kh else None
    right: Leaf | None = end if isinstance(end, Leaf) and end.key_hash > kh else None
    # The deepest non-empty sibling on each side holds the nearest neighbour on that side.
    for depth, prefix, node in reversed(steps):
        side = bit(kh, depth)
        if left is None and side == 1 and node.left != EMPTY:
            left = _outermost(load, depth + 1, _child_prefix(prefix, depth, 0), 1)
        if right is None and side == 0 and node.right != EMPTY:
            right = _outermost(load, depth + 1, _child_prefix(prefix, depth, 1), 0)
        if left is not None and right is not None:
            break
    if left is None and right is None:
        raise ProofUnavailable("the tree is empty: ICS23 has no proof against an empty root")
    proof = ics23.NonExistenceProof(key=key)
    if left is not None:
        proof.left.CopyFrom(_existence(load, left, value, preimage))
    if right is not None:
        proof.right.CopyFrom(_existence(load, right, value, preimage))
    return ics23.CommitmentProof(nonexist=proof)
