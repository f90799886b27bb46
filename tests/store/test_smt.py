"""The Merkle tree: incremental updates equal a from-scratch reference, the stored tree is
canonical (no stale nodes), and proofs verify for members and non-members and fail when tampered."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateset_chain.store.smt import EMPTY, Proof, SparseMerkleTree, verify_proof


def sha(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def reference_root(state: dict[bytes, bytes]) -> bytes:
    """The spec of docs/merkle.md written as directly as possible (no code shared with smt.py)."""

    def bits(h: bytes) -> str:
        return "".join(f"{byte:08b}" for byte in h)

    leaves = sorted((bits(sha(k)), sha(k), sha(v)) for k, v in state.items())

    def subtree(depth: int, group: list) -> bytes:
        if not group:
            return bytes(32)
        if len(group) == 1:
            _, kh, vh = group[0]
            return sha(b"\x00" + kh + vh)
        left = [g for g in group if g[0][depth] == "0"]
        right = [g for g in group if g[0][depth] == "1"]
        return sha(b"\x01" + subtree(depth + 1, left) + subtree(depth + 1, right))

    return subtree(0, leaves)


class Tree:
    """A tree whose node writes are applied to a dict, as CommitStore does with LevelDB."""

    def __init__(self) -> None:
        self.nodes: dict[bytes, bytes] = {}
        self.smt = SparseMerkleTree(self.nodes.get)
        self.root = EMPTY

    def apply(self, changes) -> bytes:
        self.root, writes = self.smt.update(changes)
        for k, v in writes.items():
            if v is None:
                self.nodes.pop(k, None)
            else:
                self.nodes[k] = v
        return self.root


def test_empty_tree_root_is_zero():
    assert Tree().smt.root() == EMPTY == reference_root({})


def test_known_vectors():
    # Fixed so that any change of hashing or layout is a visible, deliberate break.
    t = Tree()
    assert t.apply([(b"a", b"1")]) == sha(b"\x00" + sha(b"a") + sha(b"1"))
    root = t.apply([(b"b", b"2"), (b"c", b"3")])
    assert root == reference_root({b"a": b"1", b"b": b"2", b"c": b"3"})
    assert root.hex() == "8e2a164a410203f51300d7c6645b7a37f549768457be109acc126c63573a9e0a"


def test_update_does_not_touch_storage():
    t = Tree()
    t.apply([(b"a", b"1")])
    before = dict(t.nodes)
    root, writes = t.smt.update([(b"b", b"2")])
    assert writes and t.nodes == before and t.smt.root() != root


def test_duplicate_keys_rejected():
    with pytest.raises(ValueError):
        Tree().smt.update([(b"a", b"1"), (b"a", b"2")])


def test_delete_of_missing_key_keeps_root():
    t = Tree()
    root = t.apply([(b"a", b"1"), (b"b", b"2")])
    assert t.apply([(b"zzz", None)]) == root


ops = st.lists(
    st.tuples(st.binary(min_size=1, max_size=3), st.one_of(st.none(), st.binary(max_size=4))),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(ops, min_size=1, max_size=6))
def test_incremental_updates_match_reference_and_leave_canonical_nodes(blocks):
    t = Tree()
    state: dict[bytes, bytes] = {}
    for block in blocks:
        changes = dict(block)  # last write to a key wins, as in a Branch
        for k, v in changes.items():
            if v is None:
                state.pop(k, None)
            else:
                state[k] = v
        root = t.apply(sorted(changes.items()))
        assert root == reference_root(state)
        fresh = Tree()
        fresh.apply(sorted(state.items()))
        assert t.nodes == fresh.nodes  # no stale nodes: same bytes as building from scratch


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.binary(min_size=1, max_size=4), st.binary(max_size=4), max_size=30),
       st.binary(min_size=1, max_size=4))
def test_proofs_for_members_and_non_members(state, probe):
    t = Tree()
    root = t.apply(sorted(state.items()))
    for key, value in state.items():
        proof = Proof.decode(t.smt.prove(key).encode())
        assert verify_proof(root, key, value, proof)
        assert not verify_proof(root, key, value + b"x", proof)
        assert not verify_proof(root, key, None, proof)
    if probe not in state:
        proof = Proof.decode(t.smt.prove(probe).encode())
        assert verify_proof(root, probe, None, proof)
        assert not verify_proof(root, probe, b"anything", proof)


def test_tampered_proofs_fail():
    t = Tree()
    state = {bytes([i]): bytes([i, i]) for i in range(1, 60)}
    root = t.apply(sorted(state.items()))
    proof = t.smt.prove(b"\x07")
    assert verify_proof(root, b"\x07", b"\x07\x07", proof)
    flipped = bytearray(proof.siblings[0])
    flipped[0] ^= 1
    tampered = Proof([bytes(flipped), *proof.siblings[1:]], proof.leaf)
    assert not verify_proof(root, b"\x07", b"\x07\x07", tampered)
    assert not verify_proof(root, b"\x07", b"\x07\x07", Proof(proof.siblings[:-1], proof.leaf))
    assert not verify_proof(root, b"\x07", b"\x07\x07", Proof(proof.siblings + [EMPTY], proof.leaf))
    # a present key cannot be passed off as absent, by an empty ending or by another key's leaf
    assert not verify_proof(root, b"\x07", None, Proof(proof.siblings, None))
    other = t.smt.prove(b"\x08")
    assert not verify_proof(root, b"\x07", None, other)
    assert not verify_proof(sha(b"other root"), b"\x07", b"\x07\x07", proof)


def test_malformed_proof_bytes_rejected():
    for data in [b"", b"\x00", b"\x00\x01\x00", b"\x00\x00\x02", b"\x00\x00\x01" + bytes(10)]:
        with pytest.raises(ValueError):
            Proof.decode(data)


def test_depth_stays_logarithmic():
    t = Tree()
    t.apply([(i.to_bytes(4, "big"), b"v") for i in range(4096)])
    depths = [len(t.smt.prove(i.to_bytes(4, "big")).siblings) for i in range(0, 4096, 97)]
    assert max(depths) < 32  # ~log2(4096) + a few, far from 256
