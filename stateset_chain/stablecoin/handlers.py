"""The two messages of the peg stability module. Anyone holding USDC may issue; anyone holding
ssUSD may redeem.

MsgIssueStablecoin{sender, amount}
    validate  sender is a canonical ``stateset`` address; amount a canonical decimal > 0
    guard     params.issuance_enabled                           -> IssuanceDisabled
              max_supply == 0 or supply + amount <= max_supply  -> MaxSupplyExceeded
              sender holds amount uusdc                         -> InsufficientFunds (sdk 5)
    change    amount uusdc: sender -> stablecoin_reserve; mint amount ussusd to sender
    emit      StablecoinIssued (after the bank's CoinsTransferred, CoinsMinted, CoinsTransferred)

MsgRedeemStablecoin{sender, amount}        (always open, even when issuance is disabled)
    validate  as above
    guard     sender holds amount ussusd                        -> InsufficientFunds (sdk 5)
              reserve holds amount uusdc                        -> InsufficientReserve
    change    burn amount ussusd from sender; amount uusdc: stablecoin_reserve -> sender
    emit      StablecoinRedeemed (after CoinsTransferred, CoinsBurned, CoinsTransferred)
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain import coins
from stateset_chain.bank.handlers import require_address
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.context import Context
from stateset_chain.errors import InsufficientFunds
from stateset_chain.stablecoin.errors import (
    InsufficientReserve,
    InvalidAmount,
    IssuanceDisabled,
    MaxSupplyExceeded,
)
from stateset_chain.stablecoin.keys import MINTER_ACCOUNT, RESERVE_ACCOUNT
from stateset_chain.stablecoin.state import StablecoinKeeper

from stateset.stablecoin.v1 import events_pb2 as events
from stateset.stablecoin.v1 import tx_pb2 as tx


def parse_amount(text: str) -> int:
    """A positive amount in base units (the chain's one grammar, ``coins.parse_amount``)."""
    return coins.parse_amount(text, InvalidAmount)


def signers(msg: tx.MsgIssueStablecoin | tx.MsgRedeemStablecoin) -> list[str]:
    return [msg.sender]


def validate(msg: tx.MsgIssueStablecoin | tx.MsgRedeemStablecoin) -> None:
    require_address(msg.sender, "sender")
    parse_amount(msg.amount)


def issue(
    keeper: StablecoinKeeper, ctx: Context, msg: tx.MsgIssueStablecoin
) -> tx.MsgIssueStablecoinResponse:
    amount = parse_amount(msg.amount)
    issue_for(keeper, ctx, msg.sender, amount)
    return tx.MsgIssueStablecoinResponse(issued=str(amount))


def redeem(
    keeper: StablecoinKeeper, ctx: Context, msg: tx.MsgRedeemStablecoin
) -> tx.MsgRedeemStablecoinResponse:
    amount = parse_amount(msg.amount)
    redeem_for(keeper, ctx, msg.sender, amount)
    return tx.MsgRedeemStablecoinResponse(released=str(amount))


def issue_for(keeper: StablecoinKeeper, ctx: Context, holder: str, amount: int) -> None:
    """Issue ``amount`` ussusd to ``holder`` against as much of its uusdc (MsgIssueStablecoin's
    guards and effect). Other modules call it too: the cross-chain hook issues the ssUSD of an
    ssUSD order paid by a CCTP mint from the deposit address's minted USDC."""
    params = keeper.params(ctx.store)
    max_supply = keeper.max_supply(ctx.store)
    supply = keeper.supply(ctx.store)
    if not params.issuance_enabled:
        raise IssuanceDisabled()
    if max_supply and supply + amount > max_supply:
        raise MaxSupplyExceeded(f"supply {supply} + {amount} exceeds {max_supply}{SSUSD}")
    keeper.bank.send_to_module(ctx, holder, RESERVE_ACCOUNT, [Coin(USDC, amount)])
    keeper.bank.mint(ctx, MINTER_ACCOUNT, [Coin(SSUSD, amount)])
    keeper.bank.send_from_module(ctx, MINTER_ACCOUNT, holder, [Coin(SSUSD, amount)])
    ctx.events.emit(events.StablecoinIssued(sender=holder, amount=str(amount)))


def redeem_for(keeper: StablecoinKeeper, ctx: Context, holder: str, amount: int) -> None:
    """Redeem ``amount`` of ``holder``'s ussusd for as much uusdc (MsgRedeemStablecoin's guards
    and effect). The cross-chain refunder redeems an ssUSD order's escrow before burning the
    USDC back to the payer's chain."""
    held = keeper.bank.balance(ctx.store, holder, SSUSD)
    reserve = keeper.reserve(ctx.store)
    if held < amount:
        raise InsufficientFunds(f"spendable balance {held}{SSUSD} is smaller than {amount}{SSUSD}")
    if reserve < amount:
        raise InsufficientReserve(f"reserve holds {reserve}{USDC}, {amount}{USDC} requested")
    keeper.bank.send_to_module(ctx, holder, MINTER_ACCOUNT, [Coin(SSUSD, amount)])
    keeper.bank.burn(ctx, MINTER_ACCOUNT, [Coin(SSUSD, amount)])
    keeper.bank.send_from_module(ctx, RESERVE_ACCOUNT, holder, [Coin(USDC, amount)])
    ctx.events.emit(events.StablecoinRedeemed(sender=holder, amount=str(amount)))
