"""The bank keeper: balances, total supply, and the only code that moves coins.

Every movement goes through four primitives that keep ``supply(denom) == Σ balance(·, denom)``:
``send`` (address to address), ``send_to_module`` / ``send_from_module`` (to and from a module
account, whose address is ``sha256(name)[:20]``), ``mint`` (new coins into a module account) and
``burn`` (destroy coins a module account holds). Each checks every coin before it writes, emits the
Cosmos SDK's plain bank events (``coin_spent``, ``coin_received``, then ``transfer``, ``coinbase``
or ``burn``: what wallets, explorers and ``tx_search`` look for) and then one typed event, and makes
sure every address that receives coins has an account (``ensure_account``). Because every module
moves coins through these primitives, fees, escrow, settlement, refunds, mints and burns all get
the standard events without any module emitting them itself.

Module accounts are declared up front with their permissions (the SDK's ``maccPerms``): only a
``minter`` may mint and only a ``burner`` may burn, and no declared module account may receive a
``MsgSend`` (users cannot strand coins there). More addresses are blocked from user sends through
the registry the bank owns (``blocked_addresses``, ``bank/blocked.py``): a module that defines
addresses nobody holds a key for registers them (crosschain: order deposit addresses), without
the bank importing that module. Other modules should depend on the
narrowest view they need (see ``stateset_chain/stablecoin/expected.py``), never on this class.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import stateset_chain.pb  # noqa: F401  (puts the generated protos on sys.path)
from stateset_chain.bank.blocked import AddressPredicate, BlockedAddresses
from stateset_chain.bank.errors import BlockedRecipient
from stateset_chain.bank.events import coins_transferred_attributes
from stateset_chain.bank.expected import AccountKeeper, SendGuard
from stateset_chain.bank.keys import (
    BALANCES_PREFIX,
    DENOMS_PREFIX,
    METADATA_PREFIX,
    SUPPLY_PREFIX,
)
from stateset_chain.coins import MAX_AMOUNT, Coin, format_coins
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import InsufficientFunds, InvalidCoins
from stateset_chain.module import BURNER, MINTER  # re-exported: the permissions of module accounts
from stateset_chain.store.collections import (
    BytesKey,
    KeySet,
    Map,
    ProtoValue,
    RestStrKey,
    StrKey,
    TupleKey,
    UIntValue,
)
from stateset_chain.store.kv import KVStore

from cosmos.bank.v1beta1 import bank_pb2
from stateset.bank.v1 import events_pb2 as events

# Module accounts the standard app declares; wiring may pass a larger mapping.
DEFAULT_MODULE_ACCOUNTS: Mapping[str, frozenset[str]] = {
    "fee_collector": frozenset(),
    "stablecoin": frozenset({MINTER, BURNER}),
    "stablecoin_reserve": frozenset(),
}

MODULE_ACCOUNT = "a module account"

class ModulePermissionError(Exception):
    """A module minted or burned without the permission: a wiring bug, not a user error."""


class BankKeeper:
    """The bank's schema (its typed collections, ``SPEC.md`` "State") and every movement."""

    # (address bytes, denom) keys, encoded once for the read-ahead, the read and the write of
    # each transfer (a 5,000-tx block's fit the cache).
    balances: Map[tuple[bytes, str], int] = Map(
        BALANCES_PREFIX, TupleKey(BytesKey, StrKey), UIntValue, cached_keys=1 << 15
    )
    supplies: Map[str, int] = Map(SUPPLY_PREFIX, StrKey, UIntValue)
    denoms: KeySet[str] = KeySet(DENOMS_PREFIX, StrKey)
    # How wallets display a denom (units, symbol); set in genesis, read by the DenomMetadata
    # queries.
    denom_metadata: Map[str, bank_pb2.Metadata] = Map(
        METADATA_PREFIX, RestStrKey, ProtoValue(bank_pb2.Metadata)
    )

    def __init__(
        self,
        accounts: AccountKeeper,
        module_accounts: Mapping[str, Iterable[str]] = DEFAULT_MODULE_ACCOUNTS,
        blocked_predicates: Mapping[str, AddressPredicate] | None = None,
        send_guard: SendGuard | None = None,
    ) -> None:
        """``blocked_predicates``: the first rules of ``blocked_addresses`` (``{description:
        predicate}``; modules register more into it as the app is built, see ``bank/blocked.py``).
        Checked in order, after the module accounts."""
        # the auth keeper, narrowed to what the bank needs (bank/expected.py): accounts are
        # created for recipients. Auth needs nothing of the bank (the ante chain takes both).
        self.accounts = accounts
        self.permissions = {name: frozenset(p) for name, p in module_accounts.items()}
        self._blocked = frozenset(address.module_address_bytes(n) for n in module_accounts)
        self.blocked_addresses = BlockedAddresses(blocked_predicates)
        # the compliance module: sanctions and per-account limits in MsgSend (None: no checks)
        self.send_guard: SendGuard | None = send_guard

    # -- reads -------------------------------------------------------------------------------

    def balance(self, store: KVStore, addr: str, denom: str) -> int:
        return self.balances.get(store, (address.decode(addr), denom)) or 0

    def balance_key(self, addr: str, denom: str) -> bytes:
        """The store key of ``addr``'s ``denom`` balance (raises InvalidAddress): what a block
        reads ahead."""
        return self.balances.store_key((address.decode(addr), denom))

    def all_balances(self, store: KVStore, addr: str) -> list[Coin]:
        """Every nonzero balance of ``addr``, sorted by denom."""
        entries = self.balances.iterate(store, prefix=(address.decode(addr),))
        return sorted(Coin(denom, amount) for (_, denom), amount in entries)

    def supply(self, store: KVStore, denom: str) -> int:
        return self.supplies.get(store, denom) or 0

    def total_supply(self, store: KVStore) -> list[Coin]:
        """Every denom with nonzero supply, sorted by denom."""
        return sorted(Coin(denom, amount) for denom, amount in self.supplies.iterate(store))

    def is_known_denom(self, store: KVStore, denom: str) -> bool:
        return self.denoms.has(store, denom)

    def known_denoms(self, store: KVStore) -> list[str]:
        return sorted(self.denoms.iterate(store))

    def add_denom(self, store: KVStore, denom: str) -> None:
        self.denoms.add(store, denom)

    def is_blocked(self, addr: str) -> bool:
        """True for declared module accounts: they receive coins only from their module.

        Callers that give a module account its own error use this; a user-initiated transfer
        checks ``blocked_reason``, which also covers ``blocked_addresses``."""
        return address.decode(addr) in self._blocked

    def blocked_reason(self, addr: str) -> str | None:
        """Why no user may send coins to ``addr`` (``MODULE_ACCOUNT``, or the description of the
        first matching ``blocked_addresses`` rule), or None if users may.

        User-initiated transfers (MsgSend), cctp's mint recipients and the orders' settlement
        recipients ask; of the movement primitives only ``send_from_module`` refuses a recipient
        (a module account), so cctp still mints to a deposit address (whose hook moves the coins
        on in the same message)."""
        raw = address.decode(addr)
        if raw in self._blocked:
            return MODULE_ACCOUNT
        return self.blocked_addresses.reason(raw)

    # -- movements ---------------------------------------------------------------------------

    def send(self, ctx: Context, from_addr: str, to_addr: str, coins: list[Coin]) -> None:
        """Move ``coins`` from one address to another; raises InsufficientFunds, writes nothing."""
        if not _checked(coins):
            return
        store = ctx.store
        self._subtract(store, address.decode(from_addr), coins)
        self._add(store, address.decode(to_addr), coins)
        self.accounts.ensure_account(store, to_addr)
        emit = ctx.events.emit_pending
        amount = format_coins(coins)
        emit(COIN_SPENT, [("spender", from_addr), ("amount", amount)])
        emit(COIN_RECEIVED, [("receiver", to_addr), ("amount", amount)])
        emit(TRANSFER, [("recipient", to_addr), ("sender", from_addr), ("amount", amount)])
        emit(COINS_TRANSFERRED, coins_transferred_attributes(from_addr, to_addr, coins))

    def send_to_module(self, ctx: Context, from_addr: str, module: str, coins: list[Coin]) -> None:
        self.send(ctx, from_addr, address.module_address(module), coins)

    def send_from_module(
        self, ctx: Context, module: str, to_addr: str, coins: list[Coin],
        holder_may_be_module: bool = False,
    ) -> None:
        """A module pays an account (a mint's recipient, a refund, a settlement, a claim).

        Refuses a declared module account as the recipient (``BlockedRecipient``), as the SDK's
        ``SendCoinsFromModuleToAccount`` does: no module's payout can strand coins in another
        module's account, where its own accounting would not expect them. Addresses blocked only
        by ``blocked_addresses`` (order deposit addresses) are not refused here: cctp mints there
        and the crosschain hook moves the coins on in the same message. ``holder_may_be_module``:
        the recipient is the holder that just paid this module in the same operation (stablecoin
        issue/redeem for the orders escrow), so the coins go back where its accounting expects."""
        if self.is_blocked(to_addr) and not holder_may_be_module:
            raise BlockedRecipient(f"{to_addr} is {MODULE_ACCOUNT}: module {module} cannot pay it")
        self.send(ctx, address.module_address(module), to_addr, coins)

    def mint(self, ctx: Context, module: str, coins: list[Coin]) -> None:
        """Create ``coins`` in the module's account; the module needs the ``minter`` permission."""
        self._require_permission(module, MINTER)
        if not _checked(coins):
            return
        for c in coins:
            if self.supply(ctx.store, c.denom) + c.amount > MAX_AMOUNT:
                raise InvalidCoins(f"minting {c} overflows the supply of {c.denom}")
        module_addr = address.module_address(module)
        for c in coins:
            self.supplies.set(ctx.store, c.denom, self.supply(ctx.store, c.denom) + c.amount)
            self.denoms.add(ctx.store, c.denom)
        self._add(ctx.store, address.decode(module_addr), coins)
        self.accounts.ensure_account(ctx.store, module_addr)
        amount = format_coins(coins)
        ctx.events.emit_pending(COIN_RECEIVED, [("receiver", module_addr), ("amount", amount)])
        ctx.events.emit_pending(COINBASE, [("minter", module_addr), ("amount", amount)])
        ctx.events.emit(events.CoinsMinted(module=module, amount=[c.to_proto() for c in coins]))

    def burn(self, ctx: Context, module: str, coins: list[Coin]) -> None:
        """Destroy ``coins`` held by the module's account; the module needs ``burner``."""
        self._require_permission(module, BURNER)
        if not _checked(coins):
            return
        self._subtract(ctx.store, address.module_address_bytes(module), coins)
        for c in coins:
            supply = self.supply(ctx.store, c.denom) - c.amount
            _set_or_delete(self.supplies, ctx.store, c.denom, supply)
        module_addr = address.module_address(module)
        amount = format_coins(coins)
        ctx.events.emit_pending(COIN_SPENT, [("spender", module_addr), ("amount", amount)])
        ctx.events.emit_pending(BURN, [("burner", module_addr), ("amount", amount)])
        ctx.events.emit(events.CoinsBurned(module=module, amount=[c.to_proto() for c in coins]))

    # -- internals ---------------------------------------------------------------------------

    def _subtract(self, store: KVStore, raw: bytes, coins: list[Coin]) -> None:
        held = [self.balances.get(store, (raw, c.denom)) or 0 for c in coins]
        for c, have in zip(coins, held, strict=True):
            if have < c.amount:
                raise InsufficientFunds(
                    f"spendable balance {Coin(c.denom, have)} is smaller than {c}"
                )
        for c, have in zip(coins, held, strict=True):
            _set_or_delete(self.balances, store, (raw, c.denom), have - c.amount)

    def _add(self, store: KVStore, raw: bytes, coins: list[Coin]) -> None:
        for c in coins:
            held = self.balances.get(store, (raw, c.denom)) or 0
            self.balances.set(store, (raw, c.denom), held + c.amount)

    def _require_permission(self, module: str, permission: str) -> None:
        if permission not in self.permissions.get(module, frozenset()):
            raise ModulePermissionError(f"module account {module!r} lacks {permission} permission")


