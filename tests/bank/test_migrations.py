"""The bank's consensus version 1 -> 2 migration (the planned upgrade "v11"): denom metadata
moves from ``0x04 | len(denom) denom`` to ``0x05 | denom``, every old key deleted, the same
records read back through the keeper, in key order of the new layout."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.keys import METADATA_PREFIX
from stateset_chain.bank.migrations.v2 import V1_DENOM_METADATA, V1_METADATA_PREFIX
from stateset_chain.bank.module import bank_module
from stateset_chain.context import BlockInfo, Context
from stateset_chain.localnet import denom_metadata
from stateset_chain.store.kv import MemoryKV
from tests.bank.helpers import new_bank

from cosmos.bank.v1beta1 import bank_pb2


def test_the_migration_moves_every_record_to_the_new_key_and_deletes_the_old():
    from google.protobuf import json_format

    store = MemoryKV()
    ctx = Context(store=store, block=BlockInfo(6, 0, "stateset-test-1"))
    records = [json_format.ParseDict(m, bank_pb2.Metadata()) for m in denom_metadata()]
    long_name = bank_pb2.Metadata(base="a" * 40, display="a" * 40)  # v1 ordered it last by length
    for meta in [*records, long_name]:
        V1_DENOM_METADATA.set(store, meta.base, meta)
    keeper = new_bank()
    module = bank_module(keeper)
    module.migrations[1](ctx)
    assert [k for k, _ in store.iterate(V1_METADATA_PREFIX, V1_METADATA_PREFIX + b"\xff")] == []
    moved = [k for k, _ in store.iterate(METADATA_PREFIX, METADATA_PREFIX + b"\xff")]
    assert moved == sorted(METADATA_PREFIX + m.base.encode() for m in [*records, long_name])
    for meta in [*records, long_name]:
        assert keeper.denom_metadata.get(store, meta.base) == meta
    module.migrations[1](ctx)  # nothing left to move: a second run changes nothing
    assert [k for k, _ in store.iterate(METADATA_PREFIX, METADATA_PREFIX + b"\xff")] == moved
