"""``sandbox.attempt``: a step's writes and events are kept only if it succeeds; refusals from
the named codespaces are returned, anything else (out of gas above all) propagates."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crosschain.sandbox import attempt, describe
from stateset_chain.errors import OutOfGas
from stateset_chain.orders.errors import OrderNotFound
from stateset_chain.store.kv import MemoryKV

from stateset.crosschain.v1 import events_pb2 as x_events


def new_ctx() -> Context:
    return Context(MemoryKV(), BlockInfo(1, 0, "test"))


def write_then(error=None):
    def step(ctx: Context):
        ctx.store.set(b"k", b"v")
        ctx.events.emit(x_events.UnclaimedFundsClaimed(amount="1"))
        if error is not None:
            raise error
        return "done"

    return step


def test_success_keeps_writes_and_events():
    ctx = new_ctx()
    outcome = attempt(ctx, write_then(), frozenset({"orders"}))
    assert (outcome.value, outcome.refusal) == ("done", None)
    assert ctx.store.get(b"k") == b"v"
    assert len(ctx.events.events) == 1


def test_refusal_drops_writes_and_events():
    ctx = new_ctx()
    outcome = attempt(ctx, write_then(OrderNotFound("ord_x")), frozenset({"orders"}))
    assert outcome.value is None and isinstance(outcome.refusal, OrderNotFound)
    assert ctx.store.get(b"k") is None
    assert ctx.events.events == []
    assert describe(outcome.refusal) == "orders/2: ord_x: order not found"


@pytest.mark.parametrize("error", [OutOfGas("limit"), OrderNotFound("x")])
def test_other_codespaces_propagate(error):
    ctx = new_ctx()
    with pytest.raises(type(error)):
        attempt(ctx, write_then(error), frozenset({"cctp"}))
    assert ctx.store.get(b"k") is None
