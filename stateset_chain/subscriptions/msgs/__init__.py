"""One module per message (``MSG``, ``signers``, ``validate``, ``handle``), in Msg service order."""

from __future__ import annotations

from stateset_chain.subscriptions.msgs import (
    cancel,
    create,
    pause,
    reseal,
    resume,
    update,
    update_params,
)

ALL = (create, pause, resume, cancel, update, update_params, reseal)
