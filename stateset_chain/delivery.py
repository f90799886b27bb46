"""A transaction's messages, run as the app runs them (the Cosmos SDK baseapp's ``runMsgs``).

After a tx's ante chain has passed, its messages run in order on ONE branch of the block state,
each with its own event manager; the first ``ChainError`` stops the run (``MessageFailed`` says
which message), and the caller writes the branch only when every message succeeded, so a handler
never undoes anything by hand:

    delivered = run_msgs(block_branch, info, msgs, routes, parsed, meter=meter, metered=gas_view)
    ...                           # encode the result (before the writes are kept)
    delivered.branch.write()

With ``in_place=True`` (the app's FinalizeBlock) the messages write into ``block_branch`` itself
under a savepoint (``Branch.savepoint``: an undo log) instead of a branch of it: a failure undoes
their writes before ``MessageFailed`` is raised, and ``delivered.branch`` is the savepoint, whose
``write()`` keeps them (nothing is copied) and ``discard()`` undoes them.

``App`` runs every tx's messages through here; the module test harnesses (which deliver messages
without a signed tx) call it too, so the rule exists once. Stateless validation is not part of it:
in the app it runs in the ante chain (``validate_msgs``, below), and what it parsed
(``parsed[i]`` for ``msgs[i]``) is handed to each handler here, never parsed again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.any_pb2 import Any as PbAny

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.app_types import EventGroups
from stateset_chain.cache import BoundedCache
from stateset_chain.context import BlockInfo, Context
from stateset_chain.errors import ChainError
from stateset_chain.events import EventManager
from stateset_chain.gas import GasMeter
from stateset_chain.module import MsgRoute
from stateset_chain.store.kv import Branch, KVStore, Savepoint

from cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci


class MessageFailed(Exception):
    """Message ``index`` of the tx raised ``error``; nothing of the run may be written."""

    def __init__(self, index: int, error: ChainError) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error


@dataclass(slots=True)
class Delivered:
    """What every message of a tx did, not yet written to the block."""

    # the messages' writes: ``write()`` them to keep them (a Savepoint when run in place)
    branch: Branch | Savepoint
    responses: list[Any] = field(default_factory=list)  # each handler's response (or None)
    data: sdk_abci.TxMsgData = field(default_factory=sdk_abci.TxMsgData)  # the result's data
    # per message i, in order: its ``message`` event, then its handler's events, each group
    # carrying ``msg_index=i``
    events: EventGroups = field(default_factory=list)

    def handler_events(self) -> list:
        """The handlers' own events, in order (without the per-message ``message`` events)."""
        return [e for manager, _ in self.events[1::2] for e in manager.events]


def validate_msgs(msgs: Sequence[Any], routes: Sequence[MsgRoute]) -> list[Any]:
    """Each message's stateless validation, in order (``routes[i].validate(msgs[i])``, the SDK's
    ValidateBasic): what each parsed, for ``run_msgs``'s ``parsed``; raises the first failure's
    ChainError. The ante chain's ``validate_messages`` step runs it on every tx."""
    return [route.validate(msg) for msg, route in zip(msgs, routes, strict=True)]


def run_msgs(
    block: KVStore,
    info: BlockInfo,
    msgs: Sequence[Any],
    routes: Sequence[MsgRoute],
    parsed: Sequence[Any],
    *,
    meter: GasMeter | None = None,
    metered: Callable[[KVStore, GasMeter], KVStore] | None = None,
    simulate: bool = False,
    on_message: Callable[[int], None] | None = None,
    in_place: bool = False,
) -> Delivered:
    """Runs ``msgs[i]`` with ``routes[i].handler`` (and ``parsed[i]``, what ``routes[i].validate``
    returned for it) on one new branch of ``block``; raises
    ``MessageFailed`` at the first ``ChainError``. ``meter``: the tx's gas meter (unlimited if
    None); ``metered(store, meter)``: the gas-charging view each handler writes through (the
    app's ``GasKV``; the branch itself if None). ``on_message(i)`` is called before message i
    runs (the app records where a panic happened). ``in_place``: ``block`` is a ``Branch``
    written in place under a savepoint (above)."""
    meter = meter if meter is not None else GasMeter(None)
    store: KVStore
    if in_place:
        if not isinstance(block, Branch):
            raise TypeError("in_place runs the messages in a Branch")
        delivered = Delivered(block.savepoint())
        store = block
    else:
        store = Branch(block)
        delivered = Delivered(store)
    view = metered(store, meter) if metered is not None else store
    try:
        for i, (msg, route, value) in enumerate(zip(msgs, routes, parsed, strict=True)):
            events = EventManager()
            ctx = Context(view, info, meter, events, is_simulate=simulate)
            if on_message is not None:
                on_message(i)
            try:
                response = route.handler(ctx, msg, value)
            except ChainError as e:
                raise MessageFailed(i, e) from e
            msg_index = (("msg_index", str(i)),)
            delivered.events.append((message_event(route, msg), msg_index))
            delivered.events.append((events, msg_index))
            delivered.responses.append(response)
            _pack_into(delivered.data.msg_responses.add(), response)
    except BaseException:
        if in_place:
            delivered.branch.discard()  # nothing of the run stays in the block's branch
        raise
    return delivered


def message_event(route: MsgRoute, msg) -> EventManager:
    """The SDK's per-message ``message`` event: action (the type URL), sender (the first
    signer), module."""
    signers = route.signers(msg)
    action, module = _action_and_module(route.msg_cls.DESCRIPTOR.full_name)
    events = EventManager()
    events.emit_pending("message", [action, ("sender", signers[0] if signers else ""), module])
    return events


def _action_and_module(msg_full_name: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """``cosmos.bank.v1beta1.MsgSend`` -> the attributes ``action=/cosmos.bank.v1beta1.MsgSend``
    and ``module=bank`` (kept per message type)."""
    attributes = _message_attributes.get(msg_full_name)
    if attributes is None:
        module = msg_full_name.split(".")[-3]
        attributes = (("action", "/" + msg_full_name), ("module", module))
        _message_attributes.put(msg_full_name, attributes)
    return attributes


_message_attributes: BoundedCache[str, tuple[tuple[str, str], tuple[str, str]]] = BoundedCache(512)


def _pack_into(packed: PbAny, response) -> None:
    """``packed.Pack(response, type_url_prefix="/")``, or left empty for no response."""
    if response is not None:
        packed.type_url = "/" + response.DESCRIPTOR.full_name
        packed.value = response.SerializeToString(deterministic=True)
