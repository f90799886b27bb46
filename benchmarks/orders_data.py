"""Synthetic orders for the orders benchmark, and how they get into the chain's state.

**The orders.** ``OrderBook(n, ...)`` describes ``n`` orders as a pure function of the sequence
number (``book.order(seq)``), so any order can be rebuilt without the store (the queries pick
their filter values that way):

- one order per second, the last one created one second before the chain's genesis time;
- 100 merchants (so each has n/100 orders) and n/10 customers (each has ~10 orders on average),
  both addresses only (nobody signs for them);
- status by a hash of the sequence: CREATED 15%, PAID 15%, FULFILLED 10%, SHIPPED 10%,
  DELIVERED 40% (unsettled, due 14 days after delivery, so queued for settlement and never due
  while the benchmark runs), CANCELLED 10% (cancelled before payment); each with the timeline,
  payment record, shipping info and payment status the lifecycle would have given it;
- 1 or 2 line items of 1-3 units at 5.00-199.99, a US/CA shipping address (7.25% tax) and the
  "standard" shipping method (5.00): totals from 10.36 to 1,291.94; 25% in USDC, the rest ssUSD;
- no client order ids;
- ``targets`` evenly spaced orders are CREATED orders of the benchmark's own signing accounts
  (``payers``), so pay transactions can pay old orders spread over the whole state.

**Getting them into state** (``import_orders``). The orders genesis (InitChain) holds every order
in one JSON document, one Python dict tree and one in-memory branch; at 100,000 orders InitChain
and block 1 took 55 s and 2.8 GiB here, so 1,000,000 would need ~25 GiB. ``import_orders`` makes the
same keeper calls the orders genesis makes for each order (``insert_order``, and
``enqueue_settlement`` for delivered ones; then the order and payment sequences), plus the bank
transfer into escrow for the paid ones, from a funder account funded at genesis. It commits every
``chunk`` orders (``IMPORT_CHUNK``) as one block straight through the CommitStore (stage +
commit), so memory stays bounded. ``check_import_matches_genesis`` proves, at a small size, that it
writes exactly the orders state the orders genesis writes (every key under ``orders/``, byte for
byte, and the escrow balances), and that every module invariant holds afterwards.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO

from google.protobuf import json_format
from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401
from benchmarks import txs
from benchmarks.chain import BenchChain
from stateset_chain.auth.state import AuthKeeper
from stateset_chain.bank.state import BankKeeper
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crypto.address import encode, module_address
from stateset_chain.genesisjson import write_list_file
from stateset_chain.localnet import build_app_state
from stateset_chain.orders import ids
from stateset_chain.orders.keys import ESCROW_ACCOUNT, STORE_PREFIX
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.kv import Branch, prefix_end
from stateset_chain.timefmt import timestamp_ns
from stateset_chain.wiring import module_accounts
from tests.chain import GENESIS_TIME

from stateset.orders.v1.orders_pb2 import (
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentStatus,
    ShippingAddress,
    ShippingInfo,
    TimelineEntry,
)

NS = 1_000_000_000
MERCHANTS = 100
ORDERS_PER_CUSTOMER = 10
SHIPPING_FEE = 5_000_000  # "standard"
TAX_BPS = 725  # US / CA
RETURN_WINDOW_NS = 14 * 86400 * NS
FUNDER_BALANCE = 10**18  # of each denom: more than any population pays into escrow
# Orders per import commit. The chunk's branch, its staged block and its write batch are the
# import's working set (~10 MiB of Python objects per 1,000 orders, about as much again in
# LevelDB's batch; the import part measures it): at 10,000 that is ~0.1 GiB beside the tree's
# bounded node cache and LevelDB's caches, where 100,000 made the import's peak RSS 1.7 GiB at
# 200,000 orders and 2.9 GiB at 1,000,000 (docs/benchmarks.md §13b).
IMPORT_CHUNK = 10_000

CREATED, PAID, FULFILLED, SHIPPED, DELIVERED, CANCELLED = (
    int(OrderStatus.Value(f"ORDER_STATUS_{name}"))
    for name in ("CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED", "CANCELLED"))
UNPAID = int(PaymentStatus.Value("PAYMENT_STATUS_UNPAID"))
FULLY_PAID = int(PaymentStatus.Value("PAYMENT_STATUS_PAID"))
# Status by the sequence's hash (percent), and the path the lifecycle takes to it.
_STATUS_SHARES = [(CREATED, 15), (PAID, 15), (FULFILLED, 10), (SHIPPED, 10), (DELIVERED, 40),
                  (CANCELLED, 10)]
_STATUS_BY_PERCENT = [status for status, share in _STATUS_SHARES for _ in range(share)]
_PATHS = {
    CREATED: [CREATED],
    PAID: [CREATED, PAID],
    FULFILLED: [CREATED, PAID, FULFILLED],
    SHIPPED: [CREATED, PAID, FULFILLED, SHIPPED],
    DELIVERED: [CREATED, PAID, FULFILLED, SHIPPED, DELIVERED],
    CANCELLED: [CREATED, CANCELLED],
}
# Only the public part of a destination is on chain (docs/privacy.md): no name or street here.
SHIP_TO = ShippingAddress(region="CA", country="US")


def address_of(tag: str, i: int) -> str:
    """A deterministic address nobody holds a key for (customers and merchants of the book)."""
    return encode(hashlib.sha256(f"stateset bench {tag} {i}".encode()).digest()[:20])


def funder_address() -> str:
    return address_of("escrow funder", 0)


def orders_params(admin: str) -> dict:
    """Orders genesis params of every benchmark chain: one tax rate, one shipping method."""
    return {
        "authority": admin, "arbiter": admin, "platform_address": admin,
        "tax_rates": [{"country": "US", "region": "CA", "rate_bps": TAX_BPS}],
        "shipping_rates": [{"method": "standard", "fee": str(SHIPPING_FEE)}],
    }


def price_text(amount: int) -> str:
    """Base units (6 decimals) as the shortest exact decimal string: 12_500_000 -> "12.5"."""
    whole, frac = divmod(amount, 1_000_000)
    return f"{whole}.{frac:06d}".rstrip("0").rstrip(".") if frac else str(whole)


def line_items(h: int) -> list[tuple[str, int, int]]:
    """(sku, quantity, unit price in base units) for 1 or 2 items, from the hash ``h``."""
    items = []
    for k in range(1 + h % 2):
        part = h >> (16 + 24 * k)
        items.append((f"SKU-{part % 5000:04d}", 1 + (part >> 12) % 3,
                      5_000_000 + ((part >> 14) % 19_500) * 10_000))
    return items


def totals(items: Sequence[tuple[str, int, int]]) -> tuple[int, int, int]:
    """(subtotal, tax, total) as MsgCreateOrder prices them (tax rounded half up)."""
    subtotal = sum(q * unit for _, q, unit in items)
    tax = (subtotal * TAX_BPS + 5000) // 10000
    return subtotal, tax, subtotal + tax + SHIPPING_FEE


def _hash(seq: int) -> int:
    return int.from_bytes(hashlib.sha256(b"order %d" % seq).digest()[:16], "big")


@dataclass
class OrderBook:
    n: int
    targets: int = 0  # CREATED orders of ``payers``, for pay transactions
    payers: Sequence[str] = ()
    chain_id: str = ""  # order ids bind the chain id (orders/ids.py)

    def __post_init__(self) -> None:
        if self.targets and not self.payers:
            raise ValueError("pay targets need payer addresses")
        if self.targets > self.n:
            raise ValueError(f"{self.targets} pay targets in {self.n} orders")
        self.customers = max(1, self.n // ORDERS_PER_CUSTOMER)
        self.merchant_addresses = [address_of("merchant", i) for i in range(MERCHANTS)]
        # target j sits in the middle of the j-th of ``targets`` equal slices of 1..n
        self.target_seqs = [(2 * j + 1) * self.n // (2 * self.targets) + 1
                            for j in range(self.targets)]
        self._target_index = {seq: j for j, seq in enumerate(self.target_seqs)}
        self._customer_addresses: dict[int, str] = {}

    def is_target(self, seq: int) -> bool:
        return seq in self._target_index

    def created_ns(self, seq: int) -> int:
        return (GENESIS_TIME - (self.n - seq + 1)) * NS

    def customer(self, seq: int, h: int | None = None) -> str:
        j = self._target_index.get(seq)
        if j is not None:
            return self.payers[j % len(self.payers)]
        i = ((_hash(seq) if h is None else h) >> 64) % self.customers
        found = self._customer_addresses.get(i)
        if found is None:
            found = self._customer_addresses[i] = address_of("customer", i)
        return found

    def merchant(self, seq: int, h: int | None = None) -> str:
        return self.merchant_addresses[((_hash(seq) if h is None else h) >> 96) % MERCHANTS]

    def status(self, seq: int, h: int | None = None) -> int:
        if seq in self._target_index:
            return CREATED
        return _STATUS_BY_PERCENT[(_hash(seq) if h is None else h) % 100]

    def order(self, seq: int, payment_id: str = "") -> Order:
        """Order ``seq``; ``payment_id`` names its payment if its status implies one."""
        h = _hash(seq)
        status = self.status(seq, h)
        path = _PATHS[status]
        created = self.created_ns(seq) // NS  # whole seconds
        items = line_items(h)
        subtotal, tax, total = totals(items)
        denom, currency = (USDC, "usdc") if (h >> 120) % 4 == 0 else (SSUSD, "ssusd")
        customer = self.customer(seq, h)
        order = Order(
            id=ids.make_order_id(self.chain_id, seq), sequence=seq, customer=customer,
            merchant=self.merchant(seq, h), creator=customer,
            items=[OrderItem(sku=sku, name="Widget " + sku[4:], quantity=q,
                             unit_price=price_text(unit), unit_price_amount=unit,
                             line_total=q * unit) for sku, q, unit in items],
            shipping_address=SHIP_TO, shipping=ShippingInfo(method="standard"),
            currency=currency, denom=denom, subtotal=subtotal, tax_rate_bps=TAX_BPS, tax=tax,
            shipping_fee=SHIPPING_FEE, total=total, status=status, payment_status=UNPAID,
            timeline=[TimelineEntry(status=s, height=1, time=Timestamp(seconds=created + i))
                      for i, s in enumerate(path)],
            created_at=Timestamp(seconds=created),
            updated_at=Timestamp(seconds=created + len(path) - 1),
        )
        if PAID in path:
            order.payments.append(Payment(
                id=payment_id, payer=customer, amount=total, denom=denom, method="wallet",
                height=1, time=Timestamp(seconds=created + 1)))
            order.amount_paid = total
            order.payment_status = FULLY_PAID
        if SHIPPED in path:
            order.shipping.carrier = "UPS"
            # the tracking number is sealed (shipping.tracking): bench orders carry none
            order.shipping.shipped_at.seconds = created + 3
        if status == DELIVERED:
            order.shipping.delivered_at.seconds = created + 4
            order.settlement_due.seconds = created + 4 + RETURN_WINDOW_NS // NS
        return order

    def orders(self) -> Iterator[Order]:
        """Every order in sequence order, with payment ids from the payment sequence (from 1)."""
        next_payment = 1
        for seq in range(1, self.n + 1):
            paid = _is_paid(self.status(seq))
            yield self.order(seq, ids.make_id(ids.PAYMENT_PREFIX, next_payment) if paid else "")
            next_payment += paid


def _is_paid(status: int) -> bool:
    return PAID in _PATHS[status]


# --- the chain -------------------------------------------------------------------------------


def app_state(accounts: Sequence[txs.BenchAccount]) -> dict:
    """Genesis: the benchmark accounts funded in both denoms, the escrow funder (for
    ``import_orders``), the orders params."""
    entries = txs.genesis_entries(accounts)
    entries.append({"address": funder_address(),
                    "balances": [{"denom": SSUSD, "amount": str(FUNDER_BALANCE)},
                                 {"denom": USDC, "amount": str(FUNDER_BALANCE)}]})
    state = build_app_state(entries)
    state["orders"] = {"params": orders_params(accounts[0].address)}
    return state


def import_orders(chain: BenchChain, book: OrderBook, chunk: int = IMPORT_CHUNK,
                  log=None) -> None:
    """Every order of ``book`` into ``chain``'s committed state, ``chunk`` orders per commit
    (the keeper calls of the orders genesis; see the module docstring)."""
    bank = BankKeeper(AuthKeeper(), module_accounts())
    keeper = OrdersKeeper(bank)
    orders = book.orders()
    params = keeper.params(chain.store.state)
    next_payment = 1
    for start in range(1, book.n + 1, chunk):
        end = min(book.n + 1, start + chunk)
        branch = Branch(chain.store.state)
        height = chain.height + 1
        ctx = Context(branch, BlockInfo(height, GENESIS_TIME * NS, chain.chain_id))
        escrow = {SSUSD: 0, USDC: 0}
        for order in islice(orders, end - start):
            if not order.platform_address:  # as the orders genesis fills it
                order.platform_address = params.platform_address
                order.platform_fee_bps = params.platform_fee_bps
            keeper.insert_order(branch, order)
            if order.HasField("settlement_due"):
                keeper.enqueue_settlement(branch, timestamp_ns(order.settlement_due), order.id)
            escrow[order.denom] += order.amount_paid
            next_payment += len(order.payments)
        keeper.set_next_sequence(branch, end)
        OrdersKeeper.payment_sequence.set(branch, next_payment)
        coins = [Coin(d, a) for d, a in sorted(escrow.items()) if a]
        if coins:
            bank.send_to_module(ctx, funder_address(), ESCROW_ACCOUNT, coins)
        chain.store.stage(branch.changes(), height)
        chain.store.commit()
        chain.height = height
        if log is not None:
            log(f"orders: imported {end - 1:,} of {book.n:,} orders")


def write_genesis_app_state(book: OrderBook, accounts: Sequence[txs.BenchAccount],
                            out: IO[bytes], orders_file: Path | None = None) -> int:
    """The genesis ``app_state`` JSON of ``app_state(accounts)`` with every order of ``book`` in
    the orders genesis and their escrow as a genesis balance (what ``import_orders`` writes,
    through InitChain), written to ``out`` one order at a time; returns the bytes written.
    With ``orders_file``, the orders go there instead (one JSON array, written one order at a
    time) and the document names it by its SHA-256 (``genesisjson``; its path relative to the
    file's directory, which InitChain must be given as ``App.genesis_dir``)."""
    escrow = {SSUSD: 0, USDC: 0}
    payments = 0
    for seq in range(1, book.n + 1):  # the amounts alone: no order is built for them
        if _is_paid(book.status(seq)):
            h = _hash(seq)
            escrow[USDC if (h >> 120) % 4 == 0 else SSUSD] += totals(line_items(h))[2]
            payments += 1
    entries = txs.genesis_entries(accounts) + [{
        "address": module_address(ESCROW_ACCOUNT),
        "balances": [{"denom": d, "amount": str(a)} for d, a in sorted(escrow.items()) if a],
    }]
    state = build_app_state(entries)
    marker = "ORDERS-GO-HERE"
    state["orders"] = {"params": orders_params(accounts[0].address), "orders": marker,
                       "payment_sequence": str(1 + payments)}
    items = (json_format.MessageToDict(order, preserving_proto_field_name=True)
             for order in book.orders())
    if orders_file is not None:
        _, digest = write_list_file(items, orders_file)
        state["orders"]["orders"] = {"path": orders_file.name, "sha256": digest}
        return out.write(json.dumps(state, sort_keys=True).encode())
    head, tail = json.dumps(state, sort_keys=True).encode().split(f'"{marker}"'.encode())
    size = out.write(head) + out.write(b"[")
    for i, item in enumerate(items):
        size += out.write((b"," if i else b"") + json.dumps(item).encode())
    return size + out.write(b"]") + out.write(tail)


def orders_state(chain: BenchChain) -> list[tuple[bytes, bytes]]:
    """Every committed key/value under ``orders/``."""
    return list(chain.store.state.iterate(STORE_PREFIX, prefix_end(STORE_PREFIX)))


def check_import_matches_genesis(n: int = 2_000, chunk: int = 700) -> None:
    """Raises AssertionError unless ``import_orders`` writes exactly the orders state (and escrow)
    that InitChain with the same orders in the orders genesis writes, and every invariant holds
    after the import."""
    accounts = txs.accounts(4)
    book = OrderBook(n, targets=10, payers=[a.address for a in accounts])
    with tempfile.TemporaryDirectory(prefix="stateset-bench-check-") as tmp:
        orders = list(book.orders())
        escrow = {SSUSD: 0, USDC: 0}
        for o in orders:
            escrow[o.denom] += o.amount_paid
        # the escrow as a genesis balance (build_app_state also backs its ssUSD in the reserve)
        entries = txs.genesis_entries(accounts) + [{
            "address": module_address(ESCROW_ACCOUNT),
            "balances": [{"denom": d, "amount": str(a)} for d, a in sorted(escrow.items())],
        }]
        state = build_app_state(entries)
        state["orders"] = {
            "params": orders_params(accounts[0].address),
            "orders": [json_format.MessageToDict(o, preserving_proto_field_name=True)
                       for o in orders],
            "payment_sequence": str(1 + sum(1 for o in orders if o.amount_paid)),
        }
        via_genesis = BenchChain(Path(tmp) / "genesis", state, "bench-check-1")
        via_import = BenchChain(Path(tmp) / "import", app_state(accounts), "bench-check-1")
        try:
            import_orders(via_import, book, chunk)
            via_import.core.run_invariants()
            assert orders_state(via_genesis) == orders_state(via_import), (
                "import_orders and the orders genesis wrote different orders state")
            bank = BankKeeper(AuthKeeper(), module_accounts())
            for denom in (SSUSD, USDC):
                held = [bank.balance(c.store.state, module_address(ESCROW_ACCOUNT), denom)
                        for c in (via_genesis, via_import)]
                assert held[0] == held[1] == escrow[denom], f"escrow {denom}: {held}"
        finally:
            via_genesis.close()
            via_import.close()
