"""The planned upgrades this binary knows (the SDK app's ``app/upgrades``), oldest first.

Each entry is the handler of one plan name: the chain's authority schedules
``MsgSoftwareUpgrade{plan: {name, height}}``; at that height a binary without the handler halts
(``UPGRADE "<name>" NEEDED at height: <h>``) and this one migrates the state from layout
``from_layout`` to ``to_layout`` (= ``app.APP_VERSION``) in place and continues
(stateset_chain/upgrade/SPEC.md, docs/operations.md). Keep every past entry: a binary must know
the last upgrade the chain applied, or it refuses to start.

How to ship a layout change: raise the module's ``CONSENSUS_VERSION``, add its migration from
the version before (``<module>/migrations/vN.py``, registered in ``Module.migrations``), bump
``app.APP_VERSION``, and add the entry here named after the new version.
"""

from __future__ import annotations

from stateset_chain.upgrade.state import UpgradeHandler

UPGRADE_HANDLERS: tuple[UpgradeHandler, ...] = (
    # bank 1 -> 2: denom metadata keyed by the bare denom (bank/migrations/v2.py)
    UpgradeHandler(name="v11", from_layout=10, to_layout=11),
    # the oracle module is new: it starts from its default genesis (no feeders, no rates)
    UpgradeHandler(name="v12", from_layout=11, to_layout=12),
    # orders 1 -> 2: the index of open orders by party (orders/migrations/v2.py); compliance
    # 1 -> 2: the freeze queue's per-block bound (compliance/migrations/v2.py)
    UpgradeHandler(name="v13", from_layout=12, to_layout=13),
)
