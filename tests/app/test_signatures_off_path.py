"""Signatures off the block's critical path: the verified-signature cache and the parallel
pre-verification change how fast a block runs, never its result; rechecks reuse the decoded tx
but still re-check what a block changes (sequence, fee balance)."""

from __future__ import annotations

import hashlib

import pytest
from coincurve import PrivateKey

from stateset_chain.crypto import secp256k1
from stateset_chain.crypto.sigcache import VERIFIED, VerifiedSignatures
from tests.chain import Chain, address

from tendermint.abci import types_pb2 as abci


def _triples(n: int, bad_every: int = 5):
    out = []
    for i in range(n):
        key = PrivateKey(hashlib.sha256(b"sig %d" % i).digest())
        msg = b"message %d" % i
        sig = key.sign_recoverable(msg)  # r || s || v over sha256(msg)
        compact = sig[:64]
        s = int.from_bytes(compact[32:], "big")
        if s > secp256k1.HALF_N:  # low-S, as the SDK signs
            compact = compact[:32] + (secp256k1.N - s).to_bytes(32, "big")
        if i % bad_every == 0:
            compact = bytes([compact[0] ^ 1]) + compact[1:]
        out.append((hashlib.sha256(msg).digest(), key.public_key.format(), compact))
    return out


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_parallel_verification_stores_exactly_the_valid_triples(threads):
    cache = VerifiedSignatures()
    triples = _triples(130)
    assert cache.verify_unseen(triples, threads=threads) == 130
    for digest, pub, sig in triples:
        expected = secp256k1.verify_digest(pub, digest, sig)
        assert ((digest, pub, sig) in cache._valid) == expected
    assert cache.verify_unseen(triples, threads=threads) == 26  # only the invalid ones again


def test_a_cached_answer_is_the_verify_answer():
    cache = VerifiedSignatures()
    key = PrivateKey(hashlib.sha256(b"k").digest())
    msg = b"sign bytes"
    sig = key.sign_recoverable(msg)[:64]
    pub = key.public_key.format()
    good = secp256k1.verify(pub, msg, sig)
    assert cache.verify(pub, msg, sig) is good and cache.verify(pub, msg, sig) is good
    assert cache.verify(pub, msg + b"!", sig) is False
    assert cache.verify(pub, msg + b"!", sig) is False  # an invalid triple is never cached


def _run(chain_builder, warm: bool):
    """Builds the same chain, optionally CheckTx-ing every tx first; returns the block's
    response and the app hash."""
    VERIFIED.clear()
    chain, txs = chain_builder()
    if warm:
        for tx in txs:
            chain.app.check_tx(abci.RequestCheckTx(tx=tx))
    else:
        VERIFIED.clear()
    res = chain.block(txs)
    return [(r.code, r.log, r.gas_used) for r in res.tx_results], res.app_hash


def _builder():
    chain = Chain.start(n_wallets=6)
    w = chain.wallets
    txs = [chain.send(w[i % 4], address(w[(i + 1) % 6]), 10 + i) for i in range(80)]
    # a bad signature (signed for another chain), a wrong sequence, and a first signature of an
    # account created by an earlier tx of the same block (its pubkey is not in state yet)
    txs.append(chain.send(w[0], address(w[1]), 1, chain_id="other-chain"))
    txs.append(chain.send(w[1], address(w[2]), 1, sequence=999))
    return chain, txs


def test_warm_and_cold_blocks_give_the_same_results_and_app_hash():
    warm = _run(_builder, warm=True)
    cold = _run(_builder, warm=False)
    assert warm == cold
    codes = [c for c, _, _ in warm[0]]
    assert codes.count(0) == 80 and codes[80] == 4 and codes[81] == 32


def _builder_with_repeats():
    chain, txs = _builder()
    return chain, txs[:10] + txs[:3] + txs[10:]  # the same bytes again: wrong sequence (32)


