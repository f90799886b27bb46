"""A rotated key does not silently end a subscription: the cycle whose sealed personal data is
sealed to a key its recipient has since rotated is not a failed charge; the subscription becomes
RESEAL_REQUIRED (SubscriptionResealRequired, nothing charged, out of the queue), and
MsgResealSubscription (the customer, to the current keys) returns it to billing: the period it
stopped at is billed at once if it is still running, else the next one at its start."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.privacy import seal as sealing
from stateset_chain.privacy.errors import StaleEncryptionKey
from stateset_chain.privacy.state import PrivacyKeeper
from stateset_chain.subscriptions import lifecycle
from stateset_chain.subscriptions.errors import InvalidTransition, NotAuthorized
from stateset_chain.timefmt import timestamp_ns
from tests.orders.helpers import CHAIN_ID, CUSTOMER, DAY, MERCHANT, START_NS
from tests.subscriptions.helpers import SubChain

from stateset.orders.v1.orders_pb2 import ShippingAddress
from stateset.privacy.v1.privacy_pb2 import PersonalData, PostalAddress
from stateset.subscriptions.v1 import events_pb2 as ev
from stateset.subscriptions.v1 import tx_pb2 as tx
from stateset.subscriptions.v1.subscriptions_pb2 import Interval

NS = 10**9
ACTIVE, PAST_DUE = lifecycle.ACTIVE, lifecycle.PAST_DUE
RESEAL_REQUIRED, CANCELED = lifecycle.RESEAL_REQUIRED, lifecycle.CANCELED


class KeyedChain(SubChain):
    """The subscriptions chain with the privacy key registry wired into the orders keeper."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.privacy = PrivacyKeeper()
        self.keeper.encryption_keys = self.privacy
        self.private_keys: dict[str, list] = {}
        for owner in (MERCHANT, CUSTOMER):
            self.rotate(owner)

    def rotate(self, owner: str) -> None:
        key = sealing.generate_private_key()
        self.private_keys.setdefault(owner, []).append(key)
        self.privacy.register(self.ctx(), owner, sealing.public_bytes(key))

    def envelope(self, street: str = "1 Main St"):
        keys = [
            sealing.Recipient(owner, self.privacy.key(self.store, owner).version,
                              self.privacy.key(self.store, owner).public_key)
            for owner in (MERCHANT, CUSTOMER)
        ]
        data = PersonalData(shipping_address=PostalAddress(line1=street, city="Portland"))
        return sealing.seal(data, chain_id=CHAIN_ID, merchant=MERCHANT, customer=CUSTOMER,
                            client_order_id="", recipients=keys)


def daily(chain: KeyedChain, interval: int = Interval.INTERVAL_DAILY) -> str:
    return chain.subscribe(
        interval=interval,
        shipping_address=ShippingAddress(country="US", region="OR"),
        personal_data=chain.envelope(),
    )


def reseal(chain: KeyedChain, sid: str, signer: str = CUSTOMER, env=None):
    return chain.deliver(tx.MsgResealSubscription(
        signer=signer, subscription_id=sid, personal_data=env or chain.envelope("2 New St")))


