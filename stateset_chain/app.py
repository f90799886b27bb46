"""The state machine: what a validator computes for each block, tx and query.

``App`` knows nothing of sockets or of ABCI's protobufs: it is asked and answers in its own terms
(``stateset_chain.app_types``: ``Genesis``, ``Block``, tx bytes, query paths -> ``GenesisResult``,
``BlockResult``, ``TxResult``, ``QueryResult``). ``stateset_chain.abci.adapter`` is the ABCI face
that CometBFT talks to: it decodes the wire, calls the app, encodes its answers. Its state lives in
a ``CommitStore``; everything between two commits lives in branches:

    committed state ─┬─ genesis branch (InitChain, until the first Commit)
                     │    └─ block branch (FinalizeBlock)
                     │          ├─ ante branch of tx i   (fee + sequence: kept once the ante passes)
                     │          └─ msg branch of tx i    (kept only if every message succeeds)
                     └─ check branch (CheckTx/Recheck: pending sequences; reset at Commit)

``finalize_block`` stages the block's writes and computes the app hash; ``commit`` makes the
writes, the height and the hash durable in one atomic write. ``info`` reports exactly the last
commit, so after a crash CometBFT's handshake replays the missing blocks.

Transaction execution follows the Cosmos SDK's baseapp: decode, the ante chain (its writes survive
a failing message, so a failed transaction still pays its fee and uses its sequence), then every
message on one branch that is written only if all of them succeed. Each message's events get
``msg_index``; a failure gets the error's code, codespace and log.

Nothing in a tx's bytes can raise out of ``check_tx`` or ``finalize_block``. A ``ChainError`` is
the tx's result; any other exception anywhere in a tx's processing (decode, validation, ante,
handlers, the caller's encoding of its result) is a bug that every node hits the same way, so it
is recovered as the SDK's panic code (sdk 111222) with nothing of the tx's messages written, and
the block goes on. Only a broken invariant (``InvariantBroken``) or a store failure
(``STORE_FAILURES``, ``MemoryError``) stops the node, because those are not a function of the tx.

A proposal is accepted only if every tx decodes, fits ``max_tx_bytes`` and the block's
``max_gas``, and the txs' gas limits sum to at most ``max_gas`` (``check_proposal``); each rule is
a pure function of the proposal's bytes and the last committed state, so honest validators agree.
``prepare_proposal`` proposes only txs that pass the same rules.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, overload

from google.protobuf.message import DecodeError

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain import genesisjson
from stateset_chain.app_types import (
    AppInfo,
    Block,
    BlockResult,
    Genesis,
    GenesisResult,
    QueryResult,
    TxResult,
)
from stateset_chain.cache import BoundedCache
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crypto.hashes import sha256
from stateset_chain.crypto.sigcache import run_batched
from stateset_chain.delivery import MessageFailed, run_msgs
from stateset_chain.errors import (
    ChainError,
    InvalidHeight,
    InvalidRequest,
    InvariantBroken,
    KeyNotFound,
    LatestOnlyQuery,
    OutOfGas,
    QueryBudgetExceeded,
    QueryFieldTooLong,
    TxDecodeError,
    UnknownRequest,
)
from stateset_chain.events import EventManager
from stateset_chain.gas import GasKV, GasMeter
from stateset_chain.module import Module, MsgRoute, QueryRoute
from stateset_chain.pipeline import DecodedTx, TxPipeline
from stateset_chain.store import proofs
from stateset_chain.store.collections import Item, KeyPartTooLong, StrValue, U64Value
from stateset_chain.store.commit import STORE_FAILURES, CommitStore, NotProvable
from stateset_chain.store.kv import Branch, KVStore
from stateset_chain.store.memo import CommittedReads, ReadAhead
from stateset_chain.store.versions import HeightUnavailable, LatestOnly

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
# compliance decision, fraud score, hold reason and billing country (optional fields); 12: the
# oracle store (a new module: "v12" starts it from its default genesis); 13: the orders'
# consensus index of open orders by party (0x31) and the compliance freeze queue (0x09) with
# params.freeze_drain_limit (planned upgrade "v13": orders and compliance v2 migrations)
APP_VERSION = 13
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
# A streamed genesis (init_chain) writes through to the store every this many of its items: one
# part's writes (~10 MiB of Python objects per 1,000 orders) are what InitChain holds.
GENESIS_PART_ITEMS = 10_000
RECHECK_CACHE = 1 << 13  # decoded txs kept for rechecks (more than a mempool holds; ~25 MiB)

_chain_id: Item[str] = Item(b"app/chain_id", StrValue)
# The layout version of the state (APP_VERSION of the binary that wrote it; a planned upgrade's
# migration moves it to the new binary's).
STATE_VERSION: Item[int] = Item(b"app/state_version", U64Value)
_state_version = STATE_VERSION
_block_max_gas: Item[int] = Item(b"app/block_max_gas", U64Value)  # 0: no limit

R = TypeVar("R")
# How a caller wants each tx's result (the ABCI adapter: its wire bytes). It runs before the tx's
# writes are kept, so a result that cannot be encoded is the tx's recovered panic, never state
# written under a result nobody sees.
ResultEncoder = Callable[[TxResult], R]


class IncompatibleState(Exception):
    """The database holds state in a layout this build does not run (the node must not start)."""


class StartCheck(Protocol):
    """Decides whether this binary may run over an existing database (the upgrade module:
    ``stateset_chain/upgrade/preblock.py check_start``); raises ``IncompatibleState`` if not."""

    def __call__(self, state: KVStore, height: int, found: int, layout: int) -> None: ...


def _as_is(result: TxResult) -> TxResult:
    return result



def _read_keys(reads: CommittedReads, keys: list[bytes]) -> int:
    """Reads into the block's memo, on the worker threads, the keys it does not hold yet; returns
    how many."""
    unread = [k for k in dict.fromkeys(keys) if k not in reads.values]
    reads.remember(unread, run_batched(reads.read_many, unread))
    return len(unread)

class App:
    """The chain's state machine over ``store``: ``modules``, and txs through ``pipeline``."""

    def __init__(
        self, store: CommitStore, modules: list[Module], pipeline: TxPipeline[Any], *,
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
        # Streamed genesis items (orders) per part written through to the store (init_chain).
        self.genesis_part_items = GENESIS_PART_ITEMS
        # The directory of the genesis file: a list the genesis names as a file of its own
        # (genesisjson: a path and SHA-256) is read from there (statesetd start --genesis-dir).
        self.genesis_dir: str | None = None
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

    # -- handshake ---------------------------------------------------------------------------

    @property
    def last_height(self) -> int:
        return self.store.last_height

    def info(self) -> AppInfo:
        height = self.store.last_height
        return AppInfo(
            name=APP_NAME,
            version=self.layout_version,
            last_height=height,
            last_app_hash=self.store.last_app_hash if height > 0 else b"",
        )

    def init_chain(self, genesis: Genesis) -> GenesisResult:
        """Writes genesis into a branch kept in memory until the first block commits; calling it
        again (a crash before block 1) recomputes the same state. A genesis without a block gas
        limit runs with ``DEFAULT_BLOCK_MAX_GAS`` (the result says which).

        A large genesis is streamed: the modules' large lists (``Module.genesis_streams``, the
        orders) are parsed one item at a time from the document (``genesisjson``), and every
        ``genesis_part_items`` of their items the branch's writes so far go through to the
        store (``CommitStore.write_genesis``, marked until the first commit), so memory holds
        the document's bytes and one part, whatever the number of orders. The state, and so the
        app hash, is the same as when the whole genesis is held
        (tests/app/test_genesis_stream.py). A large list may also be a file beside the genesis
        (``genesis_dir``), named in the document by its SHA-256, so the request stays small:
        the file is checked before any module's genesis runs (``genesisjson.GenesisFileError``
        when it is missing or has another digest) and streamed the same way."""
        self.store.discard_genesis()
        streams = {m.name: m.genesis_streams for m in self.modules if m.genesis_streams}
        app_state = genesisjson.read_app_state(genesis.app_state, streams, self.genesis_dir)
        branch = Branch(self.store.state)
        parts = _GenesisParts(self.store, branch, self.genesis_part_items)
        for name, fields in streams.items():
            section = app_state.get(name)
            for f in fields:
                listed = section.get(f) if isinstance(section, dict) else None
                if isinstance(listed, genesisjson.StreamedList):
                    listed.on_item = parts.item
        block = BlockInfo(genesis.initial_height or 1, genesis.time_ns, genesis.chain_id)
        ctx = Context(branch, block)
        _chain_id.set(branch, genesis.chain_id)
        _state_version.set(branch, self.layout_version)
        given = genesis.block_max_gas
        self.block_max_gas = given if given > 0 else DEFAULT_BLOCK_MAX_GAS
        _block_max_gas.set(branch, self.block_max_gas)
        for m in self.modules:
            if m.init_genesis is not None:
                m.init_genesis(ctx, app_state.get(m.name, {}))
        for m in self.modules:
            checks = m.invariants if m.genesis_invariants is None else m.genesis_invariants
            for check in checks:
                check(ctx)
        if parts.written:
            parts.write()  # the rest: the whole genesis is in the store, the branch empty
        self._genesis = branch
        app_hash = self.store.stage(branch.changes(), 0)
        return GenesisResult(app_hash=app_hash, block_max_gas=self.block_max_gas)

    # -- mempool -----------------------------------------------------------------------------

    def check_tx(self, raw: bytes, recheck: bool = False) -> TxResult:
        """Decode and run the ante chain on the check branch, so a wallet can send several
        transactions per block (their sequences accumulate here until the next Commit)."""
        meter = GasMeter(None)
        branch = Branch(self._check)
        info = self._check_block_info()
        gas_wanted = 0
        try:
            limits = self.limits(self._check)
            tx = self._decode_for_check(raw, recheck, limits)
            gas_wanted = tx.gas_limit
            self.run_ante(branch, info, tx, meter, check_tx=True)
        except ChainError as e:
            return TxResult(
                code=e.code, codespace=e.codespace, log=e.log,
                gas_wanted=gas_wanted, gas_used=meter.consumed,
            )
        except FATAL:
            raise
        except Exception as e:  # a bug: refused like the SDK's recovered panic
            log.exception("panic in CheckTx")
            return TxResult(
                code=PANIC_CODE, codespace="sdk", log=_panic_log(e),
                gas_wanted=gas_wanted, gas_used=meter.consumed,
            )
        branch.write()
        self._decoded.put(tx.hash, (tx, limits))
        if self.pipeline.checked is not None:
            self.pipeline.checked(tx.hash)
        return TxResult(code=0, gas_wanted=gas_wanted, gas_used=meter.consumed)

    def _decode_for_check(self, raw: bytes, recheck: bool, limits) -> DecodedTx:
        """A recheck reuses the tx decoded when it was first checked (under the same limits):
        only the ante chain's state checks run again (sequence, fee balance; its signature
        check is a cache hit)."""
        if recheck:
            hit = self._decoded.get(sha256(raw))
            if hit is not None and hit[1] == limits:
                return hit[0]
        return self.decode(raw, limits)

    def _take_checked(self, raw: bytes, limits) -> DecodedTx | None:
        """The tx as CheckTx decoded it under the same ``limits`` (decoding is a pure function of
        the bytes, the routes and the limits), removed from the recheck cache: a block delivers
        each decoded object at most once, and a repeat of the same bytes (in this block or a
        later one) is decoded afresh, so no handler ever sees an object a handler has run on.
        The ante's only change to it (``validate_msgs`` refilling ``parsed``) is made again in
        every ante run."""
        key = sha256(raw)
        hit = self._decoded.get(key)
        if hit is None or hit[1] != limits:
            return None
        self._decoded.drop(key)
        return hit[0]  # type: ignore[no-any-return]

    # -- one tx's decode and ante phase (CheckTx, FinalizeBlock, Simulate, proposals) ----------

    def limits(self, store: KVStore):
        """The limits a tx is decoded under on ``store``: its params and the block gas limit."""
        return self.pipeline.limits(store, self.block_max_gas)

    def decode(self, raw: bytes, limits) -> DecodedTx:
        """``raw`` decoded under ``limits`` (``limits(store)``); raises its ChainError. Every path
        that decodes a tx decodes it here."""
        return self.pipeline.decode(raw, self.routes, limits)

    def run_ante(
        self, branch: Branch, info: BlockInfo, tx: DecodedTx, meter: GasMeter,
        events: EventManager | None = None, *, check_tx: bool = False, simulate: bool = False,
    ) -> Context:
        """The ante phase of a decoded tx, as CheckTx, FinalizeBlock and Simulate run it: the
        pipeline's ante chain on ``branch`` through the gas-metered view, against ``meter``
        limited to the tx's gas limit (``simulate``: to ``simulate_gas_limit``). Returns the
        tx's context (its meter, the ante's events); raises the ante's ChainError. The caller
        writes ``branch`` only once this returns."""
        ctx = Context(
            self._metered(branch, meter), info, meter,
            events if events is not None else EventManager(),
            is_check_tx=check_tx, is_simulate=simulate,
        )
        meter.limit = self.simulate_gas_limit if simulate else tx.gas_limit
        self.pipeline.ante(ctx, tx)
        return ctx

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

    def prepare_proposal(
        self, txs: Sequence[bytes], max_tx_bytes: int, tx_size: Callable[[bytes], int]
    ) -> list[bytes]:
        """The mempool's txs in order, without those ``check_proposal`` would refuse (they do
        not decode, or exceed max_tx_bytes or the block gas limit), up to the first that would
        not fit in ``max_tx_bytes`` (each tx counted as ``tx_size``, the consensus engine's
        measure) or the block's gas: a prefix, since a later tx of one sender needs the earlier
        one's sequence."""
        limits = self.limits(self._consensus_base())
        kept: list[bytes] = []
        size = gas = 0
        for raw in txs:
            wanted = self._proposable_gas(raw, limits)
            if wanted is None:
                continue
            size += tx_size(raw)
            gas += wanted
            if size > max_tx_bytes or (self.block_max_gas and gas > self.block_max_gas):
                break
            kept.append(raw)
        return kept

    def check_proposal(self, txs: Sequence[bytes]) -> bool:
        """A proposal is valid iff every tx decodes within the limits (size, gas, message count)
        and the txs' gas limits sum to at most the block gas limit. Deterministic: it reads only
        the txs' bytes, the committed params and the genesis gas limit, which every honest
        validator holds alike at this height."""
        limits = self.limits(self._consensus_base())
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
            return self.decode(raw, limits).gas_limit
        except FATAL:
            raise
        except Exception:  # ChainError or a decoder bug: refused the same way by every node
            return None

    def _consensus_base(self) -> KVStore:
        return self._genesis if self._genesis is not None else self.store.state

    # -- consensus ---------------------------------------------------------------------------

    @overload
    def finalize_block(self, block: Block) -> BlockResult[TxResult]: ...

    @overload
    def finalize_block(self, block: Block, encode: ResultEncoder[R]) -> BlockResult[R]: ...

    def finalize_block(self, block: Block, encode: Callable[[TxResult], Any] = _as_is):
        """Runs the block's txs and end-block hooks on a branch, stages its writes and computes
        the app hash (``commit`` makes them durable). One result per tx, as ``encode`` makes it
        (called before the tx's writes are kept)."""
        base = self._consensus_base()
        if base is self.store.state:  # committed reads kept for the block (store/memo.py)
            base = CommittedReads(base)
        branch = Branch(base)
        info = BlockInfo(block.height, block.time_ns, self.chain_id(base))
        self._block_time_ns = info.time_ns
        pre_events = EventManager()
        pre_ctx = Context(branch, info, events=pre_events)
        for pre_block in self._pre_blockers:  # may raise: an upgrade halts the node here
            pre_block(pre_ctx)
        limits = self.limits(branch)
        decoded = [self._decode_for_block(raw, limits) for raw in block.txs]
        self._prepare_block(base, info, decoded)
        results = [
            self.deliver_tx(branch, info, raw, encode, decoded=(tx, limits))
            for raw, tx in zip(block.txs, decoded, strict=True)
        ]
        end_events = EventManager()
        end_ctx = Context(branch, info, events=end_events)
        for m in self.modules:
            if m.end_block is not None:
                m.end_block(end_ctx)
        for m in self.modules:
            if m.derive_local is not None:  # node-local writes from the block's own (indexes)
                m.derive_local(base, branch)
        if self.check_invariants_every_block:
            self._run_invariants(end_ctx)
        changes = self._block_changes(branch)
        self._block = branch
        app_hash = self.store.stage(changes, block.height)
        return BlockResult(
            tx_results=results, events=[pre_events, end_events], app_hash=app_hash
        )

    def _prepare_block(self, base: KVStore, info: BlockInfo, decoded: list) -> None:
        """Warms the caches the block's txs will hit (the pipeline's: tx signatures; the modules':
        e.g. attestation signers); a bug here must not stop the block, and cannot change its
        result, so it is logged and the block runs cold."""
        steps: list[Callable[[], object]] = []
        txs = [tx for tx in decoded if tx is not None and not isinstance(tx, ChainError)]
        if isinstance(base, CommittedReads):  # first: the signature step reads accounts too
            steps.append(functools.partial(self._read_ahead, base, txs, info))
        if self.pipeline.prepare is not None:
            steps.append(functools.partial(self.pipeline.prepare, base, info.chain_id, decoded))
        steps += [functools.partial(hook, txs) for hook in self._preparers]
        for step in steps:
            try:
                step()
            except FATAL:
                raise
            except Exception:
                log.exception("preparing block %d failed; its txs verify inline", info.height)

    def _read_ahead(self, reads: CommittedReads, txs: list, block: BlockInfo) -> int:
        """Reads the committed values of the keys the block's txs will most likely read (the
        ante chain's, ``TxPipeline.reads``; each message's, ``MsgRoute.reads``) on the worker
        threads, into the block's memo, so the main thread does not wait on LevelDB for them;
        then the keys and ranges those name (``MsgRoute.reads_after``: an order tx's fraud
        window, stock locations and screening keys). Only committed values go in, so no result
        depends on what was read ahead. Returns how many keys and ranges were read."""
        ante_reads = self.pipeline.reads
        keys: list[bytes] = []
        for tx in txs:
            try:
                if ante_reads is not None:
                    keys += ante_reads(tx)
                for msg, route in zip(tx.msgs, tx.routes, strict=True):
                    if route.reads is not None:
                        keys += route.reads(msg)
            except ChainError:  # an address that does not decode: the tx fails on its own
                continue
        read = _read_keys(reads, keys)
        more = ReadAhead()
        for tx in txs:
            for msg, route in zip(tx.msgs, tx.routes, strict=True):
                if route.reads_after is None:
                    continue
                try:
                    more.add(route.reads_after(msg, reads, block))
                except (ChainError, KeyPartTooLong):  # the tx fails on its own
                    continue
        read += _read_keys(reads, more.keys)
        ranges = [r for r in dict.fromkeys(more.ranges) if r not in reads.ranges]
        reads.remember_ranges(ranges, run_batched(reads.read_ranges, ranges))
        return read + len(ranges)

    def _decode_for_block(self, raw: bytes, limits):
        """The decoded tx or its decode error (None: anything else, which deliver_tx meets
        again and handles). A tx this node's CheckTx accepted is not decoded again: its decoded
        form is taken out of the recheck cache (see ``_take_checked``)."""
        checked = self._take_checked(raw, limits)
        if checked is not None:
            return checked
        try:
            return self.decode(raw, limits)
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
        self, block: Branch, info: BlockInfo, raw: bytes, encode: ResultEncoder[R],
        simulate: bool = False, decoded: tuple | None = None,
    ) -> R:
        """Runs one transaction against the block branch and returns its result as ``encode``
        makes it. Raises only what is ``FATAL``; any other exception is the SDK's recovered
        panic: the tx fails with code 111222, its ante writes (fee, sequence) kept only if the
        ante had completed. ``simulate``: the gas limit is ``simulate_gas_limit`` instead of the
        tx's, and the ante's simulation rules apply (Simulate queries, on a throwaway branch).
        ``decoded``: ``(raw decoded or its decode ChainError, the limits it was decoded under)``,
        from FinalizeBlock; used when the limits are still those (a tx earlier in the block may
        have changed them)."""
        run = _TxRun(GasMeter(None), EventManager())
        try:
            return self._run_tx(block, info, raw, run, encode, simulate, decoded)
        except FATAL:
            raise
        except Exception as e:  # deterministic: every node runs the same code on the same bytes
            log.exception("panic while running a tx")
            return encode(TxResult(
                code=PANIC_CODE, codespace="sdk", log=_panic_log(e, run.stage),
                gas_wanted=run.gas_wanted, gas_used=run.meter.consumed,
                events=[(run.ante_events, ())] if run.ante_done else [],
            ))

    def _run_tx(
        self, block: Branch, info: BlockInfo, raw: bytes, run: _TxRun, encode: ResultEncoder[R],
        simulate: bool, decoded: tuple | None = None,
    ) -> R:
        meter, ante_events = run.meter, run.ante_events
        # The tx writes into the block's branch in place: the ante's writes under one savepoint,
        # the messages' under another, each undone if its part fails (or panics) and kept
        # otherwise; the same reads and writes as a branch of the block written or dropped.
        ante = block.savepoint()
        try:
            limits = self.limits(block)
            if decoded is not None and decoded[0] is not None and decoded[1] == limits:
                tx = decoded[0]
                if isinstance(tx, ChainError):
                    raise tx
            else:
                tx = self.decode(raw, limits)
            run.gas_wanted = tx.gas_limit
            self.run_ante(block, info, tx, meter, ante_events, simulate=simulate)
        except ChainError as e:
            ante.discard()
            return encode(_failed(e, e.log, run.gas_wanted, meter.consumed))
        except BaseException:
            ante.discard()
            raise
        ante.write()
        run.ante_done = True
        gas_wanted = run.gas_wanted

        # The messages run in the block's branch under one savepoint, kept only if every one
        # succeeds; their events go into the result only then (a failed tx keeps its ante
        # events alone).
        try:
            delivered = run_msgs(
                block, info, tx.msgs, tx.routes, tx.parsed, meter=meter, metered=self._metered,
                simulate=simulate, on_message=run.at_message, in_place=True,
            )
        except MessageFailed as failed:
            error = failed.error
            log_text = f"failed to execute message; message index: {failed.index}: {error.log}"
            return encode(_failed(error, log_text, gas_wanted, meter.consumed, ante_events))
        run.stage = "the result's encoding"
        # Encoded before the messages' writes are kept: if encoding failed (a bug), the
        # recovered panic result would otherwise sit on top of state the messages had changed.
        try:
            result = encode(TxResult(
                code=0, data=delivered.data.SerializeToString(deterministic=True),
                gas_wanted=gas_wanted, gas_used=meter.consumed,
                events=[(ante_events, ()), *delivered.events],
            ))
        except BaseException:
            delivered.branch.discard()
            raise
        delivered.branch.write()
        return result

    def commit(self) -> None:
        """Makes the staged block (or genesis) durable in one atomic write."""
        if self._block is None and self._genesis is None:
            raise RuntimeError("Commit without FinalizeBlock")
        self.store.commit()
        self._genesis = None
        self._block = None
        self._check = Branch(self.store.state)
        self._last_block_time_ns = self._block_time_ns

    # -- queries -----------------------------------------------------------------------------

    def query(self, path: str, data: bytes, height: int = 0) -> QueryResult:
        """Runs the query route ``path`` on ``data`` (its request's bytes), from one committed
        height (0: the latest; an earlier one while the store keeps it, ``store/versions.py``):
        the state of that height, whatever commits while the query runs. Every read is metered
        (``query_gas_limit``)."""
        at = self.store.last_height
        try:
            view = self.store.view_at(height)
            at = view.height
            route = self.queries.get(path)
            if route is None:
                raise UnknownRequest(f"unknown query path {path!r}")
            request = route.request_cls()
            request.ParseFromString(data)
            meter = GasMeter(self.query_gas_limit)
            store = Branch(self._metered(view.state, meter))
            info = BlockInfo(view.height, 0, self.chain_id(view.state))
            try:
                response = route.handler(Context(store, info, meter), request)
            except OutOfGas:
                raise QueryBudgetExceeded(
                    f"{path} read more than {self.query_gas_limit} gas of state"
                ) from None
            except KeyPartTooLong:  # a field no stored key can hold (the handler let it pass)
                raise QueryFieldTooLong(path) from None
            except LatestOnly as e:  # a node-local index, kept for the latest height only
                raise LatestOnlyQuery(f"{path}: {e}") from None
        except HeightUnavailable as e:
            return QueryResult(height=at, error=InvalidHeight(str(e)))
        except ChainError as e:
            return QueryResult(height=at, error=e)
        except DecodeError as e:
            err = TxDecodeError(f"cannot decode query data for {path}: {e}")
            return QueryResult(height=0, error=err)
        value = response.SerializeToString(deterministic=True)
        return QueryResult(height=at, value=value)

    def query_key(self, key: bytes, prove: bool = False, height: int = 0) -> QueryResult:
        """The raw value at ``key`` (b"": none) at ``height`` (0: the latest); with ``prove``,
        its ICS23 proof (membership or non-membership, serialized) against that height's app
        hash, which is in header height + 1."""
        at = self.store.last_height
        try:
            view = self.store.view_at(height)
            at = view.height
            if not key:
                raise KeyNotFound("empty key")
            if not prove:
                try:
                    value = view.state.get(key)
                except LatestOnly as e:
                    raise LatestOnlyQuery(str(e)) from None
                return QueryResult(height=at, key=key, value=value or b"")
            try:
                value, proof = self.store.ics23_proof(view, key)
            except (NotProvable, proofs.ProofUnavailable) as e:
                raise InvalidRequest(str(e)) from None
        except HeightUnavailable as e:
            return QueryResult(height=at, error=InvalidHeight(str(e)))
        except ChainError as e:
            return QueryResult(height=at, error=e)
        encoded = proof.SerializeToString(deterministic=True)
        return QueryResult(height=at, key=key, value=value or b"", proof=encoded)

    @overload
    def simulate(self, raw: bytes) -> TxResult: ...

    @overload
    def simulate(self, raw: bytes, encode: ResultEncoder[R]) -> R: ...

    def simulate(self, raw: bytes, encode: Callable[[TxResult], Any] = _as_is):
        """Runs a transaction as the next block would, on a branch of the check state that is
        then dropped: the gas it uses (wallets add a margin) and its events. Signatures, the
        zero-gas and the minimum-fee checks are skipped, as in the SDK's simulate mode."""
        if not raw:
            raise InvalidRequest("empty tx")
        return self.deliver_tx(
            Branch(self._check), self._check_block_info(), raw, encode, simulate=True
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


class _GenesisParts:
    """Counts a streamed genesis's items; every ``size`` items, writes the branch through to
    the store and empties it (``write_genesis``)."""

    def __init__(self, store: CommitStore, branch: Branch, size: int) -> None:
        self.store, self.branch, self.size = store, branch, size
        self.count = 0
        self.written = False

    def item(self) -> None:
        self.count += 1
        if self.count % self.size == 0:
            self.write()

    def write(self) -> None:
        self.store.write_genesis(self.branch.changes())
        self.branch.discard()
        self.written = True


@dataclass(slots=True)
class _TxRun:
    """What one tx's run has reached, for the result of a recovered panic."""

    meter: GasMeter
    ante_events: EventManager
    gas_wanted: int = 0
    ante_done: bool = False
    stage: str = "decoding or the ante"

    def at_message(self, index: int) -> None:
        self.stage = f"message {index}"


def _panic_log(e: Exception, stage: str = "CheckTx") -> str:
    # The type only: an exception's text may hold memory addresses or other node-local detail,
    # and the log is part of what every node returns (not of the results hash, but keep it equal).
    return f"panic in {stage}: {type(e).__name__}: recovered"


def _failed(
    e: ChainError, log_text: str, gas_wanted: int, gas_used: int,
    ante_events: EventManager | None = None,
) -> TxResult:
    # A failed tx keeps only its ante events (fee paid); message events are dropped, as in the SDK.
    return TxResult(
        code=e.code, codespace=e.codespace, log=log_text,
        gas_wanted=gas_wanted, gas_used=gas_used,
        events=[(ante_events, ())] if ante_events is not None else [],
    )
