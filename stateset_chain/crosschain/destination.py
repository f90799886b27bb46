"""Where refunds of cross-chain payments go (SPEC.md, "Refund destinations").

A refund goes to the order's named ``RefundDestination`` when its customer set one, else to the
burn's message sender on its source domain, but only where that sender is the payer's wallet
(``CrosschainKeeper.sender_is_wallet``: not Solana, not a domain or router the params list);
otherwise it is parked (``UNCLAIMED_REASON_NO_REFUND_DESTINATION``) until the customer names
one. Other unclaimed records carry the destination their order had when they were credited
(``UnclaimedFunds.refund_to``), so nobody can redirect them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import stateset_chain.pb  # noqa: F401

from stateset.crosschain.v1.crosschain_pb2 import RefundDestination, UnclaimedFunds
from stateset.orders.v1.orders_pb2 import CrossChainOrigin, Order


@dataclass(frozen=True)
class ReturnPath:
    domain: int
    recipient: bytes  # bytes32 mint recipient on ``domain``


def of_payment(destination: RefundDestination | None, origin: CrossChainOrigin) -> ReturnPath:
    """Where a refund of a payment with ``origin`` goes, given its order's named destination."""
    if destination is not None:
        return ReturnPath(destination.domain, destination.recipient)
    return ReturnPath(origin.source_domain, bytes.fromhex(origin.original_sender))


def of_record(record: UnclaimedFunds) -> ReturnPath:
    """Where unclaimed funds go back to."""
    if record.HasField("refund_to"):
        return ReturnPath(record.refund_to.domain, record.refund_to.recipient)
    return ReturnPath(record.source_domain, record.original_sender)


def has_cross_chain_payment(order: Order) -> bool:
    """True once any CCTP money has paid the order: its refund destination is then fixed."""
    return any(payment.HasField("cross_chain") for payment in order.payments)

