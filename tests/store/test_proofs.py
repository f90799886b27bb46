"""ICS23 proofs of the tree (store/proofs.py), judged by the ics23 crate's own verifier."""

from __future__ import annotations

import random

from stateset_chain.store.commit import CommitStore
from stateset_chain.store.proofs import PROOF_SPEC
from tests import ics23_verifier


def test_the_published_spec_is_the_ics23_smt_spec():
    assert ics23_verifier.spec_is_the_crates_smt_spec(PROOF_SPEC)
    other = type(PROOF_SPEC)()
    other.CopyFrom(PROOF_SPEC)
    other.prehash_key_before_comparison = False
    assert not ics23_verifier.spec_is_the_crates_smt_spec(other)


def test_members_and_non_members_of_a_large_tree():
    """1,500 keys (paths with empty siblings, leaves at many depths); every member proves its
    value and nothing else, and absent keys (between, before and after all others in hash order)
    prove their absence; a proof for one key does not pass for another."""
    rng = random.Random(15)
    store = CommitStore.in_memory()
    keys = sorted({rng.randbytes(rng.randint(1, 40)) for _ in range(1500)})
    store.stage([(k, rng.randbytes(rng.randint(1, 60))) for k in keys], 1)
    store.commit()
    view = store.view_at(0)
    root = view.app_hash
    lines, want = [], []
    for key in rng.sample(keys, 150):
        value, proof = store.ics23_proof(view, key)
        assert value is not None and proof.HasField("exist")
        data = proof.SerializeToString()
        lines += [
            ics23_verifier.member_line(root, key, value, data),
            ics23_verifier.member_line(root, key, value + b"!", data),
            ics23_verifier.nonmember_line(root, key, data),
        ]
        want += ["ok", "fail", "fail"]
    for i in range(150):
        key = b"absent-%d" % i
        value, proof = store.ics23_proof(view, key)
        assert value is None and proof.HasField("nonexist")
        data = proof.SerializeToString()
        neighbour = proof.nonexist.left.key or proof.nonexist.right.key
        lines += [  # (another absent key between the same neighbours would pass: it is absent)
            ics23_verifier.nonmember_line(root, key, data),
            ics23_verifier.nonmember_line(root, neighbour, data),
        ]
        want += ["ok", "fail"]
    assert ics23_verifier.run(lines) == want


def test_a_tree_of_one_key_and_of_two():
    for keys in ([b"only"], [b"a", b"b"]):
        store = CommitStore.in_memory()
        store.stage([(k, b"v" + k) for k in keys], 1)
        store.commit()
        view = store.view_at(0)
        lines, root = [], view.app_hash
        for k in keys:
            value, proof = store.ics23_proof(view, k)
            lines.append(ics23_verifier.member_line(root, k, value, proof.SerializeToString()))
        _, proof = store.ics23_proof(view, b"missing")
        lines.append(ics23_verifier.nonmember_line(root, b"missing", proof.SerializeToString()))
        assert ics23_verifier.run(lines) == ["ok"] * len(lines)
