"""Store layout and account names of the stablecoin module (all under ``stablecoin/``).

    stablecoin/ 0x01 -> stateset.stablecoin.v1.Params

The reserve itself is not duplicated here: it is the bank balance of the ``stablecoin_reserve``
module account, so the bank's supply bookkeeping is the single source of truth.
"""

from __future__ import annotations

MODULE_NAME = "stablecoin"
STORE_PREFIX = b"stablecoin/"
PARAMS_KEY = STORE_PREFIX + b"\x01"

# Module accounts: ``stablecoin`` mints and burns ussusd (minter + burner); the reserve only holds
# the uusdc that backs it.
MINTER_ACCOUNT = "stablecoin"
RESERVE_ACCOUNT = "stablecoin_reserve"
