"""MsgRedeemStablecoin{sender, amount}: burn ussusd, release as much uusdc from the reserve.

Always open, even when issuance is disabled.

signer    sender
validate  sender is a canonical ``stateset`` address               -> sdk InvalidAddress
          amount a canonical decimal > 0                           -> InvalidAmount
guard     the sender is not sanctioned (the wired compliance) -> compliance SanctionedSender
          sender holds amount ussusd                               -> sdk InsufficientFunds
          reserve holds amount uusdc                               -> InsufficientReserve
change    burn amount ussusd from sender; amount uusdc: stablecoin_reserve -> sender
emit      StablecoinRedeemed (after CoinsTransferred, CoinsBurned, CoinsTransferred)
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.context import Context
from stateset_chain.errors import InsufficientFunds
from stateset_chain.stablecoin.errors import InsufficientReserve
from stateset_chain.stablecoin.keys import MINTER_ACCOUNT, RESERVE_ACCOUNT
from stateset_chain.stablecoin.msgs.common import validate_sender_and_amount
from stateset_chain.stablecoin.state import StablecoinKeeper

from stateset.stablecoin.v1 import events_pb2 as events
from stateset.stablecoin.v1 import tx_pb2 as tx

MSG = tx.MsgRedeemStablecoin


def signers(msg: tx.MsgRedeemStablecoin) -> list[str]:
    return [msg.sender]


def validate(msg: tx.MsgRedeemStablecoin) -> int:
    """The amount, in base units."""
    return validate_sender_and_amount(msg.sender, msg.amount)


def handle(
    keeper: StablecoinKeeper, ctx: Context, msg: tx.MsgRedeemStablecoin, parsed: int
) -> tx.MsgRedeemStablecoinResponse:
    amount = parsed
    if keeper.compliance is not None:
        keeper.compliance.check_conversion(ctx, msg.sender)
    redeem_for(keeper, ctx, msg.sender, amount)
    return tx.MsgRedeemStablecoinResponse(released=str(amount))


def redeem_for(keeper: StablecoinKeeper, ctx: Context, holder: str, amount: int) -> None:
    """Redeem ``amount`` of ``holder``'s ussusd for as much uusdc (the message's guards and
    effect). The cross-chain refunder redeems an ssUSD order's escrow before burning the USDC
    back to the payer's chain (through ``StablecoinKeeper.redeem_for``)."""
    held = keeper.bank.balance(ctx.store, holder, SSUSD)
    reserve = keeper.reserve(ctx.store)
    if held < amount:
        raise InsufficientFunds(f"spendable balance {held}{SSUSD} is smaller than {amount}{SSUSD}")
    if reserve < amount:
        raise InsufficientReserve(f"reserve holds {reserve}{USDC}, {amount}{USDC} requested")
    keeper.bank.send_to_module(ctx, holder, MINTER_ACCOUNT, [Coin(SSUSD, amount)])
    keeper.bank.burn(ctx, MINTER_ACCOUNT, [Coin(SSUSD, amount)])
    keeper.bank.send_from_module(
        ctx, RESERVE_ACCOUNT, holder, [Coin(USDC, amount)], holder_may_be_module=True
    )
    ctx.events.emit(events.StablecoinRedeemed(sender=holder, amount=str(amount)))
