"""The upgrade module's typed events (proto/stateset/upgrade/v1/events.proto).

    MsgSoftwareUpgrade  -> UpgradeScheduled{authority, name, height, info}
    MsgCancelUpgrade    -> UpgradeCanceled{authority, name, height}
    the plan's height   -> UpgradeApplied{name, height, from/to versions, from/to layout}
                           (a FinalizeBlock event, emitted before the block's transactions run)
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.upgrade.v1.events_pb2 import UpgradeApplied, UpgradeCanceled, UpgradeScheduled

ALL = (UpgradeScheduled, UpgradeCanceled, UpgradeApplied)
