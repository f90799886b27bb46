"""The orders keeper: params, orders, client ids, the id sequences and the settlement queue
(the consensus state), declared below as the keeper's collections.

The list indexes and counters (customer, merchant, status, totals, the histogram, ...) are
``OrdersKeeper.index`` (``orders/index``). ``insert_order`` (an order imported at genesis)
stores the order and its client id and calls ``index.add``. In a block, ``add_order`` (a new
order) and ``move_status`` (called only by ``lifecycle.transition``) charge the index writes'
gas (``index/charges.py``) and make none: ``derive_indexes`` makes them once per block from the
block's order writes (``index/derive.py``). Every other indexed field never changes after
creation, so ``save_order`` writes only the order itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.orders import ids
from stateset_chain.orders.errors import InvalidCurrency, OrderNotFound
from stateset_chain.orders.expected import (
    BankKeeper,
    ComplianceGuard,
    CrossChainRefunder,
    EncryptionKeys,
    ExchangeRates,
    StatusHook,
    StockKeeper,
)
from stateset_chain.orders.hooks import OrderHooks
from stateset_chain.orders.index import OrderIndex, charges, derive
from stateset_chain.orders.keys import (
    CLIENT_IDS_PREFIX,
    ESCROW_ACCOUNT,
    OPEN_BY_PARTY_PREFIX,
    ORDER_SEQUENCE_KEY,
    ORDERS_PREFIX,
    PARAMS_KEY,
    PAYMENT_SEQUENCE_KEY,
    REFUND_SEQUENCE_KEY,
    SETTLEMENT_QUEUE_PREFIX,
)
from stateset_chain.orders.params import default_params
from stateset_chain.store.collections import (
    BytesKey,
    Item,
    KeySet,
    Map,
    ProtoValue,
    Sequence,
    StrKey,
    StrValue,
    TupleKey,
    U64Key,
)
from stateset_chain.store.kv import KVStore

from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import CrossChainOrigin, Order
from stateset.orders.v1.params_pb2 import Params

if TYPE_CHECKING:
    from stateset_chain.orders.msgs.create import ParsedOrder


class OrdersKeeper:
    """The orders' consensus state (its collections below) and every write to it; the list
    indexes and counters are ``self.index`` (``orders/index``: node-local, outside the app
    hash)."""

    params_item: Item[Params] = Item(PARAMS_KEY, ProtoValue(Params))
    orders: Map[str, Order] = Map(ORDERS_PREFIX, StrKey, ProtoValue(Order))
    # client order ids are the merchant's: (merchant, client id) -> order id
    client_ids: Map[tuple[bytes, str], str] = Map(
        CLIENT_IDS_PREFIX, TupleKey(BytesKey, StrKey), StrValue
    )
    order_sequence = Sequence(ORDER_SEQUENCE_KEY, start=1)
    payment_sequence = Sequence(PAYMENT_SEQUENCE_KEY, start=1)
    refund_sequence = Sequence(REFUND_SEQUENCE_KEY, start=1)

    settlement_queue: KeySet[tuple[int, str]] = KeySet(
        SETTLEMENT_QUEUE_PREFIX, TupleKey(U64Key, StrKey)
    )
    # orders holding escrow, by each party (orders/freezing.py): consensus state, because the
    # compliance freeze of a newly sanctioned party reads it in the end block
    open_by_party: Map[tuple[bytes, int], str] = Map(
        OPEN_BY_PARTY_PREFIX, TupleKey(BytesKey, U64Key), StrValue
    )
    index = OrderIndex()

    def __init__(
        self,
        bank: BankKeeper,
        refunder: CrossChainRefunder | None = None,
        compliance: ComplianceGuard | None = None,
        encryption_keys: EncryptionKeys | None = None,
        rates: ExchangeRates | None = None,
    ) -> None:
        self.bank = bank
        # the oracle's USD rates: fiat-priced orders lock one (orders/fx.py); None: no fiat
        # currency can be used
        self.rates: ExchangeRates | None = rates
        # screens parties, destinations and items where money moves, scores fraud, and holds
        # orders (compliance/SPEC.md); None: nothing is screened or scored
        self.compliance: ComplianceGuard | None = compliance
        self.escrow_address = address.module_address(ESCROW_ACCOUNT)
        # the privacy module's key registry: sealed personal data must name current keys
        # (None: nothing can be sealed)
        self.encryption_keys: EncryptionKeys | None = encryption_keys
        # what the modules that follow orders attach as they are built (orders/hooks.py): the
        # inventory's stock, the status hooks, the cross-chain refunder
        self.hooks = OrderHooks(refunder)
        if compliance is not None:
            # the end block of a new sanction freezes the party's open orders through us
            compliance.attach_order_freezer(self)

    @property
    def stock(self) -> StockKeeper | None:
        """The inventory module: reserves tracked SKUs at creation (None: none tracked)."""
        return self.hooks.stock

    @property
    def status_hooks(self) -> list[StatusHook]:
        """Told of every status change, in order (inventory, conditional orders)."""
        return self.hooks.status

    @property
    def cross_chain_refunder(self) -> CrossChainRefunder | None:
        """Refunds payments with a ``cross_chain`` origin (the crosschain module)."""
        return self.hooks.refunder

    # -- for other modules: the messages' own code ---------------------------------------------

    def create_order(
        self, ctx: Context, msg: tx.MsgCreateOrder, parsed: ParsedOrder | None = None,
        reserve_stock: bool = True,
    ) -> tx.MsgCreateOrderResponse:
        """MsgCreateOrder as its creator sent it (``msgs/create.py``): conditional orders and
        subscription cycles create their orders through it. ``parsed``: what
        ``validate_order(msg)`` returned, when the caller validated ``msg`` in this message
        (None: it is validated here, once). Those modules pre-fund or allow amounts in a USD
        stablecoin, so their orders are priced in one: a fiat currency is refused
        (``InvalidCurrency``)."""
        from stateset_chain.orders import fx
        from stateset_chain.orders.msgs import create

        if parsed is None:
            parsed = create.validate(msg)
        if fx.is_fiat_currency(parsed.currency):
            raise InvalidCurrency(
                f"{msg.currency}: orders created by another module are priced in USD"
            )
        return create.handle(self, ctx, msg, parsed, reserve_stock=reserve_stock)

    @staticmethod
    def order_currency(text: str) -> str:
        """The currency an order priced in ``text`` is in (``msgs/create.py currency_of``), or
        raise ``InvalidCurrency``."""
        from stateset_chain.orders.msgs import create

        return create.currency_of(tx.MsgCreateOrder(currency=text))

    @staticmethod
    def validate_order(msg: tx.MsgCreateOrder) -> ParsedOrder:
        """MsgCreateOrder's stateless validation (``msgs/create.py validate``): raises its
        error, returns what it parsed, for ``create_order``."""
        from stateset_chain.orders.msgs import create

        return create.validate(msg)

    def pay_order(
        self,
        ctx: Context,
        payer: str,
        order_id: str,
        amount: Coin,
        method: str,
        cross_chain: CrossChainOrigin | None = None,
        up_to: bool = False,
    ) -> tx.MsgPayOrderResponse:
        """One payment as MsgPayOrder makes it (``msgs/pay.py``, ``pay_order``)."""
        from stateset_chain.orders.msgs import pay

        return pay.pay_order(self, ctx, payer, order_id, amount, method, cross_chain, up_to)

    # -- params ------------------------------------------------------------------------------

    def params(self, store: KVStore) -> Params:
        return self.params_item.get(store) or default_params()

    def set_params(self, store: KVStore, params: Params) -> None:
        self.params_item.set(store, params)

    # -- orders ------------------------------------------------------------------------------

    def get_order(self, store: KVStore, order_id: str) -> Order | None:
        return self.orders.get(store, order_id)

    def must_get_order(self, store: KVStore, order_id: str) -> Order:
        order = self.orders.get(store, order_id)
        if order is None:
            raise OrderNotFound(f"order {order_id}")
        return order

    def order_id_by_client_id(
        self, store: KVStore, merchant: str, client_order_id: str
    ) -> str | None:
        """The order ``merchant`` created under ``client_order_id`` (the merchant's namespace)."""
        return self.client_ids.get(store, (address.decode(merchant), client_order_id))

    def order_id_at(self, store: KVStore, seq: int) -> str | None:
        return self.index.by_sequence.get(store, seq)

    def next_order_id(self, store: KVStore, chain_id: str) -> tuple[int, str]:
        """Take the next sequence number and an unused id derived from it and the chain id."""
        seq = self.order_sequence.next(store)
        attempt = 0
        order_id = ids.make_order_id(chain_id, seq, attempt)
        while self.orders.has(store, order_id):
            attempt += 1
            order_id = ids.make_order_id(chain_id, seq, attempt)
        return seq, order_id

    def next_payment_id(self, store: KVStore) -> str:
        return ids.make_id(ids.PAYMENT_PREFIX, self.payment_sequence.next(store))

    def next_refund_id(self, store: KVStore) -> str:
        return ids.make_id(ids.REFUND_PREFIX, self.refund_sequence.next(store))

    def insert_order(self, store: KVStore, order: Order) -> None:
        """Store a new order with every index entry and counter (genesis, imports: outside a
        block; a transaction's new order is ``add_order``)."""
        self._store_new(store, order)
        self.index.add(store, order)

    def add_order(self, ctx: Context, order: Order) -> None:
        """Store an order a transaction (or an end-block hook) creates; its index entries are
        derived at the end of the block (``derive_indexes``), their gas charged here."""
        self._store_new(ctx.store, order)
        ctx.gas.consume(charges.add_gas(order), "OrderIndex")

    def _store_new(self, store: KVStore, order: Order) -> None:
        self.orders.set(store, order.id, order)
        if order.client_order_id:
            key = (address.decode(order.merchant), order.client_order_id)
            self.client_ids.set(store, key, order.id)
        if escrowed(order):  # an order imported at genesis with money in escrow
            self.mark_open(store, order)

    def save_order(self, store: KVStore, order: Order) -> None:
        self.orders.set(store, order.id, order)

    def move_status(self, ctx: Context, order: Order, to: int) -> None:
        """``order`` moves to status ``to`` (only ``lifecycle.transition`` calls this): its index
        entries move at the end of the block (``derive_indexes``), their gas charged here."""
        ctx.gas.consume(charges.move_gas(order), "OrderIndex")

    def derive_indexes(self, base: KVStore, block: KVStore) -> None:
        """The index writes of the orders ``block`` (a ``Branch`` over ``base``, the state before
        the block) wrote, made in one step after the block's end-block hooks
        (``Module.derive_local``; orders/index/derive.py)."""
        derive.derive(self.index, base, block, self.order_sequence.peek(base))

    def rebuild_indexes(self, store: KVStore) -> None:
        """Writes every order's list indexes and counters (``index.add``) from the orders
        alone: a node restored from a snapshot (consensus state only) gets the indexes every
        node that executed the blocks holds, since they are a function of the self.orders."""
        for _, order in self.orders.iterate(store):
            self.index.add(store, order)

    def all_orders(self, store: KVStore) -> list[Order]:
        """Every order in sequence order, from the consensus records alone (genesis export: a
        past height's state has no node-local index)."""
        return sorted((o for _, o in self.orders.iterate(store)), key=_sequence_of)

    # -- open orders by party (orders/freezing.py) ---------------------------------------------

    def mark_open(self, store: KVStore, order: Order, parties: list[str] | None = None) -> None:
        """Index ``order`` under ``parties`` (default: all of ``open_parties(order)``)."""
        for party in open_parties(order) if parties is None else parties:
            self.open_by_party.set(store, (address.decode(party), order.sequence), order.id)

    def mark_closed(self, store: KVStore, order: Order) -> None:
        """The order holds no escrow any more: out of the index under every party."""
        for party in open_parties(order):
            self.open_by_party.delete(store, (address.decode(party), order.sequence))

    def open_orders_of(
        self, store: KVStore, party: str, after_sequence: int, limit: int
    ) -> list[tuple[int, str]]:
        """Up to ``limit`` (sequence, order id) of ``party``'s open orders after
        ``after_sequence``, in sequence order."""
        raw = address.decode(party)
        out: list[tuple[int, str]] = []
        for (_, seq), order_id in self.open_by_party.iterate(
            store, start=(raw, after_sequence + 1), prefix=(raw,)
        ):
            if len(out) == limit:
                break
            out.append((seq, order_id))
        return out

    def all_open_entries(self, store: KVStore) -> list[tuple[tuple[bytes, int], str]]:
        return list(self.open_by_party.iterate(store))

    def freeze_open_orders(
        self, ctx: Context, party: str, after_sequence: int, budget: int
    ) -> tuple[int, int, bool]:
        """compliance ``OrderFreezer``: orders/freezing.py."""
        from stateset_chain.orders import freezing

        return freezing.freeze_open_orders(self, ctx, party, after_sequence, budget)

    # -- counters ----------------------------------------------------------------------------

    def next_sequence(self, store: KVStore) -> int:
        return self.order_sequence.peek(store)

    def set_next_sequence(self, store: KVStore, seq: int) -> None:
        self.order_sequence.set(store, seq)

    def order_count(self, store: KVStore) -> int:
        return self.order_sequence.peek(store) - 1

    # -- settlement queue --------------------------------------------------------------------

    def enqueue_settlement(self, store: KVStore, due_ns: int, order_id: str) -> None:
        self.settlement_queue.add(store, (due_ns, order_id))

    def dequeue_settlement(self, store: KVStore, due_ns: int, order_id: str) -> None:
        self.settlement_queue.remove(store, (due_ns, order_id))

    def due_settlements(self, store: KVStore, now_ns: int, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` queue entries with due time <= now, earliest first."""
        due: list[tuple[int, str]] = []
        for entry in self.settlement_queue.iterate(store, end=(now_ns + 1, "")):
            if len(due) == limit:
                break
            due.append(entry)
        return due


def escrowed(order: Order) -> int:
    return order.amount_paid - order.amount_refunded - order.amount_settled


def open_parties(order: Order) -> list[str]:
    """Everyone an open order's money could go to or came from: customer, merchant, the split's
    supplier, the platform, every payer (sorted, each once)."""
    parties = {order.customer, order.merchant, order.revenue_split.supplier,
               order.platform_address, *(p.payer for p in order.payments)}
    parties.discard("")
    return sorted(parties)


def _sequence_of(order: Order) -> int:
    return order.sequence
