"""Orders genesis: defaults, params validation, and an exact export/import round trip."""

from __future__ import annotations

import copy

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import genesis as bank_genesis
from stateset_chain.bank.state import BankKeeper
from stateset_chain.context import BlockInfo, Context
from stateset_chain.orders import genesis
from stateset_chain.orders.errors import InvalidGenesis, InvalidParams
from stateset_chain.orders.keys import ORDERS_MODULE_ACCOUNTS, STORE_PREFIX
from stateset_chain.orders.params import DEFAULT_AUTHORITY
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.kv import MemoryKV
from tests.bank.helpers import TEST_MODULE_ACCOUNTS, FakeAccounts
from tests.orders.genesis_helpers import busy_chain
from tests.orders.helpers import MERCHANT, RETURN_WINDOW, START_NS, Chain

from stateset.orders.v1 import events_pb2
from stateset.orders.v1.orders_pb2 import OrderStatus


def fresh() -> tuple[OrdersKeeper, Context]:
    bank = BankKeeper(FakeAccounts(), {**TEST_MODULE_ACCOUNTS, **ORDERS_MODULE_ACCOUNTS})
    return OrdersKeeper(bank), Context(MemoryKV(), BlockInfo(1, START_NS, "test"))


def test_empty_genesis_gives_default_params():
    keeper, ctx = fresh()
    genesis.init_genesis(keeper, ctx, {})
    exported = genesis.export_genesis(keeper, ctx)
    p = exported["params"]
    assert (p["authority"], p["arbiter"], p["platform_fee_bps"]) == (
        DEFAULT_AUTHORITY,
        DEFAULT_AUTHORITY,
        100,
    )
    assert p["return_window_seconds"] == str(14 * 86400)
    assert exported["orders"] == [] and exported["payment_sequence"] == "1"


def module_state(store) -> list:
    return [(k, v) for k, v in store.iterate() if k.startswith(STORE_PREFIX)]


def test_export_then_import_reproduces_the_state_byte_for_byte():
    chain = busy_chain()
    exported = genesis.export_genesis(chain.keeper, chain.ctx())
    # a new chain: the bank genesis carries the escrow and balances, the orders genesis the rest
    bank_data = bank_genesis.export_genesis(chain.bank, chain.ctx())
    keeper, ctx = fresh()
    bank_genesis.init_genesis(keeper.bank, ctx, copy.deepcopy(bank_data))
    genesis.init_genesis(keeper, ctx, copy.deepcopy(exported))
    assert module_state(ctx.store) == module_state(chain.store)
    assert genesis.export_genesis(keeper, ctx) == exported


def test_imported_delivered_orders_still_settle():
    chain = busy_chain()
    exported = genesis.export_genesis(chain.keeper, chain.ctx())
    bank_data = bank_genesis.export_genesis(chain.bank, chain.ctx())
    fresh_chain = Chain(holdings={})
    fresh_chain.store = MemoryKV()
    ctx = fresh_chain.ctx()
    bank_genesis.init_genesis(fresh_chain.bank, ctx, bank_data)
    genesis.init_genesis(fresh_chain.keeper, ctx, exported)
    fresh_chain.block = chain.block
    fresh_chain.check_invariants()
    fresh_chain.advance(RETURN_WINDOW)
    assert len(fresh_chain.typed(events_pb2.OrderSettled)) == 1
    fresh_chain.check_invariants()


def mutated(chain: Chain, change) -> dict:
    data = genesis.export_genesis(chain.keeper, chain.ctx())
    change(data)
    return data


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        _set(["extra"], 1),
        _set(["orders", 1, "sequence"], "5"),
        _set(["orders", 1, "id"], "ord_bad"),
        _set(["orders", 1, "client_order_id"], "a"),
        _set(["orders", 1, "customer"], MERCHANT),
        _set(["orders", 1, "merchant"], "nobody"),
        _set(["orders", 1, "denom"], "uusdc"),
        _set(["orders", 1, "amount_paid"], "999999999999"),
        _set(["orders", 1, "payment_status"], "PAYMENT_STATUS_PAID"),
        _set(["orders", 1, "status"], "ORDER_STATUS_UNSPECIFIED"),
        _set(["orders", 1, "created_at"], "2024-01-01T00:00:00Z"),
        _set(["orders", 1, "total"], "0"),
        _set(["orders", 1, "no_such_field"], 1),
        lambda data: data["orders"].append(data["orders"][0]),
    ],
)
def test_inconsistent_orders_are_refused(change):
    chain = busy_chain()
    data = mutated(chain, change)
    keeper, ctx = fresh()
    with pytest.raises(InvalidGenesis):
        genesis.init_genesis(keeper, ctx, data)


def test_a_delivered_order_without_due_time_is_refused():
    chain = busy_chain()

    def change(data):
        for o in data["orders"]:
            if o["status"] == "ORDER_STATUS_DELIVERED" and not o["settled"]:
                o.pop("settlement_due")

    keeper, ctx = fresh()
    with pytest.raises(InvalidGenesis):
        genesis.init_genesis(keeper, ctx, mutated(chain, change))


@pytest.mark.parametrize(
    "params",
    [{"platform_fee_bps": 20000}, {"authority": "x"}, {"max_batch_size": 0}, {"bogus": 1}],
)
def test_invalid_params_are_refused(params):
    keeper, ctx = fresh()
    with pytest.raises(InvalidParams):
        genesis.init_genesis(keeper, ctx, {"params": params})


def test_statuses_survive_the_round_trip():
    chain = busy_chain()
    data = genesis.export_genesis(chain.keeper, chain.ctx())
    statuses = {o["status"] for o in data["orders"]}
    assert {OrderStatus.Name(s) for s in (2, 4, 5, 6, 8, 10)} <= statuses
