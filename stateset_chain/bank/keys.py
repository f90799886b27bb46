"""Store layout of the bank module (all under ``bank/``).

    bank/ 0x01 | len(addr) addr | len(denom) denom  -> amount   balances (zero balances deleted)
    bank/ 0x02 | len(denom) denom                   -> amount   total supply (zero deleted)
    bank/ 0x03 | len(denom) denom                   -> (empty)  known denoms (genesis + minted)
    bank/ 0x05 | denom                              -> Metadata denom metadata (genesis only)

``addr`` is the 20- or 32-byte account address (not its bech32 text), so one account has one key
whatever the case of the string it was given as. Amounts are minimal big-endian unsigned bytes.
Length prefixes order denoms by length first, so readers sort by denom before answering. Denom
metadata is keyed by the bare denom (the key's last part needs no length), so the store keeps it
in denom order (readers still sort, as under the old layout). Until consensus version 2 it was
``0x04 | len(denom) denom`` (migrations/v2.py).
"""

from __future__ import annotations

MODULE_NAME = "bank"
STORE_PREFIX = b"bank/"

BALANCES_PREFIX = STORE_PREFIX + b"\x01"
SUPPLY_PREFIX = STORE_PREFIX + b"\x02"
DENOMS_PREFIX = STORE_PREFIX + b"\x03"
METADATA_PREFIX = STORE_PREFIX + b"\x05"
# The consensus version of the bank's state layout (the upgrade module records it; a change
# ships with a migration from the version before, in migrations/).
CONSENSUS_VERSION = 2
