"""Test harness for the orders module: a bank with funded accounts, the module's genesis, and a
``Chain`` that delivers messages through the app's own message runner (``tests.delivery``:
validated, then every message of a tx on one branch, written only if all succeed) and advances
blocks (running end-block settlement).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import invariants as bank_invariants
from stateset_chain.bank.state import MODULE_ACCOUNT, BankKeeper
from stateset_chain.coins import Coin
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crosschain.deposit import deposit_address, is_deposit_address
from stateset_chain.crypto import address
from stateset_chain.events import EventManager, parse_typed_event
from stateset_chain.orders import genesis, ids, settlement
from stateset_chain.orders.keys import ESCROW_ACCOUNT, LOCAL_PREFIXES, ORDERS_MODULE_ACCOUNTS
from stateset_chain.orders.module import orders_module
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.privacy.envelope import tracking_purpose
from stateset_chain.privacy.seal import Recipient, seal
from stateset_chain.store.kv import Branch, MemoryKV
from stateset_chain.timefmt import parse_iso8601
from tests import delivery
from tests.bank.helpers import ALICE, BOB, CAROL, TEST_MODULE_ACCOUNTS, FakeAccounts, fund

from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import LineItem, Order, RevenueSplit, ShippingAddress
from stateset.privacy.v1.privacy_pb2 import PersonalData

CUSTOMER = ALICE
MERCHANT = BOB
STRANGER = CAROL
AUTHORITY = address.encode(bytes([10]) * 20)
ARBITER = address.encode(bytes([11]) * 20)
PLATFORM = address.encode(bytes([12]) * 20)
SUPPLIER = address.encode(bytes([13]) * 20)
ESCROW = address.module_address(ESCROW_ACCOUNT)
FEE_COLLECTOR = address.module_address("fee_collector")

UNIT = 1_000_000  # base units per dollar
CHAIN_ID = "test"  # BlockInfo.chain_id of the in-memory chain: order ids bind it
START_NS = parse_iso8601("2025-01-01T00:00:00Z")
DAY = 86_400
RETURN_WINDOW = 7 * DAY

TEST_PARAMS = {
    "authority": AUTHORITY,
    "arbiter": ARBITER,
    "platform_address": PLATFORM,
    "platform_fee_bps": 250,
    "return_window_seconds": str(RETURN_WINDOW),
    "max_batch_size": 5,
    "max_items_per_order": 10,
    "max_text_length": 64,
    "max_reason_length": 128,
    "max_metadata_entries": 4,
    "max_evidence_items": 3,
    "settlement_drain_limit": 100,
    "max_payments_per_order": 20,
    "tax_rates": [
        {"country": "US", "region": "CA", "rate_bps": 725},
        {"country": "US", "region": "", "rate_bps": 500},
        {"country": "DE", "region": "", "rate_bps": 1900},
    ],
    "shipping_rates": [
        {"method": "standard", "fee": str(5 * UNIT)},
        {"method": "express", "fee": str(15 * UNIT)},
    ],
}

RICH = {"ussusd": 1_000_000 * UNIT, "uusdc": 1_000_000 * UNIT}

DEPOSIT_ADDRESS = "an order deposit address"

# As stateset_chain/wiring.py wires the bank: besides module accounts, it blocks order deposit
# addresses (nobody holds their key).
BLOCKED_PREDICATES = {DEPOSIT_ADDRESS: is_deposit_address}

# Addresses the bank blocks, with its reason: settlement paying one would strand the coins.
BLOCKED = [
    (ESCROW, MODULE_ACCOUNT),
    (FEE_COLLECTOR, MODULE_ACCOUNT),
    # the first order's
    (deposit_address(ids.make_order_id(CHAIN_ID, 1), CHAIN_ID), DEPOSIT_ADDRESS),
    (deposit_address("ord_ZZZZZZZZZZ", CHAIN_ID), DEPOSIT_ADDRESS),  # an order that does not exist
]
BLOCKED_IDS = ["escrow", "fee_collector", "deposit-of-next-order", "deposit-of-other-order"]


def new_bank() -> BankKeeper:
    """The bank the orders tests run against: the test and orders module accounts, and the
    deposit-address predicate."""
    return BankKeeper(
        FakeAccounts(),
        {**TEST_MODULE_ACCOUNTS, **ORDERS_MODULE_ACCOUNTS},
        blocked_predicates=BLOCKED_PREDICATES,
    )


@dataclass
class Chain:
    """One in-memory chain: deliver txs, advance blocks, check invariants."""

    holdings: dict[str, dict[str, int]] = field(
        default_factory=lambda: {CUSTOMER: dict(RICH), MERCHANT: dict(RICH), STRANGER: dict(RICH)}
    )
    params: dict = field(default_factory=lambda: dict(TEST_PARAMS))
    rates: object | None = None  # an orders.expected.ExchangeRates (tests/orders/fiat_helpers)

    def __post_init__(self) -> None:
        self.store = MemoryKV()
        self.bank = new_bank()
        self.keeper = OrdersKeeper(self.bank, rates=self.rates)  # type: ignore[arg-type]
        self.module = orders_module(self.keeper)
        self.routes = {route.msg_cls: route for route in self.module.msgs}
        self.block = BlockInfo(1, START_NS, CHAIN_ID)
        self.events: list = []
        ctx = self.ctx()
        fund(self.bank, ctx, self.holdings)
        genesis.init_genesis(self.keeper, ctx, {"params": self.params})

    def ctx(self, store=None, events: EventManager | None = None) -> Context:
        return Context(
            store=store if store is not None else self.store,
            block=self.block,
            events=events or EventManager(),
        )

    # -- transactions ------------------------------------------------------------------------

    def signers(self, msg) -> list[str]:
        return self.routes[type(msg)].signers(msg)

    def deliver(self, *msgs):
        """Run ``msgs`` as one tx's messages, as the app does (``tests.delivery``): all validated,
        then all handled on one branch; on any error nothing is written and the error
        propagates. Returns the responses (one msg: just it)."""
        block = Branch(self.store)
        delivered = delivery.deliver(block, self.block, msgs, self.routes)
        self.events = delivered.handler_events()
        self._end(block)
        return delivered.responses[0] if len(msgs) == 1 else delivered.responses

    def _end(self, block: Branch) -> None:
        """As the app ends a block: the index writes derived from the block's, then kept."""
        self.module.derive_local(self.store, block)
        block.write()

    def advance(self, seconds: int = 5) -> None:
        """A new (empty) block ``seconds`` later, with its end-block settlement."""
        later = self.block.time_ns + seconds * 10**9
        self.block = BlockInfo(self.block.height + 1, later, CHAIN_ID)
        events = EventManager()
        block = Branch(self.store)
        self.module.end_block(self.ctx(block, events=events))
        self._end(block)
        self.events = events.events

    def end_block(self) -> None:
        events = EventManager()
        block = Branch(self.store)
        settlement.end_block(self.keeper, self.ctx(block, events=events))
        self._end(block)
        self.events = events.events

    # -- reads -------------------------------------------------------------------------------

    def order(self, order_id: str) -> Order:
        return self.keeper.must_get_order(self.store, order_id)

    def balance(self, addr: str, denom: str = "ussusd") -> int:
        return self.bank.balance(self.store, addr, denom)

    def typed(self, cls) -> list:
        """The last tx's (or block's) events of one type, parsed."""
        return [
            parse_typed_event(e, cls) for e in self.events if e.type == cls.DESCRIPTOR.full_name
        ]

    def event_types(self) -> list[str]:
        """The last tx's typed events (the plain Cosmos ones left out)."""
        return [e.type.rsplit(".", 1)[-1] for e in self.events if "." in e.type]

    def order_events(self) -> list[str]:
        """The last tx's orders events, without the bank's."""
        return [e.type.rsplit(".", 1)[-1] for e in self.events if ".orders." in e.type]

    def check_invariants(self) -> None:
        ctx = self.ctx()
        for check in self.module.invariants:
            check(ctx)
        bank_invariants.total_supply(self.bank, ctx)

    # -- common flows ------------------------------------------------------------------------

    def create(self, **kwargs) -> str:
        return self.deliver(create_msg(**kwargs)).order_id

    def pay(self, order_id: str, amount: int | None = None, payer: str = CUSTOMER) -> None:
        order = self.order(order_id)
        due = order.total - order.amount_paid if amount is None else amount
        self.deliver(pay_msg(order_id, due, order.denom, payer))

    def paid_order(self, **kwargs) -> str:
        oid = self.create(**kwargs)
        self.pay(oid)
        return oid

    def to_status(self, status: str, **kwargs) -> str:
        """An order driven along the happy path to FULFILLED, SHIPPED or DELIVERED, or to HELD,
        RETURNED or DISPUTED."""
        oid = self.paid_order(**kwargs)
        if status == "PAID":
            return oid
        if status == "HELD":
            self.deliver(tx.MsgHoldOrder(signer=MERCHANT, order_id=oid, reason="check"))
            return oid
        self.deliver(tx.MsgFulfillOrder(signer=MERCHANT, order_id=oid))
        if status == "FULFILLED":
            return oid
        self.deliver(ship_msg(oid))
        if status == "SHIPPED":
            return oid
        if status == "DISPUTED":
            self.deliver(tx.MsgDisputeOrder(signer=CUSTOMER, order_id=oid, reason="late"))
            return oid
        self.deliver(tx.MsgDeliverOrder(signer=MERCHANT, order_id=oid))
        if status == "RETURNED":
            self.deliver(tx.MsgReturnOrder(signer=CUSTOMER, order_id=oid, reason="broken"))
        return oid


