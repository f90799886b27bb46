"""A file keyring for development and tests: ONE PLAINTEXT JSON FILE PER KEY.

Like the Cosmos SDK's ``--keyring-backend test``: keys are stored unencrypted in
``<keyring-dir>/<name>.json`` (``{"name", "address", "pubkey", "private_key"}``), so anyone who can
read the folder can spend the funds. Use it for the localnet and tests only, never for real money.

Keys derive from BIP39 mnemonics on the Cosmos HD path ``m/44'/118'/0'/0/0`` (cosmpy), with
addresses in the ``stateset`` bech32 prefix. A recovered mnemonic's checksum is verified, so a
mistyped word is refused instead of silently giving another account.

Encryption keys (docs/privacy.md): ``<keyring-dir>/<name>.x25519`` holds the account's X25519
private keys, oldest first, as JSON ``{"keys": [{"private_key", "public_key"}]}`` (hex), also in
plaintext. They are random, not derived from the account's secp256k1 key: a key that could be
derived again could never be destroyed, and destroying retired keys is how sealed personal data
is erased. The newest is the one registered on chain; older ones open older orders until
``destroy_retired_encryption_keys`` deletes them.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.mnemonic import generate_mnemonic
from cosmpy.mnemonic.words import ENGLISH_MNEMONIC_WORDS_LIST
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from stateset_chain.client import PREFIX, ClientError, address_of, wallet_from_mnemonic

DEFAULT_KEYRING_DIR = Path("~/.statesetd/keyring")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_WORD_INDEX = {word: i for i, word in enumerate(ENGLISH_MNEMONIC_WORDS_LIST)}


class KeyExists(ClientError):
    pass


class KeyNotFound(ClientError):
    pass


class InvalidMnemonic(ClientError):
    pass


@dataclass(frozen=True)
class Key:
    name: str
    address: str
    pubkey: str  # base64 compressed secp256k1

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "address": self.address, "pubkey": self.pubkey}


def check_mnemonic(mnemonic: str) -> str:
    """The normalised mnemonic; raises InvalidMnemonic on a wrong length, word or checksum."""
    words = mnemonic.split()
    if len(words) not in (12, 15, 18, 21, 24):
        raise InvalidMnemonic(f"a mnemonic has 12, 15, 18, 21 or 24 words, not {len(words)}")
    unknown = [w for w in words if w not in _WORD_INDEX]
    if unknown:
        raise InvalidMnemonic(f"not a BIP39 English word: {unknown[0]!r}")
    bits = "".join(format(_WORD_INDEX[w], "011b") for w in words)
    checksum_bits = len(bits) // 33
    entropy_bits = bits[:-checksum_bits]
    entropy = int(entropy_bits, 2).to_bytes(len(entropy_bits) // 8, "big")
    expected = format(hashlib.sha256(entropy).digest()[0], "08b")[:checksum_bits]
    if bits[-checksum_bits:] != expected:
        raise InvalidMnemonic("mnemonic checksum does not match (a word is wrong)")
    return " ".join(words)


class Keyring:
    def __init__(self, directory: str | os.PathLike[str] = DEFAULT_KEYRING_DIR) -> None:
        self.dir = Path(directory).expanduser()

    def _path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise ClientError(f"invalid key name {name!r} (letters, digits, _ . -)")
        return self.dir / f"{name}.json"

    def add(self, name: str, mnemonic: str | None = None) -> tuple[Key, str]:
        """A new key (from ``mnemonic``, or a fresh 24-word one); returns it and the mnemonic."""
        path = self._path(name)
        if path.exists():
            raise KeyExists(f"key {name!r} already exists in {self.dir}")
        mnemonic = check_mnemonic(mnemonic) if mnemonic is not None else generate_mnemonic()
        wallet = wallet_from_mnemonic(mnemonic)
        key = Key(name, address_of(wallet), wallet.public_key().public_key)
        record = {**key.to_json(), "private_key": wallet.signer().private_key_hex}
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(record, f, indent=2)
            f.write("\n")
        return key, mnemonic

    def _record(self, name: str) -> dict:
        path = self._path(name)
        if not path.exists():
            raise KeyNotFound(f"no key named {name!r} in {self.dir}")
        return json.loads(path.read_text())

    def show(self, name: str) -> Key:
        record = self._record(name)
        return Key(record["name"], record["address"], record["pubkey"])

    def list(self) -> list[Key]:
        if not self.dir.is_dir():
            return []
        return [self.show(p.stem) for p in sorted(self.dir.glob("*.json"))]

    def wallet(self, name: str) -> LocalWallet:
        record = self._record(name)
        return LocalWallet(PrivateKey(bytes.fromhex(record["private_key"])), prefix=PREFIX)

    # -- encryption keys (X25519, see the module docstring) ---------------------------------

    def _encryption_path(self, name: str) -> Path:
        return self._path(name).with_suffix(".x25519")

    def encryption_keys(self, name: str) -> builtins.list[X25519PrivateKey]:
        """The account's X25519 private keys, oldest first ([] if it has none)."""
        path = self._encryption_path(name)
        if not path.exists():
            return []
        records = json.loads(path.read_text())["keys"]
        return [X25519PrivateKey.from_private_bytes(bytes.fromhex(r["private_key"]))
                for r in records]

    def new_encryption_key(self, name: str) -> X25519PrivateKey:
        """A fresh random X25519 key appended to the account's keys (its newest)."""
        self._record(name)  # the account must exist
        key = X25519PrivateKey.generate()
        self._write_encryption_keys(name, [*self.encryption_keys(name), key])
        return key

    def destroy_retired_encryption_keys(self, name: str) -> int:
        """Delete every key but the newest; returns how many were destroyed. Orders sealed only
        to those keys can no longer be opened with this keyring (erasure, docs/privacy.md)."""
        keys = self.encryption_keys(name)
        if len(keys) <= 1:
            return 0
        self._write_encryption_keys(name, keys[-1:])
        return len(keys) - 1

    def _write_encryption_keys(
        self, name: str, keys: builtins.list[X25519PrivateKey]
    ) -> None:
        records = [
            {"private_key": k.private_bytes_raw().hex(),
             "public_key": k.public_key().public_bytes_raw().hex()}
            for k in keys
        ]
        path = self._encryption_path(name)
        tmp = path.with_suffix(".x25519.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"keys": records}, f, indent=2)
            f.write("\n")
        os.replace(tmp, path)
