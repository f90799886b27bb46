"""A chain with orders in many states, shared by the genesis and invariant tests."""

from __future__ import annotations

from tests.orders.helpers import RETURN_WINDOW, Chain


def busy_chain() -> Chain:
    """Orders in many states: created, partially paid, paid, held, shipped, delivered (queued),
    settled, returned, disputed, refunded, cancelled."""
    chain = Chain()
    chain.create(client_order_id="a")
    chain.pay(chain.create(), 1)
    for status in ("PAID", "HELD", "SHIPPED", "DELIVERED", "RETURNED", "DISPUTED"):
        chain.to_status(status)
    settled = chain.to_status("DELIVERED")
    chain.advance(RETURN_WINDOW - 1)
    chain.to_status("DELIVERED")  # still queued after the export
    chain.advance(1)
    assert chain.order(settled).settled
    chain.check_invariants()
    return chain
