"""The shape every module has, so knowing one means knowing all.

A module is a package ``stateset_chain/<name>/`` with the same files:

- ``keys.py``        store prefixes (documented in SPEC.md as ``prefix | key -> value``)
- ``state.py``       the keeper: it declares the module's typed collections and is the only code
                     that reads or writes them; other modules call its methods
- ``msgs/``          one file per message, each reading validate -> load -> guard (one rule per
                     line) -> change state -> emit; ``msgs/__init__.py`` lists them in ``ALL``,
                     in the order of the module's Msg service
- ``queries.py``     ABCI query routes named like gRPC methods
                     (``/cosmos.bank.v1beta1.Query/Balance``)
- ``events.py``      the typed (past-tense, protobuf) events the module emits
- ``errors.py``      one ``ChainError`` subclass per distinct failure, codespace = module name
- ``genesis.py``     init/export of the module's genesis JSON
- ``invariants.py``  functions that raise ``InvariantBroken``
- ``expected.py``    the narrow interfaces (Protocols) it needs from other modules
- ``module.py``      builds the ``Module`` below with ``msg_routes`` and ``bind``
- ``SPEC.md``        state keys, messages and signers, events, errors with codes

The route builder
-----------------
Every message file exports the same four names (``MsgFile``)::

    MSG = tx.MsgPayOrder                         # the protobuf class it handles
    def signers(msg) -> list[str]: ...           # who must sign, in order
    def validate(msg) -> Parsed | None: ...      # stateless checks (the SDK's ValidateBasic)
    def handle(keeper, ctx, msg) -> Response: ...

and may export a fifth, ``reads(keeper, msg) -> list[bytes]``: the store keys ``handle`` will
most likely read (``MsgRoute.reads``; FinalizeBlock reads them ahead, off the main thread), and
a sixth, ``reads_after(keeper, msg, committed, block) -> ReadAhead``: keys and ranges found from
the committed state once ``reads``' keys are read (a payment's order names its customer, whose
fraud window the payment walks; ``MsgRoute.reads_after``).

``validate`` returns what it parsed that the handler needs (a send's coins, a shipment's ETA), or
None; a ``handle`` that needs it takes it as its ``parsed`` argument,
``handle(keeper, ctx, msg, parsed)``, so nothing is parsed twice. A message that carries another
module's message (a conditional order's or a subscription's order) runs that module's stateless
checks through its keeper's expected Protocols, never by importing the other module:
``validate(keeper, msg)`` is bound to the keeper as ``handle`` is (it still reads no state).
The app keeps each message's ``parsed`` from its validation to its handler (``DecodedTx.parsed``,
``delivery.run_msgs``).

and every ``module.py`` turns them into routes the same way::

    Module(name=..., msgs=msg_routes(keeper, msgs.ALL), ...,
           invariants=[bind(keeper, inv) for inv in invariants.ALL])

There is no other way to register a message.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from google.protobuf.message import Message

from stateset_chain.context import BlockInfo, Context
from stateset_chain.store.kv import KVStore
from stateset_chain.store.memo import ReadAhead

# The permissions a module account may hold (each module declares its accounts in its keys.py as
# ``{name: frozenset of permissions}``; the bank enforces them in mint and burn).
MINTER = "minter"
BURNER = "burner"


@dataclass(frozen=True)
class MsgRoute:
    """How the app runs one message type.

    ``signers(msg)`` returns the bech32 addresses that must sign, in order (first pays fees when
    it is the tx's first signer). ``validate(msg)`` is stateless (the SDK's ValidateBasic),
    raises a ChainError and returns what it parsed (or None). ``handler(ctx, msg, parsed)``, with
    what ``validate`` returned for ``msg``, changes state and emits events; it returns the
    message's response (packed into the tx result's data).
    """

    msg_cls: type[Message]
    signers: Callable[[Any], list[str]]
    validate: Callable[[Any], Any]
    handler: Callable[[Context, Any, Any], Message | None]
    # ``reads(msg)``: the store keys the handler will most likely read for ``msg`` (a message
    # file's optional ``reads(keeper, msg)``). FinalizeBlock reads their committed values ahead
    # on worker threads (``store/memo.py``); a guess, so a wrong or missing key costs one read
    # and never changes a result. Raises a ChainError for a message it cannot read (skipped).
    reads: Callable[[Any], list[bytes]] | None = None
    # ``reads_after(msg, committed, block)``: more of what the handler will most likely read,
    # keys and ranges (``ReadAhead``), found by reading ``committed`` (the block's memo, which
    # holds what every ``reads`` named by then) in the block ``block``; read ahead the same way.
    # A guess as well; raises a ChainError for a message it cannot read (skipped).
    reads_after: Callable[[Any, KVStore, BlockInfo], ReadAhead] | None = None

    @property
    def type_url(self) -> str:
        return "/" + self.msg_cls.DESCRIPTOR.full_name


def bind(keeper: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn(keeper, ctx, *args)`` as ``bound(ctx, *args)``: how a module hands its keeper-taking
    functions (handlers, genesis, end-block, invariants) to the app."""

    def bound(ctx: Context, *args: Any) -> Any:
        return fn(keeper, ctx, *args)

    bound.__name__ = getattr(fn, "__name__", "bound")
    bound.__qualname__ = getattr(fn, "__qualname__", bound.__name__)
    return bound


