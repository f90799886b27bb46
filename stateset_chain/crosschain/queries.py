"""Cross-chain queries at ``/stateset.crosschain.v1.Query/<Method>``.

DepositAddress(order_id)   -> address, mint_recipient (bytes32 and hex), order_exists, the named
                              refund destination if any (any well-formed order id; InvalidOrderId
                              otherwise); the address is this chain's (its chain id is bound in)
Unclaimed(message_hash)    -> the record (NotFound if none; InvalidMessageHash if not 32 bytes)
AllUnclaimed               -> every record, by message hash
"""

from __future__ import annotations

from collections.abc import Callable

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crosschain.deposit import (
    deposit_address,
    deposit_mint_recipient,
)
from stateset_chain.crosschain.errors import InvalidOrderId
from stateset_chain.crosschain.msgs.common import require_message_hash
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.errors import NotFound
from stateset_chain.module import QueryRoute
from stateset_chain.orders.ids import is_order_id

from stateset.crosschain.v1 import query_pb2 as q

SERVICE = "/stateset.crosschain.v1.Query/"


def deposit_address_of(
    keeper: CrosschainKeeper, ctx: Context, req: q.QueryDepositAddressRequest
) -> q.QueryDepositAddressResponse:
    if not is_order_id(req.order_id):
        raise InvalidOrderId(repr(req.order_id))
    mint_recipient = deposit_mint_recipient(req.order_id, ctx.block.chain_id)
    response = q.QueryDepositAddressResponse(
        address=deposit_address(req.order_id, ctx.block.chain_id),
        mint_recipient=mint_recipient,
        mint_recipient_hex="0x" + mint_recipient.hex(),
        order_exists=keeper.orders.get_order(ctx.store, req.order_id) is not None,
    )
    named = keeper.get_refund_destination(ctx.store, req.order_id)
    if named is not None:
        response.refund_destination.CopyFrom(named)
    return response


def unclaimed(
    keeper: CrosschainKeeper, ctx: Context, req: q.QueryUnclaimedRequest
) -> q.QueryUnclaimedResponse:
    require_message_hash(req.message_hash)
    record = keeper.get_unclaimed(ctx.store, req.message_hash)
    if record is None:
        raise NotFound(f"no unclaimed funds for 0x{req.message_hash.hex()}")
    return q.QueryUnclaimedResponse(unclaimed=record)


def all_unclaimed(
    keeper: CrosschainKeeper, ctx: Context, req: q.QueryAllUnclaimedRequest
) -> q.QueryAllUnclaimedResponse:
    return q.QueryAllUnclaimedResponse(unclaimed=list(keeper.all_unclaimed(ctx.store)))


def routes(keeper: CrosschainKeeper) -> list[QueryRoute]:
    table: list[tuple[str, type, Callable]] = [
        ("DepositAddress", q.QueryDepositAddressRequest, deposit_address_of),
        ("Unclaimed", q.QueryUnclaimedRequest, unclaimed),
        ("AllUnclaimed", q.QueryAllUnclaimedRequest, all_unclaimed),
    ]
    return [
        QueryRoute(SERVICE + name, request_cls, _bind(keeper, handler))
        for name, request_cls, handler in table
    ]


def _bind(keeper: CrosschainKeeper, handler: Callable) -> Callable:
    return lambda ctx, req: handler(keeper, ctx, req)
