"""Screening where money moves: create, pay, settle, refund, release; freezing at settlement."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import errors
from stateset_chain.orders.errors import NotAuthorized
from stateset_chain.orders.lifecycle import DELIVERED, HELD, PAID
from tests.compliance.helpers import (
    AUTHORITY,
    CUSTOMER,
    MERCHANT,
    OFFICER,
    STRANGER,
    SUPPLIER,
    UNIT,
    CChain,
)
from tests.orders.helpers import RETURN_WINDOW, item, ship_msg

from stateset.compliance.v1 import events_pb2 as cev
from stateset.compliance.v1 import tx_pb2 as ctx_tx
from stateset.compliance.v1.compliance_pb2 import ComplianceStatus
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import LineItem, RevenueSplit

CLEAR = ComplianceStatus.COMPLIANCE_STATUS_CLEAR
REVIEW = ComplianceStatus.COMPLIANCE_STATUS_REVIEW
RESTRICTED = ComplianceStatus.COMPLIANCE_STATUS_RESTRICTED


def block_country(c: CChain, country: str) -> None:
    c.deliver(ctx_tx.MsgBlockCountry(signer=OFFICER, country=country, reason="embargo"))


def restrict(c: CChain, country: str, category: str, region: str = "") -> None:
    c.deliver(ctx_tx.MsgRestrictCategory(
        signer=OFFICER, country=country, region=region, category=category, reason="export"
    ))


def test_a_new_order_is_clear_and_says_which_rule():
    c = CChain()
    order = c.order(c.create(country="US"))
    assert order.compliance.status == CLEAR and order.compliance.rule == "screened"


@pytest.mark.parametrize("who", ["customer", "merchant"])
def test_create_refuses_a_sanctioned_party(who):
    c = CChain()
    c.sanction(CUSTOMER if who == "customer" else MERCHANT)
    with pytest.raises(errors.SanctionedParty, match=who):
        c.create()


def test_create_refuses_a_sanctioned_supplier():
    c = CChain()
    c.sanction(SUPPLIER)
    split = RevenueSplit(supplier=SUPPLIER, merchant_bps=8000, supplier_bps=2000)
    with pytest.raises(errors.SanctionedParty, match="supplier"):
        c.create(creator=MERCHANT, split=split)


def test_create_refuses_a_blocked_destination_and_allows_others():
    c = CChain()
    block_country(c, "KP")
    with pytest.raises(errors.BlockedDestination):
        c.create(country="kp")  # upper-cased like the tax lookup
    c.create(country="US")
    c.create()  # no destination: nothing to block


def test_restricted_category_country_wide_and_per_region():
    c = CChain()
    restrict(c, "US", "firearms")
    restrict(c, "US", "cannabis", region="TX")
    gun = LineItem(sku="G", name="Gun", quantity=1, unit_price="10", category="firearms")
    weed = LineItem(sku="W", name="Weed", quantity=1, unit_price="10", category="cannabis")
    with pytest.raises(errors.RestrictedItem, match="US:firearms"):
        c.create(country="US", region="CA", items=[item(), gun])
    with pytest.raises(errors.RestrictedItem, match="US/TX:cannabis"):
        c.create(country="US", region="TX", items=[weed])
    c.create(country="US", region="CA", items=[weed])  # only Texas restricts it
    c.create(country="DE", items=[gun])  # only the US does
    c.create(country="US", items=[item(sku="G2")])  # uncategorized items are never restricted


def test_pay_refuses_a_sanctioned_payer_and_a_frozen_order():
    c = CChain()
    oid = c.create()
    c.sanction(STRANGER)
    with pytest.raises(errors.SanctionedPayer):
        c.pay(oid, payer=STRANGER)
    c.sanction(MERCHANT)
    with pytest.raises(errors.OrderFrozen, match="merchant"):
        c.pay(oid)
    assert c.order(oid).amount_paid == 0


def test_a_refund_to_a_sanctioned_payer_is_refused():
    c = CChain()
    oid = c.paid_order()
    c.sanction(CUSTOMER)
    with pytest.raises(errors.SanctionedRefundRecipient):
        c.deliver(tx.MsgRefundOrder(signer=MERCHANT, order_id=oid, amount=str(UNIT), reason="x"))
    assert c.order(oid).amount_refunded == 0


def test_a_delivered_order_of_a_newly_sanctioned_merchant_is_frozen_never_settled():
    c = CChain()
    oid = c.to_status("DELIVERED")
    escrowed = c.order(oid).amount_paid
    c.sanction(MERCHANT)
    merchant_before = c.balance(MERCHANT)
    c.advance(RETURN_WINDOW + 1)
    (frozen,) = c.typed(cev.OrderFrozen)
    assert frozen.order_id == oid and frozen.decision.rule == "sanctioned_party"
    order = c.order(oid)
    assert order.status == HELD and order.hold_reason == "compliance"
    assert order.held_from == DELIVERED and not order.settled
    assert order.compliance.status == REVIEW and order.compliance.rule == "sanctioned_party"
    assert order.compliance.detail == f"merchant {MERCHANT}"
    assert c.balance(MERCHANT) == merchant_before
    assert c.balance(c.keeper.escrow_address) == escrowed
    c.check_invariants()
    for _ in range(3):  # stays frozen
        c.advance(RETURN_WINDOW)
    assert c.order(oid).status == HELD and not c.order(oid).settled


def test_a_frozen_order_is_released_only_by_the_authorities_once_it_passes():
    c = CChain()
    oid = c.to_status("DELIVERED")
    c.sanction(MERCHANT)
    c.advance(RETURN_WINDOW + 1)
    with pytest.raises(NotAuthorized):
        c.deliver(tx.MsgReleaseOrder(signer=MERCHANT, order_id=oid, reason="mine"))
    with pytest.raises(errors.OrderFrozen):
        c.deliver(tx.MsgReleaseOrder(signer=OFFICER, order_id=oid, reason="cleared?"))
    c.unsanction(MERCHANT)
    c.deliver(tx.MsgReleaseOrder(signer=OFFICER, order_id=oid, reason="delisted"))
    order = c.order(oid)
    assert order.status == DELIVERED and order.compliance.status == CLEAR
    assert order.hold_reason == "" and order.held_by == ""
    before = c.balance(MERCHANT)
    c.advance(1)  # due at once
    assert c.order(oid).settled and c.balance(MERCHANT) > before
    c.check_invariants()


def test_a_blocked_destination_after_creation_freezes_with_restricted():
    c = CChain()
    oid = c.to_status("DELIVERED", country="RU")
    block_country(c, "RU")
    c.advance(RETURN_WINDOW + 1)
    order = c.order(oid)
    assert order.status == HELD and order.compliance.status == RESTRICTED
    assert order.compliance.rule == "blocked_country" and order.compliance.detail == "RU"


def test_a_paid_order_whose_merchant_is_sanctioned_goes_on_but_freezes_at_settlement():
    """No scan at sanction time: the order's steps that move no money go on; its settlement
    freezes it; the authority may cancel it, refunding the (clean) customer."""
    c = CChain()
    oid = c.paid_order()
    c.sanction(MERCHANT)
    assert c.order(oid).status == PAID
    c.deliver(tx.MsgFulfillOrder(signer=MERCHANT, order_id=oid))
    c.deliver(ship_msg(oid))
    c.deliver(tx.MsgDeliverOrder(signer=CUSTOMER, order_id=oid))
    c.advance(RETURN_WINDOW + 1)
    assert c.order(oid).status == HELD and not c.order(oid).settled
    before = c.balance(CUSTOMER)
    c.deliver(tx.MsgCancelOrder(signer=AUTHORITY, order_id=oid, reason="sanctioned merchant"))
    assert c.balance(CUSTOMER) == before + c.order(oid).total
    c.check_invariants()


def test_settlement_in_a_message_refuses_a_sanctioned_payee():
    c = CChain()
    oid = c.to_status("RETURNED")
    c.sanction(MERCHANT)
    # a partial refund of a returned order settles the rest to the merchant: refused
    with pytest.raises(errors.SanctionedPayee):
        c.deliver(tx.MsgRefundOrder(signer=MERCHANT, order_id=oid, amount=str(UNIT), reason="x"))


def test_list_changes_emit_events():
    c = CChain()
    c.sanction(STRANGER, source="UN 1267")
    (added,) = c.typed(cev.SanctionAdded)
    assert added.sanction.address == STRANGER and added.sanction.list_source == "UN 1267"
    assert added.sanction.added_height == c.block.height
    c.unsanction(STRANGER)
    (removed,) = c.typed(cev.SanctionRemoved)
    assert removed.list_source == "UN 1267" and removed.reason == "delisted"


def test_screening_freezes_a_paid_order_of_a_newly_sanctioned_customer_at_once():
    c = CChain()
    oid = c.paid_order()
    assert c.deliver(tx.MsgScreenOrder(signer=STRANGER, order_id=oid)).frozen is False
    c.sanction(CUSTOMER)
    res = c.deliver(tx.MsgScreenOrder(signer=STRANGER, order_id=oid))
    assert res.frozen and res.status == HELD
    order = c.order(oid)
    assert order.hold_reason == "compliance" and order.held_from == PAID
    assert order.compliance.status == REVIEW and order.compliance.detail == f"customer {CUSTOMER}"
    assert [e.order_id for e in c.typed(cev.OrderFrozen)] == [oid]
    with pytest.raises(NotAuthorized):  # the merchant cannot lift a compliance freeze
        c.deliver(tx.MsgReleaseOrder(signer=MERCHANT, order_id=oid, reason="mine"))
    with pytest.raises(errors.SanctionedRefundRecipient):  # nor refund the sanctioned payer
        c.deliver(tx.MsgCancelOrder(signer=MERCHANT, order_id=oid, reason="x"))
    c.unsanction(CUSTOMER)
    c.deliver(tx.MsgReleaseOrder(signer=AUTHORITY, order_id=oid, reason="delisted"))
    assert c.order(oid).status == PAID
    c.check_invariants()


def test_screening_a_delivered_order_keeps_its_return_window_for_the_release():
    c = CChain()
    oid = c.to_status("DELIVERED")
    due = c.order(oid).settlement_due.seconds
    c.sanction(MERCHANT)
    assert c.deliver(tx.MsgScreenOrder(signer=OFFICER, order_id=oid)).frozen
    c.check_invariants()
    c.unsanction(MERCHANT)
    c.deliver(tx.MsgReleaseOrder(signer=OFFICER, order_id=oid, reason="delisted"))
    assert c.order(oid).status == DELIVERED and c.order(oid).settlement_due.seconds == due
    c.advance(5)
    assert not c.order(oid).settled  # not due yet
    c.advance(RETURN_WINDOW)
    assert c.order(oid).settled
    c.check_invariants()


def test_screening_refuses_orders_it_cannot_freeze():
    from stateset_chain.orders.errors import InvalidTransition

    c = CChain()
    oid = c.create()
    with pytest.raises(InvalidTransition):
        c.deliver(tx.MsgScreenOrder(signer=STRANGER, order_id=oid))
