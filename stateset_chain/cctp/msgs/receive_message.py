"""MsgReceiveMessage{signer, message, attestation}: deliver a message Circle attested.

signer    any relayer (the destination caller, when the message names one)
validate  signer is a canonical address                             -> sdk InvalidAddress
guard     and change, in Noble's order (below)
emit      MintRecipientBlockedParked or MintAndWithdraw (burns only), MessageReceived
response  success = true

Source: circlefin/noble-cctp ``x/cctp/keeper/msg_server_receive_message.go`` (and the EVM
``MessageTransmitter.receiveMessage`` + ``TokenMessenger.handleReceiveMessage``):

1. sending and receiving not paused                          MessagesPaused
2. the attestation (``attestation.py``)                      NoAttesters,
   SignatureThresholdNotSet, WrongAttestationLength, ... NotAttester
3. the message parses (>= 116 bytes)                          MalformedMessage
4. destination domain == the local domain (from genesis)      WrongDestinationDomain
5. a nonzero destination caller names the relayer             WrongDestinationCaller
   (bech32 of its last 20 bytes == the signer, as Noble)
6. version == 0                                               UnsupportedMessageVersion
7. (source domain, nonce) unused                              NonceAlreadyUsed
8. mark it used (before any mint: a failure reverts the whole transaction anyway)
9. if the recipient is this module (bytes32 of sha256("cctp")[:20]), the body is a burn:
   burning and minting not paused                             BurningAndMintingPaused
   body is exactly 132 bytes, version 0                       MalformedBurnMessage,
                                                               UnsupportedBurnMessageVersion
   a token pair links (source domain, burn token)             TokenPairNotLinked
   a remote token messenger is set for the source domain      UnknownRemoteTokenMessenger
   and is the message's sender                                SenderNotRemoteTokenMessenger
   amount > 0                                                 InvalidAmount
   the recipient is not sanctioned (the wired compliance      compliance SanctionedMintRecipient
   guard; the message stays unreceived, its nonce unused, until the sanction is lifted)
   the recipient is not an address the bank blocks (a module  MintRecipientBlocked
   account, ...), unless the on_mint hook takes charge of     (when nothing parks it)
   such addresses (``hook_recipients``: order deposit addresses)
   or ``on_blocked_mint`` parks it (minted to the cctp account, taken from there for the
   original sender; MintRecipientBlockedParked instead of MintAndWithdraw; on_mint not called)
   mint the amount to bech32(mint_recipient[12:]); emit MintAndWithdraw; call ``on_mint``
10. emit MessageReceived.

A message for any other recipient is only marked and announced (no handler runs here).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import (
    ZERO32,
    BurnMessage,
    Message,
    address_from_bytes32,
    keccak256,
)
from stateset_chain.cctp.errors import (
    BurningAndMintingPaused,
    InvalidAmount,
    MessagesPaused,
    MintRecipientBlocked,
    NonceAlreadyUsed,
    SenderNotRemoteTokenMessenger,
    TokenPairNotLinked,
    UnknownRemoteTokenMessenger,
    UnsupportedBurnMessageVersion,
    UnsupportedMessageVersion,
    WrongDestinationCaller,
    WrongDestinationDomain,
)
from stateset_chain.cctp.keys import BURN_MESSAGE_VERSION, MESSAGE_VERSION, MODULE_ACCOUNT
from stateset_chain.cctp.msgs.common import validate_signer
from stateset_chain.cctp.results import MintInfo, ReceiveResult
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.crypto import address

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgReceiveMessage


def signers(msg: tx.MsgReceiveMessage) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgReceiveMessage) -> None:
    validate_signer(msg)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgReceiveMessage
) -> tx.MsgReceiveMessageResponse:
    receive_message(keeper, ctx, msg.signer, msg.message, msg.attestation)
    return tx.MsgReceiveMessageResponse(success=True)


def receive_message(
    keeper: CctpKeeper, ctx: Context, relayer: str, raw: bytes, attestation: bytes
) -> ReceiveResult:
    if keeper.sending_and_receiving_paused(ctx.store):
        raise MessagesPaused()
    keeper.verify_attestation(ctx, raw, attestation)
    message = Message.decode(raw)
    local_domain = keeper.require_local_domain(ctx.store)
    if message.destination_domain != local_domain:
        raise WrongDestinationDomain(
            f"message for domain {message.destination_domain}, this is domain {local_domain}"
        )
    if message.destination_caller != ZERO32:
        caller = address.encode(address_from_bytes32(message.destination_caller))
        if caller != relayer:
            raise WrongDestinationCaller(f"only {caller} may receive it, not {relayer}")
    if message.version != MESSAGE_VERSION:
        raise UnsupportedMessageVersion(f"version {message.version}")
    if keeper.is_nonce_used(ctx.store, message.source_domain, message.nonce):
        raise NonceAlreadyUsed(f"domain {message.source_domain} nonce {message.nonce}")
    keeper.mark_nonce_used(ctx.store, message.source_domain, message.nonce)

    message_hash = keccak256(raw)
    minted = None
    claimed = False
    if message.recipient == keeper.module_bytes32:
        minted, parked = _mint(keeper, ctx, message, message_hash)
        if parked:
            claimed = True  # on_blocked_mint took the coins
        elif keeper.on_mint is not None:
            claimed = bool(keeper.on_mint(ctx, minted))
    ctx.events.emit(
        events.MessageReceived(
            caller=relayer,
            source_domain=message.source_domain,
            nonce=message.nonce,
            sender=message.sender,
            message_body=message.body,
        )
    )
    return ReceiveResult(message, message_hash, minted, claimed)


def _mint(
    keeper: CctpKeeper, ctx: Context, message: Message, message_hash: bytes
) -> tuple[MintInfo, bool]:
    """Mint a received burn; True when it was parked instead of paid to a blocked recipient."""
    if keeper.burning_and_minting_paused(ctx.store):
        raise BurningAndMintingPaused()
    burn = BurnMessage.decode(message.body)
    if burn.version != BURN_MESSAGE_VERSION:
        raise UnsupportedBurnMessageVersion(f"version {burn.version}")
    denom = keeper.token_pair(ctx.store, message.source_domain, burn.burn_token)
    if denom is None:
        raise TokenPairNotLinked(f"domain {message.source_domain} token 0x{burn.burn_token.hex()}")
    token_messenger = keeper.remote_token_messenger(ctx.store, message.source_domain)
    if token_messenger is None:
        raise UnknownRemoteTokenMessenger(f"source domain {message.source_domain}")
    if message.sender != token_messenger:
        raise SenderNotRemoteTokenMessenger(f"sender 0x{message.sender.hex()}")
    if burn.amount == 0:
        raise InvalidAmount("a burn message must carry a positive amount")

    recipient_raw = address_from_bytes32(burn.mint_recipient)
    recipient = address.encode(recipient_raw)
    if keeper.compliance is not None:
        keeper.compliance.check_mint_recipient(ctx, recipient)
    blocked = keeper.bank.blocked_reason(recipient)
    if keeper.hook_takes(recipient_raw):
        blocked = None  # the on_mint hook moves the coins on in this message
    park = keeper.on_blocked_mint
    if blocked is not None and park is None:
        raise MintRecipientBlocked(f"mint recipient {recipient} is {blocked}")
    coins = [Coin(denom, burn.amount)]
    keeper.bank.mint(ctx, MODULE_ACCOUNT, coins)
    info = MintInfo(
        source_domain=message.source_domain,
        nonce=message.nonce,
        message_hash=message_hash,
        burn_token=burn.burn_token,
        original_sender=burn.message_sender,
        mint_recipient=burn.mint_recipient,
        recipient=recipient,
        denom=denom,
        amount=burn.amount,
    )
    if blocked is not None and park is not None:
        ctx.events.emit(
            events.MintRecipientBlockedParked(
                mint_recipient=burn.mint_recipient, amount=str(burn.amount), mint_token=denom,
                reason=blocked,
            )
        )
        park(ctx, info, blocked)
        return info, True
    keeper.bank.send_from_module(ctx, MODULE_ACCOUNT, recipient, coins)
    ctx.events.emit(
        events.MintAndWithdraw(
            mint_recipient=burn.mint_recipient, amount=str(burn.amount), mint_token=denom
        )
    )
    return info, False
