"""The auth Module: no messages, three queries, genesis in and out, its invariant; error codes
are registered once each."""

from __future__ import annotations

from stateset_chain.auth import errors as auth_errors
from stateset_chain.auth.module import auth_module
from stateset_chain.auth.state import AuthKeeper
from stateset_chain.context import BlockInfo, Context
from stateset_chain.errors import registered_errors
from stateset_chain.store.kv import Branch, MemoryKV
from tests.auth.helpers import ALICE, addr


def test_the_module_shape():
    module = auth_module(AuthKeeper())
    assert module.name == "auth"
    assert module.msgs == []
    assert [r.path for r in module.queries] == [
        "/cosmos.auth.v1beta1.Query/Account",
        "/cosmos.auth.v1beta1.Query/Params",
        "/cosmos.auth.v1beta1.Query/AccountInfo",
        "/cosmos.auth.v1beta1.Query/Bech32Prefix",
        "/stateset.auth.v1.Query/Params",
    ]
    ctx = Context(Branch(MemoryKV()), BlockInfo(0, 0, "t"))
    module.init_genesis(ctx, {"accounts": [{"address": addr(ALICE)}]})
    exported = module.export_genesis(ctx)
    assert exported["accounts"] == [
        {"address": addr(ALICE), "account_number": "0", "sequence": "0"}
    ]
    for check in module.invariants:
        check(ctx)


def test_auth_errors_are_registered_with_stable_codes():
    table = registered_errors()
    assert table[("sdk", 41)] is auth_errors.InvalidGasLimit
    assert table[("auth", 2)] is auth_errors.UnsupportedSignMode
    assert table[("auth", 3)] is auth_errors.FeeDenomNotAccepted
    assert table[("auth", 4)] is auth_errors.InvalidGenesis
