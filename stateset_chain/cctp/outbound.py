"""Messages out of this domain: generic messages, burns, and their replacements.

The flows of noble-cctp's ``sendMessage``, ``depositForBurn``, ``ReplaceMessage`` and
``ReplaceDepositForBurn`` (x/cctp/keeper/msg_server_*.go), checks in the same order. Each emits
``MessageSent`` with the full message, which a relayer hashes (keccak256) to fetch Circle's
attestation, then delivers to the destination domain's MessageTransmitter.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import (
    ZERO32,
    BurnMessage,
    Message,
    burn_token_for_denom,
    keccak256,
    pad_address,
)
from stateset_chain.cctp.errors import (
    BurnAmountOverLimit,
    BurningAndMintingPaused,
    InvalidAmount,
    InvalidRecipient,
    MessageBodyTooLarge,
    MessageNotFromLocalDomain,
    MessagesPaused,
    NotOriginalDepositor,
    NotOriginalSender,
    UnknownRemoteTokenMessenger,
    UnsupportedBurnToken,
    ZeroMintRecipient,
)
from stateset_chain.cctp.keys import (
    BURN_MESSAGE_VERSION,
    LOCAL_TOKEN,
    MESSAGE_VERSION,
    MODULE_ACCOUNT,
)
from stateset_chain.cctp.results import SentMessage
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.crypto import address

from stateset.cctp.v1 import events_pb2 as events

if TYPE_CHECKING:
    from stateset_chain.cctp.state import CctpKeeper


def send_message(
    keeper: CctpKeeper,
    ctx: Context,
    destination_domain: int,
    recipient: bytes,
    destination_caller: bytes,
    sender: bytes,
    body: bytes,
    nonce: int | None = None,
) -> SentMessage:
    """Build and emit one message from ``sender`` (bytes32); a new nonce unless ``nonce`` is
    given (a replacement keeps its original's)."""
    local_domain = keeper.require_local_domain(ctx.store)
    if keeper.sending_and_receiving_paused(ctx.store):
        raise MessagesPaused()
    limit = keeper.max_message_body_size(ctx.store)
    if limit is not None and len(body) > limit:
        raise MessageBodyTooLarge(f"{len(body)} bytes, the limit is {limit}")
    if recipient == ZERO32:
        raise InvalidRecipient()
    if nonce is None:
        nonce = keeper.reserve_nonce(ctx.store)
    raw = Message(
        version=MESSAGE_VERSION,
        source_domain=local_domain,
        destination_domain=destination_domain,
        nonce=nonce,
        sender=sender,
        recipient=recipient,
        destination_caller=destination_caller,
        body=body,
    ).encode()
    ctx.events.emit(events.MessageSent(message=raw))
    return SentMessage(nonce=nonce, message=raw, message_hash=keccak256(raw))


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


def replace_message(
    keeper: CctpKeeper,
    ctx: Context,
    sender: bytes,
    original_message: bytes,
    original_attestation: bytes,
    new_body: bytes,
    new_destination_caller: bytes,
) -> SentMessage:
    """Re-send a message of ``sender`` (bytes32) sent from here, under its original nonce."""
    if keeper.sending_and_receiving_paused(ctx.store):
        raise MessagesPaused()
    keeper.verify_attestation(ctx, original_message, original_attestation)
    original = Message.decode(original_message)
    if original.sender != sender:
        raise NotOriginalSender()
    if original.source_domain != keeper.require_local_domain(ctx.store):
        raise MessageNotFromLocalDomain(f"source domain {original.source_domain}")
    return send_message(
        keeper,
        ctx,
        original.destination_domain,
        original.recipient,
        new_destination_caller,
        original.sender,
        new_body,
        nonce=original.nonce,
    )


def replace_deposit_for_burn(
    keeper: CctpKeeper,
    ctx: Context,
    depositor: str,
    original_message: bytes,
    original_attestation: bytes,
    new_destination_caller: bytes,
    new_mint_recipient: bytes,
) -> SentMessage:
    """Re-send a burn ``depositor`` made, with a new mint recipient and destination caller."""
    if keeper.burning_and_minting_paused(ctx.store):
        raise BurningAndMintingPaused()
    original = Message.decode(original_message)
    burn = BurnMessage.decode(original.body)
    if burn.message_sender != pad_address(address.decode(depositor)):
        raise NotOriginalDepositor()
    if new_mint_recipient == ZERO32:
        raise ZeroMintRecipient()
    new_body = replace(burn, mint_recipient=new_mint_recipient).encode()
    sent = replace_message(
        keeper,
        ctx,
        keeper.module_bytes32,
        original_message,
        original_attestation,
        new_body,
        new_destination_caller,
    )
    ctx.events.emit(
        events.DepositForBurn(
            nonce=original.nonce,
            burn_token=burn.burn_token.hex(),
            amount=str(burn.amount),
            depositor=depositor,
            mint_recipient=new_mint_recipient,
            destination_domain=original.destination_domain,
            destination_token_messenger=original.recipient,
            destination_caller=new_destination_caller,
        )
    )
    return sent
