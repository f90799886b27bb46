"""Subscriptions genesis JSON: ``{"params", "subscriptions", "cycles", "next_sequence"}``.

Import re-creates the indexes and the due queue from each subscription (queued exactly when its
status is INCOMPLETE, TRIALING, ACTIVE or PAST_DUE, under ``next_attempt``). Export writes
subscriptions and cycles in store order, so ``init(export(s))`` reproduces the store.
"""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.errors import ChainError
from stateset_chain.subscriptions.errors import InvalidGenesis
from stateset_chain.subscriptions.lifecycle import SCHEDULED
from stateset_chain.subscriptions.msgs.common import require_address, require_subscription_id
from stateset_chain.subscriptions.params import default_params, in_force, validate_params
from stateset_chain.timefmt import timestamp_ns

from stateset.subscriptions.v1.subscriptions_pb2 import GenesisState


def init_genesis(keeper, ctx: Context, data: dict) -> None:
    state = GenesisState()
    try:
        json_format.ParseDict(data, state)
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    params = default_params()
    if state.HasField("params"):
        params.MergeFrom(state.params)
    try:
        validate_params(in_force(params))
    except ChainError as e:
        raise InvalidGenesis(f"params: {e.log}") from None
    keeper.set_params(ctx.store, params)
    highest = 0
    for sub in state.subscriptions:
        try:
            require_subscription_id(sub.id)
            require_address(sub.customer, "customer")
            require_address(sub.merchant, "merchant")
        except ChainError as e:
            raise InvalidGenesis(f"subscription {sub.id!r}: {e.log}") from None
        if keeper.get(ctx.store, sub.id) is not None:
            raise InvalidGenesis(f"subscription {sub.id} twice")
        if (sub.status in SCHEDULED) != sub.HasField("next_attempt"):
            raise InvalidGenesis(f"subscription {sub.id}: next_attempt iff it is scheduled")
        keeper.insert(ctx.store, sub)
        if sub.HasField("next_attempt"):
            at = timestamp_ns(sub.next_attempt)
            sub.ClearField("next_attempt")
            keeper.schedule(ctx.store, sub, at)
        highest = max(highest, sub.sequence)
    for cycle in state.cycles:
        if keeper.get(ctx.store, cycle.subscription_id) is None:
            raise InvalidGenesis(f"cycle of unknown subscription {cycle.subscription_id}")
        keeper.add_cycle(ctx.store, cycle)
    keeper.sequence.set(ctx.store, max(state.next_sequence, highest + 1, 1))


def export_genesis(keeper, ctx: Context) -> dict:
    state = GenesisState(
        params=keeper.stored_params(ctx.store),
        subscriptions=list(keeper.all(ctx.store)),
        cycles=list(keeper.all_cycles(ctx.store)),
        next_sequence=keeper.sequence.peek(ctx.store),
    )
    return json_format.MessageToDict(state, preserving_proto_field_name=True)
