"""What a message's stateless validation parsed reaches its handler, on the app's own path: a
handler gets the very value its route's ``validate`` returned (the app keeps it from the ante's
validation to the message run), and the route builder hands it only to a ``handle`` that takes a
``parsed`` argument."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.module import MsgRoute, msg_route
from tests.chain import Chain, address

from stateset.orders.v1 import orders_pb2


@pytest.fixture
def chain() -> Chain:
    return Chain.start()


def test_the_handler_gets_the_object_validate_returned_in_a_block(chain):
    made: list[object] = []
    seen: list[object] = []

    def validate(msg):
        made.append(object())
        return made[-1]

    def handler(ctx, msg, parsed):
        seen.append(parsed)

    route = MsgRoute(msg_cls=orders_pb2.Order, signers=lambda m: [m.customer],
                     validate=validate, handler=handler)
    chain.core.routes[route.type_url] = route
    alice = chain.wallets[0]
    tx = chain.sign(alice, [orders_pb2.Order(customer=address(alice)),
                            orders_pb2.Order(customer=address(alice), name="second")])
    result = chain.block([tx]).tx_results[0]
    assert result.code == 0, result.log
    assert len(seen) == 2
    assert seen == made[-2:]  # the objects of the block's own validation, in message order
    assert all(a is b for a, b in zip(seen, made[-2:], strict=True))


def test_msg_route_passes_parsed_only_to_a_handle_that_takes_it():
    calls = []

    def with_parsed(keeper, ctx, msg, parsed):
        calls.append((keeper, ctx, msg, parsed))

    def without(keeper, ctx, msg, extra="default"):
        calls.append((keeper, ctx, msg, extra))

    for handle in (with_parsed, without):
        file = SimpleNamespace(__name__="probe", MSG=orders_pb2.Order, signers=lambda m: [],
                               validate=lambda m: 42, handle=handle)
        msg_route("keeper", file).handler("ctx", "msg", 42)
    assert calls == [("keeper", "ctx", "msg", 42), ("keeper", "ctx", "msg", "default")]



def test_msg_route_binds_a_validate_that_takes_the_keeper():
    """A message carrying another module's message validates it through its keeper's Protocol:
    ``validate(keeper, msg)`` is bound to the keeper; a ``validate(msg)`` is used as it is."""

    def plain(msg):
        return ("plain", msg)

    def with_keeper(keeper, msg):
        return (keeper, msg)

    routes = [
        msg_route("keeper", SimpleNamespace(__name__="probe", MSG=orders_pb2.Order,
                                            signers=lambda m: [], validate=v,
                                            handle=lambda keeper, ctx, msg: None))
        for v in (plain, with_keeper)
    ]
    assert routes[0].validate is plain
    assert routes[1].validate("msg") == ("keeper", "msg")
