"""End-block billing cost: ``python -m benchmarks.subscriptions [--due N] [--idle a,b]``.

For each idle count, a store holds ``due`` subscriptions whose period starts now and ``idle``
subscriptions due a year later (imported through the module's genesis, so set-up is cheap), and
one end-block bills the due ones (``max_cycles_per_block`` = due): each creates and pays an order.
It prints the block's wall and CPU time and the cost per billed cycle; the per-cycle cost must not
grow with the idle count, because the end-block reads only due queue entries.

``--gc`` (default ``freeze``): before the timed block, collect and ``gc.freeze()`` what the set-up
built, so CPython's cyclic collector does not re-traverse the idle records on every collection
the block's allocations trigger (the only cost that grew with the idle count: a profile of both
runs shows the same function calls, ~1.3 million, to within 5); ``--gc on`` measures without it.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
import time
from collections.abc import Iterator

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.auth.state import AuthKeeper
from stateset_chain.bank import genesis as bank_genesis
from stateset_chain.bank.state import BankKeeper
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crypto import address
from stateset_chain.events import EventManager
from stateset_chain.orders import genesis as orders_genesis
from stateset_chain.orders import ids
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.kv import MemoryKV
from stateset_chain.subscriptions import billing, genesis
from stateset_chain.subscriptions.keys import SUBSCRIPTION_PREFIX
from stateset_chain.subscriptions.state import SubscriptionsKeeper
from stateset_chain.timefmt import parse_iso8601, timestamp
from stateset_chain.wiring import module_accounts

from stateset.orders.v1.orders_pb2 import LineItem
from stateset.subscriptions.v1.subscriptions_pb2 import (
    Allowance,
    Interval,
    Subscription,
    SubscriptionStatus,
)

NOW = parse_iso8601("2025-06-01T00:00:00Z")
YEAR_NS = 365 * 86_400 * 10**9
PRICE = 10_000_000


GC_MODE = ["freeze"]  # set by --gc


@contextlib.contextmanager
def timed() -> Iterator[dict]:
    """Wall and CPU seconds of the block (the set-up frozen out of the collector first)."""
    frozen = GC_MODE[0] == "freeze"
    if frozen:
        gc.collect()
        gc.freeze()
    out: dict = {}
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield out
    finally:
        out["wall_s"] = time.perf_counter() - wall
        out["cpu_s"] = time.process_time() - cpu
        if frozen:
            gc.unfreeze()


def _subscription(seq: int, customer: str, merchant: str, due_ns: int) -> dict:
    sub = Subscription(
        id=ids.make_id(SUBSCRIPTION_PREFIX, seq),
        sequence=seq,
        customer=customer,
        merchant=merchant,
        items=[LineItem(sku="SKU-1", name="Coffee", quantity=1, unit_price="10")],
        currency="ssusd",
        interval=Interval.INTERVAL_MONTHLY,
        start=timestamp(due_ns),
        status=SubscriptionStatus.SUBSCRIPTION_STATUS_ACTIVE,
        next_attempt=timestamp(due_ns),
        allowance=Allowance(
            denom="ussusd", period_spend_limit=PRICE, period_reset=timestamp(due_ns)
        ),
        created_at=timestamp(NOW),
    )
    return json_format.MessageToDict(sub, preserving_proto_field_name=True)


def measure(due: int, idle: int) -> dict:
    store = MemoryKV()
    auth = AuthKeeper()
    bank = BankKeeper(auth, module_accounts())
    orders = OrdersKeeper(bank)
    subs = SubscriptionsKeeper(orders)
    ctx = Context(store, BlockInfo(1, NOW, "bench"), events=EventManager())
    merchant = address.encode(bytes([200]) * 20)
    customers = [address.encode(i.to_bytes(20, "big")) for i in range(1, due + 1)]
    bank_genesis.init_genesis(
        bank,
        ctx,
        {
            "denoms": ["ussusd"],
            "balances": [
                {"address": c, "coins": [{"denom": "ussusd", "amount": str(PRICE)}]}
                for c in customers
            ],
        },
    )
    orders_genesis.init_genesis(orders, ctx, {})
    rows = [_subscription(i + 1, c, merchant, NOW) for i, c in enumerate(customers)]
    idle_customer = address.encode(bytes([201]) * 20)
    rows += [
        _subscription(due + i + 1, idle_customer, merchant, NOW + YEAR_NS + i) for i in range(idle)
    ]
    genesis.init_genesis(
        subs,
        ctx,
        {
            "params": {"max_cycles_per_block": due},
            "subscriptions": rows,
        },
    )
    block = Context(store, BlockInfo(2, NOW + 10**9, "bench"), events=EventManager())
    with timed() as t:
        billing.end_block(subs, block)
    wall, cpu = t["wall_s"], t["cpu_s"]
    billed = sum(1 for s in subs.all(store) if s.cycles_billed == 1)
    assert billed == due, billed
    return {
        "due": due,
        "idle": idle,
        "wall_s": wall,
        "cpu_s": cpu,
        "us_per_cycle": cpu / due * 1e6,
    }


def measure_conditional(woken: int, idle: int) -> dict:
    """``woken`` conditional orders wait on SKU HOT, ``idle`` on SKUs nobody touches; one stock
    write of HOT (it only marks HOT changed) and the end-block that wakes HOT's waiters and
    executes them (each creates an order)."""
    from stateset_chain.conditional.engine import end_block as conditional_end_block
    from stateset_chain.conditional.genesis import init_genesis as conditional_genesis
    from stateset_chain.conditional.state import ConditionalKeeper
    from stateset_chain.inventory.state import InventoryKeeper

    from stateset.conditional.v1.conditional_pb2 import (
        Condition,
        ConditionalOrder,
        ConditionalStatus,
        SkuInStock,
    )
    from stateset.inventory.v1.inventory_pb2 import Stock
    from stateset.orders.v1 import tx_pb2 as orders_tx

    store = MemoryKV()
    bank = BankKeeper(AuthKeeper(), module_accounts())
    orders = OrdersKeeper(bank)
    inventory = InventoryKeeper(orders)
    cond = ConditionalKeeper(bank, orders, inventory)  # attaches to orders' and inventory's hooks
    ctx = Context(store, BlockInfo(1, NOW, "bench"), events=EventManager())
    merchant = address.encode(bytes([200]) * 20)
    customer = address.encode(bytes([201]) * 20)
    orders_genesis.init_genesis(orders, ctx, {})

    def row(seq: int, sku: str) -> dict:
        c = ConditionalOrder(
            id=ids.make_id("cnd_", seq),
            sequence=seq,
            creator=customer,
            order=orders_tx.MsgCreateOrder(
                creator=customer,
                customer=customer,
                merchant=merchant,
                items=[LineItem(sku="GIFT", name="Gift", quantity=1, unit_price="10")],
            ),
            conditions=[Condition(sku_in_stock=SkuInStock(merchant=merchant, sku=sku, quantity=1))],
            auto_execute=True,
            expires_at=timestamp(NOW + YEAR_NS),
            status=ConditionalStatus.CONDITIONAL_STATUS_WAITING,
        )
        return json_format.MessageToDict(c, preserving_proto_field_name=True)

    rows = [row(i + 1, "HOT") for i in range(woken)]
    rows += [row(woken + i + 1, f"COLD-{i}") for i in range(idle)]
    conditional_genesis(
        cond,
        ctx,
        {
            "params": {"max_wakes_per_block": woken, "max_waiter_wakes_per_block": woken},
            "conditional_orders": rows,
        },
    )
    block = Context(store, BlockInfo(2, NOW + 10**9, "bench"), events=EventManager())
    with timed() as t:
        inventory.save_stock(block.store, Stock(merchant=merchant, sku="HOT", available=1, set=1))
        conditional_end_block(cond, block)
    wall, cpu = t["wall_s"], t["cpu_s"]
    done = sum(1 for c in cond.all(store) if c.order_id)
    assert done == woken, done
    return {
        "due": woken,
        "idle": idle,
        "wall_s": wall,
        "cpu_s": cpu,
        "us_per_cycle": cpu / woken * 1e6,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.subscriptions")
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument(
        "--idle", default="0,100000", help="not-due subscriptions, comma-separated (%(default)s)"
    )
    parser.add_argument("--part", choices=["subscriptions", "conditional"], default="subscriptions")
    parser.add_argument("--gc", choices=["freeze", "on"], default="freeze")
    args = parser.parse_args(argv)
    GC_MODE[0] = args.gc
    if args.part == "conditional":
        print(
            "| woken conditional orders | waiting on other SKUs | wall (s) | CPU (s) "
            "| CPU per order (µs) |"
        )
        print("|---:|---:|---:|---:|---:|")
        for idle in (int(x) for x in args.idle.split(",")):
            r = measure_conditional(args.due, idle)
            print(
                f"| {r['due']:,} | {r['idle']:,} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} "
                f"| {r['us_per_cycle']:.0f} |",
                flush=True,
            )
        return 0
    print(
        "| due cycles | not-due subscriptions | end-block wall (s) | CPU (s) | CPU per cycle (µs) |"
    )
    print("|---:|---:|---:|---:|---:|")
    for idle in (int(x) for x in args.idle.split(",")):
        r = measure(args.due, idle)
        print(
            f"| {r['due']:,} | {r['idle']:,} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} "
            f"| {r['us_per_cycle']:.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
