"""Upgrade invariants."""

from __future__ import annotations

from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken
from stateset_chain.upgrade.state import UpgradeKeeper
from stateset_chain.upgrade.versions import ModuleVersions


def versions_are_this_binarys(
    keeper: UpgradeKeeper, versions: ModuleVersions, ctx: Context
) -> None:
    """The recorded module versions are those of the modules this binary runs: genesis and every
    applied upgrade leave them so, and no module runs over a layout it does not read."""
    recorded = keeper.module_versions(ctx.store)
    if recorded != versions.current():
        raise InvariantBroken(
            f"module versions {sorted(recorded.items())} != this binary's "
            f"{sorted(versions.current().items())}"
        )


ALL = (versions_are_this_binarys,)
