"""One module per message, each with ``MSG``, ``signers(msg)``, ``validate(msg)`` (stateless)
and ``handle(keeper, ctx, msg)``. ``ALL`` lists them in the order of the Msg service."""

from __future__ import annotations

from stateset_chain.crosschain.msgs import (
    claim_unclaimed,
    refund_unclaimed,
    set_refund_destination,
)

ALL = (refund_unclaimed, claim_unclaimed, set_refund_destination)
