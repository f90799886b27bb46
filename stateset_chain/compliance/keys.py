"""Store layout of the compliance module (prefix ``compliance/``), as in SPEC.md.

    0x01                                              -> Params
    0x02 | len(addr) addr                             -> Sanction
    0x03 | len(country) country                       -> BlockedCountry
    0x04 | len(country) country | len(region) region | len(category) category -> RestrictedCategory
    0x05 | len(addr) addr | len(denom) denom          -> AccountLimit
    0x06 | len(addr) addr | len(denom) denom | window u8 -> Volume (the current day / month)
    0x07 | len(customer) customer | bucket u64        -> VelocityBucket
    0x08 | len(customer) customer                     -> CustomerProfile
    0x09 | len(addr) addr                             -> u64 after_sequence (freeze queue)

Addresses are bech32 strings (one length byte, then the bytes); integers big-endian fixed width.
The keeper (state.py) owns the typed collections over these prefixes.
"""

from __future__ import annotations

MODULE_NAME = "compliance"
# 2: the freeze queue (0x09) and params.freeze_drain_limit (migrations/v2.py sets its default)
CONSENSUS_VERSION = 2
PREFIX = b"compliance/"

PARAMS = PREFIX + b"\x01"
SANCTIONS = PREFIX + b"\x02"
BLOCKED_COUNTRIES = PREFIX + b"\x03"
RESTRICTED_CATEGORIES = PREFIX + b"\x04"
ACCOUNT_LIMITS = PREFIX + b"\x05"
VOLUMES = PREFIX + b"\x06"
VELOCITY = PREFIX + b"\x07"
PROFILES = PREFIX + b"\x08"
FREEZE_QUEUE = PREFIX + b"\x09"

# Volume windows (the last part of a 0x06 key)
DAILY = 1
MONTHLY = 2

# Hold reasons the orders module records on an order this module put on hold
HOLD_FRAUD_REVIEW = "fraud_review"
HOLD_COMPLIANCE = "compliance"
