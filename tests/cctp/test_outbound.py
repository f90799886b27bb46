"""Outbound: MsgDepositForBurn(+WithCaller), MsgReplaceDepositForBurn, MsgSendMessage(+WithCaller),
MsgReplaceMessage: every guard, the pauses, the limits, and Noble's exact bytes."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import invariants as bank_invariants
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
    InvalidBytes32,
    InvalidDestinationCaller,
    InvalidRecipient,
    LocalDomainNotSet,
    MessageBodyTooLarge,
    MessageNotFromLocalDomain,
    MessagesPaused,
    NotAttester,
    NotOriginalDepositor,
    NotOriginalSender,
    UnknownRemoteTokenMessenger,
    UnsupportedBurnToken,
    ZeroMintRecipient,
)
from stateset_chain.coins import Coin
from stateset_chain.crypto import address
from stateset_chain.errors import InsufficientFunds
from tests.bank.helpers import ALICE, BOB, FAUCET
from tests.cctp import vectors
from tests.cctp.helpers import (
    ETH_TOKEN_MESSENGER,
    ETHEREUM,
    KEYS,
    LOCAL_DOMAIN,
    base_genesis,
    new_env,
    sign,
)
from tests.event_helpers import typed_events

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

RECIPIENT = pad_address(bytes.fromhex("00000000000000000000000000000000000000e2"))


def deposit(amount="1000", domain=ETHEREUM, recipient=RECIPIENT, token="uusdc", signer=ALICE):
    return tx.MsgDepositForBurn(
        signer=signer,
        amount=amount,
        destination_domain=domain,
        mint_recipient=recipient,
        burn_token=token,
    )


def sent_message(env) -> bytes:
    return env.events_of(events.MessageSent)[-1].message


def test_deposit_burns_the_depositors_uusdc_and_sends_a_burn_message():
    env = new_env()
    response = env.deliver(deposit("1000"))
    assert response.nonce == 0
    assert env.balance(ALICE) == 10_000_000 - 1000
    assert env.supply() == 10_000_000 - 1000
    assert env.balance(env.keeper.module_address) == 0
    message = Message.decode(sent_message(env))
    assert (message.version, message.source_domain, message.destination_domain) == (
        0,
        LOCAL_DOMAIN,
        ETHEREUM,
    )
    assert (message.nonce, message.sender, message.recipient) == (
        0,
        env.keeper.module_bytes32,
        ETH_TOKEN_MESSENGER,
    )
    assert message.destination_caller == ZERO32
    burn = BurnMessage.decode(message.body)
    assert burn == BurnMessage(
        0, burn_token_for_denom("uusdc"), RECIPIENT, 1000, pad_address(address.decode(ALICE))
    )
    bank_invariants.total_supply(env.bank, env.ctx)


def test_deposit_emits_burn_movements_then_message_sent_then_deposit_for_burn():
    env = new_env()
    env.deliver(deposit("1000"))
    assert [e.type for e in typed_events(env.events)] == [
        "stateset.bank.v1.CoinsTransferred",
        "stateset.bank.v1.CoinsBurned",
        "stateset.cctp.v1.MessageSent",
        "stateset.cctp.v1.DepositForBurn",
    ]
    (event,) = env.events_of(events.DepositForBurn)
    assert event.nonce == 0 and event.amount == "1000" and event.depositor == ALICE
    assert event.burn_token == burn_token_for_denom("uusdc").hex()
    assert (event.mint_recipient, event.destination_domain) == (RECIPIENT, ETHEREUM)
    assert event.destination_token_messenger == ETH_TOKEN_MESSENGER
    assert event.destination_caller == ZERO32


def test_nonces_increase_per_outbound_message():
    env = new_env()
    assert [env.deliver(deposit("1")).nonce for _ in range(3)] == [0, 1, 2]
    assert env.keeper.next_available_nonce(env.ctx.store) == 3


def test_deposit_reproduces_nobles_mainnet_message_byte_for_byte():
    """Noble tx 7635B16C...: the same depositor, amount, domain, recipient and nonce give the
    same 248 bytes Noble's x/cctp emitted (sender = the module, burn token = keccak(uusdc))."""
    depositor = address.encode(vectors.NOBLE_DEPOSITOR)
    env = new_env(
        base_genesis(
            local_domain=4,
            remote_token_messengers=[
                {"domain_id": 1, "address": vectors.AVALANCHE_TOKEN_MESSENGER.hex()}
            ],
            next_available_nonce=str(vectors.NOBLE_DEPOSIT_NONCE),
        ),
        holdings={depositor: {"uusdc": 1_000_000}},
    )
    response = env.deliver(
        deposit(
            str(vectors.NOBLE_DEPOSIT_AMOUNT),
            domain=1,
            recipient=vectors.NOBLE_DEPOSIT_MINT_RECIPIENT,
            signer=depositor,
        )
    )
    assert response.nonce == vectors.NOBLE_DEPOSIT_NONCE
    assert sent_message(env) == vectors.NOBLE_DEPOSIT_MESSAGE_SENT
    (event,) = env.events_of(events.DepositForBurn)
    assert event.burn_token == "487039debedbf32d260137b0a6f66b90962bec777250910d253781de326a716d"


