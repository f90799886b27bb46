"""The cctp keeper: typed collections for every piece of state, and the calls other modules use.

State is read and written only through the keeper's named functions (``owner``, ``set_owner``,
``mark_nonce_used``, ...). The flows live in the message files: ``msgs/receive_message.py``
(attested messages in, mints), ``msgs/send_message.py`` and ``msgs/deposit_for_burn.py`` (messages
and burns out). Other modules call

- ``CctpKeeper.deposit_for_burn(ctx, depositor, amount, destination_domain, mint_recipient,
  destination_caller)``: burn ``amount`` uusdc held by ``depositor`` (any address, a module
  account included) and send the burn message; returns the ``SentMessage`` (nonce, bytes, hash);
- ``CctpKeeper.on_mint``: a hook the keeper calls after every mint of a received burn message
  (attached to ``CctpKeeper.mint_hooks`` by the module that takes charge: ``hooks.py``).

The hook (``on_mint(ctx, MintInfo) -> bool``) runs inside the receiving transaction, after the
coins reached the mint recipient and ``MintAndWithdraw`` was emitted, before ``MessageReceived``.
It may move the coins on (for example from an order's deposit address into escrow) and returns
True when it took charge of them, False when they simply stay with the mint recipient. It must
not raise for a business mismatch (unknown order, overpayment): raising reverts the whole receive,
the nonce stays unused and the coins are not minted until a later relay succeeds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp import keys
from stateset_chain.cctp.attestation import verify_attestation
from stateset_chain.cctp.codec import ZERO32, pad_address
from stateset_chain.cctp.errors import LocalDomainNotSet, NoAttesters, SignatureThresholdNotSet
from stateset_chain.cctp.expected import BankKeeper, ComplianceGuard
from stateset_chain.cctp.hooks import BlockedMintHook, MintHooks
from stateset_chain.cctp.results import MintHook, MintInfo, ReceiveResult, SentMessage
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.gas import SIG_VERIFY_COST_SECP256K1
from stateset_chain.store.collections import (
    BytesKey,
    BytesValue,
    Item,
    KeySet,
    Map,
    Sequence,
    StrKey,
    StrValue,
    TupleKey,
    U32Key,
    U64Key,
    U64Value,
    UIntValue,
)
from stateset_chain.store.kv import KVStore


class BoolValue:
    @staticmethod
    def encode(value: bool) -> bytes:
        return b"\x01" if value else b"\x00"

    @staticmethod
    def decode(data: bytes) -> bool:
        return data == b"\x01"


__all__ = [
    "BlockedMintHook", "CctpKeeper", "MintHook", "MintInfo", "ReceiveResult", "SentMessage",
]


class CctpKeeper:
    local_domain_item: Item[int] = Item(keys.LOCAL_DOMAIN_KEY, U64Value)
    owner_item: Item[str] = Item(keys.OWNER_KEY, StrValue)
    pending_owner_item: Item[str] = Item(keys.PENDING_OWNER_KEY, StrValue)
    attester_manager_item: Item[str] = Item(keys.ATTESTER_MANAGER_KEY, StrValue)
    pauser_item: Item[str] = Item(keys.PAUSER_KEY, StrValue)
    token_controller_item: Item[str] = Item(keys.TOKEN_CONTROLLER_KEY, StrValue)
    threshold_item: Item[int] = Item(keys.SIGNATURE_THRESHOLD_KEY, U64Value)
    attesters: Map[bytes, bytes] = Map(keys.ATTESTERS_PREFIX, BytesKey, BytesValue)
    attester_count_item: Item[int] = Item(keys.ATTESTER_COUNT_KEY, U64Value)
    remote_token_messengers: Map[int, bytes] = Map(
        keys.REMOTE_TOKEN_MESSENGERS_PREFIX, U32Key, BytesValue
    )
    token_pairs: Map[tuple[int, bytes], str] = Map(
        keys.TOKEN_PAIRS_PREFIX, TupleKey(U32Key, BytesKey), StrValue
    )
    burn_limits: Map[str, int] = Map(keys.BURN_LIMITS_PREFIX, StrKey, UIntValue)
    max_body_size_item: Item[int] = Item(keys.MAX_MESSAGE_BODY_SIZE_KEY, U64Value)
    burning_paused_item: Item[bool] = Item(keys.BURNING_AND_MINTING_PAUSED_KEY, BoolValue)
    messaging_paused_item: Item[bool] = Item(keys.SENDING_AND_RECEIVING_PAUSED_KEY, BoolValue)
    used_nonces: KeySet[tuple[int, int]] = KeySet(keys.USED_NONCES_PREFIX, TupleKey(U32Key, U64Key))
    next_nonce: Sequence = Sequence(keys.NEXT_NONCE_KEY)

    def __init__(
        self,
        bank: BankKeeper,
        on_mint: MintHook | None = None,
        compliance: ComplianceGuard | None = None,
    ) -> None:
        self.bank = bank
        # sanctions on mint recipients and burn senders (compliance/SPEC.md); None: no checks
        self.compliance: ComplianceGuard | None = compliance
        # what the module taking charge of some mints attaches as it is built (hooks.py: the
        # crosschain module); ``on_mint`` here: a hook for every mint (tests)
        self.mint_hooks = MintHooks(on_mint=on_mint)
        self.module_address = address.module_address(keys.MODULE_ACCOUNT)
        self.module_bytes32 = pad_address(address.module_address_bytes(keys.MODULE_ACCOUNT))

    @property
    def on_mint(self) -> MintHook | None:
        return self.mint_hooks.on_mint

    @property
    def hook_recipients(self) -> Callable[[bytes], bool] | None:
        return self.mint_hooks.recipients

    @property
    def on_blocked_mint(self) -> BlockedMintHook | None:
        return self.mint_hooks.on_blocked

    def hook_takes(self, raw: bytes) -> bool:
        """Whether the on_mint hook takes charge of a mint to these address bytes."""
        return self.on_mint is not None and self.hook_recipients is not None and bool(
            self.hook_recipients(raw)
        )

    # -- domain and roles --------------------------------------------------------------------

    def local_domain(self, store: KVStore) -> int | None:
        return self.local_domain_item.get(store)

    def require_local_domain(self, store: KVStore) -> int:
        domain = self.local_domain_item.get(store)
        if domain is None:
            raise LocalDomainNotSet()
        return domain

    def set_local_domain(self, store: KVStore, domain: int) -> None:
        self.local_domain_item.set(store, domain)

    def owner(self, store: KVStore) -> str:
        return self.owner_item.get(store) or ""

    def set_owner(self, store: KVStore, owner: str) -> None:
        self.owner_item.set(store, owner)

    def pending_owner(self, store: KVStore) -> str:
        return self.pending_owner_item.get(store) or ""

    def set_pending_owner(self, store: KVStore, owner: str) -> None:
        self.pending_owner_item.set(store, owner)

    def clear_pending_owner(self, store: KVStore) -> None:
        store.delete(keys.PENDING_OWNER_KEY)

    def attester_manager(self, store: KVStore) -> str:
        return self.attester_manager_item.get(store) or ""

    def set_attester_manager(self, store: KVStore, manager: str) -> None:
        self.attester_manager_item.set(store, manager)

    def pauser(self, store: KVStore) -> str:
        return self.pauser_item.get(store) or ""

    def set_pauser(self, store: KVStore, pauser: str) -> None:
        self.pauser_item.set(store, pauser)

    def token_controller(self, store: KVStore) -> str:
        return self.token_controller_item.get(store) or ""

    def set_token_controller(self, store: KVStore, controller: str) -> None:
        self.token_controller_item.set(store, controller)

    # -- attesters and threshold -------------------------------------------------------------

    def signature_threshold(self, store: KVStore) -> int:
        return self.threshold_item.get(store) or 0

    def set_signature_threshold(self, store: KVStore, threshold: int) -> None:
        self.threshold_item.set(store, threshold)

    def attester_count(self, store: KVStore) -> int:
        return self.attester_count_item.get(store) or 0

    def is_attester(self, store: KVStore, eth_address: bytes) -> bool:
        return self.attesters.has(store, eth_address)

    def attester_key(self, store: KVStore, eth_address: bytes) -> bytes | None:
        return self.attesters.get(store, eth_address)

    def all_attesters(self, store: KVStore) -> Iterator[tuple[bytes, bytes]]:
        """(address, public key) by increasing address."""
        return self.attesters.iterate(store)

    def enable_attester(self, store: KVStore, eth_address: bytes, pubkey: bytes) -> None:
        self.attesters.set(store, eth_address, pubkey)
        self.attester_count_item.set(store, self.attester_count(store) + 1)

    def disable_attester(self, store: KVStore, eth_address: bytes) -> None:
        self.attesters.delete(store, eth_address)
        self.attester_count_item.set(store, self.attester_count(store) - 1)

    def verify_attestation(self, ctx: Context, message: bytes, attestation: bytes) -> list[bytes]:
        """The signers, if ``attestation`` carries ``threshold`` valid signatures of ``message`` by
        distinct enabled attesters in increasing address order (``attestation.py``)."""
        if self.attester_count(ctx.store) == 0:
            raise NoAttesters()
        threshold = self.signature_threshold(ctx.store)
        if threshold == 0:
            raise SignatureThresholdNotSet()
        ctx.gas.consume(SIG_VERIFY_COST_SECP256K1 * threshold, "cctp attestation")
        return verify_attestation(
            message, attestation, threshold, lambda a: self.is_attester(ctx.store, a)
        )

    # -- remote token messengers, token pairs, limits ----------------------------------------

    def remote_token_messenger(self, store: KVStore, domain: int) -> bytes | None:
        return self.remote_token_messengers.get(store, domain)

    def set_remote_token_messenger(self, store: KVStore, domain: int, address32: bytes) -> None:
        self.remote_token_messengers.set(store, domain, address32)

    def remove_remote_token_messenger(self, store: KVStore, domain: int) -> None:
        self.remote_token_messengers.delete(store, domain)

    def all_remote_token_messengers(self, store: KVStore) -> Iterator[tuple[int, bytes]]:
        return self.remote_token_messengers.iterate(store)

    def token_pair(self, store: KVStore, remote_domain: int, remote_token: bytes) -> str | None:
        """The local denom linked to ``remote_token`` of ``remote_domain``."""
        return self.token_pairs.get(store, (remote_domain, remote_token))

    def link_token_pair(
        self, store: KVStore, remote_domain: int, remote_token: bytes, local_token: str
    ) -> None:
        self.token_pairs.set(store, (remote_domain, remote_token), local_token)

    def unlink_token_pair(self, store: KVStore, remote_domain: int, remote_token: bytes) -> None:
        self.token_pairs.delete(store, (remote_domain, remote_token))

    def all_token_pairs(self, store: KVStore) -> Iterator[tuple[tuple[int, bytes], str]]:
        return self.token_pairs.iterate(store)

    def burn_limit(self, store: KVStore, denom: str) -> int | None:
        """The per-message burn limit of ``denom``; None: no limit."""
        return self.burn_limits.get(store, denom)

    def set_burn_limit(self, store: KVStore, denom: str, amount: int) -> None:
        self.burn_limits.set(store, denom, amount)

    def all_burn_limits(self, store: KVStore) -> Iterator[tuple[str, int]]:
        return self.burn_limits.iterate(store)

    def max_message_body_size(self, store: KVStore) -> int | None:
        """The largest outbound body, in bytes; None: no limit."""
        return self.max_body_size_item.get(store)

    def set_max_message_body_size(self, store: KVStore, size: int) -> None:
        self.max_body_size_item.set(store, size)

    # -- pauses ------------------------------------------------------------------------------

    def burning_and_minting_paused(self, store: KVStore) -> bool:
        return bool(self.burning_paused_item.get(store))

    def set_burning_and_minting_paused(self, store: KVStore, paused: bool) -> None:
        self.burning_paused_item.set(store, paused)

    def sending_and_receiving_paused(self, store: KVStore) -> bool:
        return bool(self.messaging_paused_item.get(store))

    def set_sending_and_receiving_paused(self, store: KVStore, paused: bool) -> None:
        self.messaging_paused_item.set(store, paused)

    # -- nonces ------------------------------------------------------------------------------

    def is_nonce_used(self, store: KVStore, source_domain: int, nonce: int) -> bool:
        return self.used_nonces.has(store, (source_domain, nonce))

    def mark_nonce_used(self, store: KVStore, source_domain: int, nonce: int) -> None:
        self.used_nonces.add(store, (source_domain, nonce))

    def all_used_nonces(self, store: KVStore) -> Iterator[tuple[int, int]]:
        return self.used_nonces.iterate(store)

    def next_available_nonce(self, store: KVStore) -> int:
        return self.next_nonce.peek(store)

    def set_next_available_nonce(self, store: KVStore, nonce: int) -> None:
        self.next_nonce.set(store, nonce)

    def reserve_nonce(self, store: KVStore) -> int:
        """The next outbound nonce, which is then used up (Noble ``ReserveAndIncrementNonce``)."""
        return self.next_nonce.next(store)

    # -- for other modules -------------------------------------------------------------------

    def deposit_for_burn(
        self,
        ctx: Context,
        depositor: str,
        amount: int,
        destination_domain: int,
        mint_recipient: bytes,
        destination_caller: bytes = ZERO32,
    ) -> SentMessage:
        """Burn ``amount`` uusdc held by ``depositor`` and send it to ``mint_recipient`` on
        ``destination_domain``, with every check of MsgDepositForBurn
        (``msgs/deposit_for_burn.py``)."""
        from stateset_chain.cctp.msgs.deposit_for_burn import deposit_for_burn

        return deposit_for_burn(
            self,
            ctx,
            depositor,
            amount,
            destination_domain,
            mint_recipient,
            keys.LOCAL_TOKEN,
            destination_caller,
        )
