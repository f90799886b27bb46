"""The shape every module has, so knowing one means knowing all.

A module is a package ``stateset_chain/<name>/`` with:

- ``keys.py``        store prefixes (documented in SPEC.md as ``prefix | key -> value``)
- ``state.py``       the keeper: typed collections and the functions other modules may call
- ``msgs/`` or ``handlers.py``  one handler per message: validate, load, guard, change state, emit
- ``errors.py``      one ``ChainError`` subclass per distinct failure, codespace = module name
- ``genesis.py``     init/export of the module's genesis JSON
- ``queries.py``     ABCI query routes named like gRPC methods
                     (``/cosmos.bank.v1beta1.Query/Balance``)
- ``invariants.py``  functions that raise ``InvariantBroken``
- ``module.py``      builds the ``Module`` below
- ``SPEC.md``
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message

from stateset_chain.context import Context


@dataclass(frozen=True)
class MsgRoute:
    """How the app runs one message type.

    ``signers(msg)`` returns the bech32 addresses that must sign, in order (first pays fees when
    it is the tx's first signer). ``validate(msg)`` is stateless (the SDK's ValidateBasic) and
    raises a ChainError. ``handler(ctx, msg)`` changes state and emits events; it returns the
    message's response (packed into the tx result's data).
    """

    msg_cls: type[Message]
    signers: Callable[[Any], list[str]]
    validate: Callable[[Any], None]
    handler: Callable[[Context, Any], Message | None]

    @property
    def type_url(self) -> str:
        return "/" + self.msg_cls.DESCRIPTOR.full_name


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
    # Key prefixes of node-local query indexes: derived from the module's own state, written in
    # the same atomic commit, but kept out of the app hash (no tree work, no proofs, transient-
    # store gas). No message handler may read them: they serve queries and invariants only.
    local_prefixes: tuple[bytes, ...] = ()
    # Runs before a block's transactions with the ones that decoded, to warm caches that only
    # speed up their handlers and cannot change a result (cctp: attestation signers, recovered
    # on worker threads). A failure is logged and the block runs without it.
    prepare_block: Callable[[list[Any]], None] | None = None