def test_the_keeper_api_burns_from_any_address_and_returns_the_message():
    env = new_env()
    sent = env.keeper.deposit_for_burn(env.ctx, ALICE, 250, ETHEREUM, RECIPIENT)
    assert sent.message == sent_message_from(env.ctx)
    assert sent.message_hash == keccak256(sent.message)
    assert BurnMessage.decode(Message.decode(sent.message).body).amount == 250
    assert env.balance(ALICE) == 10_000_000 - 250


def test_the_keeper_api_burns_from_a_module_account():
    env = new_env()
    escrow = address.module_address(FAUCET)
    env.bank.mint(env.ctx, FAUCET, [Coin("uusdc", 70)])
    sent = env.keeper.deposit_for_burn(env.ctx, escrow, 70, ETHEREUM, RECIPIENT, b"\x0c" * 32)
    burn = BurnMessage.decode(Message.decode(sent.message).body)
    assert burn.message_sender == pad_address(address.module_address_bytes(FAUCET))
    assert Message.decode(sent.message).destination_caller == b"\x0c" * 32
    assert env.balance(escrow) == 0 and env.supply() == 10_000_000


def sent_message_from(ctx) -> bytes:
    from stateset_chain.events import parse_typed_event

    found = [e for e in ctx.events.events if e.type == "stateset.cctp.v1.MessageSent"]
    return parse_typed_event(found[-1], events.MessageSent).message


@pytest.mark.parametrize(
    "msg, error",
    [
        (deposit(amount="0"), InvalidAmount),
        (deposit(amount="-5"), InvalidAmount),
        (deposit(amount="012"), InvalidAmount),
        (deposit(amount=str(2**256)), InvalidAmount),
        (deposit(recipient=b"\x01" * 31), InvalidBytes32),
    ],
)
def test_deposit_stateless_validation(msg, error):
    env = new_env()
    with pytest.raises(error):
        env.deliver(msg)


@pytest.mark.parametrize(
    "msg, error",
    [
        (deposit(recipient=ZERO32), ZeroMintRecipient),
        (deposit(domain=5), UnknownRemoteTokenMessenger),
        (deposit(token="ussusd"), UnsupportedBurnToken),
        (deposit(amount="10000001"), InsufficientFunds),
    ],
)
def test_deposit_guards(msg, error):
    env = new_env()
    with pytest.raises(error):
        env.deliver(msg)
    assert env.balance(ALICE) == 10_000_000
    assert env.keeper.next_available_nonce(env.ctx.store) == 0


def test_burn_token_matches_case_insensitively_as_in_noble():
    env = new_env()
    env.deliver(deposit(token="UUSDC"))
    assert env.balance(ALICE) == 10_000_000 - 1000


