"""The conditional module's typed events.

They are declared in proto/stateset/conditional/v1/events.proto; ``ALL`` keeps that order.

SPEC.md ("Events") says which message emits which; ``tests/test_spec_tables.py`` checks that the
two agree.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.conditional.v1.events_pb2 import (
    ConditionalOrderCanceled,
    ConditionalOrderCreated,
    ConditionalOrderExecuted,
    ConditionalOrderFailed,
    ConditionalOrderLapsed,
)

ALL = (
    ConditionalOrderCreated,
    ConditionalOrderExecuted,
    ConditionalOrderFailed,
    ConditionalOrderCanceled,
    ConditionalOrderLapsed,
)
