"""Builds the upgrade ``Module`` (``upgrade_module(UpgradeKeeper(handlers), others)``, SPEC.md).

It runs first (wiring puts it first): its genesis records every module's version, and its
pre-block step must run before any other module reads the state of the block. It is built with
the app's other modules (``others``: their versions and migrations, ``versions.ModuleVersions``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.module import Module, bind, msg_routes
from stateset_chain.upgrade import genesis, invariants, msgs, preblock, queries
from stateset_chain.upgrade.expected import VersionedModule
from stateset_chain.upgrade.keys import CONSENSUS_VERSION, MODULE_NAME
from stateset_chain.upgrade.state import UpgradeKeeper
from stateset_chain.upgrade.versions import ModuleVersions


def upgrade_module(keeper: UpgradeKeeper, others: Sequence[VersionedModule]) -> Module:
    """``others``: the app's other modules, in its order."""
    versions = ModuleVersions(others)
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=_bind(keeper, versions, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        invariants=[_bind(keeper, versions, inv) for inv in invariants.ALL],
        pre_block=_bind(keeper, versions, preblock.pre_block),
        consensus_version=CONSENSUS_VERSION,
    )


def _bind(
    keeper: UpgradeKeeper, versions: ModuleVersions, fn: Callable[..., Any]
) -> Callable[..., Any]:
    """``fn(keeper, versions, ctx, *args)`` as ``bound(ctx, *args)`` (``module.bind`` with the
    module versions beside the keeper)."""

    def bound(ctx: Context, *args: Any) -> Any:
        return fn(keeper, versions, ctx, *args)

    bound.__name__ = fn.__name__
    bound.__qualname__ = fn.__qualname__
    return bound