def test_the_per_message_burn_limit_is_inclusive():
    env = new_env(base_genesis(per_message_burn_limits=[{"denom": "uusdc", "amount": "500"}]))
    env.deliver(deposit("500"))
    with pytest.raises(BurnAmountOverLimit):
        env.deliver(deposit("501"))


def test_no_burn_limit_means_no_limit():
    env = new_env(base_genesis(per_message_burn_limits=[]))
    env.deliver(deposit("10000000"))
    assert env.balance(ALICE) == 0


def test_paused_burning_refuses_deposits():
    env = new_env()
    env.keeper.set_burning_and_minting_paused(env.ctx.store, True)
    with pytest.raises(BurningAndMintingPaused):
        env.deliver(deposit())


def test_paused_messaging_refuses_deposits_and_sends():
    env = new_env()
    env.keeper.set_sending_and_receiving_paused(env.ctx.store, True)
    with pytest.raises(MessagesPaused):
        env.deliver(deposit())
    with pytest.raises(MessagesPaused):
        env.deliver(send())
    assert env.balance(ALICE) == 10_000_000


def test_an_unconfigured_module_refuses_to_send():
    env = new_env({})
    with pytest.raises(LocalDomainNotSet):
        env.deliver(deposit())
    with pytest.raises(LocalDomainNotSet):
        env.deliver(send())


def with_caller(caller: bytes) -> tx.MsgDepositForBurnWithCaller:
    return tx.MsgDepositForBurnWithCaller(
        signer=ALICE,
        amount="10",
        destination_domain=ETHEREUM,
        mint_recipient=RECIPIENT,
        burn_token="uusdc",
        destination_caller=caller,
    )


def test_deposit_with_caller_puts_the_caller_in_the_message():
    env = new_env()
    caller = b"\x0c" * 32
    assert env.deliver(with_caller(caller)).nonce == 0
    assert Message.decode(sent_message(env)).destination_caller == caller
    assert env.events_of(events.DepositForBurn)[0].destination_caller == caller


def test_deposit_with_caller_needs_a_nonzero_32_byte_caller():
    env = new_env()
    with pytest.raises(InvalidDestinationCaller):
        env.deliver(with_caller(ZERO32))
    with pytest.raises(InvalidBytes32):
        env.deliver(with_caller(b"\x0c" * 20))


# -- MsgReplaceDepositForBurn ----------------------------------------------------------------


def replace_deposit(original: bytes, attestation: bytes, recipient=b"\x0d" * 32, caller=b""):
    return tx.MsgReplaceDepositForBurn(
        signer=ALICE,
        original_message=original,
        original_attestation=attestation,
        new_destination_caller=caller,
        new_mint_recipient=recipient,
    )


def deposited(env) -> bytes:
    env.deliver(deposit("300"))
    return sent_message(env)


def test_replace_deposit_resends_the_burn_with_a_new_recipient_under_the_same_nonce():
    env = new_env()
    original = deposited(env)
    env.deliver(deposit("1"))  # another nonce in between
    env.deliver(replace_deposit(original, sign(original, KEYS[:2]), caller=b"\x0e" * 32))
    new = Message.decode(sent_message(env))
    old = Message.decode(original)
    assert new.nonce == old.nonce == 0
    assert new.destination_caller == b"\x0e" * 32
    burn = BurnMessage.decode(new.body)
    assert burn.mint_recipient == b"\x0d" * 32
    assert burn.amount == 300 and burn.message_sender == BurnMessage.decode(old.body).message_sender
    event = env.events_of(events.DepositForBurn)[-1]
    assert (event.nonce, event.amount, event.mint_recipient) == (0, "300", b"\x0d" * 32)
    assert env.balance(ALICE) == 10_000_000 - 301  # nothing burned twice


