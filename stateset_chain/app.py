"""The state machine: what a validator computes for each ABCI call.

``App`` knows nothing of sockets; ``stateset_chain.abci`` decodes requests and calls it. Its state
lives in a ``CommitStore``; everything between two commits lives in branches:

    committed state ─┬─ genesis branch (InitChain, until the first Commit)
                     │    └─ block branch (FinalizeBlock)
                     │          ├─ ante branch of tx i   (fee + sequence: kept once the ante passes)
                     │          └─ msg branch of tx i    (kept only if every message succeeds)
                     └─ check branch (CheckTx/Recheck: pending sequences; reset at Commit)

FinalizeBlock stages the block's writes and computes the app hash; Commit makes the writes, the
height and the hash durable in one atomic write. ``Info`` reports exactly the last commit, so
after a crash CometBFT's handshake replays the missing blocks.

Transaction execution follows the Cosmos SDK's baseapp: decode, the ante chain (its writes survive a
failing message, so a failed transaction still pays its fee and uses its sequence), then every
message on one branch that is written only if all of them succeed. Each message's events get
``msg_index``; a failure gets the error's code, codespace and log.

Nothing in a tx's bytes can raise out of CheckTx or FinalizeBlock. A ``ChainError`` is the tx's
result; any other exception anywhere in a tx's processing (decode, validation, ante, handlers) is
a bug that every node hits the same way, so it is recovered as the SDK's panic code (sdk 111222)
with nothing of the tx's messages written, and the block goes on. Only a broken invariant
(``InvariantBroken``) or a store failure (``STORE_FAILURES``, ``MemoryError``) stops the node,
because those are not a function of the tx.

ProcessProposal accepts a block only if every tx decodes, fits ``max_tx_bytes`` and the block's
``max_gas``, and the txs' gas limits sum to at most ``max_gas`` (``check_proposal``); each rule is
a pure function of the proposal's bytes and the last committed state, so honest validators agree.
PrepareProposal proposes only txs that pass the same rules.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from google.protobuf.any_pb2 import Any as PbAny
from google.protobuf.message import DecodeError

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.abci.application import BaseApplication, tx_proto_size
from stateset_chain.cache import BoundedCache
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crypto.hashes import sha256
from stateset_chain.errors import (
    ChainError,
    InvalidHeight,
    InvalidRequest,
    InvariantBroken,
    KeyNotFound,
    LatestOnlyQuery,
    NotFound,
    OutOfGas,
    QueryBudgetExceeded,
    TxDecodeError,
    UnknownRequest,
)
from stateset_chain.events import EventManager, encode_event_into, encode_field, encode_varint
from stateset_chain.gas import GasKV, GasMeter
from stateset_chain.module import Module, MsgRoute, QueryRoute
from stateset_chain.store import proofs
from stateset_chain.store.collections import Item, KeyPartTooLong, StrValue, U64Value
from stateset_chain.store.commit import STORE_FAILURES, CommitStore, CommittedView, NotProvable
from stateset_chain.store.kv import Branch, KVStore
from stateset_chain.store.versions import HeightUnavailable, LatestOnly

from cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci
from cosmos.tx.v1beta1 import service_pb2 as tx_service
from cosmos.tx.v1beta1 import tx_pb2
from tendermint.abci import types_pb2 as abci
from tendermint.crypto import proof_pb2

log = logging.getLogger("stateset.app")

APP_NAME = "stateset-chain"
# Also the state layout version, stored at genesis (``app/state_version``): a node refuses to run
# over a database another layout wrote, instead of computing app hashes its peers do not.
# 2: the orders' list indexes left the app hash (node-local keys); 3: orders keep personal data
# sealed (ShippingAddress is country + region only) and the privacy key registry; 4:
# app/block_max_gas recorded at genesis; 5: order ids and deposit addresses bind the chain id,
# refund destinations (crosschain 0x02); 6: bank denom metadata; 7: client order ids keyed by
# merchant, platform terms fixed on the order, payment limits (hardening, items 2-4); 8: orders
# by external customer id (node-local 0x1B/0x26: an older database lacks them); 9: the
# subscriptions, inventory and conditional stores, end-block billing, orders record
# subscription_id/cycle and reserve stock; 10: the tracking number is sealed
# (ShippingInfo.tracking, field 3 reserved), crosschain params (0x03); 11: the upgrade module
# (plans, applied upgrades, module versions), bank denom metadata at 0x05 | denom (the planned
# upgrade "v11" migrates a version-10 state in place: stateset_chain/upgrades.py), the
# compliance store (a new module: "v11" starts it from its default genesis) and the orders'
# compliance decision, fraud score, hold reason and billing country (optional fields)
APP_VERSION = 11
PANIC_CODE = 111222  # the SDK's ErrPanic: a handler bug, recovered deterministically
# The block gas limit a chain gets when its genesis sets none (consensus_params.block.max_gas
# -1): about 2 s of execution at the ~45-55 million gas per second the benchmark measures
# (docs/benchmarks.md); 500 txs asking the default 200,000 gas each.
DEFAULT_BLOCK_MAX_GAS = 100_000_000
# Exceptions that are not a tx's doing and must stop the node rather than become a tx result.
FATAL: tuple[type[BaseException], ...] = (InvariantBroken, MemoryError, *STORE_FAILURES)
# Every query reads through a gas meter (the SDK's KV gas costs) with this budget: about 20,000
# point reads, or a page of 100 large orders many times over. A query that needs more is refused
# with QueryBudgetExceeded instead of holding a thread (and, before, the consensus lock).
QUERY_GAS_LIMIT = 20_000_000
# Simulate runs a tx without its own gas limit; it stops here (sdk OutOfGas), far above any
# block's worth of ordinary txs.
SIMULATE_GAS_LIMIT = 20_000_000
STORE_KEY_PATH = "/store/key"
PROOF_OP_TYPE = proofs.PROOF_OP_TYPE  # an ICS23 CommitmentProof (docs/proofs.md)
SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"
RECHECK_CACHE = 1 << 13  # decoded txs kept for rechecks (more than a mempool holds; ~25 MiB)

_chain_id: Item[str] = Item(b"app/chain_id", StrValue)
# The layout version of the state (APP_VERSION of the binary that wrote it; a planned upgrade's
# migration moves it to the new binary's).
STATE_VERSION: Item[int] = Item(b"app/state_version", U64Value)
_state_version = STATE_VERSION
_block_max_gas: Item[int] = Item(b"app/block_max_gas", U64Value)  # 0: no limit


class IncompatibleState(Exception):
    """The database holds state in a layout this build does not run (the node must not start)."""


class StartCheck(Protocol):
    """Decides whether this binary may run over an existing database (the upgrade module:
    ``stateset_chain/upgrade/preblock.py check_start``); raises ``IncompatibleState`` if not."""

    def __call__(self, state: KVStore, height: int, found: int, layout: int) -> None: ...


@dataclass(frozen=True)
class TxPipeline:
    """How the app turns bytes into a checked transaction (provided by the auth module).

    ``decode(raw, routes, limits)`` returns a decoded tx with ``.msgs``, ``.routes``,
    ``.gas_limit`` and ``.signers``, or raises a ChainError; it checks ``limits`` (size, gas,
    message count) before decoding any message. ``limits(store, max_gas)`` gives those limits
    from the state's params and the block gas limit. ``ante(ctx, tx)`` runs the ante chain.
    ``prepare(state, chain_id, decoded)``, if set, runs before a block's txs with each one decoded
    (or its ChainError) and may only warm caches that cannot change a result (the signatures).
    ``checked(tx_hash)``, if set, tells that CheckTx's ante chain passed for that tx.
    """

    decode: Callable
    ante: Callable
    limits: Callable
    prepare: Callable | None = None
    checked: Callable[[bytes], None] | None = None


class App(BaseApplication):
    def __init__(
        self, store: CommitStore, modules: list[Module], pipeline: TxPipeline, *,
        start_check: StartCheck | None = None, layout_version: int = APP_VERSION,
    ) -> None:
        """``start_check``: who decides whether this binary may run over the database (the
        upgrade module; without one, only a database of ``layout_version`` is run).
        ``layout_version``: the state layout this binary writes (APP_VERSION; a test's "previous
        release" passes the one before)."""
        self.store = store
        self.layout_version = layout_version
        self.modules = modules
        self.pipeline = pipeline
        self.routes: dict[str, MsgRoute] = {}
        self.queries: dict[str, QueryRoute] = {}
        for m in modules:
            for r in m.msgs:
                self._add(self.routes, r.type_url, r)
            for q in m.queries:
                self._add(self.queries, q.path, q)
        self._local = tuple(prefix for m in modules for prefix in m.local_prefixes)
        store.local_prefixes = self._local
        store.record_preimages()  # once, for a database written before they were kept
        self._start_check = start_check
        self._check_state_version()
        self.block_max_gas = (_block_max_gas.get(store.state) or 0) if store.last_height > 0 else 0
        self.check_invariants_every_block = False
        self.query_gas_limit: int | None = QUERY_GAS_LIMIT  # None: unmetered (benchmarks)
        self.simulate_gas_limit = SIMULATE_GAS_LIMIT
        self._genesis: Branch | None = None  # InitChain writes, until the first Commit
        self._block: Branch | None = None  # the block being finalized, until Commit
        self._check = Branch(store.state)
        # The time of the block being finalized, and of the last one committed by this process
        # (0 before): CheckTx and Simulate run with it (see _check_block_info).
        self._block_time_ns = 0
        self._last_block_time_ns = 0
        self._preparers = [m.prepare_block for m in modules if m.prepare_block is not None]
        self._pre_blockers = [m.pre_block for m in modules if m.pre_block is not None]
        # Recheck: the txs CheckTx accepted, decoded (a pure function of their bytes and the
        # limits they were decoded under), by hash.
        self._decoded: BoundedCache[bytes, tuple] = BoundedCache(RECHECK_CACHE)

    def _check_state_version(self) -> None:
        store = self.store
        if store.last_height > 0:
            found = _state_version.get(store.state) or 1  # version 1 did not record it
            layout = self.layout_version
            if self._start_check is not None:
                self._start_check(store.state, store.last_height, found, layout)
            elif found != layout:
                raise IncompatibleState(
                    f"the state at height {store.last_height} was written in layout version "
                    f"{found}; this build runs version {layout}: start this node from "
                    "genesis again (reset its data) or migrate the state"
                )

    def restored(self) -> None:
        """The store now holds a commit restored from a state-sync snapshot: re-read what the
        app keeps from the committed state, as when it opens an existing database."""
        self._check_state_version()
        self.block_max_gas = _block_max_gas.get(self.store.state) or 0
        self._genesis = None
        self._block = None
        self._check = Branch(self.store.state)

    def _metered(self, store: KVStore, meter: GasMeter) -> GasKV:
        """``store`` charging ``meter``; node-local keys at the transient-store prices."""
        return GasKV(store, meter, self._local)

    @staticmethod
    def _add(table: dict, key: str, value) -> None:
        if key in table:
            raise ValueError(f"{key} registered twice")
        table[key] = value

    @classmethod
    def open(cls, data_dir: str, keep_versions: int = 1) -> App:
        """The node's app over the LevelDB state in ``data_dir`` with the standard modules,
        keeping ``keep_versions`` versions for queries at past heights (0: all)."""
        from stateset_chain.wiring import standard_app

        store = CommitStore.open(os.path.join(data_dir, "state"), keep_versions=keep_versions)
        return standard_app(store)

    # -- handshake ---------------------------------------------------------------------------

    def info(self, req: abci.RequestInfo) -> abci.ResponseInfo:
        height = self.store.last_height
        return abci.ResponseInfo(
            data=APP_NAME,
            version=str(self.layout_version),
            app_version=self.layout_version,
            last_block_height=height,
            last_block_app_hash=self.store.last_app_hash if height > 0 else b"",
        )

    def init_chain(self, req: abci.RequestInitChain) -> abci.ResponseInitChain:
        """Writes genesis into a branch kept in memory until the first block commits; calling it
        again (a crash before block 1) recomputes the same state."""
        genesis = json.loads(req.app_state_bytes or b"{}")
        branch = Branch(self.store.state)
        block = BlockInfo(req.initial_height or 1, _time_ns(req.time), req.chain_id)
        ctx = Context(branch, block)
        _chain_id.set(branch, req.chain_id)
        _state_version.set(branch, self.layout_version)
        given = req.consensus_params.block.max_gas
        self.block_max_gas = given if given > 0 else DEFAULT_BLOCK_MAX_GAS
        _block_max_gas.set(branch, self.block_max_gas)
        for m in self.modules:
            if m.init_genesis is not None:
                m.init_genesis(ctx, genesis.get(m.name, {}))
        self._run_invariants(ctx)
        self._genesis = branch
        app_hash = self.store.stage(branch.changes(), 0)
        response = abci.ResponseInitChain(app_hash=app_hash)
        if req.HasField("consensus_params") and given <= 0:
            # A genesis without a block gas limit gets the default: CometBFT takes the block
            # params from this response (both fields: it copies max_bytes too).
            response.consensus_params.block.max_bytes = req.consensus_params.block.max_bytes
            response.consensus_params.block.max_gas = self.block_max_gas
        return response

    # -- mempool -----------------------------------------------------------------------------

    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        """Decode and run the ante chain on the check branch, so a wallet can send several
        transactions per block (their sequences accumulate here until the next Commit)."""
        meter = GasMeter(None)
        branch = Branch(self._check)
        store = self._metered(branch, meter)
        ctx = Context(store, self._check_block_info(), meter, is_check_tx=True)
        gas_wanted = 0
        try:
            limits = self._limits(self._check)
            tx = self._decode_for_check(req, limits)
            gas_wanted = tx.gas_limit
            meter.limit = tx.gas_limit
            self.pipeline.ante(ctx, tx)
        except ChainError as e:
            return abci.ResponseCheckTx(
                code=e.code, codespace=e.codespace, log=e.log,
                gas_wanted=gas_wanted, gas_used=meter.consumed,
            )
        except FATAL:
            raise
        except Exception as e:  # a bug: refused like the SDK's recovered panic
            log.exception("panic in CheckTx")
            return abci.ResponseCheckTx(
                code=PANIC_CODE, codespace="sdk", log=_panic_log(e),
                gas_wanted=gas_wanted, gas_used=meter.consumed,
            )
        branch.write()
        self._decoded.put(tx.hash, (tx, limits))
        if self.pipeline.checked is not None:
            self.pipeline.checked(tx.hash)
        return abci.ResponseCheckTx(code=0, gas_wanted=gas_wanted, gas_used=meter.consumed)

    def _decode_for_check(self, req: abci.RequestCheckTx, limits):
        """A recheck reuses the tx decoded when it was first checked (under the same limits):
        only the ante chain's state checks run again (sequence, fee balance; its signature
        check is a cache hit)."""
        if req.type == abci.CheckTxType.RECHECK:
            hit = self._decoded.get(sha256(req.tx))
            if hit is not None and hit[1] == limits:
                return hit[0]
        return self.pipeline.decode(req.tx, self.routes, limits)

    def _limits(self, store: KVStore):
        return self.pipeline.limits(store, self.block_max_gas)

    def _check_block_info(self) -> BlockInfo:
        # CheckTx validates against the next block: timeout heights compare with it. Its time is
        # unknown; the last block's is the best guess, and it makes a simulation write timestamps
        # of the size the delivery will, so simulated gas is what the tx will use (with time 0
        # they were a few bytes shorter and the estimate ~1,000 gas low). Nothing in CheckTx
        # depends on the time, and neither is consensus.
        return BlockInfo(
            self.store.last_height + 1, self._last_block_time_ns, self.chain_id(self._check)
        )

    # -- proposals ---------------------------------------------------------------------------

    def prepare_proposal(self, req: abci.RequestPrepareProposal) -> abci.ResponsePrepareProposal:
        """The mempool's txs in order, without those ProcessProposal would refuse (they do not
        decode, or exceed max_tx_bytes or the block gas limit), up to the first that would not
        fit in ``max_tx_bytes`` or the block's gas (a prefix, as ``fit_txs``: a later tx of one
        sender needs the earlier one's sequence)."""
        limits = self._limits(self._consensus_base())
        kept: list[bytes] = []
        size = gas = 0
        for raw in req.txs:
            wanted = self._proposable_gas(raw, limits)
            if wanted is None:
                continue
            size += tx_proto_size(raw)
            gas += wanted
            if size > req.max_tx_bytes or (self.block_max_gas and gas > self.block_max_gas):
                break
            kept.append(raw)
        return abci.ResponsePrepareProposal(txs=kept)

    def process_proposal(self, req: abci.RequestProcessProposal) -> abci.ResponseProcessProposal:
        status = abci.ResponseProcessProposal
        ok = self.check_proposal(req.txs)
        return status(status=status.ACCEPT if ok else status.REJECT)

    def check_proposal(self, txs) -> bool:
        """A proposal is valid iff every tx decodes within the limits (size, gas, message count)
        and the txs' gas limits sum to at most the block gas limit. Deterministic: it reads only
        the txs' bytes, the committed params and the genesis gas limit, which every honest
        validator holds alike at this height."""
        limits = self._limits(self._consensus_base())
        total = 0
        for raw in txs:
            wanted = self._proposable_gas(raw, limits)
            if wanted is None:
                return False
            total += wanted
        return not self.block_max_gas or total <= self.block_max_gas

    def _proposable_gas(self, raw: bytes, limits) -> int | None:
        """The tx's gas limit if a proposal may carry it, else None."""
        try:
            return self.pipeline.decode(raw, self.routes, limits).gas_limit
        except FATAL:
            raise
        except Exception:  # ChainError or a decoder bug: refused the same way by every node
            return None

    def _consensus_base(self) -> KVStore:
        return self._genesis if self._genesis is not None else self.store.state

    # -- consensus ---------------------------------------------------------------------------

    def finalize_block(self, req: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        base = self._consensus_base()
        block = Branch(base)
        info = BlockInfo(req.height, _time_ns(req.time), self.chain_id(base))
        self._block_time_ns = info.time_ns
        pre_events = EventManager()
        pre_ctx = Context(block, info, events=pre_events)
        for pre_block in self._pre_blockers:  # may raise: an upgrade halts the node here
            pre_block(pre_ctx)
        limits = self._limits(block)
        decoded = [self._decode_for_block(raw, limits) for raw in req.txs]
        self._prepare_block(base, info, decoded)
        results = [
            self.deliver_tx(block, info, raw, decoded=(tx, limits))
            for raw, tx in zip(req.txs, decoded, strict=True)
        ]
        end_events = EventManager()
        end_ctx = Context(block, info, events=end_events)
        for m in self.modules:
            if m.end_block is not None:
                m.end_block(end_ctx)
        if self.check_invariants_every_block:
            self._run_invariants(end_ctx)
        changes = self._block_changes(block)
        self._block = block
        app_hash = self.store.stage(changes, req.height)
        # Each result comes serialized (see deliver_tx): the response is parsed once.
        response = abci.ResponseFinalizeBlock.FromString(
            b"".join([encode_field(_TX_RESULTS, result) for result in results])
        )
        pre_events.write_to(response.events)
        end_events.write_to(response.events)
        response.app_hash = app_hash
        return response

    def _prepare_block(self, base: KVStore, info: BlockInfo, decoded: list) -> None:
        """Warms the caches the block's txs will hit (the pipeline's: tx signatures; the modules':
        e.g. attestation signers); a bug here must not stop the block, and cannot change its
        result, so it is logged and the block runs cold."""
        steps: list[Callable[[], object]] = []
        if self.pipeline.prepare is not None:
            steps.append(functools.partial(self.pipeline.prepare, base, info.chain_id, decoded))
        txs = [tx for tx in decoded if tx is not None and not isinstance(tx, ChainError)]
        steps += [functools.partial(hook, txs) for hook in self._preparers]
        for step in steps:
            try:
                step()
            except FATAL:
                raise
            except Exception:
                log.exception("preparing block %d failed; its txs verify inline", info.height)

    def _decode_for_block(self, raw: bytes, limits):
        """The decoded tx or its decode error (None: anything else, which deliver_tx meets
        again and handles)."""
        try:
            return self.pipeline.decode(raw, self.routes, limits)
        except ChainError as e:
            return e
        except FATAL:
            raise
        except Exception:
            return None

    def _block_changes(self, block: Branch) -> list[tuple[bytes, bytes | None]]:
        if self._genesis is None:
            return block.changes()
        merged = Branch(self._genesis.parent)
        for k, v in self._genesis.changes() + block.changes():
            if v is None:
                merged.delete(k)
            else:
                merged.set(k, v)
        return merged.changes()

    def deliver_tx(
        self, block: Branch, info: BlockInfo, raw: bytes, simulate: bool = False,
        decoded: tuple | None = None,
    ) -> bytes:
        """Runs one transaction against the block branch and returns its ``ExecTxResult``,
        serialized (building thousands of event attributes as protobuf objects costs more than
        writing their bytes). Raises only what is ``FATAL``; any other exception is the SDK's
        recovered panic: the tx fails with code 111222, its ante writes (fee, sequence) kept only
        if the ante had completed. ``simulate``: the gas limit is ``simulate_gas_limit`` instead
        of the tx's, and the ante's simulation rules apply (Simulate queries, on a throwaway
        branch). ``decoded``: ``(raw decoded or its decode ChainError, the limits it was decoded
        under)``, from FinalizeBlock; used when the limits are still those (a tx earlier in the
        block may have changed them)."""
        run = _TxRun(GasMeter(None), EventManager())
        try:
            return self._run_tx(block, info, raw, run, simulate, decoded)
        except FATAL:
            raise
        except Exception as e:  # deterministic: every node runs the same code on the same bytes
            log.exception("panic while running a tx")
            result = abci.ExecTxResult(
                code=PANIC_CODE, codespace="sdk", log=_panic_log(e, run.stage),
                gas_wanted=run.gas_wanted, gas_used=run.meter.consumed,
            )
            if run.ante_done:
                run.ante_events.write_to(result.events)
            return result.SerializeToString(deterministic=True)

    def _run_tx(
        self, block: Branch, info: BlockInfo, raw: bytes, run: _TxRun, simulate: bool,
        decoded: tuple | None = None,
    ) -> bytes:
        meter, ante_events = run.meter, run.ante_events
        ante_branch = Branch(block)
        store = self._metered(ante_branch, meter)
        ctx = Context(store, info, meter, ante_events, is_simulate=simulate)
        try:
            limits = self._limits(block)
            if decoded is not None and decoded[0] is not None and decoded[1] == limits:
                tx = decoded[0]
                if isinstance(tx, ChainError):
                    raise tx
            else:
                tx = self.pipeline.decode(raw, self.routes, limits)
            run.gas_wanted = tx.gas_limit
            meter.limit = self.simulate_gas_limit if simulate else tx.gas_limit
            self.pipeline.ante(ctx, tx)
        except ChainError as e:
            return _failed(e, e.log, run.gas_wanted, meter.consumed)
        ante_branch.write()
        run.ante_done = True
        gas_wanted = run.gas_wanted

        msg_branch = Branch(block)
        # Each message's events are kept in its own manager and go into the result only when
        # every message has succeeded (a failed tx keeps its ante events alone).
        msg_events = []
        responses = sdk_abci.TxMsgData()
        for i, (msg, route) in enumerate(zip(tx.msgs, tx.routes, strict=True)):
            events = EventManager()
            store = self._metered(msg_branch, meter)
            mctx = Context(store, info, meter, events, is_simulate=simulate)
            run.stage = f"message {i}"
            try:
                response = route.handler(mctx, msg)
            except ChainError as e:
                log_text = f"failed to execute message; message index: {i}: {e.log}"
                return _failed(e, log_text, gas_wanted, meter.consumed, ante_events)
            msg_events.append((route, msg, events))
            _pack_into(responses.msg_responses.add(), response)
        run.stage = "the result's encoding"
        # ExecTxResult{code: 0, data, gas_wanted, gas_used, events}, in field order. Encoded
        # before the messages' writes are kept: if encoding failed (a bug), the recovered panic
        # result would otherwise sit on top of state the messages had changed.
        out = [
            encode_field(_RESULT_DATA, responses.SerializeToString(deterministic=True)),
            _int64_field(_RESULT_GAS_WANTED, gas_wanted),
            _int64_field(_RESULT_GAS_USED, meter.consumed),
        ]
        ante_events.encode_into(out, _RESULT_EVENTS)
        for i, (route, msg, manager) in enumerate(msg_events):
            msg_index = (("msg_index", str(i)),)
            _message_event_into(out, route, msg, msg_index)
            manager.encode_into(out, _RESULT_EVENTS, msg_index)
        result = b"".join(out)
        msg_branch.write()
        return result

    def commit(self, req: abci.RequestCommit) -> abci.ResponseCommit:
        if self._block is None and self._genesis is None:
            raise RuntimeError("Commit without FinalizeBlock")
        self.store.commit()
        self._genesis = None
        self._block = None
        self._check = Branch(self.store.state)
        self._last_block_time_ns = self._block_time_ns
        return abci.ResponseCommit(retain_height=0)

    # -- queries -----------------------------------------------------------------------------

    def query_needs_lock(self, req: abci.RequestQuery) -> bool:
        """Only Simulate runs on the check state (pending sequences), under the app lock; every
        other query reads the last commit (``CommitStore.committed``) and may run on its own
        thread beside FinalizeBlock, Commit and CheckTx."""
        return req.path == SIMULATE_PATH

    def query(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        """Answers from one committed height: the state a ``committed()`` view holds, whatever
        commits while the query runs. Every read is metered (``query_gas_limit``)."""
        if req.path == SIMULATE_PATH:
            return self._query_simulate(req)
        height = self.store.last_height
        try:
            view = self.store.view_at(req.height)  # 0: the latest (versions.py keeps the rest)
            height = view.height
            if req.path == STORE_KEY_PATH:
                return self._query_store_key(req, view)
            route = self.queries.get(req.path)
            if route is None:
                raise UnknownRequest(f"unknown query path {req.path!r}")
            request = route.request_cls()
            request.ParseFromString(req.data)
            meter = GasMeter(self.query_gas_limit)
            store = Branch(self._metered(view.state, meter))
            info = BlockInfo(height, 0, self.chain_id(view.state))
            try:
                response = route.handler(Context(store, info, meter), request)
            except OutOfGas:
                raise QueryBudgetExceeded(
                    f"{req.path} read more than {self.query_gas_limit} gas of state"
                ) from None
            except KeyPartTooLong:  # a field no stored key can hold (the handler let it pass)
                raise InvalidRequest(
                    f"{req.path}: a request field is longer than any key part (255 bytes)"
                ) from None
            except LatestOnly as e:
                raise LatestOnlyQuery(f"{req.path}: {e}") from None
            return abci.ResponseQuery(
                code=0, value=response.SerializeToString(deterministic=True), height=height
            )
        except NotFound as e:
            # A query's "no such thing" is a gRPC NotFound status in the SDK, which baseapp
            # reports over ABCI as ErrKeyNotFound wrapping the status text; clients match that
            # text (cosmjs returns null for an unknown account only on "rpc error: code =
            # NotFound"), and the gateway turns it back into the status.
            err: ChainError = KeyNotFound(f"rpc error: code = NotFound desc = {e.detail}")
            return abci.ResponseQuery(
                code=err.code, codespace=err.codespace, log=err.log, height=height
            )
        except HeightUnavailable as e:
            err = InvalidHeight(str(e))
            return abci.ResponseQuery(
                code=err.code, codespace=err.codespace, log=err.log, height=height
            )
        except ChainError as e:
            return abci.ResponseQuery(code=e.code, codespace=e.codespace, log=e.log, height=height)
        except DecodeError as e:
            err = TxDecodeError(f"cannot decode query data for {req.path}: {e}")
            return abci.ResponseQuery(code=err.code, codespace=err.codespace, log=err.log)

    def _query_simulate(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        height = self.store.last_height
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
        """Runs a transaction as the next block would, on a branch of the check state that is
        then dropped: the gas it uses (wallets add a margin) and its events. Signatures, the
        zero-gas and the minimum-fee checks are skipped, as in the SDK's simulate mode."""
        raw = bytes(req.tx_bytes)
        if not raw and req.HasField("tx"):  # the deprecated field cosmpy still uses
            raw = tx_pb2.TxRaw(
                body_bytes=req.tx.body.SerializeToString(deterministic=True),
                auth_info_bytes=req.tx.auth_info.SerializeToString(deterministic=True),
                signatures=list(req.tx.signatures),
            ).SerializeToString(deterministic=True)
        if not raw:
            raise InvalidRequest("empty tx")
        return abci.ExecTxResult.FromString(
            self.deliver_tx(Branch(self._check), self._check_block_info(), raw, simulate=True)
        )

    def _query_store_key(self, req: abci.RequestQuery, view: CommittedView) -> abci.ResponseQuery:
        """A raw state key at the view's height; with ``prove``, its ICS23 proof (membership or
        non-membership) against that height's app hash, which is in header height + 1."""
        key = bytes(req.data)
        if not key:
            raise KeyNotFound("empty key")
        if not req.prove:
            try:
                value = view.state.get(key)
            except LatestOnly as e:
                raise LatestOnlyQuery(str(e)) from None
            return abci.ResponseQuery(code=0, key=key, value=value or b"", height=view.height)
        try:
            value, proof = self.store.ics23_proof(view, key)
        except (NotProvable, proofs.ProofUnavailable) as e:
            raise InvalidRequest(str(e)) from None
        op = proof_pb2.ProofOp(
            type=PROOF_OP_TYPE, key=key, data=proof.SerializeToString(deterministic=True)
        )
        return abci.ResponseQuery(
            code=0, key=key, value=value or b"", height=view.height,
            proof_ops=proof_pb2.ProofOps(ops=[op]),
        )

    def _query_block_info(self) -> BlockInfo:
        return BlockInfo(self.store.last_height, 0, self.chain_id(self.store.state))

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def chain_id(store: KVStore) -> str:
        return _chain_id.get(store) or ""

    def _run_invariants(self, ctx: Context) -> None:
        for m in self.modules:
            for check in m.invariants:
                check(ctx)

    def run_invariants(self) -> None:
        """Checks every module invariant on the committed state (tests call this per block)."""
        self._run_invariants(Context(Branch(self.store.state), self._query_block_info()))


@dataclass(slots=True)
class _TxRun:
    """What one tx's run has reached, for the result of a recovered panic."""

    meter: GasMeter
    ante_events: EventManager
    gas_wanted: int = 0
    ante_done: bool = False
    stage: str = "decoding or the ante"


def _panic_log(e: Exception, stage: str = "CheckTx") -> str:
    # The type only: an exception's text may hold memory addresses or other node-local detail,
    # and the log is part of what every node returns (not of the results hash, but keep it equal).
    return f"panic in {stage}: {type(e).__name__}: recovered"


def _time_ns(ts) -> int:
    return ts.seconds * 1_000_000_000 + ts.nanos


def _failed(
    e: ChainError, log_text: str, gas_wanted: int, gas_used: int,
    ante_events: EventManager | None = None,
) -> bytes:
    # A failed tx keeps only its ante events (fee paid); message events are dropped, as in the SDK.
    result = abci.ExecTxResult(
        code=e.code, codespace=e.codespace, log=log_text,
        gas_wanted=gas_wanted, gas_used=gas_used,
    )
    if ante_events is not None:
        ante_events.write_to(result.events)
    return result.SerializeToString(deterministic=True)


# Field tags of the hand-serialized messages (tendermint/abci/types.proto).
_TX_RESULTS = b"\x12"  # ResponseFinalizeBlock.tx_results: field 2, length-delimited
_RESULT_DATA = b"\x12"  # ExecTxResult.data: field 2, length-delimited
_RESULT_GAS_WANTED = b"\x28"  # ExecTxResult.gas_wanted: field 5, varint
_RESULT_GAS_USED = b"\x30"  # ExecTxResult.gas_used: field 6, varint
_RESULT_EVENTS = b"\x3a"  # ExecTxResult.events: field 7, length-delimited


def _int64_field(tag: bytes, value: int) -> bytes:
    if not -(2**63) <= value < 2**63:
        raise ValueError(f"Value out of range: {value}")  # as protobuf refuses it
    return tag + encode_varint(value & 0xFFFF_FFFF_FFFF_FFFF) if value else b""


def _message_event_into(
    out: list[bytes], route: MsgRoute, msg, msg_index: tuple[tuple[str, str], ...]
) -> None:
    """Appends the SDK's per-message ``message`` event (action, sender = first signer, module,
    then ``msg_index``) as an ``ExecTxResult.events`` field."""
    signers = route.signers(msg)
    action, module = _action_and_module(route.msg_cls.DESCRIPTOR.full_name)
    attributes = (action, ("sender", signers[0] if signers else ""), module)
    encode_event_into(out, _RESULT_EVENTS, "message", attributes, msg_index)


@functools.lru_cache(maxsize=256)
def _action_and_module(msg_full_name: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """``cosmos.bank.v1beta1.MsgSend`` -> the attributes ``action=/cosmos.bank.v1beta1.MsgSend``
    and ``module=bank``."""
    return ("action", "/" + msg_full_name), ("module", msg_full_name.split(".")[-3])


def _pack_into(packed: PbAny, response) -> None:
    """``packed.Pack(response, type_url_prefix="/")``, or left empty for no response."""
    if response is not None:
        packed.type_url = "/" + response.DESCRIPTOR.full_name
        packed.value = response.SerializeToString(deterministic=True)
