"""The previous release, for the upgrade tests: this code with the layout it had before.

The release before layout 11 kept the bank's denom metadata at ``0x04 | len(denom) denom``
(bank consensus version 1, ``stateset_chain/bank/migrations/v2.py`` keeps that collection) and
wrote layout version 10; it has no handler for the plan "v11". ``previous_release()`` puts that
collection back on the bank keeper for as long as it is active (the keeper reads and writes it
there, as the old code did), and ``old_app`` builds the app of that release. Run as a module it
is that release's ``statesetd start`` (the e2e test's old binary)::

    python -m tests.upgrade.old_binary start --home H --address A
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.app import APP_VERSION, App
from stateset_chain.bank.migrations.v2 import V1_DENOM_METADATA
from stateset_chain.bank.state import BankKeeper
from stateset_chain.store.commit import CommitStore
from stateset_chain.upgrades import UPGRADE_HANDLERS
from stateset_chain.wiring import standard_app

PLAN = "v11"
PREVIOUS_LAYOUT = 10
if APP_VERSION != PREVIOUS_LAYOUT + 1 or UPGRADE_HANDLERS[-1].name != PLAN:
    raise RuntimeError(
        f"APP_VERSION is {APP_VERSION}: this previous-release build simulates layout "
        f"{PREVIOUS_LAYOUT} for the plan {PLAN!r}; point it at the newest handler's from_layout "
        "and put back the collections that handler migrates (tests/upgrade/old_binary.py)"
    )


@contextlib.contextmanager
def previous_release() -> Iterator[None]:
    new = BankKeeper.denom_metadata
    BankKeeper.denom_metadata = V1_DENOM_METADATA
    try:
        yield
    finally:
        BankKeeper.denom_metadata = new


def old_app(store: CommitStore) -> App:
    """The previous release's app (build and run it inside ``previous_release()``)."""
    handlers = tuple(h for h in UPGRADE_HANDLERS if h.name != PLAN)
    app = standard_app(store, upgrade_handlers=handlers, layout_version=PREVIOUS_LAYOUT)
    bank = next(m for m in app.modules if m.name == "bank")
    bank.consensus_version = 1
    bank.migrations = {}
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
