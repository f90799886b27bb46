"""MsgErasePersonalData: remove an order's sealed personal data from current state.

signer    signer: the customer or the merchant
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
guard     the order exists                                        -> OrderNotFound
          the signer is the customer or the merchant              -> NotAuthorized
          the order holds sealed personal data or a sealed tracking number -> NoPersonalData
change    personal_data and shipping.tracking cleared; personal_data_erased_at = block time
          (any status)
emit      PersonalDataErased{order_id, signer}

Block history keeps the ciphertext (the create tx, and older state versions until pruned): this
message is one step of the erasure procedure in docs/privacy.md, whose other steps (the merchant
deletes its decrypted copy, the recipients destroy the private keys it was sealed to) are what
make that ciphertext unreadable. It does not change the order's lifecycle or money.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import indexed
from stateset_chain.orders.errors import NoPersonalData
from stateset_chain.orders.msgs.common import (
    CUSTOMER,
    MERCHANT,
    require_address,
    require_order_id,
    require_role,
)
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import timestamp

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgErasePersonalData


def signers(msg: tx.MsgErasePersonalData) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgErasePersonalData) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgErasePersonalData
) -> tx.MsgErasePersonalDataResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    require_role(msg.signer, order, params, frozenset({CUSTOMER, MERCHANT}), "erase the data of")
    if not (order.HasField("personal_data") or order.shipping.HasField("tracking")):
        raise NoPersonalData(order.id)
    order.ClearField("personal_data")
    order.shipping.ClearField("tracking")
    order.personal_data_erased_at.CopyFrom(timestamp(ctx.block.time_ns))
    keeper.save_order(ctx.store, order)
    indexed.emit(ctx, order, events.PersonalDataErased(order_id=order.id, signer=msg.signer))
    return tx.MsgErasePersonalDataResponse()
