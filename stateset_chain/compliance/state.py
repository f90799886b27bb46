"""The compliance keeper: its typed collections, and the checks other modules call.

The lists (sanctions, blocked countries, restricted categories, account limits) change only by
this module's messages. The counters (outflow volumes, velocity buckets, customer profiles)
change only through the checks below, which the orders, bank and cctp modules call where money
moves (their ``expected.py`` names the narrow part each one needs):

- orders: ``screen_new_order`` + ``assess_fraud`` at create, ``check_payment`` before a payment,
  ``assess_fraud`` again at the payment that covers the total (a score above the threshold holds
  the order), ``screen_order`` before settlement (a failure freezes the order instead),
  ``require_settleable`` / ``require_refundable`` where a message moves escrow out,
  ``record_settled`` after settlement, ``is_compliance_authority`` for releases;
- bank: ``check_send`` in MsgSend (sanctions and the sender's limits);
- cctp: ``check_mint_recipient`` and ``check_burn_sender`` (sanctions and the depositor's limits);
- stablecoin: ``check_conversion`` in MsgIssueStablecoin / MsgRedeemStablecoin (sanctions);
- crosschain: ``check_recipient`` in MsgClaimUnclaimed (sanctions).

The checks live in ``screening.py`` (lists and limits) and ``fraud.py`` (the score).
"""

from __future__ import annotations

from collections.abc import Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.compliance import fraud, keys, screening
from stateset_chain.compliance.expected import OrderFreezer
from stateset_chain.compliance.params import default_params
from stateset_chain.context import BlockInfo, Context
from stateset_chain.store.collections import (
    Item,
    Map,
    ProtoValue,
    StrKey,
    TupleKey,
    U64Key,
    U64Value,
)
from stateset_chain.store.collections import _UInt as _UIntKey
from stateset_chain.store.kv import KVStore
from stateset_chain.store.memo import ReadAhead

from stateset.compliance.v1 import events_pb2 as events
from stateset.compliance.v1.compliance_pb2 import (
    AccountLimit,
    BlockedCountry,
    ComplianceDecision,
    CustomerProfile,
    FraudAssessment,
    Params,
    RestrictedCategory,
    Sanction,
    VelocityBucket,
    Volume,
)
from stateset.orders.v1.orders_pb2 import Order

U8Key = _UIntKey(">B")


