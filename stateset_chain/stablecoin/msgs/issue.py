"""MsgIssueStablecoin{sender, amount}: lock uusdc in the reserve, mint as much ussusd.

signer    sender
validate  sender is a canonical ``stateset`` address               -> sdk InvalidAddress
          amount a canonical decimal > 0                           -> InvalidAmount
guard     the sender is not sanctioned (the wired compliance) -> compliance SanctionedSender
          params.issuance_enabled                                  -> IssuanceDisabled
          max_supply == 0 or supply + amount <= max_supply         -> MaxSupplyExceeded
          sender holds amount uusdc                                -> sdk InsufficientFunds
change    amount uusdc: sender -> stablecoin_reserve; mint amount ussusd to sender
emit      StablecoinIssued (after the bank's CoinsTransferred, CoinsMinted, CoinsTransferred)
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.context import Context
from stateset_chain.stablecoin.errors import IssuanceDisabled, MaxSupplyExceeded
from stateset_chain.stablecoin.keys import MINTER_ACCOUNT, RESERVE_ACCOUNT
from stateset_chain.stablecoin.msgs.common import validate_sender_and_amount
from stateset_chain.stablecoin.state import StablecoinKeeper

from stateset.stablecoin.v1 import events_pb2 as events
from stateset.stablecoin.v1 import tx_pb2 as tx

MSG = tx.MsgIssueStablecoin


def signers(msg: tx.MsgIssueStablecoin) -> list[str]:
    return [msg.sender]


def validate(msg: tx.MsgIssueStablecoin) -> int:
    """The amount, in base units."""
    return validate_sender_and_amount(msg.sender, msg.amount)


def handle(
    keeper: StablecoinKeeper, ctx: Context, msg: tx.MsgIssueStablecoin, parsed: int
) -> tx.MsgIssueStablecoinResponse:
    amount = parsed
    if keeper.compliance is not None:
        keeper.compliance.check_conversion(ctx, msg.sender)
    issue_for(keeper, ctx, msg.sender, amount)
    return tx.MsgIssueStablecoinResponse(issued=str(amount))


def issue_for(keeper: StablecoinKeeper, ctx: Context, holder: str, amount: int) -> None:
    """Issue ``amount`` ussusd to ``holder`` against as much of its uusdc (the message's guards
    and effect). Other modules call it through ``StablecoinKeeper.issue_for``: the cross-chain
    hook issues the ssUSD of an ssUSD order paid by a CCTP mint from the deposit address's
    minted USDC."""
    params = keeper.params(ctx.store)
    max_supply = keeper.max_supply(ctx.store)
    supply = keeper.supply(ctx.store)
    if not params.issuance_enabled:
        raise IssuanceDisabled()
    if max_supply and supply + amount > max_supply:
        raise MaxSupplyExceeded(f"supply {supply} + {amount} exceeds {max_supply}{SSUSD}")
    keeper.bank.send_to_module(ctx, holder, RESERVE_ACCOUNT, [Coin(USDC, amount)])
    keeper.bank.mint(ctx, MINTER_ACCOUNT, [Coin(SSUSD, amount)])
    keeper.bank.send_from_module(
        ctx, MINTER_ACCOUNT, holder, [Coin(SSUSD, amount)], holder_may_be_module=True
    )
    ctx.events.emit(events.StablecoinIssued(sender=holder, amount=str(amount)))
