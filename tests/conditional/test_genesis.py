"""Genesis round trip of inventory and conditional orders: export -> import into a new store
gives the same keys and values, byte for byte, so the same state root; and the imported chain
goes on exactly as the original (a pass carried over finishes the same way).

The state covers every kind each genesis carries: tracked stocks with reservations RESERVED,
SHIPPED, RELEASED; conditional orders WAITING (pre-funded, on stock, on time, on an order's
status, on a balance), EXECUTED, CANCELED, LAPSED, FAILED; woken ids and a waiter pass cut short
by the per-block bound."""

from __future__ import annotations

import copy

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional import genesis as cond_genesis
from stateset_chain.conditional.errors import InvalidGenesis as CondInvalidGenesis
from stateset_chain.conditional.keys import P as COND_PREFIX
from stateset_chain.inventory import genesis as inv_genesis
from stateset_chain.inventory.errors import InvalidGenesis as InvInvalidGenesis
from stateset_chain.inventory.keys import PREFIX as INV_PREFIX
from stateset_chain.store.smt import PySparseMerkleTree
from stateset_chain.timefmt import timestamp
from tests.conditional.helpers import CondChain, conditional_msg
from tests.conditional.test_wakes import chain_with_budget, in_stock, waiters
from tests.orders.helpers import CUSTOMER, DAY, MERCHANT, START_NS, item

from stateset.conditional.v1 import tx_pb2 as tx
from stateset.conditional.v1.conditional_pb2 import (
    BalanceAtLeast,
    Condition,
    OrderReached,
    TimeAfter,
)
from stateset.inventory.v1 import tx_pb2 as inv_tx
from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import OrderStatus


def busy() -> CondChain:
    chain = chain_with_budget(2)
    chain.set_stock("A", 0)
    chain.set_stock("S", 10, threshold=3)
    # reservations: one reserved, one shipped, one released
    reserved = chain.paid_order(items=[item(sku="S", quantity=2)])
    chain.to_status("SHIPPED", items=[item(sku="S", quantity=1)])
    released = chain.create(items=[item(sku="S", quantity=1)])
    chain.deliver(orders_tx.MsgCancelOrder(signer=CUSTOMER, order_id=released, reason="no"))
    chain.deliver(inv_tx.MsgAdjustInventory(merchant=MERCHANT, sku="S", delta=-1, reason="lost"))
    # conditional orders of every kind and status
    chain.deliver(conditional_msg([in_stock("A")], items=[item(sku="OTHER")]))  # pre-funded
    later = timestamp(START_NS + 10 * DAY * 10**9)
    chain.deliver(conditional_msg([Condition(time_after=TimeAfter(time=later))], prefund=False))
    chain.deliver(conditional_msg([Condition(order_reached=OrderReached(
        order_id=reserved, status=OrderStatus.ORDER_STATUS_DELIVERED))], prefund=False))
    chain.deliver(conditional_msg([Condition(balance_at_least=BalanceAtLeast(
        address=CUSTOMER, denom="ussusd", amount=10**18))], prefund=False))
    canceled = chain.deliver(conditional_msg([in_stock("A", 99)])).id
    chain.deliver(tx.MsgCancelConditionalOrder(creator=CUSTOMER, id=canceled))
    chain.deliver(conditional_msg([in_stock("A", 99)], expires_in_s=60))  # lapses
    chain.deliver(conditional_msg([in_stock("S", 1)], prefund=False))  # executes
    chain.set_stock("B", 0)
    chain.deliver(conditional_msg([in_stock("S")], items=[item(sku="B")]))  # fails: B is empty
    chain.advance(120)
    waiters(chain, "A", 5, quantity=1_000)
    chain.deliver(inv_tx.MsgAdjustInventory(merchant=MERCHANT, sku="A", delta=1, reason="in"))
    chain.advance()  # a pass over A's waiters, cut short at 2 of them
    assert list(chain.cond.passes(chain.store))
    return chain


def module_keys(store, prefix: bytes) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in store.iterate() if k.startswith(prefix)]


def root(items: list[tuple[bytes, bytes]]) -> bytes:
    return PySparseMerkleTree(lambda _: None).update(items)[0]


def exported(chain: CondChain) -> tuple[dict, dict]:
    ctx = chain.ctx()
    return (
        copy.deepcopy(chain.inv_module.export_genesis(ctx)),
        copy.deepcopy(chain.cond_module.export_genesis(ctx)),
    )


def reimported(chain: CondChain) -> CondChain:
    """A new chain whose inventory and conditional stores are imported from ``chain``'s export
    (the other modules' state copied as it is: their own round trips are tested beside them)."""
    inv, cond = exported(chain)
    new = CondChain()
    for k, _ in list(new.store.iterate()):
        new.store.delete(k)
    for k, v in chain.store.iterate():
        if not k.startswith((INV_PREFIX, COND_PREFIX)):
            new.store.set(k, v)
    new.block = chain.block
    new.inv_module.init_genesis(new.ctx(), inv)
    new.cond_module.init_genesis(new.ctx(), cond)
    return new


def test_export_then_import_gives_the_same_keys_and_the_same_root():
    chain = busy()
    new = reimported(chain)
    for prefix in (INV_PREFIX, COND_PREFIX):
        before, after = module_keys(chain.store, prefix), module_keys(new.store, prefix)
        assert after == before
        assert root(after) == root(before)
    assert list(new.store.iterate()) == list(chain.store.iterate())
    # the exports carry what is carried over
    inv, cond = exported(chain)
    assert inv["stocks"] and inv["reservations"]
    assert cond["passes"] and cond["next_pass_sequence"]
    assert {c["status"] for c in cond["conditional_orders"]} >= {
        "CONDITIONAL_STATUS_WAITING", "CONDITIONAL_STATUS_EXECUTED", "CONDITIONAL_STATUS_CANCELED",
        "CONDITIONAL_STATUS_LAPSED", "CONDITIONAL_STATUS_FAILED"}
    assert exported(new) == (inv, cond)
    new.check_invariants()


def test_the_imported_chain_goes_on_as_the_original():
    chain = busy()
    new = reimported(chain)
    for c in (chain, new):
        c.set_stock("A", 2_000)
        for _ in range(4):
            c.advance()
    assert list(new.store.iterate()) == list(chain.store.iterate())
    assert not list(new.cond.passes(new.store))


@pytest.mark.parametrize(
    "broken",
    [
        {"woken": ["cnd_0000000000"]},
        {"passes": [{"sequence": "1", "kind": "WAKE_KIND_UNSPECIFIED", "subject": "x"}]},
        {"passes": [{"sequence": "1", "kind": "WAKE_KIND_STOCK", "subject": "m", "sku": "s"},
                    {"sequence": "2", "kind": "WAKE_KIND_STOCK", "subject": "m", "sku": "s"}]},
    ],
)
def test_a_conditional_genesis_that_contradicts_itself_is_refused(broken):
    chain = CondChain()
    with pytest.raises(CondInvalidGenesis):
        cond_genesis.init_genesis(chain.cond, chain.ctx(), broken)


def test_an_inventory_genesis_whose_units_do_not_add_up_is_refused():
    chain = CondChain()
    stock = {"merchant": MERCHANT, "sku": "S", "available": "5", "set": "4"}
    from stateset_chain.errors import InvariantBroken

    with pytest.raises((InvInvalidGenesis, InvariantBroken)):
        inv_genesis.init_genesis(chain.inventory, chain.ctx(), {"stocks": [stock]})
