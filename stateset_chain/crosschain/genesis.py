"""Cross-chain genesis JSON (``stateset.crosschain.v1.GenesisState`` with proto field names):

    {"unclaimed": [{"message_hash": "<base64 32 bytes>", "source_domain": 0,
                    "original_sender": "<base64 32 bytes>", "nonce": "12", "amount": "5000000",
                    "denom": "uusdc", "order_id": "ord_...", "payment_id": "",
                    "reason": "UNCLAIMED_REASON_OVERPAYMENT", "detail": "...",
                    "height": "10", "time": "2025-01-01T00:00:00Z"}]}

Validation (``InvalidGenesis`` otherwise): unknown fields refused; each record has a distinct
32-byte hash, a 32-byte original sender, a canonical positive amount, denom uusdc, a known
reason; each refund destination names a distinct well-formed order id and a 32-byte non-zero
recipient (also a record's ``refund_to``). The coins are the bank genesis balance of
``crosschain_unclaimed`` (the invariant checks they agree). Export lists the records by hash,
so ``init(export(s))`` reproduces ``s``.
"""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import USDC, parse_amount
from stateset_chain.context import Context
from stateset_chain.crosschain.errors import InvalidGenesis
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.orders.ids import is_order_id

from stateset.crosschain.v1.crosschain_pb2 import (
    RefundDestination,
    UnclaimedFunds,
    UnclaimedReason,
)
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
    routers: set[tuple[int, bytes]] = set()
    for router in state.params.routers:
        if len(router.sender) != 32 or (router.domain, router.sender) in routers:
            raise InvalidGenesis(f"params.routers: {router.domain}/0x{router.sender.hex()}: "
                                 "the sender must be 32 bytes, listed once")
        routers.add((router.domain, router.sender))
    if len(set(state.params.no_default_domains)) != len(state.params.no_default_domains):
        raise InvalidGenesis("params.no_default_domains: a domain is listed twice")
    keeper.set_params(ctx.store, state.params)
    orders: set[str] = set()
    for destination in state.refund_destinations:
        problem = _destination_problem(destination, orders)
        if problem:
            raise InvalidGenesis(f"refund destination of {destination.order_id!r}: {problem}")
        orders.add(destination.order_id)
        keeper.set_refund_destination(ctx.store, destination)


def export_genesis(keeper: CrosschainKeeper, ctx: Context) -> dict:
    state = GenesisState(
        unclaimed=list(keeper.all_unclaimed(ctx.store)),
        refund_destinations=list(keeper.all_refund_destinations(ctx.store)),
        params=keeper.params(ctx.store),
    )
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
            not record.HasField("refund_to") or _recipient_ok(record.refund_to.recipient),
            "refund_to recipient is not 32 non-zero bytes",
        ),
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


def _recipient_ok(recipient: bytes) -> bool:
    return len(recipient) == 32 and recipient != bytes(32)


def _destination_problem(destination: RefundDestination, seen: set[str]) -> str | None:
    checks = [
        (is_order_id(destination.order_id), "not an order id"),
        (destination.order_id not in seen, "duplicate order id"),
        (_recipient_ok(destination.recipient), "recipient is not 32 non-zero bytes"),
    ]
    for ok, why in checks:
        if not ok:
            return why
    return None
