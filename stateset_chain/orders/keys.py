"""Store layout and account names of the orders module (all under ``orders/``).

    orders/ 0x01                                   -> Params
    orders/ 0x02 | len(id) id                      -> Order                 the orders
    orders/ 0x03 | len(merchant) merchant | len(cid) cid
                                                   -> order id              client ids, per merchant
    orders/ 0x04                                   -> u64                   next order sequence
    orders/ 0x05                                   -> u64                   next payment id seed
    orders/ 0x06                                   -> u64                   next refund id seed
    orders/ 0x10 | len(addr) addr | seq u64        -> order id              index by customer
    orders/ 0x11 | len(addr) addr | seq u64        -> order id              index by merchant
    orders/ 0x12 | status u32 | seq u64            -> order id              index by status
    orders/ 0x13 | created_ns u64 | seq u64        -> (empty)               index by creation time
    orders/ 0x14 | total u64 | seq u64             -> order id              index by order total
    orders/ 0x15 | seq u64                         -> order id              every order, list order
    orders/ 0x16 | len(addr) addr | status u32 | seq u64
                                                   -> order id              by merchant, status
    orders/ 0x17 | len(addr) addr | status u32 | seq u64
                                                   -> order id              by customer, status
    orders/ 0x18 | status u32 | epoch u64 | total u64 | seq u64
                                                   -> order id              by status, epoch, total
    orders/ 0x19 | len(addr) addr | total u64 | seq u64
                                                   -> order id              by customer, total
    orders/ 0x1A | len(addr) addr | total u64 | seq u64
                                                   -> order id              by merchant, total
    orders/ 0x1B | len(cid) cid | seq u64          -> order id              by external customer id
    orders/ 0x20 | len(addr) addr                  -> u64                   orders per customer
    orders/ 0x21 | len(addr) addr                  -> u64                   orders per merchant
    orders/ 0x22 | status u32                      -> u64                   orders per status
    orders/ 0x23 | len(addr) addr | status u32     -> u64                   per merchant, status
    orders/ 0x24 | len(addr) addr | status u32     -> u64                   per customer, status
    orders/ 0x25 | level u8 | total >> 4(level+1) u64 | status u32
                                                   -> 16 x u32 LE           totals histogram,
                                                                            levels 1-15
    orders/ 0x25 | 0x00 | u64 0 | status u32       -> 17 x u32 LE           orders per number of
                                                                            hex digits of the total
    orders/ 0x26 | len(cid) cid                    -> u64                   orders per customer id
    orders/ 0x30 | due_ns u64 | len(id) id         -> (empty)               settlement queue
    orders/ 0x31 | len(addr) addr | seq u64        -> order id              open orders by party

``seq`` is the order's sequence number (1, 2, 3, ...; dense, never reused, orders are never
deleted), so every index lists its orders in creation order. ``addr`` is the raw address bytes.
``cid`` is the order's external customer id, ``metadata["customer_id"]`` (the id of the customer in
the merchant's own system; orders without it are not in 0x1B).
``epoch`` is ``seq >> EPOCH_BITS`` (index/indexes.py): 0x18 lists a status's orders in blocks of
1,024 consecutive orders, newest block first, and inside a block by total, so "this status, this
amount range, newest first" reads one key range per block (index/planner.py). The histogram is
index/histogram.py. Everything from 0x10 to 0x26 is ``OrderIndex``'s (node-local).
"""

from __future__ import annotations

from collections.abc import Mapping

MODULE_NAME = "orders"
# 2: the consensus index of open orders by party (0x31; migrations/v2.py builds it)
CONSENSUS_VERSION = 2
STORE_PREFIX = b"orders/"

PARAMS_KEY = STORE_PREFIX + b"\x01"
ORDERS_PREFIX = STORE_PREFIX + b"\x02"
CLIENT_IDS_PREFIX = STORE_PREFIX + b"\x03"
ORDER_SEQUENCE_KEY = STORE_PREFIX + b"\x04"
PAYMENT_SEQUENCE_KEY = STORE_PREFIX + b"\x05"
REFUND_SEQUENCE_KEY = STORE_PREFIX + b"\x06"