def test_a_checked_tx_is_decoded_once_and_a_repeat_afresh_with_the_cold_result():
    """FinalizeBlock takes a tx CheckTx decoded out of the recheck cache instead of decoding it
    again; repeated bytes in the block are decoded afresh. Warm and cold give the same block."""
    warm = _run(_builder_with_repeats, warm=True)
    cold = _run(_builder_with_repeats, warm=False)
    assert warm == cold
    assert [c for c, _, _ in warm[0][10:13]] == [32, 32, 32]

    chain, txs = _builder()
    for tx in txs[:5]:
        chain.app.check_tx(abci.RequestCheckTx(tx=tx))
    limits = chain.core.limits(chain.core.store.state)
    first = chain.core._decode_for_block(txs[0], limits)
    assert chain.core._take_checked(txs[0], limits) is None  # taken: a repeat decodes afresh
    again = chain.core._decode_for_block(txs[0], limits)
    assert again is not first
    # the same decode; only what the ante's validate_msgs fills in (parsed) differs
    assert again._replace(parsed=None) == first._replace(parsed=None)


def test_a_cold_block_is_pre_verified_in_parallel():
    VERIFIED.clear()
    chain, txs = _builder()
    limits = chain.core.limits(chain.core.store.state)
    decoded = [chain.core._decode_for_block(tx, limits) for tx in txs]
    verified = chain.core.pipeline.prepare(chain.core.store.state, "stateset-test-1", decoded)
    assert verified == len(txs)  # every signature's triple guessed from the state and verified
    for tx in txs:
        chain.app.check_tx(abci.RequestCheckTx(tx=tx))
    # CheckTx passed 80 of them (skipped by hash); the wrong-sequence tx failed CheckTx but its
    # triple is valid and cached; only the bad signature is verified again.
    assert chain.core.pipeline.prepare(chain.core.store.state, "stateset-test-1", decoded) == 1


def test_recheck_still_checks_the_sequence_and_the_fee_balance():
    chain = Chain.start(n_wallets=3)
    a, b = chain.wallets[0], chain.wallets[1]
    tx = chain.send(a, address(b), 5)
    assert chain.app.check_tx(abci.RequestCheckTx(tx=tx)).code == 0
    chain.block([tx])  # the tx is in a block: its sequence is used
    recheck = chain.app.check_tx(abci.RequestCheckTx(tx=tx, type=abci.CheckTxType.RECHECK))
    assert recheck.code == 32  # account sequence mismatch

    tx2 = chain.send(a, address(b), 5)
    assert chain.app.check_tx(abci.RequestCheckTx(tx=tx2)).code == 0
    chain.block([])
    again = chain.app.check_tx(abci.RequestCheckTx(tx=tx2, type=abci.CheckTxType.RECHECK))
    assert again.code == 0


def test_recheck_of_an_unknown_tx_decodes_it():
    """A recheck of bytes this node never checked (a restart) takes the full path."""
    chain = Chain.start(n_wallets=2)
    tx = chain.send(chain.wallets[0], address(chain.wallets[1]), 5)
    res = chain.app.check_tx(abci.RequestCheckTx(tx=tx, type=abci.CheckTxType.RECHECK))
    assert res.code == 0
    junk = chain.app.check_tx(abci.RequestCheckTx(tx=b"\x01junk", type=abci.CheckTxType.RECHECK))
    assert junk.code == 2 and junk.codespace == "sdk"


def test_a_failing_prepare_step_leaves_the_block_result_unchanged(caplog):
    import dataclasses

    def broken(*_args):
        raise RuntimeError("bug in the cache warmer")

    expected = _run(_builder, warm=False)
    VERIFIED.clear()
    chain, txs = _builder()
    chain.core.pipeline = dataclasses.replace(chain.core.pipeline, prepare=broken)
    res = chain.block(txs)
    assert ([(r.code, r.log, r.gas_used) for r in res.tx_results], res.app_hash) == expected
    assert "preparing block" in caplog.text
