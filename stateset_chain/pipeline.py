"""What the state machine needs to turn a tx's bytes into a checked transaction.

The app knows no tx format: it is handed a ``TxPipeline`` (the auth module provides one, built in
``stateset_chain.wiring``) whose parts are the narrow interfaces below. The app only reads the
decoded tx's ``hash``, ``gas_limit``, ``msgs``, ``routes`` and ``parsed`` (what each message's
validation parsed, for its handler); everything else is the pipeline's.

    decode(raw, routes, limits) -> tx      parse; the limits (size, gas, message count) first
    limits(store, max_gas)      -> limits  from the state's params and the block gas limit
    ante(ctx, tx)                          the ante chain (fees, sequences, signatures), which
                                           validates the messages (``tx.parsed``) if decode did not
    prepare(state, chain_id, decoded)      optional: warm caches before a block (signatures)
    checked(tx_hash)                       optional: CheckTx's ante chain passed for this tx
    reads(tx)                   -> keys    optional: the store keys the ante chain will read
                                           (a block reads them ahead, see store/memo.py)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from stateset_chain.context import Context
from stateset_chain.errors import ChainError
from stateset_chain.module import MsgRoute
from stateset_chain.store.kv import KVStore


class DecodedTx(Protocol):
    """What the app reads of a decoded tx."""

    @property
    def hash(self) -> bytes: ...  # sha256(raw): CometBFT's tx hash

    @property
    def gas_limit(self) -> int: ...

    @property
    def msgs(self) -> Sequence[Any]: ...  # the messages, parsed

    @property
    def routes(self) -> Sequence[MsgRoute]: ...  # routes[i] runs msgs[i]

    @property
    def parsed(self) -> Sequence[Any]: ...  # what routes[i].validate returned, once the ante ran


Tx = TypeVar("Tx", bound=DecodedTx)
Tx_contra = TypeVar("Tx_contra", bound=DecodedTx, contravariant=True)
Tx_co = TypeVar("Tx_co", bound=DecodedTx, covariant=True)


class TxDecoder(Protocol[Tx_co]):
    def __call__(self, raw: bytes, routes: Mapping[str, MsgRoute], limits: Any, /) -> Tx_co:
        """The decoded tx, or raises a ChainError; checks ``limits`` before any message."""
        ...


class TxLimitsReader(Protocol):
    def __call__(self, store: KVStore, max_gas: int, /) -> Any:
        """The limits a tx is decoded under (comparable with ``==``: a tx decoded under equal
        limits need not be decoded again)."""
        ...


class AnteHandler(Protocol[Tx_contra]):
    def __call__(self, ctx: Context, tx: Tx_contra, /) -> None:
        """Runs the ante chain on ``ctx``'s branch; raises a ChainError to refuse the tx."""
        ...


class BlockPreparer(Protocol[Tx_contra]):
    def __call__(
        self, state: KVStore, chain_id: str, decoded: Sequence[Tx_contra | ChainError], /
    ) -> object:
        """Warms caches a block's txs will hit (``decoded``: each tx or its decode error); may
        change no result."""
        ...


class AnteReads(Protocol[Tx_contra]):
    def __call__(self, tx: Tx_contra, /) -> list[bytes]:
        """The store keys the ante chain will most likely read for ``tx`` (a guess: read ahead
        by FinalizeBlock, never changing a result); may raise a ChainError (skipped)."""
        ...


class CheckedHook(Protocol):
    def __call__(self, tx_hash: bytes, /) -> None:
        """CheckTx's ante chain passed for the tx of this hash."""
        ...


@dataclass(frozen=True)
class TxPipeline(Generic[Tx]):
    """How the app turns bytes into a checked transaction (see the module docstring)."""

    decode: TxDecoder[Tx]
    ante: AnteHandler[Tx]
    limits: TxLimitsReader
    prepare: BlockPreparer[Tx] | None = None
    checked: CheckedHook | None = None
    reads: AnteReads[Tx] | None = None
