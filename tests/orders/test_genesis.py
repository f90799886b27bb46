"""Orders genesis: defaults, params validation, and an exact export/import round trip."""

from __future__ import annotations

import copy

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import genesis as bank_genesis
from stateset_chain.context import BlockInfo, Context
from stateset_chain.orders import genesis
from stateset_chain.orders.errors import BlockedSettlementRecipient, InvalidGenesis, InvalidParams
from stateset_chain.orders.keys import STORE_PREFIX
from stateset_chain.orders.params import DEFAULT_AUTHORITY
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.kv import MemoryKV
from tests.orders.genesis_helpers import busy_chain
from tests.orders.helpers import (
    BLOCKED,
    BLOCKED_IDS,
    MERCHANT,
    RETURN_WINDOW,
    START_NS,
    SUPPLIER,
    TEST_PARAMS,
    Chain,
    new_bank,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1.orders_pb2 import OrderStatus


def fresh() -> tuple[OrdersKeeper, Context]:
    return OrdersKeeper(new_bank()), Context(MemoryKV(), BlockInfo(1, START_NS, "test"))


def test_empty_genesis_gives_default_params():
    keeper, ctx = fresh()
    genesis.init_genesis(keeper, ctx, {})
    exported = genesis.export_genesis(keeper, ctx)
    p = exported["params"]
    assert (p["authority"], p["arbiter"], p["platform_fee_bps"]) == (
        DEFAULT_AUTHORITY,
        DEFAULT_AUTHORITY,
        0,  # no platform fee until genesis names a platform (gov holds no key)
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


@pytest.mark.parametrize(("blocked", "reason"), BLOCKED, ids=BLOCKED_IDS)
def test_a_platform_address_the_bank_blocks_is_refused(blocked, reason):
    keeper, ctx = fresh()
    with pytest.raises(BlockedSettlementRecipient) as refused:
        genesis.init_genesis(keeper, ctx, {"params": {**TEST_PARAMS, "platform_address": blocked}})
    assert refused.value.log.startswith(f"platform_address {blocked} is {reason}")


def _first(data: dict, settled: bool) -> dict:
    return next(o for o in data["orders"] if o["settled"] == settled)


def _split(supplier: str) -> dict:
    return {"supplier": supplier, "merchant_bps": 9000, "supplier_bps": 1000}


@pytest.mark.parametrize(("blocked", "reason"), BLOCKED, ids=BLOCKED_IDS)
@pytest.mark.parametrize("role", ["merchant", "supplier"])
def test_an_unsettled_order_paying_a_blocked_address_is_refused(role, blocked, reason):
    def change(data):
        order = _first(data, settled=False)
        if role == "merchant":
            order["merchant"] = blocked
        else:
            order["revenue_split"] = _split(blocked)

    keeper, ctx = fresh()
    with pytest.raises(BlockedSettlementRecipient) as refused:
        genesis.init_genesis(keeper, ctx, mutated(busy_chain(), change))
    assert f": {role} {blocked} is {reason}" in refused.value.log


def test_a_settled_order_is_history_and_not_checked_for_blocked_recipients():
    """An order settled before the check existed still imports: settlement will not pay again."""
    [(blocked, _), *_] = BLOCKED

    def change(data):
        order = _first(data, settled=True)
        order["merchant"] = blocked
        order["revenue_split"] = _split(blocked)
        order.get("shipping", {}).pop("tracking", None)  # sealed to the old merchant

    keeper, ctx = fresh()
    genesis.init_genesis(keeper, ctx, mutated(busy_chain(), change))


def test_an_imported_tracking_envelope_must_be_sealed_to_the_merchant():
    def change(data):
        order = _first(data, settled=True)
        assert "tracking" in order["shipping"]
        order["merchant"], order["customer"] = order["customer"], order["merchant"]

    keeper, ctx = fresh()
    with pytest.raises(InvalidGenesis, match="shipping.tracking"):
        genesis.init_genesis(keeper, ctx, mutated(busy_chain(), change))


def test_an_imported_supplier_must_be_a_canonical_address():
    def change(data):
        _first(data, settled=True)["revenue_split"] = _split(SUPPLIER.upper())

    keeper, ctx = fresh()
    with pytest.raises(InvalidGenesis):
        genesis.init_genesis(keeper, ctx, mutated(busy_chain(), change))