def test_a_merchant_key_rotation_asks_the_customer_to_reseal_instead_of_canceling():
    chain = KeyedChain()
    sid = daily(chain)
    chain.advance(1)
    assert chain.sub(sid).status == ACTIVE and chain.sub(sid).cycles_billed == 1
    chain.rotate(MERCHANT)
    before = chain.balance(CUSTOMER)
    chain.advance_to(START_NS + DAY * NS)
    sub = chain.sub(sid)
    assert sub.status == RESEAL_REQUIRED and sub.reseal_from == ACTIVE
    assert sub.failed_attempts == 0 and not sub.HasField("next_attempt")
    [asked] = chain.typed(ev.SubscriptionResealRequired)
    assert asked.cycle == 2 and asked.reason.startswith(
        f"{StaleEncryptionKey.codespace}/{StaleEncryptionKey.code}:")
    assert MERCHANT in asked.reason
    assert not chain.typed(ev.SubscriptionChargeFailed)
    assert chain.balance(CUSTOMER) == before  # nothing charged
    for _ in range(5):  # however long it waits, it is neither charged nor canceled
        chain.advance(DAY // 4)
    assert chain.sub(sid).status == RESEAL_REQUIRED
    chain.check_invariants()


def test_resealing_while_the_period_runs_bills_it_at_once():
    chain = KeyedChain()
    sid = daily(chain)
    chain.advance(1)
    chain.rotate(MERCHANT)
    chain.advance_to(START_NS + DAY * NS)
    assert chain.sub(sid).status == RESEAL_REQUIRED
    chain.advance(3600)
    response = reseal(chain, sid)
    assert response.status == ACTIVE
    assert timestamp_ns(response.next_attempt) == chain.block.time_ns
    [resealed] = chain.typed(ev.SubscriptionResealed)
    assert resealed.signer == CUSTOMER
    chain.advance(1)
    sub = chain.sub(sid)
    assert sub.status == ACTIVE and sub.cycles_billed == 2
    [billed] = chain.typed(ev.SubscriptionCycleBilled)
    order = chain.order(billed.order_id)
    assert order.personal_data == sub.personal_data  # the new envelope
    # the cycle after it comes at its own start, not a day after the late charge
    assert timestamp_ns(sub.next_attempt) == START_NS + 2 * DAY * NS
    chain.check_invariants()


def test_resealing_after_the_period_ended_skips_it():
    chain = KeyedChain()
    sid = daily(chain)
    chain.advance(1)
    chain.rotate(MERCHANT)
    chain.advance_to(START_NS + DAY * NS)
    chain.advance_to(START_NS + 3 * DAY * NS + 60 * NS)
    response = reseal(chain, sid)
    assert timestamp_ns(response.next_attempt) == START_NS + 4 * DAY * NS
    chain.advance_to(START_NS + 4 * DAY * NS)
    sub = chain.sub(sid)
    assert sub.cycles_billed == 2 and sub.status == ACTIVE


def test_the_customers_own_rotation_is_handled_the_same_way():
    chain = KeyedChain()
    sid = daily(chain)
    chain.advance(1)
    chain.rotate(CUSTOMER)
    chain.advance_to(START_NS + DAY * NS)
    assert chain.sub(sid).status == RESEAL_REQUIRED
    reseal(chain, sid)
    chain.advance(1)
    assert chain.sub(sid).cycles_billed == 2


def test_a_past_due_subscription_returns_to_past_due_with_its_attempts():
    chain = KeyedChain()
    sid = daily(chain, Interval.INTERVAL_WEEKLY)
    chain.advance(1)
    drained = chain.balance(CUSTOMER)
    from stateset_chain.coins import Coin

    chain.bank.send(chain.ctx(), CUSTOMER, MERCHANT, [Coin("ussusd", drained)])
    chain.advance_to(START_NS + 7 * DAY * NS)
    assert chain.sub(sid).status == PAST_DUE and chain.sub(sid).failed_attempts == 1
    chain.rotate(MERCHANT)
    chain.advance(DAY)  # the retry meets the rotated key
    assert chain.sub(sid).status == RESEAL_REQUIRED
    chain.bank.send(chain.ctx(), MERCHANT, CUSTOMER, [Coin("ussusd", drained)])
    reseal(chain, sid)
    sub = chain.sub(sid)
    assert sub.status == PAST_DUE and sub.failed_attempts == 1
    chain.advance(1)
    assert chain.sub(sid).status == ACTIVE


def test_reseal_refusals():
    chain = KeyedChain()
    sid = daily(chain)
    with pytest.raises(NotAuthorized):  # only the customer seals its data
        reseal(chain, sid, signer=MERCHANT)
    stale = chain.envelope()
    chain.rotate(MERCHANT)
    with pytest.raises(StaleEncryptionKey):  # a new envelope must be sealed to current keys
        reseal(chain, sid, env=stale)
    chain.deliver(tx.MsgCancelSubscription(signer=CUSTOMER, subscription_id=sid))
    with pytest.raises(InvalidTransition):
        reseal(chain, sid)


def test_resealing_ahead_of_time_only_replaces_the_envelope():
    chain = KeyedChain()
    sid = daily(chain)
    chain.advance(1)
    before = chain.sub(sid)
    response = reseal(chain, sid)
    after = chain.sub(sid)
    assert response.status == ACTIVE and after.next_attempt == before.next_attempt
    assert after.personal_data != before.personal_data


def test_either_party_may_cancel_a_subscription_waiting_for_a_reseal():
    chain = KeyedChain()
    sid = daily(chain)
    chain.advance(1)
    chain.rotate(MERCHANT)
    chain.advance_to(START_NS + DAY * NS)
    chain.deliver(tx.MsgCancelSubscription(signer=MERCHANT, subscription_id=sid))
    assert chain.sub(sid).status == CANCELED
    chain.check_invariants()


