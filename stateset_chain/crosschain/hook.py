"""The cctp keeper's ``on_mint`` hook: a burn minted to an order's deposit address pays the order.

Called after cctp minted a received burn message's amount to its mint recipient (and emitted
``MintAndWithdraw``), inside the receiving transaction:

1. the recipient is not a deposit address (``deposit.order_id_of``)  -> False: an ordinary mint,
   the coins stay with the recipient;
2. else try ``orders.msgs.pay.pay_order(payer = the deposit address, the order, the amount,
   method "cctp", cross_chain = the message's origin)`` on a branch: the orders module's own
   checks, events (PaymentReceived, OrderPaid), timeline and escrow;
   - accepted: emit ``CrossChainPaymentReceived``;
   - refused by the orders module (unknown order, not CREATED, not a uusdc order, more than the
     amount due, ...): nothing of the attempt is kept; the coins move from the deposit address to
     ``crosschain_unclaimed`` under the message's hash and ``UnclaimedFundsCredited`` says why.
   Either way the hook took charge of the coins (True): a deposit address never keeps a balance.

A refusal never fails the receive (the nonce is used and the coins are safe either way), so a
relayer cannot be stopped by the state of an order; any other error does fail it (nothing is
minted, the nonce stays unused).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.results import MintHook, MintInfo
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.crosschain.deposit import order_id_of
from stateset_chain.crosschain.keys import PAYMENT_METHOD
from stateset_chain.crosschain.sandbox import attempt, describe
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.errors import ChainError
from stateset_chain.orders.errors import InvalidTransition, OrderNotFound, Overpayment, WrongDenom
from stateset_chain.orders.msgs.pay import pay_order

from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.crosschain.v1.crosschain_pb2 import UnclaimedFunds, UnclaimedReason
from stateset.orders.v1.orders_pb2 import CrossChainOrigin

ORDERS_REFUSALS = frozenset({"orders"})

REASONS: dict[type[ChainError], int] = {
    OrderNotFound: UnclaimedReason.UNCLAIMED_REASON_UNKNOWN_ORDER,
    InvalidTransition: UnclaimedReason.UNCLAIMED_REASON_ORDER_NOT_PAYABLE,
    WrongDenom: UnclaimedReason.UNCLAIMED_REASON_WRONG_DENOM,
    Overpayment: UnclaimedReason.UNCLAIMED_REASON_OVERPAYMENT,
}


def mint_hook(keeper: CrosschainKeeper) -> MintHook:
    """The ``CctpKeeper.on_mint`` callable for ``keeper``."""
    return lambda ctx, info: on_mint(keeper, ctx, info)


def on_mint(keeper: CrosschainKeeper, ctx: Context, info: MintInfo) -> bool:
    order_id = order_id_of(info.mint_recipient[12:])
    if order_id is None:
        return False
    origin = CrossChainOrigin(
        source_domain=info.source_domain,
        message_hash=info.message_hash.hex(),
        original_sender=info.original_sender.hex(),
        nonce=info.nonce,
    )
    coin = Coin(info.denom, info.amount)
    outcome = attempt(
        ctx,
        lambda sub: pay_order(
            keeper.orders, sub, info.recipient, order_id, coin, PAYMENT_METHOD, origin
        ),
        ORDERS_REFUSALS,
    )
    if outcome.refusal is None and outcome.value is not None:
        ctx.events.emit(
            cctp_events.CrossChainPaymentReceived(
                order_id=order_id,
                source_domain=info.source_domain,
                amount=str(info.amount),
                message_hash=info.message_hash,
                original_sender=info.original_sender,
                nonce=info.nonce,
                payment_id=outcome.value.payment_id,
            )
        )
        return True
    keeper.credit(
        ctx,
        info.recipient,
        UnclaimedFunds(
            message_hash=info.message_hash,
            source_domain=info.source_domain,
            original_sender=info.original_sender,
            nonce=info.nonce,
            denom=info.denom,
            order_id=order_id,
            reason=reason_of(outcome.refusal),
            detail=describe(outcome.refusal),
        ),
        info.amount,
    )
    return True


def reason_of(refusal: ChainError | None) -> int:
    """Why the orders module refused the payment, as an UnclaimedReason."""
    for error, reason in REASONS.items():
        if isinstance(refusal, error):
            return reason
    return UnclaimedReason.UNCLAIMED_REASON_PAYMENT_REFUSED
