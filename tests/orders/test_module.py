"""The orders Module: every Msg of the service is routed with its signer, module accounts, and
atomic multi-message transactions."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.errors import BlockedRecipient
from stateset_chain.bank.msgs import send as bank_send
from stateset_chain.coins import Coin
from stateset_chain.errors import registered_errors
from stateset_chain.orders import errors as orders_errors
from stateset_chain.orders import ids
from stateset_chain.orders.errors import InsufficientPayment
from stateset_chain.orders.keys import ORDERS_MODULE_ACCOUNTS
from tests.delivery import handle
from tests.orders.helpers import (
    ARBITER,
    AUTHORITY,
    CUSTOMER,
    ESCROW,
    MERCHANT,
    UNIT,
    Chain,
    create_msg,
    item,
    pay_msg,
)

from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus


def test_every_msg_of_the_service_is_routed_once():
    chain = Chain()
    service = tx.DESCRIPTOR.services_by_name["Msg"]
    routed = [r.type_url for r in chain.module.msgs]
    assert routed == ["/" + m.input_type.full_name for m in service.methods]
    assert chain.module.name == "orders" and chain.module.end_block is not None
    assert len(chain.module.invariants) == 4


@pytest.mark.parametrize(
    ("msg", "signer"),
    [
        (tx.MsgFulfillOrder(signer=MERCHANT), MERCHANT),
        (tx.MsgShipOrder(signer=MERCHANT), MERCHANT),
        (tx.MsgDeliverOrder(signer=CUSTOMER), CUSTOMER),
        (tx.MsgCancelOrder(signer=CUSTOMER), CUSTOMER),
        (tx.MsgHoldOrder(signer=AUTHORITY), AUTHORITY),
        (tx.MsgReleaseOrder(signer=AUTHORITY), AUTHORITY),
        (tx.MsgReturnOrder(signer=CUSTOMER), CUSTOMER),
        (tx.MsgRefundOrder(signer=MERCHANT), MERCHANT),
        (tx.MsgDisputeOrder(signer=CUSTOMER), CUSTOMER),
        (tx.MsgResolveDispute(arbiter=ARBITER), ARBITER),
        (tx.MsgUpdateParams(authority=AUTHORITY), AUTHORITY),
        (tx.MsgBatchPayOrders(payer=CUSTOMER), CUSTOMER),
    ],
)
def test_signers(msg, signer):
    assert Chain().signers(msg) == [signer]


def test_escrow_is_a_plain_module_account_the_bank_blocks_sends_to():
    assert ORDERS_MODULE_ACCOUNTS == {"orders_escrow": frozenset()}
    chain = Chain()
    assert chain.bank.is_blocked(ESCROW)
    send = bank_tx.MsgSend(
        from_address=CUSTOMER, to_address=ESCROW, amount=[Coin("ussusd", 1).to_proto()]
    )
    with pytest.raises(BlockedRecipient):
        handle(bank_send, chain.bank, chain.ctx(), send)


def test_create_and_pay_in_one_tx_using_the_predictable_next_id():
    chain = Chain()
    next_id = ids.make_order_id(chain.block.chain_id, chain.keeper.next_sequence(chain.store))
    created, paid = chain.deliver(create_msg(items=[item(price="10")]), pay_msg(next_id, 10 * UNIT))
    assert created.order_id == next_id
    assert paid.status == OrderStatus.ORDER_STATUS_PAID


def test_a_multi_message_tx_is_atomic():
    """Create a second order, pay half of the first, fulfil the first (not fully paid): the
    last message fails, so neither the new order nor the payment is kept."""
    chain = Chain()
    first = chain.create(items=[item(price="10")])
    before = list(chain.store.iterate())
    with pytest.raises(InsufficientPayment):
        chain.deliver(
            create_msg(items=[item(price="5")]),
            pay_msg(first, 5 * UNIT),
            tx.MsgFulfillOrder(signer=MERCHANT, order_id=first),
        )
    assert list(chain.store.iterate()) == before
    assert chain.keeper.order_count(chain.store) == 1


def test_error_codes_are_unique_and_in_the_orders_codespace():
    ours = [
        cls
        for cls in vars(orders_errors).values()
        if isinstance(cls, type)
        and issubclass(cls, orders_errors.OrdersError)
        and cls is not orders_errors.OrdersError
    ]
    assert len(ours) == 46
    assert all(cls.codespace == "orders" for cls in ours)
    assert len({cls.code for cls in ours}) == len(ours)
    assert all(registered_errors()[("orders", cls.code)] is cls for cls in ours)
