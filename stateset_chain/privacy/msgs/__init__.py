"""One file per message (``MSG``, ``signers``, ``validate``, ``handle``), in Msg service order."""

from __future__ import annotations

from stateset_chain.privacy.msgs import register_encryption_key

ALL = (register_encryption_key,)
