"""What the upgrade module needs from other modules: nothing through a keeper. Wiring hands it
the app's ``Module`` list (``UpgradeKeeper.modules``) for their consensus versions and
migrations; the app's layout version it reads and writes is ``app.STATE_VERSION``."""

from __future__ import annotations
