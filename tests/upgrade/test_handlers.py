"""The rule the upgrade module exists for: a layout change ships with its planned upgrade.

Every APP_VERSION after the first with the upgrade module is reached by a handler from the one
before, and each module's migrations cover every version step up to its current one, so a chain
can always be moved in place to this binary's layout."""

from __future__ import annotations

from stateset_chain.app import APP_VERSION
from stateset_chain.store.commit import CommitStore
from stateset_chain.upgrades import UPGRADE_HANDLERS
from stateset_chain.wiring import standard_app


def test_the_newest_handler_reaches_this_layout():
    newest = UPGRADE_HANDLERS[-1]
    assert newest.to_layout == APP_VERSION, (
        f"APP_VERSION is {APP_VERSION} but the newest upgrade handler ({newest.name}) reaches "
        f"{newest.to_layout}: add the planned upgrade of this layout change to "
        "stateset_chain/upgrades.py (docs/operations.md, 'Upgrades')"
    )


def test_handlers_chain_layout_to_layout_with_unique_names():
    names = [h.name for h in UPGRADE_HANDLERS]
    assert len(set(names)) == len(names)
    for before, after in zip(UPGRADE_HANDLERS, UPGRADE_HANDLERS[1:], strict=False):
        assert after.from_layout == before.to_layout
    assert all(h.to_layout == h.from_layout + 1 for h in UPGRADE_HANDLERS)


def test_every_module_has_a_migration_for_each_version_step():
    for m in standard_app(CommitStore.in_memory()).modules:
        missing = [v for v in range(1, m.consensus_version) if v not in m.migrations]
        assert not missing, f"module {m.name} lacks migrations from versions {missing}"
