"""Hypothesis stateful: through the real app (tests.chain.BlockDriver: signed txs, FinalizeBlock
and Commit, every invariant after each block), whatever sequence of creates, payments,
sanctions, delistings, shipments, deliveries, releases and passing time, no order settles while
one of its parties (customer, merchant, payer, platform) is sanctioned, and every order of a
party sanctioned in a block holds no unfrozen escrow at that block's end."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.client import msg_register_encryption_key
from stateset_chain.coins import SSUSD, Coin
from stateset_chain.events import parse_typed_event
from stateset_chain.orders.lifecycle import CREATED, DELIVERED, FULFILLED, PAID, SHIPPED
from stateset_chain.privacy.envelope import tracking_purpose
from stateset_chain.privacy.seal import Recipient, seal
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app
from tests.chain import CHAIN_ID, Chain, address, genesis_bytes, wallet
from tests.orders.helpers import TRACKING_KEY

from cosmos.base.abci.v1beta1 import abci_pb2
from stateset.compliance.v1 import query_pb2 as cq
from stateset.compliance.v1 import tx_pb2 as ctx_tx
from stateset.orders.v1 import events_pb2 as oev
from stateset.orders.v1 import query_pb2 as oq
from stateset.orders.v1 import tx_pb2 as otx
from stateset.privacy.v1.privacy_pb2 import PersonalData

RETURN_WINDOW = 12  # seconds: a delivered order settles two or three blocks later
OPEN = {PAID, FULFILLED, SHIPPED, DELIVERED}


def start() -> Chain:
    core = standard_app(CommitStore.in_memory())
    core.check_invariants_every_block = True
    wallets = [wallet(i) for i in range(4)]
    chain = Chain(AbciApp(core), wallets)
    state = json.loads(genesis_bytes(wallets))
    state["orders"]["params"]["return_window_seconds"] = str(RETURN_WINDOW)
    chain.init(json.dumps(state, sort_keys=True).encode())
    chain.block([])
    return chain


class Sanctions(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.chain = start()
        self.admin, c1, c2, self.merchant = self.chain.wallets
        self.customers = [c1, c2]
        self.parties = [address(w) for w in self.chain.wallets[1:]]
        self.orders: list[str] = []
        m = address(self.merchant)
        key = TRACKING_KEY.public_key().public_bytes_raw()
        self.block([self.chain.sign(self.merchant, [msg_register_encryption_key(m, key)])])

    # -- helpers ---------------------------------------------------------------------------

    def block(self, txs: list[bytes]):
        res = self.chain.block(txs)
        for w in self.chain.wallets:  # a refused tx may not have used its sequence
            who = address(w)
            self.chain.sequences[who] = self.chain.query_account(who).sequence
        events = list(res.events) + [e for r in res.tx_results for e in r.events]
        self.settled = [parse_typed_event(e, oev.OrderSettled).order_id
                        for e in events if e.type == "stateset.orders.v1.OrderSettled"]
        return res

    def order(self, order_id: str):
        res = self.chain.query("/stateset.orders.v1.Query/Order",
                               oq.QueryOrderRequest(order_id=order_id))
        assert res.code == 0, res.log
        return oq.QueryOrderResponse.FromString(res.value).order

    def sanctioned(self, addr: str) -> bool:
        res = self.chain.query("/stateset.compliance.v1.Query/Sanction",
                               cq.QuerySanctionRequest(address=addr))
        return res.code == 0

    def parties_of(self, order) -> set[str]:
        return {order.customer, order.merchant, order.platform_address,
                *(p.payer for p in order.payments)}

    def pick(self, i: int) -> str | None:
        return self.orders[i % len(self.orders)] if self.orders else None

    # -- rules: each one block --------------------------------------------------------------

    @rule(who=st.integers(0, 1), dollars=st.integers(1, 9))
    def create(self, who, dollars):
        customer = self.customers[who]
        c, m = address(customer), address(self.merchant)
        res = self.block([self.chain.sign(customer, [otx.MsgCreateOrder(
            creator=c, customer=c, merchant=m, name="o",
            items=[{"sku": "S", "name": "thing", "quantity": 1, "unit_price": f"{dollars}"}],
        )])])
        if res.tx_results[0].code == 0:
            data = abci_pb2.TxMsgData.FromString(res.tx_results[0].data)
            self.orders.append(
                otx.MsgCreateOrderResponse.FromString(data.msg_responses[0].value).order_id)

    @rule(i=st.integers(0, 20), payer=st.integers(0, 2))
    def pay(self, i, payer):
        oid = self.pick(i)
        if oid is None:
            return
        order = self.order(oid)
        w = self.chain.wallets[1 + payer]
        self.block([self.chain.sign(w, [otx.MsgPayOrder(
            payer=address(w), order_id=oid, amount=Coin(SSUSD, order.total).to_proto(),
            up_to=True)])])

    @rule(i=st.integers(0, 20))
    def ship(self, i):
        oid = self.pick(i)
        if oid is None:
            return
        m, order = address(self.merchant), self.order(oid)
        tracking = seal(
            PersonalData(tracking_number="1Z999"), chain_id=CHAIN_ID, merchant=m,
            customer=order.customer,
            recipients=[Recipient(m, 1, TRACKING_KEY.public_key().public_bytes_raw())],
            purpose=tracking_purpose(oid),
        )
        self.block([self.chain.sign(self.merchant, [
            otx.MsgFulfillOrder(signer=m, order_id=oid),
            otx.MsgShipOrder(signer=m, order_id=oid, carrier="UPS", tracking=tracking),
        ])])

    @rule(i=st.integers(0, 20))
    def deliver(self, i):
        oid = self.pick(i)
        if oid is None:
            return
        m = address(self.merchant)
        self.block([self.chain.sign(self.merchant, [otx.MsgDeliverOrder(signer=m, order_id=oid)])])

    @rule(i=st.integers(0, 20), payer=st.integers(0, 2))
    def advance(self, i, payer):
        """The order's next step, whatever it is: pay, fulfil and ship, deliver."""
        oid = self.pick(i)
        if oid is None:
            return
        status = self.order(oid).status
        if status == CREATED:
            self.pay(i, payer)
        elif status == PAID:
            self.ship(i)
        elif status == SHIPPED:
            self.deliver(i)

    @rule(who=st.integers(0, 2))
    def sanction(self, who):
        addr = self.parties[who]
        self.block([self.chain.sign(self.admin, [ctx_tx.MsgAddSanction(
            signer=address(self.admin), address=addr, reason="listed", list_source="t")])])
        for oid in self.orders:  # frozen at this block's end: nothing of it moves on
            order = self.order(oid)
            if addr in self.parties_of(order) and order.status in OPEN and not order.settled:
                raise AssertionError(f"{oid} is {order.status} with {addr} sanctioned")

    @rule(who=st.integers(0, 2))
    def delist(self, who):
        self.block([self.chain.sign(self.admin, [ctx_tx.MsgRemoveSanction(
            signer=address(self.admin), address=self.parties[who], reason="delisted")])])

    @rule(i=st.integers(0, 20))
    def release(self, i):
        oid = self.pick(i)
        if oid is None:
            return
        self.block([self.chain.sign(self.admin, [otx.MsgReleaseOrder(
            signer=address(self.admin), order_id=oid, reason="review")])])

    @rule(blocks=st.integers(1, 4))
    def wait(self, blocks):
        settled = []
        for _ in range(blocks):
            self.block([])
            settled += self.settled
            self.check_settled()
        self.settled = settled

    # -- the property --------------------------------------------------------------------------

    @invariant()
    def check_settled(self):
        if not hasattr(self, "chain"):
            return
        for oid in getattr(self, "settled", []):
            sanctioned = [a for a in self.parties_of(self.order(oid)) if self.sanctioned(a)]
            assert not sanctioned, f"{oid} settled with {sanctioned} sanctioned"


Sanctions.TestCase.settings = settings(
    max_examples=15, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_no_order_with_a_sanctioned_party_ever_settles = Sanctions.TestCase


def test_the_machine_reaches_a_freeze_and_a_settlement():
    """The rules are not vacuous: a delivered order of a merchant sanctioned before the window
    ends is frozen instead of settled, and settles after the delisting and the release."""
    m = Sanctions()
    m.setup()
    m.create(0, 5)
    m.pay(0, 0)
    m.ship(0)
    m.deliver(0)
    assert m.order(m.orders[0]).status == DELIVERED
    m.sanction(2)  # the merchant
    m.wait(4)
    assert m.settled == [] and m.order(m.orders[0]).hold_reason == "compliance"
    m.delist(2)
    m.release(0)  # back to DELIVERED, due at once: settles at this block's end
    assert m.settled == m.orders and m.order(m.orders[0]).settled
    m.check_settled()
