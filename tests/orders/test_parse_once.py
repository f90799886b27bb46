"""An order message is parsed once: MsgCreateOrder's validation returns what it parsed (currency,
pay denom, unit prices) and the handler prices the order from that value, on the tx route
(MsgCreateOrder, MsgBatchCreateOrders, MsgCreateAndPayOrder) and on the keeper path other
modules create their orders through (``OrdersKeeper.create_order``: it validates once when its
caller did not, else takes the caller's value)."""

from __future__ import annotations

import dataclasses

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.msgs import create
from tests.orders.helpers import UNIT, Chain, create_msg, item

from stateset.orders.v1 import tx_pb2 as tx


def test_validate_returns_what_the_handler_needs():
    msg = create_msg(items=[item(price="10"), item(sku="SKU-2", price="0.25", quantity=3)])
    assert create.validate(msg) == create.ParsedOrder(
        currency="ssusd", denom="ussusd", unit_prices=(10 * UNIT, UNIT // 4)
    )


def test_the_handler_prices_from_the_parsed_value_not_the_text():
    """A parsed value that differs from the text wins: nothing in the handler parses again."""
    chain = Chain()
    msg = create_msg(items=[item(price="10")])
    parsed = dataclasses.replace(create.validate(msg), unit_prices=(7 * UNIT,))
    response = create.handle(chain.keeper, chain.ctx(), msg, parsed)
    assert response.total == 7 * UNIT
    assert chain.order(response.order_id).items[0].unit_price_amount == 7 * UNIT


def counting_validate(monkeypatch) -> list[tx.MsgCreateOrder]:
    calls: list[tx.MsgCreateOrder] = []
    real = create.validate

    def validate(msg):
        calls.append(msg)
        return real(msg)

    monkeypatch.setattr(create, "validate", validate)
    return calls


def test_the_keeper_path_validates_once_without_a_parsed_value(monkeypatch):
    chain = Chain()
    calls = counting_validate(monkeypatch)
    response = chain.keeper.create_order(chain.ctx(), create_msg(items=[item(price="12")]))
    assert len(calls) == 1
    assert response.total == 12 * UNIT


def test_the_keeper_path_takes_the_callers_parsed_value_without_validating(monkeypatch):
    chain = Chain()
    msg = create_msg(items=[item(price="12")])
    parsed = dataclasses.replace(chain.keeper.validate_order(msg), unit_prices=(3 * UNIT,))
    calls = counting_validate(monkeypatch)
    response = chain.keeper.create_order(chain.ctx(), msg, parsed)
    assert calls == []
    assert response.total == 3 * UNIT


@pytest.mark.parametrize("route", ["create", "batch", "create_and_pay"])
def test_each_tx_route_validates_each_order_once(monkeypatch, route):
    calls = counting_validate(monkeypatch)  # before the routes are built from the message files
    chain = Chain()
    order = create_msg(items=[item(price="5")])
    if route == "create":
        chain.deliver(order)
    elif route == "batch":
        batch = tx.MsgBatchCreateOrders(creator=order.creator, orders=[order, order])
        chain.deliver(batch)
    else:
        chain.deliver(tx.MsgCreateAndPayOrder(order=order, method="card"))
    assert len(calls) == (2 if route == "batch" else 1)
