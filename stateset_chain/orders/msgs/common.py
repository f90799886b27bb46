"""Checks shared by the message handlers: formats (stateless), limits (params) and roles.

Roles of a signer towards an order: ``customer`` and ``merchant`` (the order's parties),
``authority`` and ``arbiter`` (params). Each handler names the roles it accepts.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.orders import indexed
from stateset_chain.orders.errors import FieldTooLong, MissingField, NotAuthorized
from stateset_chain.orders.ids import require_order_id

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1.orders_pb2 import Order
from stateset.orders.v1.params_pb2 import Params

__all__ = [
    "ARBITER",
    "emit_locked",
    "AUTHORITY",
    "CUSTOMER",
    "MERCHANT",
    "require_address",
    "require_length",
    "require_order_id",
    "require_present",
    "require_role",
    "roles_of",
]

CUSTOMER = "customer"
MERCHANT = "merchant"
AUTHORITY = "authority"
ARBITER = "arbiter"

DEFAULT_PAYMENT_METHOD = "wallet"


def require_present(value: str, field: str) -> None:
    if not value:
        raise MissingField(field)


def require_length(value: str, field: str, limit: int) -> None:
    """At most ``limit`` bytes of UTF-8."""
    size = len(value.encode())
    if size > limit:
        raise FieldTooLong(f"{field} is {size} bytes, the limit is {limit}")


def roles_of(signer: str, order: Order, params: Params) -> frozenset[str]:
    roles = set()
    if signer == order.customer:
        roles.add(CUSTOMER)
    if signer == order.merchant:
        roles.add(MERCHANT)
    if signer == params.authority:
        roles.add(AUTHORITY)
    if signer == params.arbiter:
        roles.add(ARBITER)
    return frozenset(roles)


def require_role(
    signer: str, order: Order, params: Params, allowed: frozenset[str], action: str
) -> frozenset[str]:
    """The signer's roles among ``allowed``; NotAuthorized if it has none of them."""
    roles = roles_of(signer, order, params) & allowed
    if not roles:
        who = " or ".join(sorted(allowed))
        raise NotAuthorized(f"{signer} may not {action} order {order.id}: only its {who} may")
    return roles


def emit_locked(ctx: Context, order: Order) -> None:
    """ExchangeRateLocked for a fiat order whose rate was just locked (create or pay)."""
    indexed.emit(
        ctx,
        order,
        events.ExchangeRateLocked(
            order_id=order.id,
            currency=order.currency,
            denom=order.denom,
            total=order.total,
            lock=order.exchange_rate,
        ),
    )
