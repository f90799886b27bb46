"""What the state machine (``stateset_chain.app.App``) is asked and answers, in its own terms.

These are plain values: no socket, no ABCI protobuf. ``stateset_chain.abci.adapter`` builds them
from CometBFT's ``tendermint.abci`` requests and turns the results back into its responses (and
owns the fast byte encoding of tx results); a test or a benchmark may call the core with them
directly.

    Genesis      -> GenesisResult    InitChain: the genesis JSON, chain id, first height and time
    Block        -> BlockResult      FinalizeBlock: the block's txs -> one TxResult each + app hash
    bytes        -> TxResult         CheckTx (and Simulate): a tx's code, log, gas and events
    (path, data) -> QueryResult      Query: a route's response bytes, or its error
                    AppInfo          Info: the last commit
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from stateset_chain.errors import ChainError
from stateset_chain.events import EventManager

# Attributes appended to every event of a group (the SDK's ``msg_index`` of message i).
ExtraAttributes = tuple[tuple[str, str], ...]
# A tx result's events, in order: each manager's events, each followed by the group's extras.
EventGroups = list[tuple[EventManager, ExtraAttributes]]
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class AppInfo:
    """The last commit: what a restarted node reports so CometBFT replays what it lacks."""

    name: str
    version: int  # the state layout version (also the ABCI app version)
    last_height: int
    last_app_hash: bytes  # b"" before the first commit


@dataclass(frozen=True, slots=True)
class Genesis:
    chain_id: str
    initial_height: int
    time_ns: int  # genesis time, unix nanoseconds
    app_state: bytes  # the genesis file's app_state JSON (b"": every module's default)
    block_max_gas: int = 0  # the consensus params' block gas limit; <= 0: none given


@dataclass(frozen=True, slots=True)
class GenesisResult:
    app_hash: bytes
    block_max_gas: int  # the block gas limit the chain runs with (the default when none given)


@dataclass(frozen=True, slots=True)
class Block:
    height: int
    time_ns: int  # block time from the header, unix nanoseconds
    txs: Sequence[bytes]


@dataclass(slots=True)
class TxResult:
    """One tx's outcome: code 0 and its messages' responses (``data``, an SDK ``TxMsgData``), or
    the error's code, codespace and log; gas; events (the ante's, then each message's)."""

    code: int = 0
    codespace: str = ""
    log: str = ""
    data: bytes = b""
    gas_wanted: int = 0
    gas_used: int = 0
    events: EventGroups = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.code == 0


@dataclass(slots=True)
class BlockResult(Generic[R]):
    """``tx_results[i]`` is tx i's result as the caller asked for it (``App.finalize_block``'s
    ``encode``; a ``TxResult`` by default); ``events``: the block's own events, in order (the
    pre-block steps', then the end-block hooks')."""

    tx_results: list[R]
    events: list[EventManager]
    app_hash: bytes


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A query's answer at ``height``: ``value`` (the response's bytes), or ``error``."""

    height: int
    value: bytes = b""
    error: ChainError | None = None
    key: bytes = b""  # /store/key: the key read
    proof: bytes | None = None  # /store/key with prove: the Merkle proof's encoding
