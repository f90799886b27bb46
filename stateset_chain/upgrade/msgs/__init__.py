"""One file per message (``MSG``, ``signers``, ``validate``, ``handle``), in Msg service order."""

from __future__ import annotations

from stateset_chain.upgrade.msgs import cancel_upgrade, software_upgrade

ALL = (software_upgrade, cancel_upgrade)
