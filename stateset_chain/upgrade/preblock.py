"""What the upgrade module does before each block's transactions, and at startup.

At the start of every FinalizeBlock (the SDK's ``PreBlocker``), with a plan pending:

- height < plan height: nothing, unless this binary has the plan's handler: then it was started
  too early (``BinaryTooNew``: "BINARY UPDATED BEFORE TRIGGER!");
- height == plan height, no handler here: the old binary stops. It logs
  ``UPGRADE "<name>" NEEDED at height: <h>: <info>`` (the SDK's words, which cosmovisor watches
  for) and raises ``UpgradeNeeded`` out of FinalizeBlock; the ABCI server stops the process and
  CometBFT with it. Nothing of block h is committed: restarted with the new binary, CometBFT's
  handshake replays block h into it;
- height == plan height, with the handler: the migration runs on the block's branch (so it
  commits with block h or not at all), the module versions and the app's layout version
  (``app/state_version``) are updated, the upgrade is recorded as applied, the plan cleared, and
  ``UpgradeApplied`` is emitted; then the block's transactions run on the new layout.

``check_start`` is what ``App`` asks before it runs over an existing database (see errors.py).
"""

from __future__ import annotations

import logging

from stateset_chain.app import STATE_VERSION
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore
from stateset_chain.upgrade.errors import (
    BinaryTooNew,
    IncompatibleBinary,
    MigrationFailed,
    UpgradeNeeded,
)
from stateset_chain.upgrade.events import UpgradeApplied
from stateset_chain.upgrade.state import UpgradeKeeper, VersionMap
from stateset_chain.upgrade.versions import ModuleVersions

from cosmos.upgrade.v1beta1.upgrade_pb2 import Plan
from stateset.upgrade.v1.upgrade_pb2 import ModuleVersion

log = logging.getLogger("stateset.upgrade")


def upgrade_needed_message(plan: Plan) -> str:
    return f'UPGRADE "{plan.name}" NEEDED at height: {plan.height}: {plan.info}'


def too_new_message(plan: Plan) -> str:
    return (
        f'BINARY UPDATED BEFORE TRIGGER! UPGRADE "{plan.name}" - in binary but not executed on '
        f"chain (planned at height {plan.height}). Downgrade your binary"
    )


def pre_block(keeper: UpgradeKeeper, versions: ModuleVersions, ctx: Context) -> None:
    plan = keeper.plan(ctx.store)
    if plan is None:
        return
    height = ctx.block.height
    if height < plan.height:
        if plan.name in keeper.handlers:
            log.error(too_new_message(plan))
            raise BinaryTooNew(too_new_message(plan))
        return
    if plan.name not in keeper.handlers:
        log.error(upgrade_needed_message(plan))
        raise UpgradeNeeded(upgrade_needed_message(plan))
    apply_upgrade(keeper, versions, ctx, plan)


def apply_upgrade(
    keeper: UpgradeKeeper, versions: ModuleVersions, ctx: Context, plan: Plan
) -> None:
    handler = keeper.handlers[plan.name]
    store = ctx.store
    layout = STATE_VERSION.get(store) or 1
    if layout != handler.from_layout:
        raise MigrationFailed(
            f"upgrade {plan.name} migrates layout {handler.from_layout}; the state is in {layout}"
        )
    log.info('applying upgrade "%s" at height %d', plan.name, ctx.block.height)
    from_vm = keeper.module_versions(store)
    migrate = handler.migrate or versions.run_migrations
    to_vm = migrate(ctx, from_vm)
    keeper.set_module_versions(store, to_vm)
    STATE_VERSION.set(store, handler.to_layout)
    keeper.applied.set(store, plan.name, ctx.block.height)
    keeper.clear_plan(store)
    ctx.events.emit(UpgradeApplied(
        name=plan.name, height=ctx.block.height,
        from_versions=_versions(from_vm), to_versions=_versions(to_vm),
        from_layout=layout, to_layout=handler.to_layout,
    ))


def _versions(vm: VersionMap) -> list[ModuleVersion]:
    return [ModuleVersion(name=name, version=vm[name]) for name in sorted(vm)]


def check_start(
    keeper: UpgradeKeeper, state: KVStore, height: int, found: int, layout: int
) -> None:
    """Refuses (``IncompatibleBinary``) to run this binary, of state layout ``layout``, over a
    database committed at ``height`` in layout ``found``, unless it is the binary the chain
    runs now or the one its pending plan waits for at the next height."""
    plan = keeper.plan(state)
    handler = keeper.handlers.get(plan.name) if plan is not None else None
    if plan is not None and handler is not None:
        if height + 1 < plan.height:
            raise IncompatibleBinary(too_new_message(plan))
        if found != handler.from_layout or layout != handler.to_layout:
            raise IncompatibleBinary(
                f"upgrade {plan.name} migrates layout {handler.from_layout} to "
                f"{handler.to_layout}; the state is in {found} and this build runs {layout}"
            )
        return
    last = keeper.last_applied(state)
    if last is not None and last[0] not in keeper.handlers:
        raise IncompatibleBinary(
            f"the chain applied upgrade {last[0]!r} at height {last[1]}, which this binary "
            "does not know: run the binary that upgrade installed"
        )
    if found != layout:
        raise IncompatibleBinary(
            f"the state at height {height} was written in layout version {found}; this build "
            f"runs version {layout}: start this node from genesis again (reset its data), or "
            "run the binary of that layout until a planned upgrade migrates it"
        )
