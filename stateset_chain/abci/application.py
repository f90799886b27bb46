"""The interface between the ABCI socket edge and the state machine.

``BaseApplication`` has one method per ABCI 2.0 request (Echo and Flush are answered by the
server itself). Each takes the ``tendermint.abci.Request*`` proto and returns the matching
``Response*`` proto. The server calls them one at a time, under one lock shared by the four
connections, so an implementation never sees two calls at once, except a query for which
``query_needs_lock`` says False: that one runs on its own thread, beside the others.

The defaults describe a chain with no snapshots and no vote extensions, and each is the answer
CometBFT needs to keep running:

- ProcessProposal -> ACCEPT. The proto default UNKNOWN (0) makes CometBFT panic.
- VerifyVoteExtension -> ACCEPT, ExtendVote -> empty extension.
- PrepareProposal -> the mempool's txs in order, trimmed to ``max_tx_bytes`` (``fit_txs``):
  returning more than fits makes CometBFT panic.
- FinalizeBlock -> one OK ``ExecTxResult`` per tx: a count mismatch makes CometBFT panic.
- Snapshots: none to list, offers REJECTed, chunks ABORT state sync.

With every default, the class is a valid no-op chain (empty app hash, height reported as 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path; sorts before it)

from stateset_chain.protowire import varint_len

from tendermint.abci import types_pb2 as abci


def tx_proto_size(tx: bytes) -> int:
    """What one tx costs in CometBFT's ``Txs.Validate``: its size as field 1 of ``types.Data``.

    One tag byte, the uvarint length, then the bytes (``types.ComputeProtoSizeForTxs``).
    """
    return 1 + varint_len(len(tx)) + len(tx)


def fit_txs(txs: Sequence[bytes], max_tx_bytes: int) -> list[bytes]:
    """The longest prefix of ``txs`` whose total proto size is at most ``max_tx_bytes``.

    A prefix rather than a best fit: the mempool's order is kept, so a later tx from one sender
    never lands in a block without the earlier one it depends on (its sequence).
    """
    kept: list[bytes] = []
    total = 0
    for tx in txs:
        total += tx_proto_size(tx)
        if total > max_tx_bytes:
            break
        kept.append(tx)
    return kept


class BaseApplication:
    """ABCI 2.0 methods with defaults that are safe for a chain without snapshots or extensions."""

    # --- query connection -------------------------------------------------------------------

    def info(self, req: abci.RequestInfo) -> abci.ResponseInfo:
        return abci.ResponseInfo(last_block_height=0, last_block_app_hash=b"")

    def query(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        return abci.ResponseQuery(code=0)

    def query_needs_lock(self, req: abci.RequestQuery) -> bool:
        """False lets the server answer this query beside the other calls, without the app
        lock: for an app that reads queries from its last committed state (a separate state for
        the query connection, as CometBFT recommends). The default keeps every call serial."""
        return True

    # --- mempool connection -----------------------------------------------------------------

    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        return abci.ResponseCheckTx(code=0)

    # --- consensus connection ---------------------------------------------------------------

    def init_chain(self, req: abci.RequestInitChain) -> abci.ResponseInitChain:
        return abci.ResponseInitChain()

    def prepare_proposal(self, req: abci.RequestPrepareProposal) -> abci.ResponsePrepareProposal:
        return abci.ResponsePrepareProposal(txs=fit_txs(req.txs, req.max_tx_bytes))

    def process_proposal(self, req: abci.RequestProcessProposal) -> abci.ResponseProcessProposal:
        return abci.ResponseProcessProposal(status=abci.ResponseProcessProposal.ACCEPT)

    def extend_vote(self, req: abci.RequestExtendVote) -> abci.ResponseExtendVote:
        return abci.ResponseExtendVote(vote_extension=b"")

    def verify_vote_extension(
        self, req: abci.RequestVerifyVoteExtension
    ) -> abci.ResponseVerifyVoteExtension:
        return abci.ResponseVerifyVoteExtension(status=abci.ResponseVerifyVoteExtension.ACCEPT)

    def finalize_block(self, req: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        return abci.ResponseFinalizeBlock(tx_results=[abci.ExecTxResult(code=0) for _ in req.txs])

    def commit(self, req: abci.RequestCommit) -> abci.ResponseCommit:
        return abci.ResponseCommit(retain_height=0)

    # --- snapshot connection ----------------------------------------------------------------

    def list_snapshots(self, req: abci.RequestListSnapshots) -> abci.ResponseListSnapshots:
        return abci.ResponseListSnapshots()

    def offer_snapshot(self, req: abci.RequestOfferSnapshot) -> abci.ResponseOfferSnapshot:
        return abci.ResponseOfferSnapshot(result=abci.ResponseOfferSnapshot.REJECT)

    def load_snapshot_chunk(
        self, req: abci.RequestLoadSnapshotChunk
    ) -> abci.ResponseLoadSnapshotChunk:
        return abci.ResponseLoadSnapshotChunk(chunk=b"")

    def apply_snapshot_chunk(
        self, req: abci.RequestApplySnapshotChunk
    ) -> abci.ResponseApplySnapshotChunk:
        return abci.ResponseApplySnapshotChunk(result=abci.ResponseApplySnapshotChunk.ABORT)
