"""BaseApplication's defaults are the answers CometBFT needs; fit_txs respects max_tx_bytes."""

from __future__ import annotations

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path)
from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.abci.application import BaseApplication, fit_txs, tx_proto_size

from tendermint.abci import types_pb2 as abci
from tendermint.types import types_pb2 as cmt_types


def data_size(txs: list[bytes]) -> int:
    """What CometBFT's Txs.Validate measures: the size of types.Data{txs}."""
    return cmt_types.Data(txs=txs).ByteSize()


def test_tx_proto_size_is_the_tx_share_of_the_data_message():
    for size in (0, 1, 127, 128, 16383, 16384, 70000):
        assert tx_proto_size(b"x" * size) == data_size([b"x" * size])


def test_fit_txs_keeps_a_tx_that_lands_exactly_on_the_limit():
    txs = [b"a" * 100, b"b" * 100, b"c" * 100]  # each costs 1 + 1 + 100
    assert fit_txs(txs, 204) == txs[:2]
    assert fit_txs(txs, 203) == txs[:1]
    assert fit_txs(txs, 306) == txs
    assert fit_txs(txs, 101) == []


def test_fit_txs_counts_the_longer_length_prefix_of_big_txs():
    tx = b"z" * 128  # length 128 needs a 2-byte uvarint: costs 131, not 130
    assert fit_txs([tx], 131) == [tx]
    assert fit_txs([tx], 130) == []


def test_fit_txs_stops_at_the_first_tx_that_does_not_fit_keeping_mempool_order():
    txs = [b"a" * 10, b"b" * 1000, b"c" * 10]
    assert fit_txs(txs, 100) == [b"a" * 10]


@given(st.lists(st.binary(max_size=300), max_size=30), st.integers(min_value=0, max_value=4000))
def test_fit_txs_result_is_a_prefix_within_the_limit_that_cannot_grow(txs, limit):
    kept = fit_txs(txs, limit)
    assert kept == txs[: len(kept)]
    assert data_size(kept) <= limit
    if len(kept) < len(txs):
        assert data_size(txs[: len(kept) + 1]) > limit


def test_default_prepare_proposal_returns_the_txs_that_fit_in_order():
    txs = [b"one", b"two", b"three"]
    res = BaseApplication().prepare_proposal(abci.RequestPrepareProposal(txs=txs, max_tx_bytes=10))
    assert list(res.txs) == [b"one", b"two"]


def test_default_process_proposal_accepts_never_unknown():
    res = BaseApplication().process_proposal(abci.RequestProcessProposal(txs=[b"x"]))
    assert res.status == abci.ResponseProcessProposal.ACCEPT


def test_default_vote_extension_methods_accept_and_extend_nothing():
    app = BaseApplication()
    assert app.extend_vote(abci.RequestExtendVote()).vote_extension == b""
    verified = app.verify_vote_extension(abci.RequestVerifyVoteExtension())
    assert verified.status == abci.ResponseVerifyVoteExtension.ACCEPT


def test_default_finalize_block_answers_one_result_per_tx():
    res = BaseApplication().finalize_block(abci.RequestFinalizeBlock(txs=[b"a", b"b", b"c"]))
    assert [r.code for r in res.tx_results] == [0, 0, 0]


def test_default_snapshot_methods_offer_nothing_and_refuse_state_sync():
    app = BaseApplication()
    assert len(app.list_snapshots(abci.RequestListSnapshots()).snapshots) == 0
    offer = app.offer_snapshot(abci.RequestOfferSnapshot())
    assert offer.result == abci.ResponseOfferSnapshot.REJECT
    assert app.load_snapshot_chunk(abci.RequestLoadSnapshotChunk()).chunk == b""
    applied = app.apply_snapshot_chunk(abci.RequestApplySnapshotChunk())
    assert applied.result == abci.ResponseApplySnapshotChunk.ABORT


def test_default_info_reports_a_fresh_chain():
    res = BaseApplication().info(abci.RequestInfo())
    assert res.last_block_height == 0
    assert res.last_block_app_hash == b""
