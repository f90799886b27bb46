"""Property: whatever sequence of cross-chain payments (to orders, unknown orders, overpaying,
replayed, tampered or signed by strangers), local payments, refunds, cancellations, dispute
resolutions, pauses and unclaimed-fund refunds and claims runs on the full app,

- cctp mints only what the attesters signed, each message at most once, and the uusdc supply
  moves by exactly the mints and burns;
- no payer's money is lost: for every owner (the order's customer-named refund destination if
  one was set when the money arrived, else the burn's sender),
  received == Σ its payments still with their orders (escrow or settled, uusdc or ssUSD)
              + burned back to it + claimed here + waiting in its unclaimed records;
- the peg holds: the stablecoin reserve's uusdc == the ussusd supply, and it moves only by the
  ssUSD issued for cross-chain payments to ssUSD orders and redeemed for their refunds;
- no deposit address keeps a balance; every module invariant (escrow, unclaimed account, cctp
  account empty, bank supply) holds after every block (the test chain checks them).
"""

from __future__ import annotations

from collections import Counter

from coincurve import PrivateKey
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import pad_address
from stateset_chain.crosschain.deposit import deposit_address, deposit_mint_recipient
from stateset_chain.crypto import address as addr
from stateset_chain.events import parse_typed_event
from tests.cctp.helpers import sign
from tests.chain import CHAIN_ID, address
from tests.crosschain.helpers import (
    ALICE_ETH,
    ATTESTERS,
    BOB_ETH,
    UNIT,
    Net,
    burn_message,
)

from stateset.bank.v1 import events_pb2 as bank_events
from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.crosschain.v1 import events_pb2 as x_events
from stateset.crosschain.v1 import tx_pb2 as xtx
from stateset.orders.v1 import orders_pb2 as o
from stateset.orders.v1 import tx_pb2 as otx
from stateset.stablecoin.v1 import events_pb2 as stablecoin_events

UNKNOWN_ORDER = "ord_ZZZZZZZZZZ"
RESERVE = addr.module_address("stablecoin_reserve")
# where a customer may name refunds to go (a wallet behind a router, say)
NAMED_ETH = pad_address(bytes.fromhex("d00d000000000000000000000000000000000004"))
STRANGERS = [PrivateKey((0x5EC0 + i).to_bytes(32, "big")) for i in range(2)]
amounts = st.sampled_from([1, 5, 10, 25, 40, 60, 100, 150]).map(lambda n: n * UNIT)


class CrossChainMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.net = Net.start()
        self.cosmos_sender = pad_address(addr.decode(address(self.net.relayer)))
        self.senders = [ALICE_ETH, BOB_ETH, self.cosmos_sender]
        self.owners = [*self.senders, NAMED_ETH]
        self.issued = self.redeemed = 0
        self.reserve0 = self.net.balance(RESERVE)
        self.orders: list[str] = []
        self.messages: list[bytes] = []
        self.attested: dict[int, int] = {}  # nonce -> amount the attesters signed
        self.accepted: Counter[int] = Counter()
        self.received: Counter[bytes] = Counter()
        self.burned_back: Counter[bytes] = Counter()
        self.claimed: Counter[bytes] = Counter()
        self.minted = self.burned = 0
        self.supply0 = self.net.supply()
        self.seen = 0
        self.paused = False
        self.orders = [
            self.net.create_order("25"),
            self.net.create_order("100"),
            self.net.create_order("40", "ssusd"),
            self.net.create_order("10", "ssusd"),
        ]

    # -- bookkeeping -------------------------------------------------------------------------

    def absorb(self) -> None:
        """Read the events of every tx run since the last step."""
        for result in self.net.results[self.seen:]:
            for event in result.events:
                if event.type == "stateset.bank.v1.CoinsMinted":
                    e = parse_typed_event(event, bank_events.CoinsMinted)
                    if e.module == "cctp":
                        self.minted += sum(int(c.amount) for c in e.amount if c.denom == "uusdc")
                elif event.type == "stateset.bank.v1.CoinsBurned":
                    e = parse_typed_event(event, bank_events.CoinsBurned)
                    self.burned += sum(int(c.amount) for c in e.amount if c.denom == "uusdc")
                elif event.type == "stateset.cctp.v1.DepositForBurn":
                    e = parse_typed_event(event, cctp_events.DepositForBurn)
                    self.burned_back[bytes(e.mint_recipient)] += int(e.amount)
                elif event.type == "stateset.cctp.v1.MessageReceived":
                    e = parse_typed_event(event, cctp_events.MessageReceived)
                    self.accepted[e.nonce] += 1
                elif event.type == "stateset.stablecoin.v1.StablecoinIssued":
                    issued = parse_typed_event(event, stablecoin_events.StablecoinIssued)
                    self.issued += int(issued.amount)
                elif event.type == "stateset.stablecoin.v1.StablecoinRedeemed":
                    redeemed = parse_typed_event(event, stablecoin_events.StablecoinRedeemed)
                    self.redeemed += int(redeemed.amount)
                elif event.type == "stateset.crosschain.v1.UnclaimedFundsClaimed":
                    e = parse_typed_event(event, x_events.UnclaimedFundsClaimed)
                    self.claimed[self.cosmos_sender] += int(e.amount)
        self.seen = len(self.net.results)

    def due(self, i: int) -> int:
        """What order i still needs, if it takes payments now (else 0)."""
        if not self.orders:
            return 0
        order = self.net.order(self.pick_order(i))
        if order.status != o.ORDER_STATUS_CREATED:
            return 0
        return order.total - order.amount_paid

    def owner(self, order_id: str, sender: bytes) -> bytes:
        """Who money arriving now for ``order_id`` from ``sender`` goes back to."""
        if order_id == UNKNOWN_ORDER:
            return sender
        named = self.net.deposit_address_info(order_id)
        return bytes(named.refund_destination.recipient) if named.HasField(
            "refund_destination") else sender

    def pick_order(self, i: int) -> str:
        return self.orders[i % len(self.orders)] if self.orders else UNKNOWN_ORDER

    # -- rules -------------------------------------------------------------------------------

    @rule(price=st.sampled_from(["10", "25", "100"]),
          currency=st.sampled_from(["usdc", "usdc", "usdc", "ssusd"]))
    def create_order(self, price, currency):
        self.orders.append(self.net.create_order(price, currency))

    @rule(i=st.integers(0, 50), amount=amounts, who=st.integers(0, 2), unknown=st.booleans())
    def pay_across(self, i, amount, who, unknown):
        order_id = UNKNOWN_ORDER if unknown else self.pick_order(i)
        self.relay_payment(order_id, amount, self.senders[who])

    def relay_payment(self, order_id: str, amount: int, sender: bytes) -> None:
        recipient = deposit_mint_recipient(order_id, CHAIN_ID)
        owner = self.owner(order_id, sender)
        result, raw = self.net.relay(amount, recipient, sender=sender)
        self.attested[self.net.nonce] = amount
        if self.paused:  # nothing minted; the nonce stays unused
            assert (result.codespace, result.code) == ("cctp", 15)
            return
        assert result.code == 0, result.log
        self.received[owner] += amount
        self.messages.append(raw)

    @rule(i=st.integers(0, 50), who=st.integers(0, 2), half=st.booleans())
    def pay_due_across(self, i, who, half):
        """Pay what an order still needs (or half of it): the payments orders accept."""
        due = self.due(i)
        if due:
            order_id = self.pick_order(i)
            amount = max(1, due // 2) if half else due
            self.relay_payment(order_id, amount, self.senders[who])

    @rule(i=st.integers(0, 50), half=st.booleans())
    def pay_due_here(self, i, half):
        due = self.due(i)
        if due:
            self.pay_here_exactly(self.pick_order(i), max(1, due // 2) if half else due)

    @rule(i=st.integers(0, 50), to=st.integers(0, 3))
    def name_refund_destination(self, i, to):
        """The customer names where refunds go (refused once cross-chain money arrived)."""
        if self.orders:
            self.net.set_refund_destination(self.pick_order(i), 0, self.owners[to])

    @rule(i=st.integers(0, 50))
    def replay(self, i):
        if self.messages:
            result = self.net.relay_raw(self.messages[i % len(self.messages)])
            assert (result.codespace, result.code) == ("cctp", 20)

    @rule(amount=amounts, forged=st.booleans())
    def unattested(self, amount, forged):
        """A message the attesters did not sign: tampered after signing, or signed by others."""
        self.net.nonce += 1
        recipient = deposit_mint_recipient(self.pick_order(0), CHAIN_ID)
        raw = burn_message(amount, recipient, self.net.nonce)
        if forged:
            attestation = sign(raw, STRANGERS)
        else:
            attestation = sign(raw, ATTESTERS)
            unknown = deposit_mint_recipient(UNKNOWN_ORDER, CHAIN_ID)
            raw = burn_message(amount + 1, unknown, self.net.nonce)
        msg = cctp_tx.MsgReceiveMessage(
            signer=address(self.net.relayer), message=raw, attestation=attestation
        )
        assert self.net.tx(self.net.relayer, [msg]).codespace == "cctp"

    @rule(i=st.integers(0, 50), amount=amounts)
    def pay_here(self, i, amount):
        if self.orders:
            self.pay_here_exactly(self.pick_order(i), amount)

    def pay_here_exactly(self, order_id: str, amount: int) -> None:
        c = address(self.net.customer)
        msg = otx.MsgPayOrder(payer=c, order_id=order_id,
                              amount={"denom": "uusdc", "amount": str(amount)})
        self.net.tx(self.net.customer, [msg])

    @rule(i=st.integers(0, 50), amount=st.one_of(st.none(), st.just(0), amounts))
    def refund(self, i, amount):
        """amount None: all of the escrow; 0: half of it; else as drawn (may be too much)."""
        if not self.orders:
            return
        order_id = self.pick_order(i)
        if amount == 0:
            order = self.net.order(order_id)
            amount = (order.amount_paid - order.amount_refunded - order.amount_settled) // 2
        msg = otx.MsgRefundOrder(signer=address(self.net.merchant), order_id=order_id,
                                 amount=str(amount) if amount else "", reason="r")
        self.net.tx(self.net.merchant, [msg])

    @rule(i=st.integers(0, 50), now=st.integers(0, 2))
    def cancel(self, i, now):
        if self.orders and now == 0:  # now and then: a cancelled order takes no more payments
            m = address(self.net.merchant)
            msg = otx.MsgCancelOrder(signer=m, order_id=self.pick_order(i), reason="c")
            self.net.tx(self.net.merchant, [msg])

    @rule(i=st.integers(0, 50), outcome=st.sampled_from([1, 2, 3]), part=amounts)
    def dispute_and_resolve(self, i, outcome, part):
        if not self.orders:
            return
        order_id = self.pick_order(i)
        c = address(self.net.customer)
        self.net.tx(self.net.customer, [otx.MsgDisputeOrder(signer=c, order_id=order_id,
                                                            reason="d")])
        self.net.tx(self.net.admin, [otx.MsgResolveDispute(
            arbiter=address(self.net.admin), order_id=order_id, outcome=outcome,
            refund_amount=str(part) if outcome == o.DISPUTE_OUTCOME_REFUND_PARTIAL else "")])

    @rule()
    def toggle_burning_pause(self):
        admin = address(self.net.admin)
        cls = (cctp_tx.MsgUnpauseBurningAndMinting if self.paused
               else cctp_tx.MsgPauseBurningAndMinting)
        self.net.ok(self.net.admin, [cls(signer=admin)])
        self.paused = not self.paused

    @rule(i=st.integers(0, 50), part=st.one_of(st.none(), amounts))
    def refund_unclaimed(self, i, part):
        records = self.net.all_unclaimed()
        if records:
            record = records[i % len(records)]
            self.net.refund_unclaimed(record.message_hash, "" if part is None else str(part))

    @rule(i=st.integers(0, 50))
    def claim(self, i):
        records = [r for r in self.net.all_unclaimed() if record_owner(r) == self.cosmos_sender]
        if records:
            record = records[i % len(records)]
            msg = xtx.MsgClaimUnclaimed(signer=address(self.net.relayer),
                                        message_hash=record.message_hash)
            self.net.ok(self.net.relayer, [msg])

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def nothing_minted_beyond_attestations(self):
        if not hasattr(self, "net"):
            return
        self.absorb()  # idempotent: reads only the txs run since the last call
        assert all(n == 1 for n in self.accepted.values())
        assert set(self.accepted) <= set(self.attested)
        assert self.minted == sum(self.attested[n] for n in self.accepted)
        assert self.minted <= sum(self.attested.values())
        assert self.net.supply() == self.supply0 + self.minted - self.burned

    @invariant()
    def no_sender_loses_money(self):
        if not hasattr(self, "net"):
            return
        self.absorb()
        with_orders: Counter[bytes] = Counter()
        for order_id in self.orders:
            named = self.net.deposit_address_info(order_id)
            for p in self.net.order(order_id).payments:
                if p.HasField("cross_chain"):
                    owner = (bytes(named.refund_destination.recipient)
                             if named.HasField("refund_destination")
                             else bytes.fromhex(p.cross_chain.original_sender))
                    with_orders[owner] += p.amount - p.refunded
        waiting: Counter[bytes] = Counter()
        for record in self.net.all_unclaimed():
            waiting[record_owner(record)] += int(record.amount)
        assert set(self.received) <= set(self.owners)
        for sender in self.owners:
            assert self.received[sender] == (
                with_orders[sender] + self.burned_back[sender] + self.claimed[sender]
                + waiting[sender]
            )

    @invariant()
    def reserve_backs_ssusd_and_moves_only_by_issue_and_redeem(self):
        if not hasattr(self, "net"):
            return
        self.absorb()
        reserve = self.net.balance(RESERVE)
        assert reserve == self.net.supply("ussusd")
        assert reserve == self.reserve0 + self.issued - self.redeemed

    @invariant()
    def deposit_addresses_stay_empty(self):
        if not hasattr(self, "net"):
            return
        for order_id in [*self.orders, UNKNOWN_ORDER]:
            assert self.net.balance(deposit_address(order_id, CHAIN_ID)) == 0
            assert self.net.balance(deposit_address(order_id, CHAIN_ID), "ussusd") == 0


def record_owner(record) -> bytes:
    """Where an unclaimed record goes back to (crosschain/destination.py, of_record)."""
    if record.HasField("refund_to"):
        return bytes(record.refund_to.recipient)
    return bytes(record.original_sender)


CrossChainMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCrossChain = CrossChainMachine.TestCase
