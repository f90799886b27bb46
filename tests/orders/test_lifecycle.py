"""The transition table is the issue's, and ``transition`` is the only way a status changes."""

from __future__ import annotations

import pathlib
import re

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo, Context
from stateset_chain.orders import lifecycle
from stateset_chain.orders.errors import InvalidTransition
from stateset_chain.orders.lifecycle import TRANSITIONS, status_name
from stateset_chain.store.kv import Branch
from stateset_chain.timefmt import timestamp_ns
from tests.orders.helpers import Chain

from stateset.orders.v1.orders_pb2 import Order, OrderStatus

# The issue's table, verbatim.
ISSUE_TABLE = {
    "CREATED": {"PAID", "CANCELLED"},
    "PAID": {"FULFILLED", "HELD", "REFUNDED", "DISPUTED"},
    "FULFILLED": {"SHIPPED", "CANCELLED", "DISPUTED"},
    "SHIPPED": {"DELIVERED", "RETURNED", "DISPUTED"},
    "DELIVERED": {"RETURNED", "DISPUTED"},
    "HELD": {"PAID", "CANCELLED"},
    "CANCELLED": set(),
    "RETURNED": {"REFUNDED"},
    "REFUNDED": set(),
    "DISPUTED": {"RESOLVED"},
    "RESOLVED": set(),
}
# Issue 14 adds the compliance freeze and its release: an order holding escrow whose party
# became sanctioned (or whose destination or items became restricted) goes HELD with reason
# compliance (at settlement, or at the end of the block that sanctioned the party) from the
# status it was in, and a release takes it back there. Only the release takes these edges out
# of HELD (MsgFulfillOrder / MsgShipOrder / MsgDeliverOrder of a HELD order are refused).
COMPLIANCE_EDGES = {
    "FULFILLED": {"HELD"}, "SHIPPED": {"HELD"}, "DELIVERED": {"HELD"},
    "HELD": {"FULFILLED", "SHIPPED", "DELIVERED"},
}
TABLE = {s: ISSUE_TABLE[s] | COMPLIANCE_EDGES.get(s, set()) for s in ISSUE_TABLE}
STATUSES = [s for s in OrderStatus.values() if s]


def test_the_table_is_the_issues_table():
    as_names = {status_name(a): {status_name(b) for b in bs} for a, bs in TRANSITIONS.items()}
    assert as_names == TABLE


def test_terminal_statuses():
    assert {status_name(s) for s in lifecycle.TERMINAL} == {"CANCELLED", "REFUNDED", "RESOLVED"}


@pytest.mark.parametrize("source", STATUSES, ids=status_name)
@pytest.mark.parametrize("target", STATUSES, ids=status_name)
def test_require_transition_accepts_exactly_the_table(source, target):
    order = Order(id="ord_0000000000", status=source)
    if status_name(target) in TABLE[status_name(source)]:
        lifecycle.require_transition(order, target)
    else:
        with pytest.raises(InvalidTransition):
            lifecycle.require_transition(order, target)


def test_transition_reindexes_and_appends_the_timeline():
    chain = Chain()
    oid = chain.create()
    ctx = Context(Branch(chain.store), BlockInfo(7, 123 * 10**9, "test"))
    order = chain.keeper.must_get_order(ctx.store, oid)
    lifecycle.transition(chain.keeper, ctx, order, lifecycle.CANCELLED)
    chain.keeper.save_order(ctx.store, order)
    last = order.timeline[-1]
    assert (last.status, last.height, timestamp_ns(last.time)) == (
        lifecycle.CANCELLED,
        7,
        123 * 10**9,
    )
    assert timestamp_ns(order.updated_at) == 123 * 10**9
    # the index moves at the block's end, derived from the block's writes
    assert chain.keeper.index.status_count(ctx.store, lifecycle.CREATED) == 1
    chain.keeper.derive_indexes(chain.store, ctx.store)
    assert chain.keeper.index.status_count(ctx.store, lifecycle.CREATED) == 0
    assert chain.keeper.index.status_count(ctx.store, lifecycle.CANCELLED) == 1
    ctx.store.write()
    chain.check_invariants()


def test_a_refused_transition_changes_nothing():
    chain = Chain()
    oid = chain.create()
    order = chain.order(oid)
    with pytest.raises(InvalidTransition):
        lifecycle.transition(chain.keeper, chain.ctx(), order, lifecycle.SHIPPED)
    assert order == chain.order(oid)
    chain.check_invariants()


def test_no_code_but_lifecycle_assigns_a_status():
    root = pathlib.Path(lifecycle.__file__).parent
    assign = re.compile(r"\.status\s*=[^=]")
    offenders = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if path.name != "lifecycle.py" and assign.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("verb", ["fulfil", "ship", "deliver"])
def test_no_step_forward_leaves_a_hold_only_the_release_does(verb):
    """HELD -> FULFILLED / SHIPPED / DELIVERED are the compliance release's edges: the
    merchant's forward messages on a HELD order are InvalidTransition and change nothing."""
    from tests.orders.helpers import MERCHANT, ship_msg

    from stateset.orders.v1 import tx_pb2 as tx

    chain = Chain()
    oid = chain.to_status("HELD")
    msg = {
        "fulfil": tx.MsgFulfillOrder(signer=MERCHANT, order_id=oid),
        "ship": ship_msg(oid),
        "deliver": tx.MsgDeliverOrder(signer=MERCHANT, order_id=oid),
    }[verb]
    before = chain.order(oid)
    with pytest.raises(InvalidTransition):
        chain.deliver(msg)
    assert chain.order(oid) == before
