"""The previous release, for the upgrade tests: this code with the layout it had before the
newest planned upgrade.

The newest handler of ``stateset_chain/upgrades.py`` is the plan ``PLAN``, from layout
``PREVIOUS_LAYOUT``. The release before it wrote that layout, had no handler for ``PLAN`` and
lacked the modules ``PLAN`` adds (``NEW_MODULES``); ``old_app`` builds the app of that release,
inside ``previous_release()``, which puts back whatever else the old code did differently.
For "v13": orders and compliance were at consensus version 1 (``MIGRATED``): payments, refunds
and settlements wrote no index of open orders by party (``0x31``), a sanction queued nothing,
and the compliance params had no ``freeze_drain_limit``. Run as a module it is that release's
``statesetd start`` (the e2e test's old binary)::

    python -m tests.upgrade.old_binary start --home H --address A

A new layout change: add its handler, then say here what the release before it lacked
(its new modules in ``NEW_MODULES``; collections it moved, put back in ``previous_release``;
module versions it raised, set back in ``old_app``), and what the upgrade tests check of it
(``tests/upgrade/test_upgrade.py``, ``tests/e2e/test_upgrade_network.py``: ``migrated``).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.app import APP_VERSION, App
from stateset_chain.compliance import genesis as compliance_genesis
from stateset_chain.compliance import params as compliance_params
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.commit import CommitStore
from stateset_chain.upgrades import UPGRADE_HANDLERS
from stateset_chain.wiring import standard_app

PLAN = "v13"
PREVIOUS_LAYOUT = 12
NEW_MODULES: tuple[str, ...] = ()
MIGRATED = ("orders", "compliance")  # the modules whose consensus version the plan raises to 2
if APP_VERSION != PREVIOUS_LAYOUT + 1 or UPGRADE_HANDLERS[-1].name != PLAN:
    raise RuntimeError(
        f"APP_VERSION is {APP_VERSION}: this previous-release build simulates layout "
        f"{PREVIOUS_LAYOUT} for the plan {PLAN!r}; point it at the newest handler's from_layout "
        "and put back what that handler changes (tests/upgrade/old_binary.py)"
    )


NEW_DEFAULT_PARAMS = compliance_params.default_params
NEW_VALIDATE_PARAMS = compliance_params.validate_params


def _old_default_params():
    p = NEW_DEFAULT_PARAMS()
    p.ClearField("freeze_drain_limit")
    return p


def _old_validate_params(p) -> None:
    checked = type(p)()
    checked.CopyFrom(p)
    checked.freeze_drain_limit = checked.freeze_drain_limit or 1  # the field did not exist
    NEW_VALIDATE_PARAMS(checked)


@contextlib.contextmanager
def previous_release() -> Iterator[None]:
    """The old code's differences beyond its module list: no 0x31 writes, no freeze queue,
    compliance params without freeze_drain_limit."""
    patches = [
        (OrdersKeeper, "mark_open", lambda self, store, order, parties=None: None),
        (OrdersKeeper, "mark_closed", lambda self, store, order: None),
        (ComplianceKeeper, "attach_order_freezer", lambda self, freezer: None),
        (compliance_genesis, "default_params", _old_default_params),
        (compliance_genesis, "validate_params", _old_validate_params),
    ]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, value in patches:
        setattr(owner, name, value)
    try:
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


def old_app(store: CommitStore) -> App:
    """The previous release's app (build and run it inside ``previous_release()``)."""
    handlers = tuple(h for h in UPGRADE_HANDLERS if h.name != PLAN)
    app = standard_app(
        store, upgrade_handlers=handlers, layout_version=PREVIOUS_LAYOUT, without=NEW_MODULES
    )
    for module in app.modules:
        if module.name in MIGRATED:
            module.consensus_version = 1
            module.migrations = {}
        if module.name == "orders":  # no index, so no invariant of it
            module.invariants = [
                inv for inv in module.invariants
                if getattr(inv, "__name__", "") != "open_orders_indexed"
            ]
    return app


def main(argv: list[str]) -> int:
    import os

    from stateset_chain import wiring
    from stateset_chain.cli.main import main as statesetd

    def open_old(data_dir: str, keep_versions: int = 1) -> App:
        return old_app(CommitStore.open(os.path.join(data_dir, "state"), keep_versions))

    wiring.open_app = open_old  # statesetd start opens the app through wiring.open_app
    with previous_release():
        return statesetd(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
