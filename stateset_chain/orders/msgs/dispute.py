"""MsgDisputeOrder: the customer or the merchant asks the arbiter to decide.

signer    signer: the customer or the merchant
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
          reason is given                                         -> MissingField
          reason and evidence hold no email address (docs/privacy.md) -> PersonalDataInClear
guard     the order exists                                        -> OrderNotFound
          the signer is the customer or the merchant              -> NotAuthorized
          reason, evidence entries <= max_reason_length bytes      -> FieldTooLong
          evidence entries <= max_evidence_items                  -> TooManyEvidenceItems
          PAID, FULFILLED, SHIPPED or DELIVERED -> DISPUTED       -> InvalidTransition
          a DELIVERED order is not settled nor due                -> ReturnWindowClosed
change    status DISPUTED; the dispute record; a scheduled settlement is removed (the escrow
          waits for MsgResolveDispute)
emit      OrderDisputed{order_id, dispute}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import indexed, lifecycle, settlement
from stateset_chain.orders.errors import ReturnWindowClosed, TooManyEvidenceItems
from stateset_chain.orders.lifecycle import DISPUTED
from stateset_chain.orders.msgs.common import (
    CUSTOMER,
    MERCHANT,
    require_address,
    require_length,
    require_order_id,
    require_present,
    require_role,
)
from stateset_chain.orders.personal import require_no_email
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import timestamp

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import Dispute

MSG = tx.MsgDisputeOrder


def signers(msg: tx.MsgDisputeOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgDisputeOrder) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)
    require_present(msg.reason, "reason")
    require_no_email(msg.reason, "reason")
    for i, entry in enumerate(msg.evidence):
        require_no_email(entry, f"evidence[{i}]")


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgDisputeOrder
) -> tx.MsgDisputeOrderResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    require_role(msg.signer, order, params, frozenset({CUSTOMER, MERCHANT}), "dispute")
    require_length(msg.reason, "reason", params.max_reason_length)
    if len(msg.evidence) > params.max_evidence_items:
        raise TooManyEvidenceItems(
            f"{len(msg.evidence)} items, the limit is {params.max_evidence_items}"
        )
    for i, item in enumerate(msg.evidence):
        require_length(item, f"evidence[{i}]", params.max_reason_length)
    lifecycle.require_transition(order, DISPUTED)
    if settlement.window_closed(ctx, order):
        raise ReturnWindowClosed(f"order {order.id} is settled or due for settlement")

    order.dispute.CopyFrom(
        Dispute(
            opened_by=msg.signer,
            reason=msg.reason,
            evidence=list(msg.evidence),
            previous_status=order.status,
            opened_at=timestamp(ctx.block.time_ns),
        )
    )
    settlement.unschedule(keeper, ctx, order)
    lifecycle.transition(keeper, ctx, order, DISPUTED)
    keeper.save_order(ctx.store, order)
    indexed.emit(ctx, order, events.OrderDisputed(order_id=order.id, dispute=order.dispute))
    return tx.MsgDisputeOrderResponse(status=order.status)
