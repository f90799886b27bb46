"""The consensus versions of the modules this binary runs, and how an upgrade moves the state's
to them (the SDK's module manager: ``GetVersionMap``, ``RunMigrations``).

The upgrade module is built with the app's other modules (wiring: ``ModuleVersions(others)``);
it is first in the list of versions, with its own ``CONSENSUS_VERSION`` and no migrations.
"""

from __future__ import annotations

from collections.abc import Sequence

from stateset_chain.context import Context
from stateset_chain.upgrade.errors import MigrationFailed
from stateset_chain.upgrade.expected import VersionedModule
from stateset_chain.upgrade.keys import CONSENSUS_VERSION, MODULE_NAME
from stateset_chain.upgrade.state import VersionMap


class ModuleVersions:
    def __init__(self, others: Sequence[VersionedModule]) -> None:
        """``others``: every module of the app but the upgrade module, in the app's order."""
        self.others = tuple(others)

    def current(self) -> VersionMap:
        """The consensus version of each module of this binary."""
        others = {m.name: m.consensus_version for m in self.others}
        return {MODULE_NAME: CONSENSUS_VERSION, **others}

    def run_migrations(self, ctx: Context, from_vm: VersionMap) -> VersionMap:
        """Each module from the version the state records to this binary's, one step at a time
        (``migrations[v]`` moves v -> v + 1); a module the state has no version for is new: it
        starts from its default genesis. Returns the new version map. (The upgrade module itself
        has no migrations: it is at its version, or the state has no upgrade module and so no
        plan to apply.)"""
        to_vm: VersionMap = {MODULE_NAME: _own_version(from_vm)}
        for m in self.others:
            have, want = from_vm.get(m.name, 0), m.consensus_version
            if have == 0:
                if m.init_genesis is not None:
                    m.init_genesis(ctx, {})
            elif have > want:
                raise MigrationFailed(
                    f"module {m.name}: the state is at version {have}, this binary at {want}"
                )
            for v in range(have or want, want):
                step = m.migrations.get(v)
                if step is None:
                    raise MigrationFailed(f"module {m.name}: no migration from version {v}")
                step(ctx)
            to_vm[m.name] = want
        return to_vm


def _own_version(from_vm: VersionMap) -> int:
    have = from_vm.get(MODULE_NAME, 0)
    if have > CONSENSUS_VERSION:
        raise MigrationFailed(
            f"module {MODULE_NAME}: the state is at version {have}, this binary at "
            f"{CONSENSUS_VERSION}"
        )
    if 0 < have < CONSENSUS_VERSION:
        raise MigrationFailed(f"module {MODULE_NAME}: no migration from version {have}")
    return CONSENSUS_VERSION
