"""Rules the cancel and execute messages share: the target conditional order."""

from __future__ import annotations

from stateset_chain.conditional import engine
from stateset_chain.conditional.errors import InvalidConditionalId, NotAuthorized, NotWaiting
from stateset_chain.conditional.state import ConditionalKeeper
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address

from stateset.conditional.v1.conditional_pb2 import ConditionalOrder


def validate_target(msg) -> None:
    require_address(msg.creator, "creator")
    if not msg.id.startswith("cnd_") or len(msg.id) != 14:
        raise InvalidConditionalId(repr(msg.id))


def load_waiting(keeper: ConditionalKeeper, ctx: Context, msg) -> ConditionalOrder:
    c = keeper.must_get(ctx.store, msg.id)
    if msg.creator != c.creator:
        raise NotAuthorized(f"{msg.creator} did not create {c.id}")
    if c.status != engine.WAITING:
        raise NotWaiting(c.id)
    return c
