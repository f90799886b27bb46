"""Store layout of the subscriptions module (all under ``subscriptions/``).

    subscriptions/ 0x01                                  -> Params
    subscriptions/ 0x02 | len(id) id                     -> Subscription
    subscriptions/ 0x03                                  -> u64        next subscription sequence
    subscriptions/ 0x04 | len(id) id | cycle u32         -> Cycle      billed cycles
    subscriptions/ 0x05 | attempt_ns u64 | len(id) id    -> (empty)    due queue (charges, retries)
    subscriptions/ 0x10 | len(addr) addr | seq u64       -> id         by customer
    subscriptions/ 0x11 | len(addr) addr | seq u64       -> id         by merchant
    subscriptions/ 0x12 | status u32 | seq u64           -> id         by status

Every key is consensus state. A subscription is in the due queue exactly when its status is
INCOMPLETE, TRIALING, ACTIVE or PAST_DUE, under its ``next_attempt`` (invariants.py).
"""

from __future__ import annotations

MODULE_NAME = "subscriptions"
STORE_PREFIX = b"subscriptions/"

PARAMS_KEY = STORE_PREFIX + b"\x01"
SUBSCRIPTIONS_PREFIX = STORE_PREFIX + b"\x02"
SEQUENCE_KEY = STORE_PREFIX + b"\x03"
CYCLES_PREFIX = STORE_PREFIX + b"\x04"
DUE_QUEUE_PREFIX = STORE_PREFIX + b"\x05"
BY_CUSTOMER_PREFIX = STORE_PREFIX + b"\x10"
BY_MERCHANT_PREFIX = STORE_PREFIX + b"\x11"
BY_STATUS_PREFIX = STORE_PREFIX + b"\x12"

SUBSCRIPTION_PREFIX = "sub_"
