"""MsgReleaseOrder: lift a hold; the order goes back to the status the hold interrupted.

signer    signer: see "who may release" below
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
          reason holds no email address (docs/privacy.md)         -> PersonalDataInClear
guard     the order exists                                        -> OrderNotFound
          the signer is the merchant, the authority or (a compliance hold) the compliance
          authority                                               -> NotAuthorized
          reason <= max_reason_length bytes                       -> FieldTooLong
          the order is HELD (PAID is also reached by payment: not this) -> InvalidTransition
          who may release this hold                               -> NotAuthorized
          a compliance hold: the order passes screening now       -> compliance OrderFrozen
change    status held_from (PAID, or DELIVERED for a compliance freeze: due for settlement
          now); held_by, hold_reason, held_from cleared
emit      OrderReleased{order_id, signer, reason, hold_reason, status (where it went back to),
          compliance (a compliance hold: the CLEAR decision now on the order), settlement_due
          (a DELIVERED order: when it is now due)}

Who may release (holds.py names the kinds):
    a signer's hold ("")     the authority, or the merchant if it placed the hold
    "fraud_review"           the merchant or the authority
    "compliance"             the authority or the compliance authority, never the merchant
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import holds, indexed
from stateset_chain.orders.errors import InvalidTransition, NotAuthorized
from stateset_chain.orders.lifecycle import DELIVERED, HELD, status_name
from stateset_chain.orders.msgs.common import (
    AUTHORITY,
    MERCHANT,
    require_address,
    require_length,
    require_order_id,
    roles_of,
)
from stateset_chain.orders.personal import require_no_email
from stateset_chain.orders.state import OrdersKeeper

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgReleaseOrder
COMPLIANCE_AUTHORITY = "compliance authority"


def signers(msg: tx.MsgReleaseOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgReleaseOrder) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)
    require_no_email(msg.reason, "reason")


def may_release(order, roles: frozenset[str], signer: str) -> bool:
    if order.hold_reason == holds.COMPLIANCE:
        return bool(roles & {AUTHORITY, COMPLIANCE_AUTHORITY})
    if order.hold_reason == holds.FRAUD_REVIEW:
        return bool(roles & {AUTHORITY, MERCHANT})
    return AUTHORITY in roles or (MERCHANT in roles and order.held_by == signer)


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgReleaseOrder
) -> tx.MsgReleaseOrderResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    roles = set(roles_of(msg.signer, order, params) & {MERCHANT, AUTHORITY})
    if keeper.compliance is not None and keeper.compliance.is_compliance_authority(
        ctx.store, msg.signer
    ):
        roles.add(COMPLIANCE_AUTHORITY)
    if not roles:
        raise NotAuthorized(
            f"{msg.signer} may not release order {order.id}: only its merchant or authority may"
        )
    require_length(msg.reason, "reason", params.max_reason_length)
    if order.status != HELD:
        raise InvalidTransition(f"order {order.id} is {status_name(order.status)}, not HELD")
    if not may_release(order, frozenset(roles), msg.signer):
        raise NotAuthorized(
            f"order {order.id} was held by {order.held_by} ({order.hold_reason or 'a signer'}); "
            f"{msg.signer} may not release it"
        )
    hold_reason = order.hold_reason
    cleared = None
    if hold_reason == holds.COMPLIANCE and keeper.compliance is not None:
        cleared = keeper.compliance.require_unfrozen(ctx, order)
        order.compliance.CopyFrom(cleared)
    holds.release(keeper, ctx, order)
    keeper.save_order(ctx.store, order)
    released = events.OrderReleased(
        order_id=order.id, signer=msg.signer, reason=msg.reason, hold_reason=hold_reason,
        status=order.status, compliance=cleared,
    )
    if order.status == DELIVERED:
        released.settlement_due.CopyFrom(order.settlement_due)
    indexed.emit(ctx, order, released)
    return tx.MsgReleaseOrderResponse(status=order.status)
