"""MsgRefundUnclaimed: send unclaimed funds back to their original sender on the source domain.

signer    anyone (the destination is fixed by the record, so there is nothing to authorise)
validate  signer is a canonical address                            -> sdk InvalidAddress
          message hash is 32 bytes                                  -> InvalidMessageHash
          amount "" (all) or a canonical positive integer           -> InvalidAmount
guard     a record exists for the hash                              -> UnclaimedNotFound
          a NO_REFUND_DESTINATION record's order names a destination -> NoRefundDestination
          amount <= the record's amount                             -> AmountExceedsUnclaimed
          then ``CctpKeeper.deposit_for_burn(depositor = crosschain_unclaimed, amount,
          the record's return path: its refund_to, else its original sender on its source
          domain; for NO_REFUND_DESTINATION the order's destination named since)`` with every check
          of MsgDepositForBurn (paused, remote token messenger, burn limit, ...)  -> cctp errors
change    amount: crosschain_unclaimed -> cctp, burned; the record shrinks (removed at zero)
emit      (CoinsTransferred, CoinsBurned, MessageSent, DepositForBurn), UnclaimedFundsRefunded
response  nonce and hash of the outbound message, remaining amount

A burn larger than the per-message limit can be sent in parts (``amount``).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crosschain.msgs.common import (
    load_record,
    parse_amount,
    require_address,
    require_message_hash,
    return_path,
    take,
)
from stateset_chain.crosschain.state import CrosschainKeeper

from stateset.crosschain.v1 import events_pb2 as events
from stateset.crosschain.v1 import tx_pb2 as tx

MSG = tx.MsgRefundUnclaimed


def signers(msg: tx.MsgRefundUnclaimed) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgRefundUnclaimed) -> int | None:
    """The amount asked (None: all of the record)."""
    require_address(msg.signer, "signer")
    require_message_hash(msg.message_hash)
    return parse_amount(msg.amount) if msg.amount else None


def handle(
    keeper: CrosschainKeeper, ctx: Context, msg: tx.MsgRefundUnclaimed, parsed: int | None
) -> tx.MsgRefundUnclaimedResponse:
    record = load_record(keeper, ctx.store, msg.message_hash)
    amount = take(record, parsed)
    path = return_path(keeper, ctx.store, record)
    sent = keeper.cctp.deposit_for_burn(
        ctx, keeper.unclaimed_address, amount, path.domain, path.recipient
    )
    remaining = keeper.debit(ctx, record, amount)
    ctx.events.emit(
        events.UnclaimedFundsRefunded(
            message_hash=msg.message_hash,
            signer=msg.signer,
            amount=str(amount),
            destination_domain=path.domain,
            mint_recipient=path.recipient,
            outbound_message_hash=sent.message_hash,
            nonce=sent.nonce,
            remaining=str(remaining),
        )
    )
    return tx.MsgRefundUnclaimedResponse(
        nonce=sent.nonce, outbound_message_hash=sent.message_hash, remaining=str(remaining)
    )
