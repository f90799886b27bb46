"""Store layout of the upgrade module (all under ``upgrade/``).

    upgrade/ 0x01                    -> cosmos.upgrade.v1beta1.Plan   the pending plan, if any
    upgrade/ 0x02 | len(name) name   -> u64 height                    upgrades applied, by name
    upgrade/ 0x03 | len(module) name -> u64 version                   a module's consensus version
    upgrade/ 0x04                    -> string                        the authority
"""

from __future__ import annotations

MODULE_NAME = "upgrade"
STORE_PREFIX = b"upgrade/"
PLAN_KEY = STORE_PREFIX + b"\x01"
APPLIED_PREFIX = STORE_PREFIX + b"\x02"
VERSIONS_PREFIX = STORE_PREFIX + b"\x03"
AUTHORITY_KEY = STORE_PREFIX + b"\x04"
CONSENSUS_VERSION = 1

MAX_NAME_LENGTH = 140
MAX_INFO_LENGTH = 10_000