class ComplianceKeeper:
    def __init__(self) -> None:
        self.params_item: Item[Params] = Item(keys.PARAMS, ProtoValue(Params))
        self.sanctions: Map[str, Sanction] = Map(keys.SANCTIONS, StrKey, ProtoValue(Sanction))
        self.blocked_countries: Map[str, BlockedCountry] = Map(
            keys.BLOCKED_COUNTRIES, StrKey, ProtoValue(BlockedCountry)
        )
        self.restricted_categories: Map[tuple[str, str, str], RestrictedCategory] = Map(
            keys.RESTRICTED_CATEGORIES,
            TupleKey(StrKey, StrKey, StrKey),
            ProtoValue(RestrictedCategory),
        )
        self.account_limits: Map[tuple[str, str], AccountLimit] = Map(
            keys.ACCOUNT_LIMITS, TupleKey(StrKey, StrKey), ProtoValue(AccountLimit)
        )
        self.volumes: Map[tuple[str, str, int], Volume] = Map(
            keys.VOLUMES, TupleKey(StrKey, StrKey, U8Key), ProtoValue(Volume)
        )
        self.velocity: Map[tuple[str, int], VelocityBucket] = Map(
            keys.VELOCITY, TupleKey(StrKey, U64Key), ProtoValue(VelocityBucket)
        )
        self.profiles: Map[str, CustomerProfile] = Map(
            keys.PROFILES, StrKey, ProtoValue(CustomerProfile)
        )
        # newly sanctioned parties whose open orders the end block still screens (freezing.py)
        self.freeze_queue: Map[str, int] = Map(keys.FREEZE_QUEUE, StrKey, U64Value)
        # the orders module, attached as it is built (OrdersKeeper.__init__); None: no orders
        self.order_freezer: OrderFreezer | None = None

    def attach_order_freezer(self, freezer: OrderFreezer) -> None:
        self.order_freezer = freezer

    # -- reads ------------------------------------------------------------------------------

    def params(self, store: KVStore) -> Params:
        return self.params_item.get(store) or default_params()

    def set_params(self, store: KVStore, p: Params) -> None:
        self.params_item.set(store, p)

    def sanction(self, store: KVStore, addr: str) -> Sanction | None:
        return self.sanctions.get(store, addr) if addr else None

    def is_sanctioned(self, store: KVStore, addr: str) -> bool:
        return bool(addr) and self.sanctions.has(store, addr)

    def all_sanctions(self, store: KVStore, start_after: str = "") -> Iterator[Sanction]:
        for addr, s in self.sanctions.iterate(store):
            if not start_after or addr > start_after:
                yield s

    def is_compliance_authority(self, store: KVStore, addr: str) -> bool:
        return addr == self.params(store).compliance_authority

    def all_blocked_countries(self, store: KVStore) -> Iterator[BlockedCountry]:
        for _, c in self.blocked_countries.iterate(store):
            yield c

    def all_restricted_categories(
        self, store: KVStore, country: str = ""
    ) -> Iterator[RestrictedCategory]:
        prefix = (country,) if country else ()
        for _, c in self.restricted_categories.iterate(store, prefix=prefix):
            yield c

    def limits_of(self, store: KVStore, addr: str) -> Iterator[AccountLimit]:
        for _, lim in self.account_limits.iterate(store, prefix=(addr,)):
            yield lim

    def all_limits(self, store: KVStore) -> Iterator[AccountLimit]:
        for _, lim in self.account_limits.iterate(store):
            yield lim

    def all_volumes(self, store: KVStore) -> Iterator[tuple[tuple[str, str, int], Volume]]:
        yield from self.volumes.iterate(store)

    def all_velocity(self, store: KVStore) -> Iterator[tuple[tuple[str, int], VelocityBucket]]:
        yield from self.velocity.iterate(store)

    def all_profiles(self, store: KVStore) -> Iterator[tuple[str, CustomerProfile]]:
        yield from self.profiles.iterate(store)

    def all_freeze_tasks(self, store: KVStore) -> Iterator[tuple[str, int]]:
        yield from self.freeze_queue.iterate(store)

    # -- the checks other modules call (see the module docstring) ----------------------------

    def screen_new_order(self, ctx: Context, order: Order) -> ComplianceDecision:
        return screening.screen_new_order(self, ctx, order)

    def screen_order(self, ctx: Context, order: Order) -> ComplianceDecision | None:
        return screening.screen_order(self, ctx, order)

    def require_unfrozen(self, ctx: Context, order: Order) -> ComplianceDecision:
        return screening.require_unfrozen(self, ctx, order)

    def record_freeze(self, ctx: Context, order: Order, decision: ComplianceDecision) -> None:
        ctx.events.emit(events.OrderFrozen(order_id=order.id, decision=decision))

    def check_payment(self, ctx: Context, order: Order, payer: str, coin: Coin) -> None:
        screening.check_payment(self, ctx, order, payer, coin)

    def require_settleable(self, ctx: Context, order: Order) -> None:
        screening.require_settleable(self, ctx, order)

    def require_refundable(self, ctx: Context, order: Order, recipients: list[str]) -> None:
        screening.require_refundable(self, ctx, recipients)

    def check_send(self, ctx: Context, sender: str, recipient: str, coins: list[Coin]) -> None:
        screening.check_send(self, ctx, sender, recipient, coins)

    def send_reads(self, sender: str, recipient: str, denoms: list[str]) -> list[bytes]:
        """The store keys ``check_send`` reads first (sanctions, the sender's limits): what a
        block reads ahead for a MsgSend."""
        return [self.sanctions.store_key(sender), self.sanctions.store_key(recipient),
                *[self.account_limits.store_key((sender, d)) for d in denoms]]

    def new_order_reads(
        self, store: KVStore, block: BlockInfo, customer: str, parties: list[str],
        country: str, region: str, categories: list[str],
    ) -> ReadAhead:
        """The committed keys and ranges ``screen_new_order`` and ``assess_fraud`` at CREATE read
        for a new order of ``customer`` naming ``parties``, shipped to ``country``/``region``,
        with items of ``categories`` (upper-cased codes, as the order records them): what a
        block reads ahead for it (store/memo.py)."""
        out = ReadAhead(screening.screening_reads(self, parties, country, region, categories))
        out.add(fraud.reads(self, store, customer, block.time_seconds, create=True))
        return out

    def payment_reads(
        self, store: KVStore, block: BlockInfo, order: Order, payer: str, denom: str
    ) -> ReadAhead:
        """The committed keys and ranges ``check_payment`` and ``assess_fraud`` at PAY read for a
        payment of the committed ``order`` by ``payer`` in ``denom`` (a block's read-ahead)."""
        ship = order.shipping_address
        parties = [a for _, a in screening.every_party(order)]
        parties.append(payer)
        categories = [item.category for item in order.items]
        out = ReadAhead(
            screening.screening_reads(self, parties, ship.country, ship.region, categories)
        )
        out.keys.append(self.account_limits.store_key((payer, denom)))
        out.add(fraud.reads(self, store, order.customer, block.time_seconds, create=False))
        return out

    def check_mint_recipient(self, ctx: Context, recipient: str) -> None:
        screening.check_mint_recipient(self, ctx, recipient)

    def check_burn_sender(self, ctx: Context, sender: str, coins: list[Coin]) -> None:
        screening.check_burn_sender(self, ctx, sender, coins)

    def check_conversion(self, ctx: Context, holder: str) -> None:
        screening.check_conversion(self, ctx, holder)

    def check_recipient(self, ctx: Context, recipient: str) -> None:
        screening.check_recipient(self, ctx, recipient)

    def assess_fraud(self, ctx: Context, order: Order, stage: int) -> FraudAssessment:
        return fraud.assess(self, ctx, order, stage)

    def record_settled(self, ctx: Context, order: Order) -> None:
        fraud.record_settled(self, ctx, order)
