"""The upgrade keeper: the pending plan, the upgrades applied, each module's consensus version,
the authority, and the handlers this binary carries.

A handler (``UpgradeHandler``) is code, not state: a binary that can move the chain across the
plan ``name`` registers one (stateset_chain/upgrades.py). It says which state layout it migrates
(``from_layout`` -> ``to_layout``, the app's ``app/state_version``) and how: by default every
module's own migrations from the consensus version the state records to the module's current
one (``versions.ModuleVersions.run_migrations``, the SDK's ``RunMigrations``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.store.collections import Item, Map, ProtoValue, StrKey, StrValue, U64Value
from stateset_chain.store.kv import KVStore
from stateset_chain.upgrade.keys import (
    APPLIED_PREFIX,
    AUTHORITY_KEY,
    PLAN_KEY,
    VERSIONS_PREFIX,
)

from cosmos.upgrade.v1beta1.upgrade_pb2 import Plan

# Until genesis names one, the authority is the (unsignable) gov module address, as in the SDK.
DEFAULT_AUTHORITY = address.module_address("gov")

VersionMap = dict[str, int]


@dataclass(frozen=True)
class UpgradeHandler:
    """How this binary applies the plan ``name``: ``migrate(ctx, from_versions)`` returns the new
    version map (None: ``ModuleVersions.run_migrations``); the state must be in layout
    ``from_layout`` and is in ``to_layout`` after."""

    name: str
    from_layout: int
    to_layout: int
    migrate: Callable[[Context, VersionMap], VersionMap] | None = None


class UpgradeKeeper:
    plan_item: Item[Plan] = Item(PLAN_KEY, ProtoValue(Plan))
    applied: Map[str, int] = Map(APPLIED_PREFIX, StrKey, U64Value)
    versions: Map[str, int] = Map(VERSIONS_PREFIX, StrKey, U64Value)
    authority_item: Item[str] = Item(AUTHORITY_KEY, StrValue)

    def __init__(self, handlers: Iterable[UpgradeHandler] = ()) -> None:
        self.handlers: dict[str, UpgradeHandler] = {}
        for h in handlers:
            if h.name in self.handlers:
                raise ValueError(f"two upgrade handlers named {h.name!r}")
            self.handlers[h.name] = h

    # -- plan --------------------------------------------------------------------------------

    def plan(self, store: KVStore) -> Plan | None:
        return self.plan_item.get(store)

    def schedule(self, store: KVStore, plan: Plan) -> None:
        self.plan_item.set(store, plan)

    def clear_plan(self, store: KVStore) -> None:
        self.plan_item.delete(store)

    def authority(self, store: KVStore) -> str:
        return self.authority_item.get(store) or DEFAULT_AUTHORITY

    # -- history -----------------------------------------------------------------------------

    def applied_height(self, store: KVStore, name: str) -> int | None:
        return self.applied.get(store, name)

    def all_applied(self, store: KVStore) -> list[tuple[str, int]]:
        return list(self.applied.iterate(store))

    def last_applied(self, store: KVStore) -> tuple[str, int] | None:
        """The upgrade applied at the greatest height, if any."""
        done = self.all_applied(store)
        return max(done, key=_height) if done else None

    # -- module versions ---------------------------------------------------------------------

    def module_versions(self, store: KVStore) -> VersionMap:
        return dict(self.versions.iterate(store))

    def set_module_versions(self, store: KVStore, vm: VersionMap) -> None:
        for name, _ in list(self.versions.iterate(store)):
            if name not in vm:
                self.versions.delete(store, name)
        for name in sorted(vm):
            self.versions.set(store, name, vm[name])


def _height(entry: tuple[str, int]) -> int:
    return entry[1]
