"""One file per message (``MSG``, ``signers``, ``validate``, ``handle``), in Msg service order."""

from __future__ import annotations

from stateset_chain.bank.msgs import send

ALL = (send,)
