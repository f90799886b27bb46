"""Store layout of the oracle module (prefix ``oracle/``), as in SPEC.md.

    0x01                                            -> Params
    0x02 | len(feeder) feeder                       -> (empty)            the feeder set
    0x03 | len(currency) currency | len(feeder) feeder -> Submission     latest per feeder
    0x04 | len(currency) currency                   -> AcceptedRate
    0x05 | len(currency) currency                   -> PendingDeviation   a refused streak
    0x06 | len(currency) currency                   -> (empty)            submitted this block

Addresses are bech32 strings, currencies ISO 4217 codes (one length byte, then the bytes). The
0x06 marks are written by MsgSubmitRates and all deleted by the same block's end block, so no
committed state holds one. The keeper (state.py) owns the typed collections over these prefixes.
"""

from __future__ import annotations

MODULE_NAME = "oracle"
PREFIX = b"oracle/"

PARAMS = PREFIX + b"\x01"
FEEDERS = PREFIX + b"\x02"
SUBMISSIONS = PREFIX + b"\x03"
ACCEPTED = PREFIX + b"\x04"
PENDING = PREFIX + b"\x05"
SUBMITTED = PREFIX + b"\x06"
