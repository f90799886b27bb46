"""Hole 4 of the hardening review: the platform fee was read from params at settlement, so after
delivery the authority could set it to 100% and take the merchant's whole payment; and the
arbiter could judge a dispute in its own case. The order now records the platform's terms
(address and fee) when it is created and settles with them; an arbiter who is the order's
customer, merchant or a payer is refused (ArbiterIsParty)."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.errors import ArbiterIsParty
from tests.orders.helpers import (
    ARBITER,
    AUTHORITY,
    CUSTOMER,
    MERCHANT,
    PLATFORM,
    RETURN_WINDOW,
    STRANGER,
    UNIT,
    Chain,
    item,
    pay_msg,
)
from tests.orders.test_resolve import RELEASE, resolve
from tests.orders.test_update_params import params

from stateset.orders.v1 import tx_pb2 as tx


def test_a_fee_raised_after_delivery_does_not_apply_to_the_order():
    chain = Chain()
    oid = chain.to_status("DELIVERED", items=[item(price="100")])
    greedy = params(platform_fee_bps=10_000, platform_address=STRANGER)
    chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=greedy))
    merchant_before, stranger_before = chain.balance(MERCHANT), chain.balance(STRANGER)
    chain.advance(RETURN_WINDOW)
    settled = chain.order(oid).settlement
    assert (settled.platform, settled.platform_amount) == (PLATFORM, 100 * UNIT * 250 // 10_000)
    assert chain.balance(MERCHANT) - merchant_before == 100 * UNIT - settled.platform_amount
    assert chain.balance(STRANGER) == stranger_before  # nothing went to the new platform
    chain.check_invariants()


def test_the_order_records_the_terms_it_was_created_with():
    chain = Chain()
    old = chain.create()
    chain.deliver(tx.MsgUpdateParams(
        authority=AUTHORITY, params=params(platform_fee_bps=500, platform_address=STRANGER)
    ))
    new = chain.create()
    assert (chain.order(old).platform_address, chain.order(old).platform_fee_bps) == (PLATFORM, 250)
    assert (chain.order(new).platform_address, chain.order(new).platform_fee_bps) == (STRANGER, 500)


@pytest.mark.parametrize("party", ["customer", "merchant", "payer"])
def test_the_arbiter_may_not_be_a_party_to_the_order(party):
    chain = Chain()
    who = {"customer": CUSTOMER, "merchant": MERCHANT, "payer": STRANGER}[party]
    oid = chain.create()
    if party == "payer":
        chain.deliver(pay_msg(oid, 1, payer=STRANGER))
    chain.pay(oid)
    chain.deliver(tx.MsgDisputeOrder(signer=CUSTOMER, order_id=oid, reason="late"))
    chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=params(arbiter=who)))
    with pytest.raises(ArbiterIsParty) as refused:
        chain.deliver(resolve(oid, RELEASE, arbiter=who))
    assert (refused.value.codespace, refused.value.code) == ("orders", 43)
    chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=params(arbiter=ARBITER)))
    chain.deliver(resolve(oid, RELEASE))
