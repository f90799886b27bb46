"""Store layout and names of the cross-chain glue (all keys under ``crosschain/``).

    crosschain/ 0x01 | 0x20 message_hash(32)  -> UnclaimedFunds      funds waiting to go back
    crosschain/ 0x02 | len order_id | order_id -> RefundDestination  where an order's refunds go
    crosschain/ 0x03                          -> Params             where no default return path

The module account ``crosschain_unclaimed`` (``sha256("crosschain_unclaimed")[:20]``, no mint or
burn permission, so no MsgSend can reach it) holds exactly the sum of the records' amounts.
"""

from __future__ import annotations

from collections.abc import Mapping

MODULE_NAME = "crosschain"
STORE_PREFIX = b"crosschain/"

UNCLAIMED_PREFIX = STORE_PREFIX + b"\x01"
REFUND_DESTINATION_PREFIX = STORE_PREFIX + b"\x02"
PARAMS_KEY = STORE_PREFIX + b"\x03"
SOLANA_DOMAIN = 5  # its burns' message sender is a token account or program, not the wallet

UNCLAIMED_ACCOUNT = "crosschain_unclaimed"
# Merged into the bank's module accounts by the app's wiring.
CROSSCHAIN_MODULE_ACCOUNTS: Mapping[str, frozenset[str]] = {UNCLAIMED_ACCOUNT: frozenset()}

# Payment.method of an order payment made by a CCTP burn.
PAYMENT_METHOD = "cctp"
