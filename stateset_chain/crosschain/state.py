"""The cross-chain keeper: unclaimed funds records, and the moves in and out of their account.

``credit`` moves coins into ``crosschain_unclaimed`` and adds them to the record of their
received message (creating it); ``debit`` takes them off the record (removing it at zero) after a
message sent them on. The keeper also holds the orders and cctp keepers for the hook and the
refunder; ``stateset_chain/wiring.py`` builds it once both exist.
"""

from __future__ import annotations

from collections.abc import Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.crosschain.expected import (
    BankKeeper,
    CctpKeeper,
    OrdersKeeper,
    RecipientGuard,
    StablecoinKeeper,
)
from stateset_chain.crosschain.keys import (
    PARAMS_KEY,
    REFUND_DESTINATION_PREFIX,
    SOLANA_DOMAIN,
    UNCLAIMED_ACCOUNT,
    UNCLAIMED_PREFIX,
)
from stateset_chain.crypto import address
from stateset_chain.errors import InvariantBroken
from stateset_chain.store.collections import BytesKey, Map, ProtoValue, StrKey
from stateset_chain.store.kv import KVStore
from stateset_chain.timefmt import timestamp

from stateset.crosschain.v1 import events_pb2 as events
from stateset.crosschain.v1.crosschain_pb2 import Params, RefundDestination, UnclaimedFunds


class CrosschainKeeper:
    unclaimed: Map[bytes, UnclaimedFunds] = Map(
        UNCLAIMED_PREFIX, BytesKey, ProtoValue(UnclaimedFunds)
    )
    refund_destinations: Map[str, RefundDestination] = Map(
        REFUND_DESTINATION_PREFIX, StrKey, ProtoValue(RefundDestination)
    )

    def __init__(
        self,
        bank: BankKeeper,
        orders: OrdersKeeper,
        cctp: CctpKeeper,
        stablecoin: StablecoinKeeper | None = None,
        compliance: RecipientGuard | None = None,
    ) -> None:
        self.bank = bank
        # a claim of unclaimed funds to a sanctioned recipient is refused (None: not screened)
        self.compliance = compliance
        self.orders = orders
        self.cctp = cctp
        # issues the ssUSD of ssUSD orders paid by CCTP and redeems it for their refunds;
        # without it, a CCTP payment to an ssUSD order is parked (WRONG_DENOM)
        self.stablecoin = stablecoin
        self.unclaimed_address = address.module_address(UNCLAIMED_ACCOUNT)
        self._attach()

    def _attach(self) -> None:
        """What this module hooks into the others, once, as the app is built (SPEC.md):

        - the bank refuses user sends to an order's deposit address (nobody holds its key);
        - cctp mints to a deposit address pay the order (``hook.on_mint``), and a mint to any
          other address the bank blocks is parked for its sender (``hook.on_blocked_mint``);
        - the orders module refunds a cross-chain payment through a CCTP burn back
          (``refunder.CctpRefunder``).
        """
        from stateset_chain.crosschain.deposit import DEPOSIT_ADDRESS, is_deposit_address
        from stateset_chain.crosschain.hook import blocked_mint_hook, mint_hook
        from stateset_chain.crosschain.refunder import CctpRefunder

        self.bank.blocked_addresses.register(DEPOSIT_ADDRESS, is_deposit_address)
        self.cctp.mint_hooks.attach(
            on_mint=mint_hook(self), recipients=is_deposit_address,
            on_blocked=blocked_mint_hook(self),
        )
        self.orders.hooks.attach_refunder(CctpRefunder(self))

    # -- records -----------------------------------------------------------------------------

    def get_unclaimed(self, store: KVStore, message_hash: bytes) -> UnclaimedFunds | None:
        return self.unclaimed.get(store, message_hash)

    def set_unclaimed(self, store: KVStore, record: UnclaimedFunds) -> None:
        self.unclaimed.set(store, record.message_hash, record)

    def all_unclaimed(self, store: KVStore) -> Iterator[UnclaimedFunds]:
        """Every record, by message hash."""
        for _, record in self.unclaimed.iterate(store):
            yield record

    def get_refund_destination(self, store: KVStore, order_id: str) -> RefundDestination | None:
        return self.refund_destinations.get(store, order_id)

    def set_refund_destination(self, store: KVStore, destination: RefundDestination) -> None:
        self.refund_destinations.set(store, destination.order_id, destination)

    def all_refund_destinations(self, store: KVStore) -> Iterator[RefundDestination]:
        """Every named refund destination, by order id."""
        for _, destination in self.refund_destinations.iterate(store):
            yield destination

    # -- params: where the default return path is not used ------------------------------------

    def params(self, store: KVStore) -> Params:
        raw = store.get(PARAMS_KEY)
        return Params.FromString(raw) if raw is not None else Params()

    def set_params(self, store: KVStore, params: Params) -> None:
        store.set(PARAMS_KEY, params.SerializeToString(deterministic=True))

    def sender_is_wallet(self, store: KVStore, domain: int, sender: bytes) -> bool:
        """Whether a burn's message sender on ``domain`` may be taken for the payer's wallet
        (SPEC.md, "Refund destinations"): never on Solana or a listed domain, never a listed
        router."""
        if domain == SOLANA_DOMAIN:
            return False
        params = self.params(store)
        if domain in params.no_default_domains:
            return False
        return not any(r.domain == domain and r.sender == sender for r in params.routers)

    # -- money -------------------------------------------------------------------------------

    def credit(
        self, ctx: Context, from_addr: str, record: UnclaimedFunds, amount: int
    ) -> UnclaimedFunds:
        """Move ``amount`` from ``from_addr`` to the unclaimed account and add it to the record
        of ``record.message_hash`` (``record`` itself when there is none yet)."""
        self.bank.send(ctx, from_addr, self.unclaimed_address, [Coin(record.denom, amount)])
        existing = self.unclaimed.get(ctx.store, record.message_hash)
        if existing is not None:
            existing.amount = str(int(existing.amount) + amount)
            record = existing
        else:
            record.amount = str(amount)
            record.height = ctx.block.height
            record.time.CopyFrom(timestamp(ctx.block.time_ns))
        self.unclaimed.set(ctx.store, record.message_hash, record)
        ctx.events.emit(events.UnclaimedFundsCredited(record=record, amount=str(amount)))
        return record

    def debit(self, ctx: Context, record: UnclaimedFunds, amount: int) -> int:
        """Take ``amount`` (already moved out of the account) off the record; the remainder."""
        left = int(record.amount) - amount
        if left < 0:
            raise InvariantBroken(f"crosschain: debit of {amount} from {record.amount}")
        if left:
            record.amount = str(left)
            self.unclaimed.set(ctx.store, record.message_hash, record)
        else:
            self.unclaimed.delete(ctx.store, record.message_hash)
        return left
