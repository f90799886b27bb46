"""The subscriptions module's typed events.

They are declared in proto/stateset/subscriptions/v1/events.proto; ``ALL`` keeps that order.

SPEC.md ("Events") says which message emits which; ``tests/test_spec_tables.py`` checks that the
two agree.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.subscriptions.v1.events_pb2 import (
    ParamsUpdated,
    SubscriptionCanceled,
    SubscriptionCancelScheduled,
    SubscriptionChargeFailed,
    SubscriptionCreated,
    SubscriptionCycleBilled,
    SubscriptionPaused,
    SubscriptionResealed,
    SubscriptionResealRequired,
    SubscriptionResumed,
    SubscriptionStatusChanged,
    SubscriptionUpdated,
)

ALL = (
    SubscriptionCreated,
    SubscriptionCycleBilled,
    SubscriptionChargeFailed,
    SubscriptionStatusChanged,
    SubscriptionPaused,
    SubscriptionResumed,
    SubscriptionCanceled,
    SubscriptionCancelScheduled,
    SubscriptionUpdated,
    ParamsUpdated,
    SubscriptionResealRequired,
    SubscriptionResealed,
)
