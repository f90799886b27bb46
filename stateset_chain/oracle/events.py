"""The oracle module's typed events (proto/stateset/oracle/v1/events.proto).

    MsgUpdateParams  -> ParamsUpdated{authority, params}
    MsgSetFeeders    -> FeedersSet{authority, feeders, added, removed}
    MsgSubmitRates   -> RatesSubmitted{feeder, rates}
    MsgOverrideRate  -> RateOverridden{authority, reason, rate}, RateAccepted{rate, previous}
    end block        -> RateAccepted{rate, previous} / RateRejected{currency, median, ...} /
                        PendingDeviationDropped{currency, median, since_height, fresh_submissions}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.oracle.v1.events_pb2 import (
    FeedersSet,
    ParamsUpdated,
    PendingDeviationDropped,
    RateAccepted,
    RateOverridden,
    RateRejected,
    RatesSubmitted,
)

ALL = (
    ParamsUpdated, FeedersSet, RatesSubmitted, RateAccepted, RateRejected, RateOverridden,
    PendingDeviationDropped,
)
