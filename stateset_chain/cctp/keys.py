"""Store layout, names and constants of the cctp module (all keys under ``cctp/``).

    cctp/ 0x01                               -> u64 BE   local domain (absent: not configured)
    cctp/ 0x02                               -> str      owner
    cctp/ 0x03                               -> str      pending owner (absent: none)
    cctp/ 0x04                               -> str      attester manager
    cctp/ 0x05                               -> str      pauser
    cctp/ 0x06                               -> str      token controller
    cctp/ 0x07                               -> u64 BE   signature threshold (absent: 0, not set)
    cctp/ 0x08 | 0x14 address(20)            -> pubkey   enabled attesters, by Ethereum address
    cctp/ 0x09                               -> u64 BE   number of enabled attesters
    cctp/ 0x0A | u32 domain                  -> bytes32  remote token messengers
    cctp/ 0x0B | u32 domain | 0x20 token(32) -> str      token pairs (remote -> local denom)
    cctp/ 0x0C | len(denom) denom            -> amount   per-message burn limits
    cctp/ 0x0D                               -> u64 BE   max message body size (absent: no limit)
    cctp/ 0x0E                               -> 0x00|01  burning and minting paused
    cctp/ 0x0F                               -> 0x00|01  sending and receiving messages paused
    cctp/ 0x10 | u32 domain | u64 nonce      -> (empty)  used nonces (source domain, nonce)
    cctp/ 0x11                               -> u64 BE   next outbound nonce (absent: 0)

Integers in keys are big-endian fixed width; byte strings carry a one-byte length. The module
account ``cctp`` (``sha256("cctp")[:20]``, the same address as Noble's) holds coins only between
a mint and its transfer to the recipient, or a deposit and its burn, inside one message.
"""

from __future__ import annotations

from collections.abc import Mapping

from stateset_chain.coins import USDC
from stateset_chain.module import BURNER, MINTER

MODULE_NAME = "cctp"
MODULE_ACCOUNT = "cctp"
STORE_PREFIX = b"cctp/"

# Merged into the bank's module accounts by the app's wiring.
CCTP_MODULE_ACCOUNTS: Mapping[str, frozenset[str]] = {MODULE_ACCOUNT: frozenset({MINTER, BURNER})}

# The only local token this module mints and burns (Noble: the fiat token factory's denom).
LOCAL_TOKEN = USDC

MESSAGE_VERSION = 0  # CCTP v1 message header version
BURN_MESSAGE_VERSION = 0  # CCTP v1 burn message body version

LOCAL_DOMAIN_KEY = STORE_PREFIX + b"\x01"
OWNER_KEY = STORE_PREFIX + b"\x02"
PENDING_OWNER_KEY = STORE_PREFIX + b"\x03"
ATTESTER_MANAGER_KEY = STORE_PREFIX + b"\x04"
PAUSER_KEY = STORE_PREFIX + b"\x05"
TOKEN_CONTROLLER_KEY = STORE_PREFIX + b"\x06"
SIGNATURE_THRESHOLD_KEY = STORE_PREFIX + b"\x07"
ATTESTERS_PREFIX = STORE_PREFIX + b"\x08"
ATTESTER_COUNT_KEY = STORE_PREFIX + b"\x09"
REMOTE_TOKEN_MESSENGERS_PREFIX = STORE_PREFIX + b"\x0a"
TOKEN_PAIRS_PREFIX = STORE_PREFIX + b"\x0b"
BURN_LIMITS_PREFIX = STORE_PREFIX + b"\x0c"
MAX_MESSAGE_BODY_SIZE_KEY = STORE_PREFIX + b"\x0d"
BURNING_AND_MINTING_PAUSED_KEY = STORE_PREFIX + b"\x0e"
SENDING_AND_RECEIVING_PAUSED_KEY = STORE_PREFIX + b"\x0f"
USED_NONCES_PREFIX = STORE_PREFIX + b"\x10"
NEXT_NONCE_KEY = STORE_PREFIX + b"\x11"
