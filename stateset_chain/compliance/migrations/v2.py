"""Compliance consensus version 1 -> 2: the freeze queue (0x09) and its per-block bound.

A version-1 state has no queue (nothing to move) and params without ``freeze_drain_limit``
(read as 0, which ``validate_params`` refuses): the migration sets the default, so the end block
drains the queue of the first sanction after the upgrade.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance.params import DEFAULT_FREEZE_DRAIN_LIMIT
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context


def migrate(keeper: ComplianceKeeper, ctx: Context) -> None:
    p = keeper.params(ctx.store)
    if p.freeze_drain_limit == 0:
        p.freeze_drain_limit = DEFAULT_FREEZE_DRAIN_LIMIT
        keeper.set_params(ctx.store, p)
