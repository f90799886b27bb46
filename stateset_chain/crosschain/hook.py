"""The cctp keeper's ``on_mint`` hook: a burn minted to an order's deposit address pays the order.

Called after cctp minted a received burn message's amount to its mint recipient (and emitted
``MintAndWithdraw``), inside the receiving transaction:

1. the recipient does not spell an order id (``deposit.spelled_order_id``) -> False: an ordinary
   mint, the coins stay with the recipient;
2. it spells one but is not this chain's deposit address of it (the checksum binds the chain id):
   a burn meant for another network's order; parked as unclaimed (UNKNOWN_ORDER), never paid;
3. else try on a branch: for an ssUSD order, issue the amount of ssUSD to the deposit address
   from its minted USDC (the USDC goes to the stablecoin reserve; ``StablecoinKeeper.issue_for``),
   then ``OrdersKeeper.pay_order(payer = the deposit address, the order, the amount in the
   order's denom, method "cctp", cross_chain = the message's origin)``: the orders module's own
   checks, events (PaymentReceived, OrderPaid), timeline and escrow;
   - accepted: emit ``CrossChainPaymentReceived``;
   - refused by the orders module (unknown order, not CREATED, more than the amount due, ...) or
     by the stablecoin module (issuance disabled, over the supply cap): nothing of the attempt is
     kept (no ssUSD issued); the USDC moves from the deposit address to ``crosschain_unclaimed``
     under the message's hash and ``UnclaimedFundsCredited`` says why. The record keeps the
     order's named refund destination, if any.
   Either way the hook took charge of the coins (True): a deposit address never keeps a balance.

A refusal never fails the receive (the nonce is used and the coins are safe either way), so a
relayer cannot be stopped by the state of an order; any other error does fail it (nothing is
minted, the nonce stays unused).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.context import Context
from stateset_chain.crosschain.deposit import order_id_of, spelled_order_id
from stateset_chain.crosschain.expected import BlockedMintHook, MintHook, MintInfo
from stateset_chain.crosschain.keys import PAYMENT_METHOD
from stateset_chain.crosschain.sandbox import attempt, describe
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.errors import ChainError
from stateset_chain.orders.errors import InvalidTransition, OrderNotFound, Overpayment, WrongDenom

from stateset.crosschain.v1 import events_pb2 as events
from stateset.crosschain.v1.crosschain_pb2 import UnclaimedFunds, UnclaimedReason
from stateset.orders.v1.orders_pb2 import CrossChainOrigin
from stateset.orders.v1.tx_pb2 import MsgPayOrderResponse

PAYMENT_REFUSALS = frozenset({"orders", "stablecoin", "compliance"})

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
    account = info.mint_recipient[12:]
    spelled = spelled_order_id(account)
    if spelled is None:
        return False
    origin = CrossChainOrigin(
        source_domain=info.source_domain,
        message_hash=info.message_hash.hex(),
        original_sender=info.original_sender.hex(),
        nonce=info.nonce,
    )
    order_id = order_id_of(account, ctx.block.chain_id)
    if order_id is None:
        park(keeper, ctx, info, spelled, UnclaimedReason.UNCLAIMED_REASON_UNKNOWN_ORDER,
             f"deposit address of {spelled} on another chain, not on {ctx.block.chain_id!r}")
        return True
    outcome = attempt(
        ctx, lambda sub: pay_from_mint(keeper, sub, info, order_id, origin), PAYMENT_REFUSALS
    )
    if outcome.refusal is None and outcome.value is not None:
        ctx.events.emit(
            events.CrossChainPaymentReceived(
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
    park(keeper, ctx, info, order_id, reason_of(outcome.refusal), describe(outcome.refusal))
    return True


def pay_from_mint(
    keeper: CrosschainKeeper, ctx: Context, info: MintInfo, order_id: str, origin: CrossChainOrigin
) -> MsgPayOrderResponse:
    """Pay the order from its deposit address: in USDC as minted, or for an ssUSD order in ssUSD
    issued 1:1 from the minted USDC (only when the orders module then takes the payment: a
    refusal drops the branch, issuance included)."""
    coin = Coin(info.denom, info.amount)
    order = keeper.orders.get_order(ctx.store, order_id)
    if (
        order is not None
        and order.denom == SSUSD
        and info.denom == USDC
        and keeper.stablecoin is not None
    ):
        keeper.stablecoin.issue_for(ctx, info.recipient, info.amount)
        coin = Coin(SSUSD, info.amount)
    return keeper.orders.pay_order(ctx, info.recipient, order_id, coin, PAYMENT_METHOD, origin)


def park(
    keeper: CrosschainKeeper, ctx: Context, info: MintInfo, order_id: str, reason: int, detail: str
) -> None:
    """Move the minted coins from the deposit address to ``crosschain_unclaimed`` under the
    message's hash, with the order's named refund destination (if any) fixed in the record."""
    record = UnclaimedFunds(
        message_hash=info.message_hash,
        source_domain=info.source_domain,
        original_sender=info.original_sender,
        nonce=info.nonce,
        denom=info.denom,
        order_id=order_id,
        reason=reason,
        detail=detail,
    )
    destination = keeper.get_refund_destination(ctx.store, order_id)
    if destination is not None and order_id_of(info.mint_recipient[12:], ctx.block.chain_id):
        record.refund_to.CopyFrom(destination)
    keeper.credit(ctx, info.recipient, record, info.amount)


def blocked_mint_hook(keeper: CrosschainKeeper) -> BlockedMintHook:
    """The ``CctpKeeper.on_blocked_mint`` callable for ``keeper``."""
    return lambda ctx, info, reason: park_blocked_mint(keeper, ctx, info, reason)


def park_blocked_mint(keeper: CrosschainKeeper, ctx: Context, info: MintInfo, reason: str) -> None:
    """A received burn whose mint recipient the bank blocks (a module account, where the coins
    would be stranded): cctp minted it to its own account; park it for the original sender
    (reason BLOCKED_RECIPIENT), from where it goes back by MsgRefundUnclaimed (or is claimed by
    the sender's own account here), as any payment no order could take."""
    keeper.credit(
        ctx,
        keeper.cctp.module_address,
        UnclaimedFunds(
            message_hash=info.message_hash,
            source_domain=info.source_domain,
            original_sender=info.original_sender,
            nonce=info.nonce,
            denom=info.denom,
            reason=UnclaimedReason.UNCLAIMED_REASON_BLOCKED_RECIPIENT,
            detail=f"mint recipient {info.recipient} is {reason}",
        ),
        info.amount,
    )


def reason_of(refusal: ChainError | None) -> int:
    """Why the orders module refused the payment, as an UnclaimedReason."""
    for error, reason in REASONS.items():
        if isinstance(refusal, error):
            return reason
    return UnclaimedReason.UNCLAIMED_REASON_PAYMENT_REFUSED
