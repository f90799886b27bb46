"""MsgClaimUnclaimed: the original sender takes unclaimed funds here instead of across chains.

signer    the original sender's own account on this chain: the record's original sender is a
          20-byte address left-padded to bytes32 (as Cosmos chains such as Noble write it) and
          those 20 bytes are the signer's
validate  signer is a canonical address                            -> sdk InvalidAddress
          message hash is 32 bytes                                  -> InvalidMessageHash
          recipient "" (the signer) or a canonical address          -> sdk InvalidAddress
          amount "" (all) or a canonical positive integer           -> InvalidAmount
guard     a record exists for the hash                              -> UnclaimedNotFound
          a NO_REFUND_DESTINATION record's order names a destination -> NoRefundDestination
          the signer is the original sender (or, when the record
          names a refund destination, that destination's recipient) -> NotOriginalSender
          the recipient is not a module account                     -> RecipientIsModuleAccount
          nor an order's deposit address                            -> RecipientIsDepositAddress
          the recipient is not sanctioned (the wired compliance) -> compliance SanctionedRecipient
          amount <= the record's amount                             -> AmountExceedsUnclaimed
change    amount: crosschain_unclaimed -> recipient; the record shrinks (removed at zero)
emit      (CoinsTransferred), UnclaimedFundsClaimed
response  remaining amount

An EVM or Solana sender has no account here (different address derivation), so its funds go
back only by MsgRefundUnclaimed.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.crosschain.deposit import is_deposit_address
from stateset_chain.crosschain.errors import (
    NotOriginalSender,
    RecipientIsDepositAddress,
    RecipientIsModuleAccount,
)
from stateset_chain.crosschain.msgs.common import (
    load_record,
    parse_amount,
    require_address,
    require_message_hash,
    return_path,
    take,
)
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.crypto import address

from stateset.crosschain.v1 import events_pb2 as events
from stateset.crosschain.v1 import tx_pb2 as tx

MSG = tx.MsgClaimUnclaimed


def signers(msg: tx.MsgClaimUnclaimed) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgClaimUnclaimed) -> int | None:
    """The amount asked (None: all of the record)."""
    require_address(msg.signer, "signer")
    require_message_hash(msg.message_hash)
    if msg.recipient:
        require_address(msg.recipient, "recipient")
    return parse_amount(msg.amount) if msg.amount else None


def handle(
    keeper: CrosschainKeeper, ctx: Context, msg: tx.MsgClaimUnclaimed, parsed: int | None
) -> tx.MsgClaimUnclaimedResponse:
    record = load_record(keeper, ctx.store, msg.message_hash)
    owner = return_path(keeper, ctx.store, record).recipient
    if owner != bytes(12) + address.decode(msg.signer):
        raise NotOriginalSender(f"funds go back to 0x{owner.hex()}")
    recipient = msg.recipient or msg.signer
    if keeper.bank.is_blocked(recipient):
        raise RecipientIsModuleAccount(recipient)
    if is_deposit_address(address.decode(recipient)):
        raise RecipientIsDepositAddress(recipient)
    if keeper.compliance is not None:
        keeper.compliance.check_recipient(ctx, recipient)
    amount = take(record, parsed)
    keeper.bank.send(ctx, keeper.unclaimed_address, recipient, [Coin(record.denom, amount)])
    remaining = keeper.debit(ctx, record, amount)
    ctx.events.emit(
        events.UnclaimedFundsClaimed(
            message_hash=msg.message_hash,
            signer=msg.signer,
            recipient=recipient,
            amount=str(amount),
            remaining=str(remaining),
        )
    )
    return tx.MsgClaimUnclaimedResponse(remaining=str(remaining))
