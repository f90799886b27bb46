"""Property: whatever sequence of messages arrives (replays, tampering, strangers' signatures,
other domains, pauses, threshold changes, burns), cctp mints only what Circle's attesters signed,
each (source domain, nonce) at most once, and the bank's and cctp's invariants hold."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from stateset_chain.bank import invariants as bank_invariants
from stateset_chain.cctp.codec import BurnMessage, Message
from stateset_chain.errors import ChainError
from tests.bank.helpers import ALICE, BOB, CAROL
from tests.cctp.helpers import (
    ETH_TOKEN_MESSENGER,
    ETH_USDC,
    KEYS,
    LOCAL_DOMAIN,
    MANAGER,
    PAUSER,
    RELAYER,
    base_genesis,
    inbound_message,
    new_env,
    raw_signature,
)

from stateset.cctp.v1 import tx_pb2 as tx

ATTESTERS = KEYS[:3]
STRANGERS = KEYS[3:]
INITIAL_SUPPLY = 10_000_000

signer_sets = st.sampled_from(
    [
        (0, 1),
        (0, 1),
        (1, 2),
        (1, 2),
        (0, 2),
        (0, 2),
        (0, 1, 2),
        (0,),
        (1, 0),  # out of order
        (0, 0),  # duplicate
        (0, 3),  # one stranger
        (3, 4),  # strangers only
    ]
)


class CctpMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.env = new_env(
            base_genesis(
                remote_token_messengers=[
                    {"domain_id": 0, "address": ETH_TOKEN_MESSENGER.hex()},
                    {"domain_id": 6, "address": ETH_TOKEN_MESSENGER.hex()},
                ],
                token_pairs=[
                    {"remote_domain": d, "remote_token": ETH_USDC.hex(), "local_token": "uusdc"}
                    for d in (0, 6)
                ],
                per_message_burn_limits=[],
            )
        )
        self.signed_by_circle: set[bytes] = set()  # messages an attester signed
        self.delivered: list[tuple[bytes, bytes]] = []  # (message, attestation) tried
        self.accepted: dict[tuple[int, int], int] = {}  # (source, nonce) -> amount minted
        self.burned = 0

    def attest(self, raw: bytes, signers) -> bytes:
        keys = [KEYS[i] for i in signers]
        if any(k in ATTESTERS for k in keys):
            self.signed_by_circle.add(raw)
        return b"".join(raw_signature(raw, k) for k in keys)

    def try_receive(self, raw: bytes, attestation: bytes) -> None:
        self.delivered.append((raw, attestation))
        msg = tx.MsgReceiveMessage(signer=RELAYER, message=raw, attestation=attestation)
        try:
            self.env.deliver(msg)
        except ChainError:
            return
        message = Message.decode(raw)
        key = (message.source_domain, message.nonce)
        assert raw in self.signed_by_circle, "minted from a message no attester signed"
        assert key not in self.accepted, f"nonce {key} accepted twice"
        minted = 0
        if message.recipient == self.env.keeper.module_bytes32:
            minted = BurnMessage.decode(message.body).amount
        self.accepted[key] = minted

    @rule(
        source=st.sampled_from([0, 6, 3]),
        nonce=st.integers(0, 6),
        amount=st.integers(0, 10**12),
        recipient=st.sampled_from([ALICE, BOB, CAROL]),
        destination=st.sampled_from([LOCAL_DOMAIN, LOCAL_DOMAIN, 4]),
        signers=signer_sets,
    )
    def receive_burn(self, source, nonce, amount, recipient, destination, signers):
        raw = inbound_message(amount, recipient, nonce, source=source, destination=destination)
        self.try_receive(raw, self.attest(raw, signers))

    @rule(nonce=st.integers(0, 6), signers=signer_sets)
    def receive_plain_message(self, nonce, signers):
        raw = inbound_message(nonce=nonce, to=b"\x42" * 32, body=b"not a burn")
        self.try_receive(raw, self.attest(raw, signers))

    @rule(data=st.data())
    def replay(self, data):
        if self.delivered:
            raw, attestation = data.draw(st.sampled_from(self.delivered))
            self.try_receive(raw, attestation)

    @rule(data=st.data(), extra=st.integers(1, 10**12))
    def tamper_amount(self, data, extra):
        """Raise the amount of a signed burn and keep its attestation."""
        if not self.delivered:
            return
        raw, attestation = data.draw(st.sampled_from(self.delivered))
        message = Message.decode(raw)
        if len(message.body) != 132:
            return
        burn = BurnMessage.decode(message.body)
        body = BurnMessage(
            burn.version,
            burn.burn_token,
            burn.mint_recipient,
            burn.amount + extra,
            burn.message_sender,
        ).encode()
        forged = Message(
            message.version,
            message.source_domain,
            message.destination_domain,
            message.nonce,
            message.sender,
            message.recipient,
            message.destination_caller,
            body,
        ).encode()
        self.try_receive(forged, attestation)

    @rule(amount=st.integers(1, 2_000_000))
    def deposit_for_burn(self, amount):
        msg = tx.MsgDepositForBurn(
            signer=ALICE,
            amount=str(amount),
            destination_domain=0,
            mint_recipient=b"\x01" * 32,
            burn_token="uusdc",
        )
        try:
            self.env.deliver(msg)
        except ChainError:
            return
        self.burned += amount

    @rule(
        which=st.sampled_from(
            [
                "pause_burn",
                "unpause_burn",
                "unpause_burn",
                "pause_msgs",
                "unpause_msgs",
                "unpause_msgs",
            ]
        )
    )
    def toggle_pause(self, which):
        msg = {
            "pause_burn": tx.MsgPauseBurningAndMinting,
            "unpause_burn": tx.MsgUnpauseBurningAndMinting,
            "pause_msgs": tx.MsgPauseSendingAndReceivingMessages,
            "unpause_msgs": tx.MsgUnpauseSendingAndReceivingMessages,
        }[which](signer=PAUSER)
        self.env.deliver(msg)

    @rule(amount=st.integers(0, 4))
    def set_threshold(self, amount):
        try:
            self.env.deliver(tx.MsgUpdateSignatureThreshold(signer=MANAGER, amount=amount))
        except ChainError:
            pass

    @invariant()
    def minted_exactly_what_was_accepted(self):
        if not hasattr(self, "env"):
            return
        minted = self.env.supply() - INITIAL_SUPPLY + self.burned
        assert minted == sum(self.accepted.values())
        for source, nonce in self.accepted:
            assert self.env.keeper.is_nonce_used(self.env.ctx.store, source, nonce)

    @invariant()
    def module_invariants_hold(self):
        if not hasattr(self, "env"):
            return
        bank_invariants.total_supply(self.env.bank, self.env.ctx)
        for inv in self.env.module.invariants:
            inv(self.env.ctx)


CctpMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCctpMintsOnlyWhatWasAttested = CctpMachine.TestCase