def bind_handler(
    keeper: Any, handle: Callable[..., Message | None]
) -> Callable[[Context, Any, Any], Message | None]:
    """A message file's ``handle(keeper, ctx, msg[, parsed])`` as the route's
    ``handler(ctx, msg, parsed)``: ``parsed`` is passed on when ``handle`` takes it."""
    if "parsed" in inspect.signature(handle).parameters:

        def handler(ctx: Context, msg: Any, parsed: Any) -> Message | None:
            return handle(keeper, ctx, msg, parsed)

    else:

        def handler(ctx: Context, msg: Any, parsed: Any) -> Message | None:
            return handle(keeper, ctx, msg)

    handler.__name__ = getattr(handle, "__name__", "handler")
    handler.__qualname__ = getattr(handle, "__qualname__", handler.__name__)
    return handler


def bind_validate(keeper: Any, validate: Callable[..., Any]) -> Callable[[Any], Any]:
    """A message file's ``validate(msg)`` as it is, or its ``validate(keeper, msg)`` bound to the
    keeper (stateless checks another module owns, reached through the keeper's Protocols)."""
    params = list(inspect.signature(validate).parameters)
    if not params or params[0] != "keeper":
        return validate

    def bound(msg: Any) -> Any:
        return validate(keeper, msg)

    bound.__name__ = getattr(validate, "__name__", "validate")
    bound.__qualname__ = getattr(validate, "__qualname__", bound.__name__)
    return bound


def msg_route(keeper: Any, msg_file: ModuleType) -> MsgRoute:
    """The route of one message file (``MSG``, ``signers``, ``validate``, ``handle``)."""
    missing = [n for n in ("MSG", "signers", "validate", "handle") if not hasattr(msg_file, n)]
    if missing:
        raise TypeError(f"message file {msg_file.__name__} lacks {', '.join(missing)}")
    reads = getattr(msg_file, "reads", None)
    reads_after = getattr(msg_file, "reads_after", None)
    return MsgRoute(
        msg_cls=msg_file.MSG,
        signers=msg_file.signers,
        validate=bind_validate(keeper, msg_file.validate),
        handler=bind_handler(keeper, msg_file.handle),
        reads=functools.partial(reads, keeper) if reads is not None else None,
        reads_after=functools.partial(reads_after, keeper) if reads_after is not None else None,
    )


def msg_routes(keeper: Any, msg_files: Iterable[ModuleType]) -> list[MsgRoute]:
    """The one route builder: a module's message files, in Msg service order, bound to its
    keeper."""
    return [msg_route(keeper, f) for f in msg_files]


@dataclass(frozen=True)
class QueryRoute:
    """An ABCI query path ``/<service full name>/<Method>`` with protobuf request/response."""

    path: str
    request_cls: type[Message]
    handler: Callable[[Context, Any], Message]


@dataclass
class Module:
    name: str
    msgs: list[MsgRoute] = field(default_factory=list)
    queries: list[QueryRoute] = field(default_factory=list)
    init_genesis: Callable[[Context, dict], None] | None = None
    export_genesis: Callable[[Context], dict] | None = None
    end_block: Callable[[Context], None] | None = None
    invariants: list[Callable[[Context], None]] = field(default_factory=list)
    # The invariants InitChain runs (None: all of ``invariants``). A module whose full check
    # holds all of its state in memory at once names the ones that scan in bounded memory, so a
    # genesis of any size is checked (the others still run wherever invariants are run).
    genesis_invariants: list[Callable[[Context], None]] | None = None
    # List fields of the module's genesis that InitChain reads one item at a time from the
    # document (stateset_chain/genesisjson.py: the orders' "orders"); init_genesis gets an
    # iterable there instead of a list, and may iterate it once.
    genesis_streams: tuple[str, ...] = ()
    # Key prefixes of node-local query indexes: derived from the module's own state, written in
    # the same atomic commit, but kept out of the app hash (no tree work, no proofs, transient-
    # store gas). No message handler may read them: they serve queries and invariants only.
    local_prefixes: tuple[bytes, ...] = ()
    # Writes the module's node-local keys from its consensus state (a node restored from a
    # state-sync snapshot, which carries consensus state only). Required with local_prefixes.
    rebuild_local: Callable[[Any], None] | None = None
    # Writes the module's node-local keys of one block from the block's own writes, once, after
    # every end-block hook: (the state before the block, the block's branch). A module whose
    # handlers only charge the gas of their index writes makes them here (the orders).
    derive_local: Callable[[Any, Any], None] | None = None
    # Runs before a block's transactions with the ones that decoded, to warm caches that only
    # speed up their handlers and cannot change a result (cctp: attestation signers, recovered
    # on worker threads). A failure is logged and the block runs without it.
    prepare_block: Callable[[list[Any]], None] | None = None
    # Runs at the start of FinalizeBlock, before the block's transactions, on the block's state
    # (the SDK's PreBlocker: the upgrade module applies or halts at a planned height there).
    pre_block: Callable[[Context], None] | None = None
    # The version of the module's state layout, recorded by the upgrade module; raising it ships
    # with ``migrations[v]`` (state of version v -> v + 1), run in place at a planned upgrade.
    consensus_version: int = 1
    migrations: Mapping[int, Callable[[Context], None]] = field(default_factory=dict)
