"""Store layout of the privacy module (all under ``privacy/``).

    privacy/ 0x01 | len(addr) addr -> stateset.privacy.v1.EncryptionKey   (the owner's current key)

``addr`` is the raw 20/32-byte account address. A rotation overwrites the entry (version + 1):
old public keys stay in block history (the registration txs and events), not in state.
"""

from __future__ import annotations

MODULE_NAME = "privacy"
STORE_PREFIX = b"privacy/"
KEYS_PREFIX = STORE_PREFIX + b"\x01"
