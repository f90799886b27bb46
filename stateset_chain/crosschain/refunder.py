"""The orders keeper's ``CrossChainRefunder``: refunds of cross-chain payments go back by burn.

``refund(ctx, order_id, payment, amount)`` for a payment with a ``cross_chain`` origin:

0. no named destination and a burn whose message sender is not a wallet (Solana, a listed
   domain or router; ``CrosschainKeeper.sender_is_wallet``): the amount is parked as unclaimed
   funds (reason ``NO_REFUND_DESTINATION``, event ``CrossChainRefundParked``) until the customer
   names a destination; it is not sent to the sender (after the ssUSD redeem of step 0');
0'. an ssUSD payment is first redeemed: the amount of ssUSD leaves escrow and is burned, as much
   USDC leaves the stablecoin reserve for escrow (``StablecoinKeeper.redeem_for``); what goes
   back across is USDC either way;
1. try ``CctpKeeper.deposit_for_burn(depositor = orders_escrow, amount, destination = the return
   path: the order's named refund destination, else the payment's source domain and original
   sender, ``destination.py``)`` on a branch: every check of
   MsgDepositForBurn; escrow -> cctp -> burned; the outbound message is emitted in full
   (``MessageSent``, ``DepositForBurn``) for a relayer to get attested. Then emit
   ``CrossChainRefundInitiated`` and return a payout naming the message.
2. if cctp refuses now (burning or messaging paused, no remote token messenger for the domain any
   more, over the per-message burn limit, ...), the order's refund still happens: the amount moves
   from escrow to ``crosschain_unclaimed`` under the payment's message hash (reason
   ``REFUND_NOT_SENT``), from where anyone can send it back later (MsgRefundUnclaimed) or the
   original sender's own local account can claim it (MsgClaimUnclaimed).

The order's lifecycle, refund record and events are the orders module's, as for a local refund.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.context import Context
from stateset_chain.crosschain import destination
from stateset_chain.crosschain.expected import SentMessage
from stateset_chain.crosschain.sandbox import attempt, describe
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.errors import InvariantBroken

from stateset.crosschain.v1 import events_pb2 as events
from stateset.crosschain.v1.crosschain_pb2 import (
    RefundDestination,
    UnclaimedFunds,
    UnclaimedReason,
)
from stateset.orders.v1.orders_pb2 import CrossChainPayout, Payment, Payout

CCTP_REFUSALS = frozenset({"cctp"})


class CctpRefunder:
    def __init__(self, keeper: CrosschainKeeper) -> None:
        self.keeper = keeper

    def refund(self, ctx: Context, order_id: str, payment: Payment, amount: int) -> Payout:
        escrow = self.keeper.orders.escrow_address
        if payment.denom == SSUSD:
            if self.keeper.stablecoin is None:
                raise InvariantBroken(f"crosschain: ssUSD payment {payment.id}, no stablecoin")
            self.keeper.stablecoin.redeem_for(ctx, escrow, amount)
        named = self.keeper.get_refund_destination(ctx.store, order_id)
        origin = payment.cross_chain
        if named is None and not self.keeper.sender_is_wallet(
            ctx.store, origin.source_domain, bytes.fromhex(origin.original_sender)
        ):
            return self._no_destination(ctx, order_id, payment, amount)
        path = destination.of_payment(named, origin)
        outcome = attempt(
            ctx,
            lambda sub: self.keeper.cctp.deposit_for_burn(
                sub, escrow, amount, path.domain, path.recipient
            ),
            CCTP_REFUSALS,
        )
        if outcome.refusal is None and outcome.value is not None:
            return self._sent(ctx, order_id, payment, amount, path, outcome.value)
        return self._parked(ctx, order_id, payment, amount, named, describe(outcome.refusal))

    def _sent(
        self,
        ctx: Context,
        order_id: str,
        payment: Payment,
        amount: int,
        path: destination.ReturnPath,
        sent: SentMessage,
    ) -> Payout:
        ctx.events.emit(
            events.CrossChainRefundInitiated(
                order_id=order_id,
                destination_domain=path.domain,
                amount=str(amount),
                message_hash=sent.message_hash,
                mint_recipient=path.recipient,
                nonce=sent.nonce,
                payment_id=payment.id,
            )
        )
        return Payout(
            recipient=self.keeper.cctp.module_address,
            amount=amount,
            cross_chain=CrossChainPayout(
                destination_domain=path.domain,
                mint_recipient=path.recipient.hex(),
                message_hash=sent.message_hash.hex(),
                nonce=sent.nonce,
            ),
        )

    def _no_destination(
        self, ctx: Context, order_id: str, payment: Payment, amount: int
    ) -> Payout:
        """No trustworthy return path: the refund waits as unclaimed funds, with no ``refund_to``,
        for the customer to name one (then MsgRefundUnclaimed sends it there)."""
        origin = payment.cross_chain
        record = UnclaimedFunds(
            message_hash=bytes.fromhex(origin.message_hash),
            source_domain=origin.source_domain,
            original_sender=bytes.fromhex(origin.original_sender),
            nonce=origin.nonce,
            denom=USDC,
            order_id=order_id,
            payment_id=payment.id,
            reason=UnclaimedReason.UNCLAIMED_REASON_NO_REFUND_DESTINATION,
            detail="no refund destination named and the burn's sender is not a wallet",
        )
        self.keeper.credit(ctx, self.keeper.orders.escrow_address, record, amount)
        ctx.events.emit(
            events.CrossChainRefundParked(
                order_id=order_id, payment_id=payment.id, message_hash=record.message_hash,
                source_domain=origin.source_domain, original_sender=record.original_sender,
                amount=str(amount),
            )
        )
        return Payout(
            recipient=self.keeper.unclaimed_address,
            amount=amount,
            cross_chain=CrossChainPayout(
                destination_domain=origin.source_domain, unclaimed_id=origin.message_hash,
            ),
        )

    def _parked(
        self,
        ctx: Context,
        order_id: str,
        payment: Payment,
        amount: int,
        named: RefundDestination | None,
        why: str,
    ) -> Payout:
        origin = payment.cross_chain
        record = UnclaimedFunds(
            message_hash=bytes.fromhex(origin.message_hash),
            source_domain=origin.source_domain,
            original_sender=bytes.fromhex(origin.original_sender),
            nonce=origin.nonce,
            denom=USDC,
            order_id=order_id,
            payment_id=payment.id,
            reason=UnclaimedReason.UNCLAIMED_REASON_REFUND_NOT_SENT,
            detail=why,
        )
        if named is not None:
            record.refund_to.CopyFrom(named)
        self.keeper.credit(ctx, self.keeper.orders.escrow_address, record, amount)
        path = destination.of_payment(named, origin)
        return Payout(
            recipient=self.keeper.unclaimed_address,
            amount=amount,
            cross_chain=CrossChainPayout(
                destination_domain=path.domain,
                mint_recipient=path.recipient.hex(),
                unclaimed_id=origin.message_hash,
            ),
        )
