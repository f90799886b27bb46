"""MsgDepositForBurn and MsgDepositForBurnWithCaller: burn uusdc here, mint it on another chain.

signer    the depositor (any account)
validate  signer is a canonical address                             -> sdk InvalidAddress
          amount is a canonical decimal, 0 < amount < 2**256        -> InvalidAmount
          mint_recipient (and destination_caller) are 32 bytes      -> InvalidBytes32
guard     WithCaller: destination_caller is nonzero                 -> InvalidDestinationCaller
          then ``outbound.deposit_for_burn`` in Noble's order:
          local domain set                                          -> LocalDomainNotSet
          mint_recipient is nonzero                                 -> ZeroMintRecipient
          a remote token messenger is set for the destination       -> UnknownRemoteTokenMessenger
          burn_token is uusdc (any case)                            -> UnsupportedBurnToken
          burning and minting not paused                            -> BurningAndMintingPaused
          amount <= the uusdc per-message burn limit (if set)       -> BurnAmountOverLimit
          the depositor holds the amount                            -> sdk InsufficientFunds
          sending not paused, body size, recipient nonzero          -> MessagesPaused, ...
change    amount uusdc: depositor -> cctp module account, burned; nonce reserved
emit      (CoinsTransferred, CoinsBurned), MessageSent{message}, DepositForBurn
response  nonce
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp import outbound
from stateset_chain.cctp.codec import ZERO32
from stateset_chain.cctp.errors import InvalidDestinationCaller
from stateset_chain.cctp.msgs.common import parse_amount, require_bytes32, route, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import tx_pb2 as tx


def validate(msg: tx.MsgDepositForBurn) -> None:
    validate_signer(msg)
    parse_amount(msg.amount)
    require_bytes32(msg.mint_recipient, "mint recipient")


def validate_with_caller(msg: tx.MsgDepositForBurnWithCaller) -> None:
    validate(msg)  # type: ignore[arg-type]
    require_bytes32(msg.destination_caller, "destination caller")


def deposit_for_burn(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgDepositForBurn
) -> tx.MsgDepositForBurnResponse:
    sent = outbound.deposit_for_burn(
        keeper,
        ctx,
        msg.signer,
        parse_amount(msg.amount),
        msg.destination_domain,
        msg.mint_recipient,
        msg.burn_token,
        ZERO32,
    )
    return tx.MsgDepositForBurnResponse(nonce=sent.nonce)


def deposit_for_burn_with_caller(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgDepositForBurnWithCaller
) -> tx.MsgDepositForBurnWithCallerResponse:
    if msg.destination_caller == ZERO32:
        raise InvalidDestinationCaller()
    sent = outbound.deposit_for_burn(
        keeper,
        ctx,
        msg.signer,
        parse_amount(msg.amount),
        msg.destination_domain,
        msg.mint_recipient,
        msg.burn_token,
        msg.destination_caller,
    )
    return tx.MsgDepositForBurnWithCallerResponse(nonce=sent.nonce)


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(tx.MsgDepositForBurn, validate, lambda ctx, m: deposit_for_burn(keeper, ctx, m)),
        route(
            tx.MsgDepositForBurnWithCaller,
            validate_with_caller,
            lambda ctx, m: deposit_for_burn_with_caller(keeper, ctx, m),
        ),
    ]
