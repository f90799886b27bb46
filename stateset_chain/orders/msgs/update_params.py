"""MsgUpdateParams: the authority replaces the module params.

signer    authority, who must be the current params.authority
validate  authority is a canonical address                        -> sdk InvalidAddress
          params are present and valid (see params.validate_params) -> InvalidParams
guard     the signer is the current authority                     -> NotAuthorized
          platform_address is not blocked by the bank (a module
          account or an order deposit address: settlement would
          strand the platform's share there)                      -> BlockedSettlementRecipient
change    params replaced (tax table, shipping table, fees, windows, limits, roles)
emit      ParamsUpdated{authority, params}

Orders already created keep their prices; a new return window applies to deliveries after it.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import settlement
from stateset_chain.orders.errors import InvalidParams, NotAuthorized
from stateset_chain.orders.msgs.common import require_address
from stateset_chain.orders.params import validate_params
from stateset_chain.orders.state import OrdersKeeper

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateParams


def signers(msg: tx.MsgUpdateParams) -> list[str]:
    return [msg.authority]


def validate(msg: tx.MsgUpdateParams) -> None:
    require_address(msg.authority, "authority")
    if not msg.HasField("params"):
        raise InvalidParams("params are missing")
    validate_params(msg.params)


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgUpdateParams
) -> tx.MsgUpdateParamsResponse:
    current = keeper.params(ctx.store)
    if msg.authority != current.authority:
        raise NotAuthorized(f"{msg.authority} is not the orders authority")
    settlement.require_settleable(keeper.bank, "platform_address", msg.params.platform_address)
    keeper.set_params(ctx.store, msg.params)
    ctx.events.emit(events.ParamsUpdated(authority=msg.authority, params=msg.params))
    return tx.MsgUpdateParamsResponse()
