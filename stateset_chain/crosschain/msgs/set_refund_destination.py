"""MsgSetRefundDestination: the order's customer names where its cross-chain refunds go.

signer    the order's customer
validate  signer is a canonical address                              -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                     -> InvalidOrderId
          recipient is 32 bytes and not all zero                      -> InvalidRefundDestination
guard     the order exists                                            -> OrderNotFound
          the signer is its customer                                  -> NotOrderCustomer
          no cross-chain payment has reached it yet, or: none is named
          yet and every cross-chain payment it has came from a sender
          that is not a wallet (its refund could only be parked)     -> RefundDestinationLocked
change    RefundDestination{order_id, domain, recipient, set_by, height} (replaces an earlier one)
emit      RefundDestinationSet

Why only the customer, and only before the money arrives: the payer (the customer, or someone
paying for them) reads the destination with the DepositAddress query before burning; once a
cross-chain payment is in, nobody (merchant, arbiter, relayer, router, nor the customer) can
change where it goes back. SPEC.md, "Refund destinations", has the whole argument.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crosschain.destination import has_cross_chain_payment
from stateset_chain.crosschain.errors import (
    InvalidOrderId,
    InvalidRefundDestination,
    NotOrderCustomer,
    OrderNotFound,
    RefundDestinationLocked,
)
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.crypto.address import require_address
from stateset_chain.orders.ids import is_order_id

from stateset.crosschain.v1 import events_pb2 as events
from stateset.crosschain.v1 import tx_pb2 as tx
from stateset.crosschain.v1.crosschain_pb2 import RefundDestination

MSG = tx.MsgSetRefundDestination


def signers(msg: tx.MsgSetRefundDestination) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgSetRefundDestination) -> None:
    require_address(msg.signer, "signer")
    if not is_order_id(msg.order_id):
        raise InvalidOrderId(repr(msg.order_id))
    if len(msg.recipient) != 32:
        raise InvalidRefundDestination(f"recipient is {len(msg.recipient)} bytes")
    if msg.recipient == bytes(32):
        raise InvalidRefundDestination("recipient is zero")


def _unset_and_no_wallet_paid(keeper: CrosschainKeeper, ctx: Context, order) -> bool:
    """After payment, a destination may still be named when none is and no payment came from
    a wallet: then no refund has a return path anyone could be deprived of (SPEC.md)."""
    if keeper.get_refund_destination(ctx.store, order.id) is not None:
        return False
    return not any(
        keeper.sender_is_wallet(
            ctx.store, p.cross_chain.source_domain, bytes.fromhex(p.cross_chain.original_sender)
        )
        for p in order.payments
        if p.HasField("cross_chain")
    )


def handle(
    keeper: CrosschainKeeper, ctx: Context, msg: tx.MsgSetRefundDestination
) -> tx.MsgSetRefundDestinationResponse:
    order = keeper.orders.get_order(ctx.store, msg.order_id)
    if order is None:
        raise OrderNotFound(msg.order_id)
    if msg.signer != order.customer:
        raise NotOrderCustomer(f"{msg.signer} is not the customer of {order.id}")
    if has_cross_chain_payment(order) and not _unset_and_no_wallet_paid(keeper, ctx, order):
        raise RefundDestinationLocked(order.id)
    destination = RefundDestination(
        order_id=order.id,
        domain=msg.domain,
        recipient=msg.recipient,
        set_by=msg.signer,
        height=ctx.block.height,
    )
    keeper.set_refund_destination(ctx.store, destination)
    ctx.events.emit(events.RefundDestinationSet(destination=destination))
    return tx.MsgSetRefundDestinationResponse()
