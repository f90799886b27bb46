"""One file per message (``MSG``, ``signers``, ``validate``, ``handle``), in Msg service order.

Anyone holding USDC may issue; anyone holding ssUSD may redeem (always open, even when issuance
is disabled)."""

from __future__ import annotations

from stateset_chain.stablecoin.msgs import issue, redeem

ALL = (issue, redeem)
