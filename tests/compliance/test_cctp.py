"""CCTP: a burn's mint to a sanctioned recipient and a deposit for burn by a sanctioned sender are
refused with their own errors; nothing is minted, burned or marked used."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import errors
from stateset_chain.compliance.state import ComplianceKeeper
from tests.bank.helpers import ALICE, BOB
from tests.cctp.helpers import ETHEREUM, inbound_message, new_env
from tests.cctp.test_outbound import deposit
from tests.cctp.test_receive import receive

from stateset.compliance.v1.compliance_pb2 import Sanction


def sanctioned_env(*addrs: str):
    env = new_env()
    guard = ComplianceKeeper()
    for a in addrs:
        guard.sanctions.set(env.ctx.store, a, Sanction(address=a, reason="listed"))
    env.keeper.compliance = guard
    return env


def test_a_mint_to_a_sanctioned_recipient_is_refused_and_its_nonce_stays_unused():
    env = sanctioned_env(BOB)
    supply = env.supply()
    with pytest.raises(errors.SanctionedMintRecipient):
        env.deliver(receive(inbound_message(amount=1_000_000, recipient=BOB, nonce=3)))
    assert env.balance(BOB) == 0 and env.supply() == supply
    assert not env.keeper.is_nonce_used(env.ctx.store, ETHEREUM, 3)


def test_a_mint_to_anyone_else_goes_through():
    env = sanctioned_env(ALICE)
    env.deliver(receive(inbound_message(amount=1_000_000, recipient=BOB, nonce=4)))
    assert env.balance(BOB) == 1_000_000


def test_a_burn_by_a_sanctioned_sender_is_refused():
    env = sanctioned_env(ALICE)
    before = env.balance(ALICE)
    with pytest.raises(errors.SanctionedBurnSender):
        env.deliver(deposit(amount="1000", signer=ALICE))
    assert env.balance(ALICE) == before

