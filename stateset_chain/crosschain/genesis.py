"""Cross-chain genesis JSON (``stateset.crosschain.v1.GenesisState`` with proto field names):

    {"unclaimed": [{"message_hash": "<base64 32 bytes>", "source_domain": 0,
                    "original_sender": "<base64 32 bytes>", "nonce": "12", "amount": "5000000",
                    "denom": "uusdc", "order_id": "ord_...", "payment_id": "",
                    "reason": "UNCLAIMED_REASON_OVERPAYMENT", "detail": "...",
                    "height": "10", "time": "2025-01-01T00:00:00Z"}]}

Validation (``InvalidGenesis`` otherwise): unknown fields refused; each record has a distinct
32-byte hash, a 32-byte original sender, a canonical positive amount, denom uusdc, a known
reason. The coins are the bank genesis balance of ``crosschain_unclaimed`` (the invariant checks
they agree). Export lists the records by hash, so ``init(export(s))`` reproduces ``s``.
"""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import USDC, parse_amount
from stateset_chain.context import Context
from stateset_chain.crosschain.errors import InvalidGenesis
from stateset_chain.crosschain.state import CrosschainKeeper

from stateset.crosschain.v1.crosschain_pb2 import UnclaimedFunds, UnclaimedReason
from stateset.crosschain.v1.genesis_pb2 import GenesisState


def init_genesis(keeper: CrosschainKeeper, ctx: Context, data: dict) -> None:
    try:
        state = json_format.ParseDict(data, GenesisState())
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    seen: set[bytes] = set()
    for record in state.unclaimed:
        problem = _problem(record, seen)
        if problem:
            raise InvalidGenesis(f"unclaimed 0x{record.message_hash.hex()}: {problem}")
        seen.add(record.message_hash)
        keeper.set_unclaimed(ctx.store, record)


def export_genesis(keeper: CrosschainKeeper, ctx: Context) -> dict:
    state = GenesisState(unclaimed=list(keeper.all_unclaimed(ctx.store)))
    return json_format.MessageToDict(state, preserving_proto_field_name=True)


def _problem(record: UnclaimedFunds, seen: set[bytes]) -> str | None:
    amount = record.amount
    checks = [
        (len(record.message_hash) == 32, "message hash is not 32 bytes"),
        (record.message_hash not in seen, "duplicate message hash"),
        (len(record.original_sender) == 32, "original sender is not 32 bytes"),
        (_canonical(amount), "amount"),
        (amount != "0", "zero amount"),
        (record.denom == USDC, f"denom is not {USDC}"),
        (
            record.reason in UnclaimedReason.values()
            and record.reason != UnclaimedReason.UNCLAIMED_REASON_UNSPECIFIED,
            "unknown reason",
        ),
    ]
    for ok, why in checks:
        if not ok:
            return why
    return None


def _canonical(amount: str) -> bool:
    try:
        parse_amount(amount, InvalidGenesis, allow_zero=True)
    except InvalidGenesis:
        return False
    return True