def test_replace_deposit_guards():
    env = new_env()
    original = deposited(env)
    good = sign(original, KEYS[:2])
    with pytest.raises(NotOriginalDepositor):
        msg = replace_deposit(original, good)
        msg.signer = BOB
        env.deliver(msg)
    with pytest.raises(ZeroMintRecipient):
        env.deliver(replace_deposit(original, good, recipient=ZERO32))
    with pytest.raises(NotAttester):
        env.deliver(replace_deposit(original, sign(original, KEYS[3:5])))
    env.keeper.set_burning_and_minting_paused(env.ctx.store, True)
    with pytest.raises(BurningAndMintingPaused):
        env.deliver(replace_deposit(original, good))
    env.keeper.set_burning_and_minting_paused(env.ctx.store, False)
    env.keeper.set_sending_and_receiving_paused(env.ctx.store, True)
    with pytest.raises(MessagesPaused):
        env.deliver(replace_deposit(original, good))


def test_replace_deposit_of_a_message_from_another_domain_is_refused():
    env = new_env()
    original = deposited(env)
    foreign = bytearray(original)
    foreign[4:8] = (LOCAL_DOMAIN + 1).to_bytes(4, "big")
    foreign = bytes(foreign)
    with pytest.raises(MessageNotFromLocalDomain):
        env.deliver(replace_deposit(foreign, sign(foreign, KEYS[:2])))


# -- MsgSendMessage / WithCaller / MsgReplaceMessage ------------------------------------------


def send(body=b"hello", recipient=b"\x21" * 32, domain=ETHEREUM, signer=ALICE):
    return tx.MsgSendMessage(
        signer=signer, destination_domain=domain, recipient=recipient, message_body=body
    )


def test_send_message_emits_a_message_from_the_padded_signer():
    env = new_env()
    assert env.deliver(send(b"payload")).nonce == 0
    message = Message.decode(sent_message(env))
    assert message.sender == pad_address(address.decode(ALICE))
    assert (message.recipient, message.body, message.source_domain) == (
        b"\x21" * 32,
        b"payload",
        LOCAL_DOMAIN,
    )
    assert env.supply() == 10_000_000


def test_send_message_guards():
    env = new_env(base_genesis(max_message_body_size="4"))
    env.deliver(send(b"1234"))
    with pytest.raises(MessageBodyTooLarge):
        env.deliver(send(b"12345"))
    with pytest.raises(InvalidRecipient):
        env.deliver(send(b"", recipient=ZERO32))
    with pytest.raises(InvalidBytes32):
        env.deliver(send(b"", recipient=b"\x21" * 31))


def test_send_message_with_caller():
    env = new_env()
    msg = tx.MsgSendMessageWithCaller(
        signer=ALICE,
        destination_domain=3,
        recipient=b"\x21" * 32,
        message_body=b"x",
        destination_caller=b"\x22" * 32,
    )
    assert env.deliver(msg).nonce == 0
    assert Message.decode(sent_message(env)).destination_caller == b"\x22" * 32
    msg.destination_caller = ZERO32
    with pytest.raises(InvalidDestinationCaller):
        env.deliver(msg)


def test_replace_message_keeps_the_nonce_and_checks_the_sender():
    env = new_env()
    env.deliver(send(b"first"))
    original = sent_message(env)
    attestation = sign(original, KEYS[:2])
    replace = tx.MsgReplaceMessage(
        signer=ALICE,
        original_message=original,
        original_attestation=attestation,
        new_message_body=b"second",
        new_destination_caller=b"",
    )
    env.deliver(replace)
    new = Message.decode(sent_message(env))
    assert (new.nonce, new.body, new.destination_caller) == (0, b"second", ZERO32)
    replace.signer = BOB
    with pytest.raises(NotOriginalSender):
        env.deliver(replace)
    replace.signer = ALICE
    env.keeper.set_sending_and_receiving_paused(env.ctx.store, True)
    with pytest.raises(MessagesPaused):
        env.deliver(replace)


def test_a_user_cannot_replace_a_burn_through_replace_message():
    """A burn's sender is the module, so no account passes MsgReplaceMessage's sender check."""
    env = new_env()
    original = deposited(env)
    replace = tx.MsgReplaceMessage(
        signer=ALICE,
        original_message=original,
        original_attestation=sign(original, KEYS[:2]),
        new_message_body=b"anything",
    )
    with pytest.raises(NotOriginalSender):
        env.deliver(replace)