def assert_indexes_equal_a_rebuild(chain: Chain) -> None:
    """The node-local indexes in ``chain.store`` equal those rebuilt from its orders alone."""
    derived = {k: v for k, v in chain.store.iterate() if k.startswith(LOCAL_PREFIXES)}
    consensus = MemoryKV()
    for k, v in chain.store.iterate():
        if not k.startswith(LOCAL_PREFIXES):
            consensus.set(k, v)
    chain.keeper.rebuild_indexes(consensus)
    assert derived == {k: v for k, v in consensus.iterate() if k.startswith(LOCAL_PREFIXES)}


def item(sku="SKU-1", name="Widget", quantity=1, price="10") -> LineItem:
    return LineItem(sku=sku, name=name, quantity=quantity, unit_price=price)


def create_msg(
    creator: str | None = None,
    customer: str = CUSTOMER,
    merchant: str = MERCHANT,
    items: list[LineItem] | None = None,
    currency: str = "",
    country: str = "",
    region: str = "",
    shipping_method: str = "",
    client_order_id: str = "",
    split: RevenueSplit | None = None,
    metadata: dict | None = None,
    **fields,
) -> tx.MsgCreateOrder:
    """A valid MsgCreateOrder; the creator defaults to the customer, or to the merchant when a
    client_order_id is given (only the merchant may set one)."""
    if creator is None:
        creator = merchant if client_order_id else customer
    msg = tx.MsgCreateOrder(
        creator=creator,
        customer=customer,
        merchant=merchant,
        items=items if items is not None else [item()],
        currency=currency,
        shipping_method=shipping_method,
        client_order_id=client_order_id,
        metadata=metadata or {},
        **fields,
    )
    if country or region:
        msg.shipping_address.CopyFrom(
            ShippingAddress(country=country, region=region)
        )
    if split is not None:
        msg.revenue_split.CopyFrom(split)
    return msg


def pay_msg(order_id: str, amount: int, denom: str = "ussusd", payer: str = CUSTOMER):
    return tx.MsgPayOrder(payer=payer, order_id=order_id, amount=Coin(denom, amount).to_proto())


TRACKING_KEY = X25519PrivateKey.from_private_bytes(bytes(range(32)))  # the merchant's, here


def sealed_tracking(order_id: str, number: str = "1Z999", merchant: str = MERCHANT,
                    customer: str = CUSTOMER):
    """``number`` sealed to ``merchant`` (key version 1) for ``order_id``'s shipment (this
    harness has no key registry: the chain checks only the envelope's shape here)."""
    public = TRACKING_KEY.public_key().public_bytes_raw()
    return seal(
        PersonalData(tracking_number=number), chain_id=CHAIN_ID, merchant=merchant,
        customer=customer, recipients=[Recipient(merchant, 1, public)],
        purpose=tracking_purpose(order_id),
    )


def ship_msg(order_id: str, signer: str = MERCHANT, eta: str = "2025-01-05") -> tx.MsgShipOrder:
    return tx.MsgShipOrder(
        signer=signer,
        order_id=order_id,
        carrier="UPS",
        tracking=sealed_tracking(order_id),
        estimated_delivery=eta,
    )
