"""MsgDepositForBurn: burn uusdc here, mint it on another chain.

noble-cctp's ``depositForBurn`` (x/cctp/keeper/msg_server_deposit_for_burn.go), checks in the
same order. ``deposit_for_burn`` below is also what other modules call
(``CctpKeeper.deposit_for_burn``: the cross-chain refunds).

signer    the depositor (any account)
validate  signer is a canonical address                             -> sdk InvalidAddress
          amount is a canonical decimal, 0 < amount < 2**256        -> InvalidAmount
          mint_recipient is 32 bytes                                -> InvalidBytes32
guard     local domain set                                          -> LocalDomainNotSet
          amount > 0                                                -> InvalidAmount
          mint_recipient is nonzero                                 -> ZeroMintRecipient
          a remote token messenger is set for the destination       -> UnknownRemoteTokenMessenger
          burn_token is uusdc (any case)                            -> UnsupportedBurnToken
          burning and minting not paused                            -> BurningAndMintingPaused
          amount <= the uusdc per-message burn limit (if set)       -> BurnAmountOverLimit
          the depositor is not sanctioned       -> compliance SanctionedBurnSender (if wired)
          the burn within the depositor's daily and monthly uusdc limits (an outflow)
                                -> compliance DailyLimitExceeded, MonthlyLimitExceeded
          the depositor holds the amount                            -> sdk InsufficientFunds
          then MsgSendMessage's guards (``send_message.send_message``) -> MessagesPaused, ...
change    amount uusdc: depositor -> cctp module account, burned; nonce reserved
emit      (CoinsTransferred, CoinsBurned), MessageSent{message}, DepositForBurn
response  nonce
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import ZERO32, BurnMessage, burn_token_for_denom, pad_address
from stateset_chain.cctp.errors import (
    BurnAmountOverLimit,
    BurningAndMintingPaused,
    InvalidAmount,
    UnknownRemoteTokenMessenger,
    UnsupportedBurnToken,
    ZeroMintRecipient,
)
from stateset_chain.cctp.keys import BURN_MESSAGE_VERSION, LOCAL_TOKEN, MODULE_ACCOUNT
from stateset_chain.cctp.msgs.common import parse_amount, require_bytes32, validate_signer
from stateset_chain.cctp.msgs.send_message import send_message
from stateset_chain.cctp.results import SentMessage
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.crypto import address

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgDepositForBurn


def signers(msg: tx.MsgDepositForBurn) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgDepositForBurn) -> int:
    """The amount, in base units."""
    validate_signer(msg)
    amount = parse_amount(msg.amount)
    require_bytes32(msg.mint_recipient, "mint recipient")
    return amount


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgDepositForBurn, parsed: int
) -> tx.MsgDepositForBurnResponse:
    sent = deposit_for_burn(
        keeper,
        ctx,
        msg.signer,
        parsed,
        msg.destination_domain,
        msg.mint_recipient,
        msg.burn_token,
        ZERO32,
    )
    return tx.MsgDepositForBurnResponse(nonce=sent.nonce)


def deposit_for_burn(
    keeper: CctpKeeper,
    ctx: Context,
    depositor: str,
    amount: int,
    destination_domain: int,
    mint_recipient: bytes,
    burn_token: str,
    destination_caller: bytes = ZERO32,
) -> SentMessage:
    """Burn ``amount`` of the local token held by ``depositor`` and send the burn message to the
    destination domain's TokenMessenger (the message's sender is this module)."""
    keeper.require_local_domain(ctx.store)
    if amount <= 0:
        raise InvalidAmount("amount must be positive")
    if mint_recipient == ZERO32:
        raise ZeroMintRecipient()
    token_messenger = keeper.remote_token_messenger(ctx.store, destination_domain)
    if token_messenger is None:
        raise UnknownRemoteTokenMessenger(f"destination domain {destination_domain}")
    if burn_token.lower() != LOCAL_TOKEN:
        raise UnsupportedBurnToken(f"{burn_token!r}; only {LOCAL_TOKEN} can be burned")
    if keeper.burning_and_minting_paused(ctx.store):
        raise BurningAndMintingPaused()
    limit = keeper.burn_limit(ctx.store, LOCAL_TOKEN)
    if limit is not None and amount > limit:
        raise BurnAmountOverLimit(f"{amount}{LOCAL_TOKEN} > {limit}{LOCAL_TOKEN}")
    coins = [Coin(LOCAL_TOKEN, amount)]
    if keeper.compliance is not None:
        keeper.compliance.check_burn_sender(ctx, depositor, coins)
    keeper.bank.send_to_module(ctx, depositor, MODULE_ACCOUNT, coins)
    keeper.bank.burn(ctx, MODULE_ACCOUNT, coins)
    burn_token_bytes = burn_token_for_denom(LOCAL_TOKEN)
    body = BurnMessage(
        version=BURN_MESSAGE_VERSION,
        burn_token=burn_token_bytes,
        mint_recipient=mint_recipient,
        amount=amount,
        message_sender=pad_address(address.decode(depositor)),
    ).encode()
    sent = send_message(
        keeper,
        ctx,
        destination_domain,
        token_messenger,
        destination_caller,
        keeper.module_bytes32,
        body,
    )
    ctx.events.emit(
        events.DepositForBurn(
            nonce=sent.nonce,
            burn_token=burn_token_bytes.hex(),
            amount=str(amount),
            depositor=depositor,
            mint_recipient=mint_recipient,
            destination_domain=destination_domain,
            destination_token_messenger=token_messenger,
            destination_caller=destination_caller,
        )
    )
    return sent
