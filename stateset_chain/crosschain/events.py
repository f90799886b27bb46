"""The crosschain module's typed events.

They are declared in proto/stateset/crosschain/v1/events.proto; ``ALL`` keeps that order.

SPEC.md ("Events") says which message emits which; ``tests/test_spec_tables.py`` checks that the
two agree.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.crosschain.v1.events_pb2 import (
    CrossChainPaymentReceived,
    CrossChainRefundInitiated,
    CrossChainRefundParked,
    RefundDestinationSet,
    UnclaimedFundsClaimed,
    UnclaimedFundsCredited,
    UnclaimedFundsRefunded,
)

ALL = (
    CrossChainPaymentReceived,
    CrossChainRefundInitiated,
    UnclaimedFundsCredited,
    UnclaimedFundsRefunded,
    UnclaimedFundsClaimed,
    RefundDestinationSet,
    CrossChainRefundParked,
)
