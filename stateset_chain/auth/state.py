"""The auth keeper: accounts, the account-number sequence and params.

An account is a ``cosmos.auth.v1beta1.BaseAccount`` (address, pub_key as an Any of
``cosmos.crypto.secp256k1.PubKey``, account_number, sequence), created the first time an address
receives funds (``ensure_account``, which the bank calls) or listed in genesis. The public key is
stored the first time the account signs; the sequence counts its accepted transactions. Module
accounts (``fee_collector``, ...) are ordinary accounts at ``sha256(name)[:20]``.

Other modules see only ``ensure_account`` (the bank's ``AccountKeeper`` protocol) and reads.
"""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf.any_pb2 import Any as PbAny

import stateset_chain.pb  # noqa: F401
from stateset_chain.auth.keys import ACCOUNTS_PREFIX, NEXT_ACCOUNT_NUMBER_KEY, PARAMS_KEY
from stateset_chain.auth.params import DEFAULT_PARAMS, Params
from stateset_chain.crypto import address
from stateset_chain.crypto.secp256k1 import PUBKEY_TYPE_URL
from stateset_chain.store.collections import BytesKey, Map, ProtoValue, Sequence
from stateset_chain.store.kv import KVStore

from cosmos.auth.v1beta1 import auth_pb2
from cosmos.crypto.secp256k1 import keys_pb2
from stateset.auth.v1 import params_pb2

BaseAccount = auth_pb2.BaseAccount

# The account key of a bech32 address; ``address.decode`` is itself memoized (bech32 in pure
# Python costs ~40 µs) and raises InvalidAddress, never cached.
address_bytes = address.decode


def account_pubkey(account: auth_pb2.BaseAccount) -> bytes | None:
    """The account's compressed secp256k1 key, or None before its first signature."""
    if not account.HasField("pub_key"):
        return None
    return pubkey_from_any_value(account.pub_key.value)


def pubkey_from_any_value(value: bytes) -> bytes:
    """The key inside an encoded ``cosmos.crypto.secp256k1.PubKey`` (raises DecodeError).

    A 33-byte key always encodes as ``0x0a 0x21 <key>`` (field 1, length 33), so that common
    case is sliced out; anything else goes through the protobuf parser."""
    if len(value) == 35 and value[0] == 0x0A and value[1] == 0x21:
        return value[2:]
    key = keys_pb2.PubKey()
    key.ParseFromString(value)
    return key.key


def set_account_pubkey(account: auth_pb2.BaseAccount, pubkey33: bytes) -> None:
    account.pub_key.CopyFrom(
        PbAny(
            type_url=PUBKEY_TYPE_URL,
            value=keys_pb2.PubKey(key=pubkey33).SerializeToString(deterministic=True),
        )
    )


class AuthKeeper:
    # Keyed by address bytes; a signer's account is read then written in every transaction.
    # The key cache holds a 5,000-tx block's signers and recipients (read ahead, then used).
    accounts: Map[bytes, auth_pb2.BaseAccount] = Map(
        ACCOUNTS_PREFIX, BytesKey, ProtoValue(auth_pb2.BaseAccount), cached_keys=1 << 15
    )
    account_numbers = Sequence(NEXT_ACCOUNT_NUMBER_KEY)

    def __init__(self) -> None:
        # Params decoded once and reused while their stored bytes are unchanged (read every tx).
        self._params_raw: bytes | None = None
        self._params: Params = DEFAULT_PARAMS

    # -- accounts ----------------------------------------------------------------------------

    def account(self, store: KVStore, addr: str) -> auth_pb2.BaseAccount | None:
        return self.accounts.get(store, address_bytes(addr))

    def account_key(self, addr: str) -> bytes:
        """The store key of ``addr``'s account (raises InvalidAddress): what a block reads
        ahead for a signer or a recipient."""
        return self.accounts.store_key(address_bytes(addr))

    def has_account(self, store: KVStore, addr: str) -> bool:
        return self.accounts.has(store, address_bytes(addr))

    def set_account(self, store: KVStore, account: auth_pb2.BaseAccount) -> None:
        self.accounts.set(store, address_bytes(account.address), account)

    def new_account(self, store: KVStore, addr: str) -> auth_pb2.BaseAccount:
        """Creates and stores the account of ``addr`` with the next account number."""
        raw = address_bytes(addr)
        # A lower-case string that decodes is already the canonical spelling: skip re-encoding.
        canonical = addr if addr.islower() else address.encode(raw)
        account = auth_pb2.BaseAccount(
            address=canonical, account_number=self.account_numbers.next(store)
        )
        self.accounts.set(store, raw, account)
        return account

    def ensure_account(self, store: KVStore, addr: str) -> None:
        """Creates the account of ``addr`` if it has none (the bank calls this for recipients)."""
        if not self.accounts.has(store, address_bytes(addr)):
            self.new_account(store, addr)

    def iterate_accounts(self, store: KVStore) -> Iterator[auth_pb2.BaseAccount]:
        """Every account, in address-byte order."""
        for _, account in self.accounts.iterate(store):
            yield account

    def next_account_number(self, store: KVStore) -> int:
        return self.account_numbers.peek(store)

    def set_next_account_number(self, store: KVStore, number: int) -> None:
        self.account_numbers.set(store, number)

    # -- params ------------------------------------------------------------------------------

    def params(self, store: KVStore) -> Params:
        raw = store.get(PARAMS_KEY)
        if raw is None:
            return DEFAULT_PARAMS
        if raw != self._params_raw:
            self._params = Params.from_proto(params_pb2.Params.FromString(raw))
            self._params_raw = raw
        return self._params

    def set_params(self, store: KVStore, params: Params) -> None:
        store.set(PARAMS_KEY, params.validate().to_proto().SerializeToString(deterministic=True))
