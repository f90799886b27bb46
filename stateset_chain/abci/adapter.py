"""The ABCI face of the state machine: ``tendermint.abci`` requests in, the core's answers out.

``AbciApp`` is what the socket server (``abci.server``) serves and what the in-process tests
drive: one method per ABCI 2.0 request, each decoding the request into the core's own terms
(``stateset_chain.app_types``), calling ``stateset_chain.app.App`` and encoding its answer. It
holds no state of its own. The query paths that are not a module's route are routed here:

- ``/store/key`` (``data`` = the raw key; ``prove``: an ICS23 proof as one ``ProofOp``),
- ``/cosmos.tx.v1beta1.Service/Simulate`` (runs on the check state, so under the app lock).

A query's "not found" (``NotFound``) is reported as baseapp does over ABCI: ``sdk/22`` with the
gRPC status text ``rpc error: code = NotFound desc = ...`` that clients (cosmjs) match.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.application import BaseApplication, tx_proto_size
from stateset_chain.abci.results import encode_tx_result, finalize_block_response
from stateset_chain.app import APP_NAME, App
from stateset_chain.app_types import Block, Genesis, QueryResult
from stateset_chain.errors import ChainError, InvalidHeight, KeyNotFound, NotFound, TxDecodeError
from stateset_chain.store import proofs

from cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci
from cosmos.tx.v1beta1 import service_pb2 as tx_service
from cosmos.tx.v1beta1 import tx_pb2
from tendermint.abci import types_pb2 as abci
from tendermint.crypto import proof_pb2

STORE_KEY_PATH = "/store/key"
PROOF_OP_TYPE = proofs.PROOF_OP_TYPE  # an ICS23 CommitmentProof (docs/proofs.md)
SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"


class AbciApp(BaseApplication):
    """``core`` over ABCI 2.0 (snapshots and vote extensions: ``BaseApplication``'s defaults)."""

    def __init__(self, core: App) -> None:
        self.core = core

    # -- handshake ---------------------------------------------------------------------------

    def info(self, req: abci.RequestInfo) -> abci.ResponseInfo:
        info = self.core.info()
        return abci.ResponseInfo(
            data=APP_NAME,
            version=str(info.version),
            app_version=info.version,
            last_block_height=info.last_height,
            last_block_app_hash=info.last_app_hash,
        )

    def init_chain(self, req: abci.RequestInitChain) -> abci.ResponseInitChain:
        given = req.consensus_params.block.max_gas
        result = self.core.init_chain(Genesis(
            chain_id=req.chain_id, initial_height=req.initial_height,
            time_ns=_time_ns(req.time), app_state=req.app_state_bytes, block_max_gas=given,
        ))
        response = abci.ResponseInitChain(app_hash=result.app_hash)
        if req.HasField("consensus_params") and given <= 0:
            # A genesis without a block gas limit gets the default: CometBFT takes the block
            # params from this response (both fields: it copies max_bytes too).
            response.consensus_params.block.max_bytes = req.consensus_params.block.max_bytes
            response.consensus_params.block.max_gas = result.block_max_gas
        return response

    # -- mempool -----------------------------------------------------------------------------

    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        result = self.core.check_tx(req.tx, recheck=req.type == abci.CheckTxType.RECHECK)
        return abci.ResponseCheckTx(
            code=result.code, codespace=result.codespace, log=result.log,
            gas_wanted=result.gas_wanted, gas_used=result.gas_used,
        )

    # -- proposals ---------------------------------------------------------------------------

    def prepare_proposal(self, req: abci.RequestPrepareProposal) -> abci.ResponsePrepareProposal:
        txs = self.core.prepare_proposal(req.txs, req.max_tx_bytes, tx_size=tx_proto_size)
        return abci.ResponsePrepareProposal(txs=txs)

    def process_proposal(self, req: abci.RequestProcessProposal) -> abci.ResponseProcessProposal:
        status = abci.ResponseProcessProposal
        ok = self.core.check_proposal(req.txs)
        return status(status=status.ACCEPT if ok else status.REJECT)

    # -- consensus ---------------------------------------------------------------------------

    def finalize_block(self, req: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        block = Block(height=req.height, time_ns=_time_ns(req.time), txs=req.txs)
        return finalize_block_response(self.core.finalize_block(block, encode_tx_result))

    def commit(self, req: abci.RequestCommit) -> abci.ResponseCommit:
        self.core.commit()
        return abci.ResponseCommit(retain_height=0)

    # -- queries -----------------------------------------------------------------------------

    def query_needs_lock(self, req: abci.RequestQuery) -> bool:
        """Only Simulate runs on the check state (pending sequences), under the app lock; every
        other query reads the last commit (``CommitStore.committed``) and may run on its own
        thread beside FinalizeBlock, Commit and CheckTx."""
        return req.path == SIMULATE_PATH

    def query(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        if req.path == SIMULATE_PATH:
            return self._query_simulate(req)
        if req.path == STORE_KEY_PATH:
            result = self.core.query_key(bytes(req.data), prove=req.prove, height=req.height)
        else:
            result = self.core.query(req.path, req.data, height=req.height)
        return _query_response(result)

    def _query_simulate(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        height = self.core.last_height
        try:
            if req.height not in (0, height):
                raise InvalidHeight(f"simulate runs on the latest state only (height {height})")
            result = self.simulate(tx_service.SimulateRequest.FromString(req.data))
        except ChainError as e:
            return abci.ResponseQuery(code=e.code, codespace=e.codespace, log=e.log, height=height)
        except DecodeError as e:
            err = TxDecodeError(f"cannot decode query data for {req.path}: {e}")
            return abci.ResponseQuery(code=err.code, codespace=err.codespace, log=err.log)
        if result.code != 0:  # the tx's own error, as the tx would get it
            return abci.ResponseQuery(
                code=result.code, codespace=result.codespace, log=result.log, height=height
            )
        response = tx_service.SimulateResponse(
            gas_info=sdk_abci.GasInfo(gas_wanted=result.gas_wanted, gas_used=result.gas_used),
            result=sdk_abci.Result(data=result.data, events=result.events),
        )
        return abci.ResponseQuery(
            code=0, value=response.SerializeToString(deterministic=True), height=height
        )

    def simulate(self, req: tx_service.SimulateRequest) -> abci.ExecTxResult:
        """The tx of a Simulate request, run by ``App.simulate``, as an ``ExecTxResult``."""
        raw = bytes(req.tx_bytes)
        if not raw and req.HasField("tx"):  # the deprecated field cosmpy still uses
            raw = tx_pb2.TxRaw(
                body_bytes=req.tx.body.SerializeToString(deterministic=True),
                auth_info_bytes=req.tx.auth_info.SerializeToString(deterministic=True),
                signatures=list(req.tx.signatures),
            ).SerializeToString(deterministic=True)
        return abci.ExecTxResult.FromString(self.core.simulate(raw, encode_tx_result))


def _query_response(result: QueryResult) -> abci.ResponseQuery:
    err = result.error
    if isinstance(err, NotFound):
        # A query's "no such thing" is a gRPC NotFound status in the SDK, which baseapp
        # reports over ABCI as ErrKeyNotFound wrapping the status text; clients match that
        # text (cosmjs returns null for an unknown account only on "rpc error: code =
        # NotFound"), and the gateway turns it back into the status.
        err = KeyNotFound(f"rpc error: code = NotFound desc = {err.detail}")
    if err is not None:
        return abci.ResponseQuery(
            code=err.code, codespace=err.codespace, log=err.log, height=result.height
        )
    response = abci.ResponseQuery(
        code=0, key=result.key, value=result.value, height=result.height
    )
    if result.proof is not None:
        op = proof_pb2.ProofOp(type=PROOF_OP_TYPE, key=result.key, data=result.proof)
        response.proof_ops.CopyFrom(proof_pb2.ProofOps(ops=[op]))
    return response


def _time_ns(ts) -> int:
    return ts.seconds * 1_000_000_000 + ts.nanos
