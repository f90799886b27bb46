"""MsgShipOrder: the merchant handed the order to a carrier.

signer    signer, who must be the merchant
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
          carrier and the sealed tracking envelope are given      -> MissingField
          estimated delivery "" or ISO 8601                       -> InvalidTimestamp
guard     the order exists                                        -> OrderNotFound
          the signer is the merchant                              -> NotAuthorized
          carrier <= max_text_length bytes                        -> FieldTooLong
          tracking: a well-formed envelope to the order's merchant (+ customer)
                                           -> privacy envelope errors (privacy/SPEC.md)
          sealed to each recipient's current registered key
                                   -> privacy UnknownEncryptionKey, StaleEncryptionKey
          FULFILLED -> SHIPPED                                    -> InvalidTransition
change    status SHIPPED; shipping carrier, sealed tracking, estimated delivery, shipped_at

The tracking number never travels in clear (docs/privacy.md): the client seals it as
``PersonalData.tracking_number`` bound to ``envelope.tracking_purpose(order_id)``. The chain checks
the envelope's shape and recipients, never its contents.
emit      OrderShipped{order_id, merchant, customer, shipping}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import indexed, lifecycle
from stateset_chain.orders.errors import InvalidTimestamp, MissingField
from stateset_chain.orders.lifecycle import SHIPPED
from stateset_chain.orders.msgs.common import (
    MERCHANT,
    require_address,
    require_length,
    require_order_id,
    require_present,
    require_role,
)
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.privacy.envelope import validate_envelope
from stateset_chain.timefmt import parse_iso8601, timestamp

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgShipOrder


def signers(msg: tx.MsgShipOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgShipOrder) -> int | None:
    """The estimated delivery (unix ns), if given."""
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)
    require_present(msg.carrier, "carrier")
    if not msg.HasField("tracking"):
        raise MissingField("tracking")
    if not msg.estimated_delivery:
        return None
    return parse_iso8601(msg.estimated_delivery, "estimated_delivery", InvalidTimestamp)


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgShipOrder, parsed: int | None
) -> tx.MsgShipOrderResponse:
    eta = parsed
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    require_role(msg.signer, order, params, frozenset({MERCHANT}), "ship")
    require_length(msg.carrier, "carrier", params.max_text_length)
    validate_envelope(msg.tracking, merchant=order.merchant, customer=order.customer)
    if keeper.encryption_keys is not None:  # the app always wires the registry
        keeper.encryption_keys.require_current_keys(ctx.store, msg.tracking)
    lifecycle.transition(keeper, ctx, order, SHIPPED)
    order.shipping.carrier = msg.carrier
    order.shipping.tracking.CopyFrom(msg.tracking)
    if eta is not None:
        order.shipping.estimated_delivery.CopyFrom(timestamp(eta))
    order.shipping.shipped_at.CopyFrom(timestamp(ctx.block.time_ns))
    keeper.save_order(ctx.store, order)
    indexed.emit(
        ctx,
        order,
        events.OrderShipped(
            order_id=order.id,
            merchant=order.merchant,
            customer=order.customer,
            shipping=order.shipping,
        )
    )
    return tx.MsgShipOrderResponse(status=order.status)