def _checked(coins: list[Coin]) -> bool:
    """Refuses unsorted, duplicate or zero coins; False for an empty list (nothing to move)."""
    if len(coins) == 1 and coins[0].amount > 0:  # the usual case, checked in one step
        return True
    denoms = [c.denom for c in coins]
    if denoms != sorted(set(denoms)) or any(c.amount <= 0 for c in coins):
        raise InvalidCoins(f"coins must be positive, sorted and unique: {format_coins(coins)}")
    return bool(coins)


COINS_TRANSFERRED = events.CoinsTransferred.DESCRIPTOR.full_name

# The Cosmos SDK's plain bank events (x/bank/types/events.go): values are plain text, an amount
# is ``sdk.Coins.String()`` (``100uusdc,5ussusd``). The SDK names its mint event ``coinbase`` so
# that it does not clash with x/mint's ``mint`` event; explorers look for that name.
COIN_SPENT = "coin_spent"  # spender, amount: coins left an address (send, burn)
COIN_RECEIVED = "coin_received"  # receiver, amount: coins reached an address (send, mint)
TRANSFER = "transfer"  # recipient, sender, amount: one send
COINBASE = "coinbase"  # minter, amount: new coins in a module account
BURN = "burn"  # burner, amount: coins a module account held were destroyed


def _set_or_delete(collection: Map, store: KVStore, key, amount: int) -> None:
    if amount:
        collection.set(store, key, amount)
    else:
        collection.delete(store, key)
