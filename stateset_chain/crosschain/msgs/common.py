"""Checks the handlers share: message hashes, amounts, and loading a record."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain import coins
from stateset_chain.crosschain import destination
from stateset_chain.crosschain.errors import (
    AmountExceedsUnclaimed,
    InvalidAmount,
    InvalidMessageHash,
    NoRefundDestination,
    UnclaimedNotFound,
)
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.crypto.address import require_address
from stateset_chain.store.kv import KVStore

from stateset.crosschain.v1.crosschain_pb2 import UnclaimedFunds, UnclaimedReason

__all__ = ["load_record", "parse_amount", "require_address", "require_message_hash", "take"]

MAX_UINT256 = 2**256 - 1


def require_message_hash(message_hash: bytes) -> None:
    if len(message_hash) != 32:
        raise InvalidMessageHash(f"{len(message_hash)} bytes")


def parse_amount(text: str) -> int:
    """A positive amount in base units (the chain's one grammar, ``coins.parse_amount``)."""
    return coins.parse_amount(text, InvalidAmount, maximum=MAX_UINT256)


def load_record(keeper: CrosschainKeeper, store: KVStore, message_hash: bytes) -> UnclaimedFunds:
    record = keeper.get_unclaimed(store, message_hash)
    if record is None:
        raise UnclaimedNotFound(f"0x{message_hash.hex()}")
    return record


def take(record: UnclaimedFunds, asked: int | None) -> int:
    """The amount asked (None: all of the record), at most what the record holds."""
    held = int(record.amount)
    amount = held if asked is None else asked
    if amount > held:
        raise AmountExceedsUnclaimed(f"{amount} asked, {held}{record.denom} held")
    return amount


def return_path(
    keeper: CrosschainKeeper, store: KVStore, record: UnclaimedFunds
) -> destination.ReturnPath:
    """Where ``record`` goes back. A refund parked for want of a destination
    (``NO_REFUND_DESTINATION``) goes only to the one its order's customer names afterwards; never
    to the burn's sender (a Solana program or a router), so ``NoRefundDestination`` until then."""
    if record.reason != UnclaimedReason.UNCLAIMED_REASON_NO_REFUND_DESTINATION:
        return destination.of_record(record)
    named = keeper.get_refund_destination(store, record.order_id)
    if named is None:
        raise NoRefundDestination(
            f"order {record.order_id} names no refund destination yet (its customer sends "
            "MsgSetRefundDestination)"
        )
    return destination.ReturnPath(named.domain, named.recipient)
