"""Store keys of the conditional orders module (SPEC.md, "State").

    conditional/ 0x01                                    -> Params
    conditional/ 0x02 | len(id) id                       -> ConditionalOrder
    conditional/ 0x03                                    -> u64 next sequence
    conditional/ 0x10 | time_ns u64 | len(id) id         -> (empty)  time wakes (time_after, polls)
    conditional/ 0x11 | expires_ns u64 | len(id) id      -> (empty)  expiries
    conditional/ 0x12 | len(m) merchant | len(s) sku | len(id) id -> (empty)  stock waiters
    conditional/ 0x13 | len(o) order id | len(id) id     -> (empty)  order status waiters
    conditional/ 0x14 | len(c) currency | len(id) id     -> (empty)  exchange rate waiters
    conditional/ 0x20 | len(id) id                       -> (empty)  woken, to evaluate
    conditional/ 0x21 | kind u32 | len(s) subject | len(k) sku -> (empty)  changed in this block
    conditional/ 0x30 | sequence u64                     -> WakePass  waiter passes, FIFO
    conditional/ 0x31 | kind u32 | len(s) subject | len(k) sku -> u64  the subject's pass
    conditional/ 0x32                                    -> u64 next pass sequence
"""

from __future__ import annotations

MODULE_NAME = "conditional"
P = b"conditional/"
PARAMS_KEY = P + b"\x01"
RECORDS_PREFIX = P + b"\x02"
SEQUENCE_KEY = P + b"\x03"
TIME_QUEUE_PREFIX = P + b"\x10"
EXPIRY_QUEUE_PREFIX = P + b"\x11"
STOCK_WAITERS_PREFIX = P + b"\x12"
ORDER_WAITERS_PREFIX = P + b"\x13"
RATE_WAITERS_PREFIX = P + b"\x14"
WOKEN_PREFIX = P + b"\x20"
CHANGED_PREFIX = P + b"\x21"
PASS_QUEUE_PREFIX = P + b"\x30"
PASS_OF_PREFIX = P + b"\x31"
PASS_SEQUENCE_KEY = P + b"\x32"

ESCROW_ACCOUNT = "conditional_escrow"
CONDITIONAL_MODULE_ACCOUNTS: dict[str, frozenset[str]] = {ESCROW_ACCOUNT: frozenset()}
ID_PREFIX = "cnd_"
