"""Store layout of the auth module (all under ``auth/``).

    auth/ 0x01 | len(addr) addr  -> cosmos.auth.v1beta1.BaseAccount   accounts
    auth/ 0x02                   -> u64 big-endian                   next account number
    auth/ 0x03                   -> stateset.auth.v1.Params          params

``addr`` is the 20- or 32-byte account address (not its bech32 text), as in the bank.
"""

from __future__ import annotations

MODULE_NAME = "auth"
STORE_PREFIX = b"auth/"

ACCOUNTS_PREFIX = STORE_PREFIX + b"\x01"
NEXT_ACCOUNT_NUMBER_KEY = STORE_PREFIX + b"\x02"
PARAMS_KEY = STORE_PREFIX + b"\x03"

FEE_COLLECTOR = "fee_collector"
