"""What the upgrade module needs from other modules: nothing through a keeper. It is built with
the app's other modules (``upgrade_module(keeper, others)``, in wiring) and reads of each only
what ``VersionedModule`` lists: its consensus version and migrations, and its genesis for a
module an upgrade adds (``versions.ModuleVersions``). The app's layout version it reads and
writes is ``app.STATE_VERSION``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from stateset_chain.context import Context


class VersionedModule(Protocol):
    """A module as upgrades see it (``stateset_chain.module.Module`` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def consensus_version(self) -> int: ...

    @property
    def migrations(self) -> Mapping[int, Callable[[Context], None]]: ...  # v -> v + 1

    @property
    def init_genesis(self) -> Callable[[Context, dict], None] | None: ...
