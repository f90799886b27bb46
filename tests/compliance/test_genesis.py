"""Compliance genesis: everything round-trips byte for byte; bad entries are refused."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import errors, genesis
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import BlockInfo, Context
from stateset_chain.store.kv import MemoryKV
from tests.compliance.helpers import CUSTOMER, OFFICER, STRANGER, UNIT, CChain

from stateset.compliance.v1 import tx_pb2 as t


def test_export_then_import_reproduces_the_store():
    c = CChain()
    c.sanction(STRANGER)
    c.deliver(t.MsgBlockCountry(signer=OFFICER, country="KP", reason="r"))
    c.deliver(t.MsgRestrictCategory(signer=OFFICER, country="US", category="guns", reason="r"))
    c.deliver(t.MsgSetAccountLimit(signer=OFFICER, address=CUSTOMER, denom="ussusd",
                                   daily=100 * UNIT))
    c.fraud_params(velocity={"max_orders": 3, "window_seconds": "7200",
                             "bucket_seconds": "3600"})
    c.paid_order()
    exported = genesis.export_genesis(c.compliance, c.ctx())
    assert exported["volumes"] and exported["velocity"] and exported["profiles"]
    fresh = ComplianceKeeper()
    store = MemoryKV()
    ctx = Context(store, BlockInfo(1, 0, "test"))
    genesis.init_genesis(fresh, ctx, exported)
    assert genesis.export_genesis(fresh, ctx) == exported
    theirs = sorted((k, v) for k, v in c.store.iterate(b"compliance/", b"compliance0"))
    ours = sorted(store.iterate(b"compliance/", b"compliance0"))
    assert ours == theirs


@pytest.mark.parametrize("data", [
    {"sanctions": [{"address": "nope"}]},
    {"sanctions": [{"address": STRANGER}, {"address": STRANGER}]},
    {"blocked_countries": [{"country": "usa"}]},
    {"restricted_categories": [{"country": "US", "category": "A B"}]},
    {"account_limits": [{"address": CUSTOMER, "denom": "ussusd"}]},
    {"volumes": [{"address": CUSTOMER, "denom": "ussusd", "window": 1}]},
    {"unknown": 1},
])
def test_bad_entries_are_invalid_genesis(data):
    with pytest.raises(errors.InvalidGenesis):
        genesis.init_genesis(ComplianceKeeper(), Context(MemoryKV(), BlockInfo(1, 0, "t")), data)


def test_bad_params_are_invalid_params():
    with pytest.raises(errors.InvalidParams):
        genesis.init_genesis(ComplianceKeeper(), Context(MemoryKV(), BlockInfo(1, 0, "t")),
                             {"params": {"authority": "nope"}})
