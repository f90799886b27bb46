"""MsgRestockReturn{merchant, order_id}: put a returned order's shipped units back on sale.

signer    merchant
validate  merchant is a canonical address                          -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                  -> orders InvalidOrderId
guard     the order exists                                         -> orders OrderNotFound
          the signer is its merchant                               -> NotAuthorized
          it is RETURNED, or REFUNDED after its return             -> OrderNotReturned
          its reservation was shipped and not restocked yet        -> NothingToRestock
change    the shipped units go back to available (adjusted += them: the shipped count since
          the last set is history); the reservation is RESTOCKED
emit      StockRestocked
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.inventory.errors import NotAuthorized, NothingToRestock, OrderNotReturned
from stateset_chain.inventory.state import REFUNDED, RETURNED, SHIPPED_STATE, InventoryKeeper
from stateset_chain.orders.ids import require_order_id

from stateset.inventory.v1 import events_pb2 as events
from stateset.inventory.v1 import tx_pb2 as tx

MSG = tx.MsgRestockReturn


def signers(msg: tx.MsgRestockReturn) -> list[str]:
    return [msg.merchant]


def validate(msg: tx.MsgRestockReturn) -> None:
    require_address(msg.merchant, "merchant")
    require_order_id(msg.order_id)


def handle(
    keeper: InventoryKeeper, ctx: Context, msg: tx.MsgRestockReturn
) -> tx.MsgRestockReturnResponse:
    order = keeper.orders.must_get_order(ctx.store, msg.order_id)
    if order.merchant != msg.merchant:
        raise NotAuthorized(f"{msg.merchant} is not the merchant of order {order.id}")
    returned = any(e.status == RETURNED for e in order.timeline)
    if order.status not in (RETURNED, REFUNDED) or not returned:
        raise OrderNotReturned(f"order {order.id}")
    r = keeper.reservation(ctx.store, order.id)
    if r is None or r.state != SHIPPED_STATE:
        raise NothingToRestock(f"order {order.id}")
    changed = keeper.restock(ctx, r)
    ctx.events.emit(events.StockRestocked(order_id=order.id, stocks=changed))
    return tx.MsgRestockReturnResponse()
