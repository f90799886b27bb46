"""Hypothesis: whatever the interleaving of sanctions, delistings, order steps and blocks, no
order settles while one of its parties is sanctioned, the screening decision is a function of
the state (a replay gives the same decisions), and every invariant holds."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import ChainError
from tests.compliance.helpers import CUSTOMER, MERCHANT, OFFICER, STRANGER, CChain
from tests.orders.helpers import RETURN_WINDOW, ship_msg

from stateset.orders.v1 import events_pb2 as oev
from stateset.orders.v1 import tx_pb2 as tx

PARTIES = [CUSTOMER, MERCHANT, STRANGER]
ops = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 1)),
        st.tuples(st.just("pay"), st.integers(0, 5)),
        st.tuples(st.just("ship"), st.integers(0, 5)),
        st.tuples(st.just("sanction"), st.integers(0, 2)),
        st.tuples(st.just("delist"), st.integers(0, 2)),
        st.tuples(st.just("release"), st.integers(0, 5)),
        st.tuples(st.just("wait"), st.integers(0, 2)),
    ),
    min_size=1, max_size=25,
)


def run(program) -> tuple[CChain, list]:
    c = CChain()
    orders: list[str] = []
    trace = []
    for op, arg in program:
        try:
            if op == "create":
                orders.append(c.create(customer=CUSTOMER if arg == 0 else STRANGER))
            elif op == "pay" and orders:
                oid = orders[arg % len(orders)]
                c.pay(oid, payer=c.order(oid).customer)
            elif op == "ship" and orders:
                oid = orders[arg % len(orders)]
                c.deliver(tx.MsgFulfillOrder(signer=MERCHANT, order_id=oid))
                c.deliver(ship_msg(oid, signer=MERCHANT))
                c.deliver(tx.MsgDeliverOrder(signer=MERCHANT, order_id=oid))
            elif op == "sanction":
                c.sanction(PARTIES[arg])
            elif op == "delist":
                c.unsanction(PARTIES[arg])
            elif op == "release" and orders:
                oid = orders[arg % len(orders)]
                c.deliver(tx.MsgReleaseOrder(signer=OFFICER, order_id=oid, reason="ok"))
            elif op == "wait":
                c.advance(RETURN_WINDOW // 2 + 1)
                for settled in c.typed(oev.OrderSettled):
                    order = c.order(settled.order_id)
                    parties = {order.customer, order.merchant,
                               *(p.payer for p in order.payments)}
                    sanctioned = [a for a in parties if c.compliance.is_sanctioned(c.store, a)]
                    assert not sanctioned, f"{order.id} settled with {sanctioned} sanctioned"
            trace.append((op, arg, "ok"))
        except ChainError as e:
            trace.append((op, arg, type(e).__name__))
    c.check_invariants()
    decisions = [(o, c.order(o).status, c.order(o).compliance.SerializeToString())
                 for o in orders]
    return c, trace + decisions


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=ops)
@example(program=[("create", 0), ("pay", 0), ("ship", 0), ("sanction", 1), ("wait", 0),
                  ("wait", 0), ("wait", 0), ("release", 0), ("delist", 1), ("release", 0),
                  ("wait", 0)])
def test_no_order_with_a_sanctioned_party_ever_settles_and_decisions_replay(program):
    _, first = run(program)
    _, again = run(program)
    assert first == again
