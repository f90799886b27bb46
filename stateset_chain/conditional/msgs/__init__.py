"""One file per message (``MSG``, ``signers``, ``validate``, ``handle``), in Msg service order."""

from __future__ import annotations

from stateset_chain.conditional.msgs import (
    cancel_conditional_order,
    create_conditional_order,
    execute_conditional_order,
)

ALL = (create_conditional_order, cancel_conditional_order, execute_conditional_order)
