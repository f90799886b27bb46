"""Every admin message: its role, its guards, its state change and its event."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import pad_address
from stateset_chain.cctp.errors import (
    AttesterAlreadyEnabled,
    AttesterNotEnabled,
    CannotDisableLastAttester,
    DisableBelowThreshold,
    InvalidAmount,
    InvalidAttesterKey,
    InvalidBytes32,
    InvalidSignatureThreshold,
    NoPendingOwner,
    NotAttesterManager,
    NotOwner,
    NotPauser,
    NotPendingOwner,
    NotTokenController,
    RemoteTokenMessengerAlreadyExists,
    SignatureThresholdNotSet,
    SignatureThresholdTooHigh,
    SignatureThresholdUnchanged,
    TokenPairAlreadyLinked,
    TokenPairNotLinked,
    UnknownRemoteTokenMessenger,
    UnsupportedLocalToken,
)
from stateset_chain.errors import InvalidAddress
from tests.bank.helpers import ALICE
from tests.cctp.helpers import (
    CONTROLLER,
    ETH_TOKEN_MESSENGER,
    ETH_USDC,
    ETHEREUM,
    KEYS,
    MANAGER,
    NEW_OWNER,
    OWNER,
    PAUSER,
    base_genesis,
    eth_address,
    new_env,
    pubhex,
)

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

BASE_TOKEN = pad_address(bytes.fromhex("833589fcd6edb6e08f4c7c32d4f71b54bda02913"))

# (message built for a signer, the role that may send it, the error anyone else gets)
ADMIN_MESSAGES = [
    (lambda s: tx.MsgUpdateOwner(signer=s, new_owner=NEW_OWNER), OWNER, NotOwner),
    (
        lambda s: tx.MsgUpdateAttesterManager(signer=s, new_attester_manager=NEW_OWNER),
        OWNER,
        NotOwner,
    ),
    (
        lambda s: tx.MsgUpdateTokenController(signer=s, new_token_controller=NEW_OWNER),
        OWNER,
        NotOwner,
    ),
    (lambda s: tx.MsgUpdatePauser(signer=s, new_pauser=NEW_OWNER), OWNER, NotOwner),
    (
        lambda s: tx.MsgAddRemoteTokenMessenger(signer=s, domain_id=6, address=b"\x06" * 32),
        OWNER,
        NotOwner,
    ),
    (lambda s: tx.MsgRemoveRemoteTokenMessenger(signer=s, domain_id=ETHEREUM), OWNER, NotOwner),
    (lambda s: tx.MsgUpdateMaxMessageBodySize(signer=s, message_size=100), OWNER, NotOwner),
    (
        lambda s: tx.MsgEnableAttester(signer=s, attester=pubhex(KEYS[3])),
        MANAGER,
        NotAttesterManager,
    ),
    (
        lambda s: tx.MsgDisableAttester(signer=s, attester=pubhex(KEYS[0])),
        MANAGER,
        NotAttesterManager,
    ),
    (
        lambda s: tx.MsgUpdateSignatureThreshold(signer=s, amount=3),
        MANAGER,
        NotAttesterManager,
    ),
    (
        lambda s: tx.MsgLinkTokenPair(
            signer=s, remote_domain=6, remote_token=BASE_TOKEN, local_token="uusdc"
        ),
        CONTROLLER,
        NotTokenController,
    ),
    (
        lambda s: tx.MsgUnlinkTokenPair(
            signer=s, remote_domain=ETHEREUM, remote_token=ETH_USDC, local_token="uusdc"
        ),
        CONTROLLER,
        NotTokenController,
    ),
    (
        lambda s: tx.MsgSetMaxBurnAmountPerMessage(signer=s, local_token="uusdc", amount="5"),
        CONTROLLER,
        NotTokenController,
    ),
    (lambda s: tx.MsgPauseBurningAndMinting(signer=s), PAUSER, NotPauser),
    (lambda s: tx.MsgUnpauseBurningAndMinting(signer=s), PAUSER, NotPauser),
    (lambda s: tx.MsgPauseSendingAndReceivingMessages(signer=s), PAUSER, NotPauser),
    (lambda s: tx.MsgUnpauseSendingAndReceivingMessages(signer=s), PAUSER, NotPauser),
]


@pytest.mark.parametrize("build, role, error", ADMIN_MESSAGES)
def test_only_the_role_may_send_each_admin_message(build, role, error):
    env = new_env()
    others = [a for a in (OWNER, MANAGER, PAUSER, CONTROLLER, ALICE) if a != role]
    for other in others:
        with pytest.raises(error):
            env.deliver(build(other))
    assert env.events == []
    env.deliver(build(role))
    assert env.events, "every admin message emits an event"


def test_an_unset_role_is_held_by_no_one():
    env = new_env(base_genesis(owner=""))
    with pytest.raises(NotOwner):
        env.deliver(tx.MsgUpdatePauser(signer=ALICE, new_pauser=ALICE))


# -- ownership ---------------------------------------------------------------------------------


def test_ownership_moves_in_two_steps():
    env = new_env()
    env.deliver(tx.MsgUpdateOwner(signer=OWNER, new_owner=NEW_OWNER))
    assert env.keeper.owner(env.ctx.store) == OWNER
    assert env.keeper.pending_owner(env.ctx.store) == NEW_OWNER
    (started,) = env.events_of(events.OwnershipTransferStarted)
    assert (started.previous_owner, started.new_owner) == (OWNER, NEW_OWNER)
    with pytest.raises(NotPendingOwner):
        env.deliver(tx.MsgAcceptOwner(signer=OWNER))
    env.deliver(tx.MsgAcceptOwner(signer=NEW_OWNER))
    assert env.keeper.owner(env.ctx.store) == NEW_OWNER
    assert env.keeper.pending_owner(env.ctx.store) == ""
    (updated,) = env.events_of(events.OwnerUpdated)
    assert (updated.previous_owner, updated.new_owner) == (OWNER, NEW_OWNER)
    with pytest.raises(NotOwner):
        env.deliver(tx.MsgUpdatePauser(signer=OWNER, new_pauser=ALICE))


def test_accept_owner_without_a_pending_transfer_is_refused():
    env = new_env()
    with pytest.raises(NoPendingOwner):
        env.deliver(tx.MsgAcceptOwner(signer=NEW_OWNER))


def test_a_new_transfer_replaces_the_pending_one():
    env = new_env()
    env.deliver(tx.MsgUpdateOwner(signer=OWNER, new_owner=NEW_OWNER))
    env.deliver(tx.MsgUpdateOwner(signer=OWNER, new_owner=ALICE))
    with pytest.raises(NotPendingOwner):
        env.deliver(tx.MsgAcceptOwner(signer=NEW_OWNER))
    env.deliver(tx.MsgAcceptOwner(signer=ALICE))


@pytest.mark.parametrize(
    "msg",
    [
        tx.MsgUpdateOwner(signer=OWNER, new_owner="not-an-address"),
        tx.MsgUpdatePauser(signer=OWNER, new_pauser=""),
        tx.MsgUpdateAttesterManager(signer=OWNER, new_attester_manager=OWNER.upper()),
        tx.MsgUpdateTokenController(signer="bad", new_token_controller=ALICE),
    ],
)
def test_role_updates_need_canonical_addresses(msg):
    env = new_env()
    with pytest.raises(InvalidAddress):
        env.deliver(msg)


@pytest.mark.parametrize(
    "msg, getter, event_cls, fields",
    [
        (
            tx.MsgUpdateAttesterManager(signer=OWNER, new_attester_manager=ALICE),
            "attester_manager",
            events.AttesterManagerUpdated,
            ("previous_attester_manager", "new_attester_manager", MANAGER),
        ),
        (
            tx.MsgUpdateTokenController(signer=OWNER, new_token_controller=ALICE),
            "token_controller",
            events.TokenControllerUpdated,
            ("previous_token_controller", "new_token_controller", CONTROLLER),
        ),
        (
            tx.MsgUpdatePauser(signer=OWNER, new_pauser=ALICE),
            "pauser",
            events.PauserUpdated,
            ("previous_pauser", "new_pauser", PAUSER),
        ),
    ],
)
def test_owner_names_the_other_roles(msg, getter, event_cls, fields):
    env = new_env()
    env.deliver(msg)
    assert getattr(env.keeper, getter)(env.ctx.store) == ALICE
    (event,) = env.events_of(event_cls)
    previous_field, new_field, previous = fields
    assert (getattr(event, previous_field), getattr(event, new_field)) == (previous, ALICE)


# -- attesters and threshold -------------------------------------------------------------------


def enable(key, signer=MANAGER):
    return tx.MsgEnableAttester(signer=signer, attester=pubhex(key))


def disable(key, signer=MANAGER):
    return tx.MsgDisableAttester(signer=signer, attester=pubhex(key))


def threshold(amount, signer=MANAGER):
    return tx.MsgUpdateSignatureThreshold(signer=signer, amount=amount)


def test_enable_attester_adds_it_by_address_and_emits():
    env = new_env()
    env.deliver(enable(KEYS[3]))
    assert env.keeper.is_attester(env.ctx.store, eth_address(KEYS[3]))
    assert env.keeper.attester_count(env.ctx.store) == 4
    assert env.events_of(events.AttesterEnabled)[0].attester == pubhex(KEYS[3])
    with pytest.raises(AttesterAlreadyEnabled):
        env.deliver(enable(KEYS[3]))
    with pytest.raises(AttesterAlreadyEnabled):  # same key spelled differently
        env.deliver(tx.MsgEnableAttester(signer=MANAGER, attester=pubhex(KEYS[3])[2:].upper()))


def test_enable_attester_refuses_what_is_not_an_uncompressed_point():
    env = new_env()
    compressed = "0x" + KEYS[3].public_key.format(compressed=True).hex()
    for bad in [compressed, "0x04" + "11" * 64, "xyz", ""]:
        with pytest.raises(InvalidAttesterKey):
            env.deliver(tx.MsgEnableAttester(signer=MANAGER, attester=bad))


def test_disable_attester_guards_follow_noble():
    env = new_env()  # three attesters, threshold 2
    with pytest.raises(AttesterNotEnabled):
        env.deliver(disable(KEYS[4]))
    env.deliver(disable(KEYS[0]))
    assert not env.keeper.is_attester(env.ctx.store, eth_address(KEYS[0]))
    assert env.events_of(events.AttesterDisabled)[0].attester == pubhex(KEYS[0])
    with pytest.raises(DisableBelowThreshold):  # 2 attesters, threshold 2
        env.deliver(disable(KEYS[1]))
    env.deliver(threshold(1))
    env.deliver(disable(KEYS[1]))
    with pytest.raises(CannotDisableLastAttester):
        env.deliver(disable(KEYS[2]))


def test_disable_needs_a_threshold_set():
    env = new_env(base_genesis(attesters=[], signature_threshold=0))
    env.deliver(enable(KEYS[0]))
    env.deliver(enable(KEYS[1]))
    with pytest.raises(SignatureThresholdNotSet):
        env.deliver(disable(KEYS[0]))


def test_signature_threshold_guards():
    env = new_env()  # three attesters, threshold 2
    with pytest.raises(InvalidSignatureThreshold):
        env.deliver(threshold(0))
    with pytest.raises(SignatureThresholdUnchanged):
        env.deliver(threshold(2))
    with pytest.raises(SignatureThresholdTooHigh):
        env.deliver(threshold(4))
    env.deliver(threshold(3))
    assert env.keeper.signature_threshold(env.ctx.store) == 3
    (event,) = env.events_of(events.SignatureThresholdUpdated)
    assert (event.old_signature_threshold, event.new_signature_threshold) == (2, 3)


# -- token pairs and burn limits ---------------------------------------------------------------


def link(domain=6, token=BASE_TOKEN, local="uusdc"):
    return tx.MsgLinkTokenPair(
        signer=CONTROLLER, remote_domain=domain, remote_token=token, local_token=local
    )


def test_link_and_unlink_token_pairs():
    env = new_env()
    env.deliver(link(local="UUSDC"))
    assert env.keeper.token_pair(env.ctx.store, 6, BASE_TOKEN) == "uusdc"
    (linked,) = env.events_of(events.TokenPairLinked)
    assert (linked.local_token, linked.remote_domain, linked.remote_token) == (
        "uusdc",
        6,
        BASE_TOKEN,
    )
    with pytest.raises(TokenPairAlreadyLinked):
        env.deliver(link())
    env.deliver(tx.MsgUnlinkTokenPair(signer=CONTROLLER, remote_domain=6, remote_token=BASE_TOKEN))
    assert env.keeper.token_pair(env.ctx.store, 6, BASE_TOKEN) is None
    (unlinked,) = env.events_of(events.TokenPairUnlinked)
    assert (unlinked.local_token, unlinked.remote_domain) == ("uusdc", 6)
    with pytest.raises(TokenPairNotLinked):
        env.deliver(
            tx.MsgUnlinkTokenPair(signer=CONTROLLER, remote_domain=6, remote_token=BASE_TOKEN)
        )


def test_only_uusdc_can_be_linked_and_limited():
    env = new_env()
    with pytest.raises(UnsupportedLocalToken):
        env.deliver(link(local="ussusd"))
    with pytest.raises(UnsupportedLocalToken):
        env.deliver(
            tx.MsgSetMaxBurnAmountPerMessage(signer=CONTROLLER, local_token="stake", amount="1")
        )
    with pytest.raises(InvalidBytes32):
        env.deliver(link(token=b"\x01" * 20))


def test_set_max_burn_amount_per_message():
    env = new_env()
    env.deliver(
        tx.MsgSetMaxBurnAmountPerMessage(signer=CONTROLLER, local_token="uusdc", amount="0")
    )
    assert env.keeper.burn_limit(env.ctx.store, "uusdc") == 0
    (event,) = env.events_of(events.SetBurnLimitPerMessage)
    assert (event.token, event.burn_limit_per_message) == ("uusdc", "0")
    with pytest.raises(InvalidAmount):
        env.deliver(
            tx.MsgSetMaxBurnAmountPerMessage(signer=CONTROLLER, local_token="uusdc", amount="1.5")
        )


# -- remote token messengers and body size -----------------------------------------------------


def test_add_and_remove_remote_token_messengers():
    env = new_env()
    env.deliver(tx.MsgAddRemoteTokenMessenger(signer=OWNER, domain_id=6, address=b"\x06" * 32))
    assert env.keeper.remote_token_messenger(env.ctx.store, 6) == b"\x06" * 32
    (added,) = env.events_of(events.RemoteTokenMessengerAdded)
    assert (added.domain, added.remote_token_messenger) == (6, b"\x06" * 32)
    with pytest.raises(RemoteTokenMessengerAlreadyExists):
        env.deliver(tx.MsgAddRemoteTokenMessenger(signer=OWNER, domain_id=6, address=b"\x07" * 32))
    with pytest.raises(InvalidBytes32):
        env.deliver(tx.MsgAddRemoteTokenMessenger(signer=OWNER, domain_id=8, address=b"\x07" * 20))
    env.deliver(tx.MsgRemoveRemoteTokenMessenger(signer=OWNER, domain_id=ETHEREUM))
    (removed,) = env.events_of(events.RemoteTokenMessengerRemoved)
    assert (removed.domain, removed.remote_token_messenger) == (ETHEREUM, ETH_TOKEN_MESSENGER)
    with pytest.raises(UnknownRemoteTokenMessenger):
        env.deliver(tx.MsgRemoveRemoteTokenMessenger(signer=OWNER, domain_id=ETHEREUM))


def test_update_max_message_body_size():
    env = new_env()
    env.deliver(tx.MsgUpdateMaxMessageBodySize(signer=OWNER, message_size=10))
    assert env.keeper.max_message_body_size(env.ctx.store) == 10
    (event,) = env.events_of(events.MaxMessageBodySizeUpdated)
    assert event.new_max_message_body_size == 10


# -- pauses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pause, unpause, flag, paused_event, unpaused_event",
    [
        (
            tx.MsgPauseBurningAndMinting,
            tx.MsgUnpauseBurningAndMinting,
            "burning_and_minting_paused",
            events.BurningAndMintingPausedEvent,
            events.BurningAndMintingUnpausedEvent,
        ),
        (
            tx.MsgPauseSendingAndReceivingMessages,
            tx.MsgUnpauseSendingAndReceivingMessages,
            "sending_and_receiving_paused",
            events.SendingAndReceivingPausedEvent,
            events.SendingAndReceivingUnpausedEvent,
        ),
    ],
)
def test_pause_and_unpause(pause, unpause, flag, paused_event, unpaused_event):
    env = new_env()
    env.deliver(pause(signer=PAUSER))
    assert getattr(env.keeper, flag)(env.ctx.store) is True
    env.deliver(pause(signer=PAUSER))  # idempotent, as in Noble
    env.deliver(unpause(signer=PAUSER))
    assert getattr(env.keeper, flag)(env.ctx.store) is False
    assert len(env.events_of(paused_event)) == 2 and len(env.events_of(unpaused_event)) == 1
