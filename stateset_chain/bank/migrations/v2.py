"""Bank consensus version 1 -> 2: denom metadata moves to the bare-denom key.

    version 1:  bank/ 0x04 | len(denom) denom -> Metadata    (ordered by length, then denom)
    version 2:  bank/ 0x05 | denom            -> Metadata    (ordered by denom)

Run once, in place, at the planned upgrade height (stateset_chain/upgrade): every record is
written under the new key and its old key deleted, in the block's branch, so the move commits
with the block or not at all. The version-1 collection stays here, the only code that still
knows that layout (the SDK keeps old keys the same way, in ``x/<module>/migrations/vN``).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.keys import STORE_PREFIX
from stateset_chain.bank.state import BankKeeper
from stateset_chain.context import Context
from stateset_chain.store.collections import Map, ProtoValue, StrKey

from cosmos.bank.v1beta1 import bank_pb2

V1_METADATA_PREFIX = STORE_PREFIX + b"\x04"
V1_DENOM_METADATA: Map[str, bank_pb2.Metadata] = Map(
    V1_METADATA_PREFIX, StrKey, ProtoValue(bank_pb2.Metadata)
)


def migrate(keeper: BankKeeper, ctx: Context) -> None:
    moved = list(V1_DENOM_METADATA.iterate(ctx.store))
    for denom, meta in moved:
        keeper.denom_metadata.set(ctx.store, denom, meta)
        V1_DENOM_METADATA.delete(ctx.store, denom)