BY_CUSTOMER_PREFIX = STORE_PREFIX + b"\x10"
BY_MERCHANT_PREFIX = STORE_PREFIX + b"\x11"
BY_STATUS_PREFIX = STORE_PREFIX + b"\x12"
BY_CREATED_PREFIX = STORE_PREFIX + b"\x13"
BY_TOTAL_PREFIX = STORE_PREFIX + b"\x14"
BY_SEQUENCE_PREFIX = STORE_PREFIX + b"\x15"
BY_MERCHANT_STATUS_PREFIX = STORE_PREFIX + b"\x16"
BY_CUSTOMER_STATUS_PREFIX = STORE_PREFIX + b"\x17"
BY_STATUS_AMOUNT_PREFIX = STORE_PREFIX + b"\x18"
BY_CUSTOMER_TOTAL_PREFIX = STORE_PREFIX + b"\x19"
BY_MERCHANT_TOTAL_PREFIX = STORE_PREFIX + b"\x1a"
BY_CUSTOMER_ID_PREFIX = STORE_PREFIX + b"\x1b"

CUSTOMER_COUNT_PREFIX = STORE_PREFIX + b"\x20"
MERCHANT_COUNT_PREFIX = STORE_PREFIX + b"\x21"
STATUS_COUNT_PREFIX = STORE_PREFIX + b"\x22"
MERCHANT_STATUS_COUNT_PREFIX = STORE_PREFIX + b"\x23"
CUSTOMER_STATUS_COUNT_PREFIX = STORE_PREFIX + b"\x24"
AMOUNT_HISTOGRAM_PREFIX = STORE_PREFIX + b"\x25"
CUSTOMER_ID_COUNT_PREFIX = STORE_PREFIX + b"\x26"

SETTLEMENT_QUEUE_PREFIX = STORE_PREFIX + b"\x30"
# Orders holding escrow, by every party their money could go to or come from (consensus state:
# the compliance freeze of a newly sanctioned party walks it; orders/freezing.py)
OPEN_BY_PARTY_PREFIX = STORE_PREFIX + b"\x31"

# The list indexes and their counters (0x10-0x1B, 0x20-0x26) serve ListOrders only: no message
# handler reads them. They are node-local (``Module.local_prefixes``): committed with the block,
# derived from the orders, outside the app hash. Everything else above is consensus state.
LOCAL_PREFIXES = (
    BY_CUSTOMER_PREFIX,
    BY_MERCHANT_PREFIX,
    BY_STATUS_PREFIX,
    BY_CREATED_PREFIX,
    BY_TOTAL_PREFIX,
    BY_SEQUENCE_PREFIX,
    BY_MERCHANT_STATUS_PREFIX,
    BY_CUSTOMER_STATUS_PREFIX,
    BY_STATUS_AMOUNT_PREFIX,
    BY_CUSTOMER_TOTAL_PREFIX,
    BY_MERCHANT_TOTAL_PREFIX,
    BY_CUSTOMER_ID_PREFIX,
    CUSTOMER_COUNT_PREFIX,
    MERCHANT_COUNT_PREFIX,
    STATUS_COUNT_PREFIX,
    MERCHANT_STATUS_COUNT_PREFIX,
    CUSTOMER_STATUS_COUNT_PREFIX,
    AMOUNT_HISTOGRAM_PREFIX,
    CUSTOMER_ID_COUNT_PREFIX,
)

# The module account holding every order's escrow. It neither mints nor burns.
ESCROW_ACCOUNT = "orders_escrow"
ORDERS_MODULE_ACCOUNTS: Mapping[str, frozenset[str]] = {ESCROW_ACCOUNT: frozenset()}
