"""MsgUpdateParams{authority, params}: the authority replaces the subscriptions params.

signer    authority, who must be the current params.authority
validate  authority is a canonical address                          -> sdk InvalidAddress
          params are present and valid (params.validate_params)     -> InvalidParams
guard     the signer is the current authority                       -> NotAuthorized
change    params replaced
emit      ParamsUpdated{authority, params}

Subscriptions already signed keep their items, prices and allowance; a new max_items applies to
later MsgCreateSubscription / MsgUpdateSubscription, a new retry delay to the next failed charge,
a new max_cycles_per_block to the next end-block.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.subscriptions.errors import InvalidParams, NotAuthorized
from stateset_chain.subscriptions.msgs.common import require_address
from stateset_chain.subscriptions.params import validate_params

from stateset.subscriptions.v1 import events_pb2 as events
from stateset.subscriptions.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateParams


def signers(msg: tx.MsgUpdateParams) -> list[str]:
    return [msg.authority]


def validate(msg: tx.MsgUpdateParams) -> None:
    require_address(msg.authority, "authority")
    if not msg.HasField("params"):
        raise InvalidParams("params are missing")
    validate_params(msg.params)


def handle(keeper, ctx: Context, msg: tx.MsgUpdateParams) -> tx.MsgUpdateParamsResponse:
    current = keeper.params(ctx.store).authority
    if msg.authority != current:
        raise NotAuthorized(f"{msg.authority} is not the subscriptions authority {current}")
    keeper.set_params(ctx.store, msg.params)
    ctx.events.emit(events.ParamsUpdated(authority=msg.authority, params=msg.params))
    return tx.MsgUpdateParamsResponse()
