"""Waking at end-block: a stock write (or status change) only marks its subject changed; the
end-block wakes the waiters, at most max_waiter_wakes_per_block per block, carrying the rest over
in first-in, first-out passes that start over when the subject changed again meanwhile.

Proved: the stock-writing tx's gas is the same with 0 or 40 waiters (the real App path, signed
txs); the bound holds and every waiter is reached; a change during a pass re-wakes the waiters the
pass already woke; a busy subject does not starve another; a change nobody waits on leaves no
state behind."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional.engine import EXECUTED, WAITING
from stateset_chain.conditional.state import STOCK, ConditionalKeeper, default_params
from stateset_chain.timefmt import timestamp
from tests.chain import Chain, address
from tests.conditional.helpers import CondChain, conditional_msg
from tests.orders.helpers import MERCHANT, item

from stateset.conditional.v1 import tx_pb2 as ctx_pb
from stateset.conditional.v1.conditional_pb2 import Condition, SkuInStock
from stateset.inventory.v1 import tx_pb2 as inv_tx
from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx


def in_stock(sku: str, quantity: int = 1, merchant: str = MERCHANT) -> Condition:
    return Condition(sku_in_stock=SkuInStock(merchant=merchant, sku=sku, quantity=quantity))


def chain_with_budget(budget: int) -> CondChain:
    chain = CondChain()
    params = default_params()
    params.max_waiter_wakes_per_block = budget
    chain.cond.params_item.set(chain.store, params)
    return chain


def waiters(chain: CondChain, sku: str, n: int, quantity: int = 1) -> list[str]:
    """``n`` conditional orders waiting on ``sku`` whose own order is of an untracked SKU (so
    executing them never competes for the stock), in id order."""
    chain.advance()  # stock set before: its (waiterless) pass is over
    ids = [
        chain.deliver(
            conditional_msg([in_stock(sku, quantity)], prefund=False, items=[item(sku="OTHER")])
        ).id
        for _ in range(n)
    ]
    chain.advance()  # created ones are woken at once: let that pass
    return sorted(ids)


def statuses(chain: CondChain, ids: list[str]) -> list[int]:
    return [chain.cond.must_get(chain.store, cid).status for cid in ids]


def adjust(chain: CondChain, sku: str, delta: int = 1) -> None:
    chain.deliver(inv_tx.MsgAdjustInventory(merchant=MERCHANT, sku=sku, delta=delta, reason="in"))


def test_the_stock_writing_txs_gas_does_not_depend_on_the_number_of_waiters():
    chain = Chain.start()
    merchant, customer = chain.wallets[1], chain.wallets[2]
    m, c = address(merchant), address(customer)
    sets = [inv_tx.MsgSetInventory(merchant=m, sku=sku, quantity=0) for sku in ("A", "B")]
    assert chain.block([chain.sign(merchant, sets)]).tx_results[0].code == 0
    order = orders_tx.MsgCreateOrder(
        creator=c, customer=c, merchant=m,
        items=[orders_pb2.LineItem(sku="OTHER", name="thing", quantity=1, unit_price="1.00")],
    )
    expiry = timestamp((1_700_000_000 + 86_400) * 10**9)
    create = ctx_pb.MsgCreateConditionalOrder(
        order=order, conditions=[in_stock("B", merchant=m)], auto_execute=True,
        expires_at=expiry,
    )
    res = chain.block([chain.sign(customer, [create] * 40, gas=20_000_000)])
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    # the same write to a SKU nobody waits on and to one 40 conditional orders wait on
    write_a = inv_tx.MsgAdjustInventory(merchant=m, sku="A", delta=1, reason="in")
    write_b = inv_tx.MsgAdjustInventory(merchant=m, sku="B", delta=1, reason="in")
    res = chain.block([chain.sign(merchant, [write_a]), chain.sign(merchant, [write_b])])
    assert [r.code for r in res.tx_results] == [0, 0], [r.log for r in res.tx_results]
    assert res.tx_results[0].gas_used == res.tx_results[1].gas_used
    # and the end-block of that block woke all 40: each executed (its order created)
    executed = "stateset.conditional.v1.ConditionalOrderExecuted"
    assert sum(e.type == executed for e in res.events) == 40


def test_at_most_the_bound_wake_per_block_and_the_rest_carry_over():
    chain = chain_with_budget(3)
    chain.set_stock("A", 0)
    ids = waiters(chain, "A", 7)
    adjust(chain, "A")
    assert list(ConditionalKeeper.woken.iterate(chain.store)) == []  # nothing woken in the tx
    seen = []
    for _ in range(3):
        chain.advance()
        seen.append(statuses(chain, ids).count(EXECUTED))
    assert seen == [3, 6, 7]
    assert list(chain.cond.passes(chain.store)) == []
    chain.check_invariants()


def test_a_change_during_a_pass_wakes_again_the_waiters_it_already_woke():
    chain = chain_with_budget(2)
    chain.set_stock("A", 0)
    ids = waiters(chain, "A", 5, quantity=5)
    adjust(chain, "A", 1)  # 1 available: nobody's condition holds
    chain.advance()  # the pass woke ids[0], ids[1]: still waiting
    assert statuses(chain, ids) == [WAITING] * 5
    [p] = chain.cond.passes(chain.store)
    assert p.after == ids[1] and not p.again
    adjust(chain, "A", 4)  # 5 available now: everyone's condition holds
    [p] = chain.cond.passes(chain.store)
    assert p.after == ids[1]  # the tx did not touch the pass: it only marked A changed
    for _ in range(4):
        chain.advance()
    assert statuses(chain, ids) == [EXECUTED] * 5  # ids[0] and ids[1] too
    assert list(chain.cond.passes(chain.store)) == []


def test_a_busy_subject_does_not_starve_another():
    chain = chain_with_budget(2)
    chain.set_stock("A", 0)
    chain.set_stock("B", 0)
    busy = waiters(chain, "A", 6, quantity=1_000)  # never holds: A keeps being re-woken
    [other] = waiters(chain, "B", 1)
    adjust(chain, "A")
    adjust(chain, "B")
    blocks = 0
    while statuses(chain, [other]) != [EXECUTED] and blocks < 6:
        chain.advance()
        blocks += 1
        adjust(chain, "A")  # A changes in every block
    assert statuses(chain, [other]) == [EXECUTED]
    assert blocks <= 4
    assert statuses(chain, busy) == [WAITING] * 6


def test_a_change_nobody_waits_on_leaves_no_state_behind():
    chain = CondChain()
    chain.set_stock("A", 0)
    chain.advance()
    before = chain.cond.pass_sequence.peek(chain.store)
    adjust(chain, "A")
    assert list(ConditionalKeeper.changed.iterate(chain.store)) == [(STOCK, MERCHANT, "A")]
    chain.advance()
    assert list(ConditionalKeeper.changed.iterate(chain.store)) == []
    assert list(chain.cond.passes(chain.store)) == []
    assert chain.cond.pass_sequence.peek(chain.store) == before
