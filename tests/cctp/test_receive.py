"""MsgReceiveMessage: Noble's order of checks, the mint, replays, other domains, the hook."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import invariants as bank_invariants
from stateset_chain.cctp import invariants
from stateset_chain.cctp.codec import BurnMessage, Message, keccak256, pad_address
from stateset_chain.cctp.errors import (
    BurningAndMintingPaused,
    InvalidAmount,
    MalformedBurnMessage,
    MalformedMessage,
    MessagesPaused,
    NoAttesters,
    NonceAlreadyUsed,
    NotAttester,
    SenderNotRemoteTokenMessenger,
    SignatureThresholdNotSet,
    TokenPairNotLinked,
    UnknownRemoteTokenMessenger,
    UnsupportedBurnMessageVersion,
    UnsupportedMessageVersion,
    WrongAttestationLength,
    WrongDestinationCaller,
    WrongDestinationDomain,
)
from stateset_chain.cctp.state import MintInfo
from stateset_chain.coins import Coin
from stateset_chain.crypto import address
from stateset_chain.errors import InvalidAddress
from tests.bank.helpers import ALICE, BOB, CAROL
from tests.cctp import vectors
from tests.cctp.helpers import (
    ETH_TOKEN_MESSENGER,
    ETH_USDC,
    ETH_USER,
    ETHEREUM,
    KEYS,
    LOCAL_DOMAIN,
    RELAYER,
    base_genesis,
    inbound_message,
    new_env,
    sign,
)
from tests.event_helpers import typed_events

from stateset.bank.v1 import events_pb2 as bank_events
from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import query_pb2 as q
from stateset.cctp.v1 import tx_pb2 as tx


def receive(raw: bytes, attestation: bytes | None = None, signer: str = RELAYER):
    return tx.MsgReceiveMessage(
        signer=signer,
        message=raw,
        attestation=sign(raw, KEYS[:2]) if attestation is None else attestation,
    )


def check_invariants(env):
    bank_invariants.total_supply(env.bank, env.ctx)
    for inv in invariants.ALL:
        inv(env.keeper, env.ctx)


def test_an_attested_burn_mints_uusdc_to_the_mint_recipient():
    env = new_env()
    raw = inbound_message(amount=2_500_000, recipient=BOB, nonce=9)
    supply = env.supply()
    response = env.deliver(receive(raw))
    assert response.success
    assert env.balance(BOB) == 2_500_000
    assert env.supply() == supply + 2_500_000
    assert env.balance(env.keeper.module_address) == 0
    assert env.keeper.is_nonce_used(env.ctx.store, ETHEREUM, 9)
    check_invariants(env)


def test_receive_emits_mint_then_message_received():
    env = new_env()
    raw = inbound_message(amount=7, recipient=BOB, nonce=3)
    env.deliver(receive(raw))
    types = [e.type for e in typed_events(env.events)]
    assert types == [
        "stateset.bank.v1.CoinsMinted",
        "stateset.bank.v1.CoinsTransferred",
        "stateset.cctp.v1.MintAndWithdraw",
        "stateset.cctp.v1.MessageReceived",
    ]
    (mint,) = env.events_of(events.MintAndWithdraw)
    assert (mint.mint_recipient, mint.amount, mint.mint_token) == (
        pad_address(address.decode(BOB)),
        "7",
        "uusdc",
    )
    (received,) = env.events_of(events.MessageReceived)
    assert (received.caller, received.source_domain, received.nonce) == (RELAYER, ETHEREUM, 3)
    assert received.sender == ETH_TOKEN_MESSENGER
    assert received.message_body == Message.decode(raw).body
    (moved,) = env.events_of(bank_events.CoinsTransferred)
    assert (moved.sender, moved.recipient) == (env.keeper.module_address, BOB)


def test_a_replayed_message_is_refused_and_mints_nothing_more():
    env = new_env()
    raw = inbound_message(amount=100, nonce=5)
    env.deliver(receive(raw))
    with pytest.raises(NonceAlreadyUsed):
        env.deliver(receive(raw))
    # a replacement with the same (source, nonce) is a replay too, even with another body
    other = inbound_message(amount=999, recipient=CAROL, nonce=5)
    with pytest.raises(NonceAlreadyUsed):
        env.deliver(receive(other))
    assert env.balance(BOB) == 100 and env.balance(CAROL) == 0


def test_the_same_nonce_from_another_domain_is_a_different_message():
    env = new_env(
        base_genesis(
            remote_token_messengers=[
                {"domain_id": 0, "address": ETH_TOKEN_MESSENGER.hex()},
                {"domain_id": 6, "address": ETH_TOKEN_MESSENGER.hex()},
            ],
            token_pairs=[
                {"remote_domain": 0, "remote_token": ETH_USDC.hex(), "local_token": "uusdc"},
                {"remote_domain": 6, "remote_token": ETH_USDC.hex(), "local_token": "uusdc"},
            ],
        )
    )
    env.deliver(receive(inbound_message(amount=1, nonce=5, source=0)))
    env.deliver(receive(inbound_message(amount=1, nonce=5, source=6)))
    assert env.balance(BOB) == 2


def test_a_message_for_another_domain_is_refused():
    env = new_env()
    with pytest.raises(WrongDestinationDomain):
        env.deliver(receive(inbound_message(destination=4)))
    assert not env.keeper.is_nonce_used(env.ctx.store, ETHEREUM, 1)


def test_the_local_domain_comes_from_genesis():
    env = new_env(base_genesis(local_domain=4))
    with pytest.raises(WrongDestinationDomain):
        env.deliver(receive(inbound_message(destination=LOCAL_DOMAIN)))
    env.deliver(receive(inbound_message(destination=4)))
    assert env.balance(BOB) == 1_000_000


def test_a_destination_caller_must_be_the_relayer():
    env = new_env()
    caller = pad_address(address.decode(ALICE))
    raw = inbound_message(caller=caller)
    with pytest.raises(WrongDestinationCaller):
        env.deliver(receive(raw, signer=RELAYER))
    env.deliver(receive(raw, signer=ALICE))
    assert env.balance(BOB) == 1_000_000


def test_a_destination_caller_is_matched_on_its_last_20_bytes_as_noble_does():
    env = new_env()
    caller = b"\xff" * 12 + address.decode(ALICE)
    env.deliver(receive(inbound_message(caller=caller), signer=ALICE))
    assert env.balance(BOB) == 1_000_000


def test_version_other_than_zero_is_refused():
    env = new_env()
    with pytest.raises(UnsupportedMessageVersion):
        env.deliver(receive(inbound_message(version=1)))


def test_a_truncated_message_is_refused_after_its_signatures():
    env = new_env()
    raw = bytes(100)
    with pytest.raises(MalformedMessage):
        env.deliver(receive(raw))


def test_an_unattested_message_is_refused_before_anything_else():
    env = new_env()
    raw = inbound_message(destination=99, version=5)  # wrong in every way, but first: signers
    with pytest.raises(NotAttester):
        env.deliver(receive(raw, sign(raw, [KEYS[3], KEYS[4]])))
    with pytest.raises(WrongAttestationLength):
        env.deliver(receive(raw, sign(raw, KEYS[:1])))


def test_no_attesters_or_no_threshold_refuses_every_message():
    env = new_env(base_genesis(attesters=[], signature_threshold=0))
    with pytest.raises(NoAttesters):
        env.deliver(receive(inbound_message()))


def test_a_threshold_of_three_needs_three_signatures():
    env = new_env(base_genesis(signature_threshold=3))
    raw = inbound_message()
    with pytest.raises(WrongAttestationLength):
        env.deliver(receive(raw, sign(raw, KEYS[:2])))
    env.deliver(receive(raw, sign(raw, KEYS[:3])))
    assert env.balance(BOB) == 1_000_000


def test_paused_sending_and_receiving_refuses_messages_and_unpause_restores():
    env = new_env()
    env.keeper.set_sending_and_receiving_paused(env.ctx.store, True)
    with pytest.raises(MessagesPaused):
        env.deliver(receive(inbound_message()))
    env.keeper.set_sending_and_receiving_paused(env.ctx.store, False)
    env.deliver(receive(inbound_message()))
    assert env.balance(BOB) == 1_000_000


def test_paused_burning_and_minting_refuses_burns_but_not_other_messages():
    env = new_env()
    env.keeper.set_burning_and_minting_paused(env.ctx.store, True)
    with pytest.raises(BurningAndMintingPaused):
        env.deliver(receive(inbound_message()))
    assert not env.keeper.is_nonce_used(env.ctx.store, ETHEREUM, 1)
    plain = inbound_message(to=b"\x42" * 32, body=b"hello", nonce=2)
    env.deliver(receive(plain))
    assert env.keeper.is_nonce_used(env.ctx.store, ETHEREUM, 2)


def test_a_message_to_another_recipient_is_marked_but_mints_nothing():
    env = new_env()
    supply = env.supply()
    env.deliver(receive(inbound_message(to=b"\x42" * 32, nonce=4)))
    assert env.supply() == supply
    assert env.keeper.is_nonce_used(env.ctx.store, ETHEREUM, 4)
    assert [e.type for e in env.events] == ["stateset.cctp.v1.MessageReceived"]


@pytest.mark.parametrize(
    "overrides, error",
    [
        (dict(body=b"\x00" * 131), MalformedBurnMessage),
        (dict(body_version=1), UnsupportedBurnMessageVersion),
        (dict(burn_token=b"\x99" * 32), TokenPairNotLinked),
        (dict(source=3), TokenPairNotLinked),
        (dict(sender=b"\x77" * 32), SenderNotRemoteTokenMessenger),
        (dict(amount=0), InvalidAmount),
    ],
)
def test_burn_message_guards(overrides, error):
    env = new_env()
    with pytest.raises(error):
        env.deliver(receive(inbound_message(**overrides)))
    assert env.supply() == 10_000_000


def test_a_linked_token_from_a_domain_without_remote_messenger_is_refused():
    env = new_env(base_genesis(remote_token_messengers=[]))
    with pytest.raises(UnknownRemoteTokenMessenger):
        env.deliver(receive(inbound_message()))


def test_receive_validates_the_relayer_address():
    env = new_env()
    with pytest.raises(InvalidAddress):
        env.deliver(receive(inbound_message(), signer="cosmos1xyz"))


def test_the_mint_hook_sees_the_mint_and_may_move_the_coins():
    env = new_env()
    seen: list[MintInfo] = []

    def hook(ctx, info: MintInfo) -> bool:
        seen.append(info)
        env.bank.send(
            ctx,
            info.recipient,
            CAROL,
            [Coin(info.denom, info.amount)],
        )
        return True

    env.keeper.mint_hooks.on_mint = hook
    raw = inbound_message(amount=40, recipient=BOB, nonce=8, message_sender=ETH_USER)
    env.deliver(receive(raw))
    (info,) = seen
    assert info == MintInfo(
        source_domain=ETHEREUM,
        nonce=8,
        message_hash=keccak256(raw),
        burn_token=ETH_USDC,
        original_sender=ETH_USER,
        mint_recipient=pad_address(address.decode(BOB)),
        recipient=BOB,
        denom="uusdc",
        amount=40,
    )
    assert env.balance(BOB) == 0 and env.balance(CAROL) == 40
    assert env.events[-1].type == "stateset.cctp.v1.MessageReceived"


def test_a_hook_that_raises_reverts_the_whole_receive():
    env = new_env()

    def hook(ctx, info):
        raise NonceAlreadyUsed("simulated failure")

    env.keeper.mint_hooks.on_mint = hook
    with pytest.raises(NonceAlreadyUsed):
        env.deliver(receive(inbound_message(nonce=11)))
    assert not env.keeper.is_nonce_used(env.ctx.store, ETHEREUM, 11)
    assert env.balance(BOB) == 0


def test_the_hook_is_not_called_for_non_burn_messages():
    env = new_env()
    env.keeper.mint_hooks.on_mint = lambda ctx, info: pytest.fail("hook called")
    env.deliver(receive(inbound_message(to=b"\x42" * 32)))


def test_a_real_circle_attested_mainnet_message_mints_on_a_chain_configured_like_noble():
    """Avalanche -> Noble, nonce 116109, 1.5 USDC, attested by Circle's two mainnet keys."""
    env = new_env(
        base_genesis(
            local_domain=4,
            attesters=vectors.CIRCLE_ATTESTERS,
            signature_threshold=2,
            remote_token_messengers=[
                {"domain_id": 1, "address": vectors.AVALANCHE_TOKEN_MESSENGER.hex()}
            ],
            token_pairs=[
                {
                    "remote_domain": 1,
                    "remote_token": vectors.AVALANCHE_USDC.hex(),
                    "local_token": "uusdc",
                }
            ],
        )
    )
    recipient = address.encode(bytes.fromhex("3896394f3214c778a4875a89c3315f9101dcdb54"))
    message = tx.MsgReceiveMessage(
        signer=RELAYER,
        message=vectors.AVALANCHE_TO_NOBLE_MESSAGE,
        attestation=vectors.AVALANCHE_TO_NOBLE_ATTESTATION,
    )
    env.deliver(message)
    assert env.balance(recipient) == 1_500_000
    assert env.query("UsedNonce", q.QueryUsedNonceRequest(source_domain=1, nonce=116109)).used
    with pytest.raises(NonceAlreadyUsed):
        env.deliver(message)
    check_invariants(env)


def test_a_real_mainnet_message_for_ethereum_is_refused_here_as_another_domains():
    env = new_env(base_genesis(attesters=vectors.CIRCLE_ATTESTERS))
    with pytest.raises(WrongDestinationDomain):
        env.deliver(
            receive(vectors.ARBITRUM_TO_ETHEREUM_MESSAGE, vectors.ARBITRUM_TO_ETHEREUM_ATTESTATION)
        )


def test_signature_threshold_not_set_refuses():
    env = new_env()
    env.keeper.set_signature_threshold(env.ctx.store, 0)
    with pytest.raises(SignatureThresholdNotSet):
        env.deliver(receive(inbound_message()))


def test_burn_body_amount_is_read_as_uint256():
    env = new_env()
    body = BurnMessage(0, ETH_USDC, pad_address(address.decode(BOB)), 2**64 + 5, ETH_USER).encode()
    env.deliver(receive(inbound_message(body=body)))
    assert env.balance(BOB) == 2**64 + 5
