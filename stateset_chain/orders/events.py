"""The orders module's typed events.

They are declared in proto/stateset/orders/v1/events.proto; ``ALL`` keeps that order.

SPEC.md ("Events") says which message emits which; ``tests/test_spec_tables.py`` checks that the
two agree.

Every orders event is followed by a plain ``order`` event (``indexed.py``), so ``tx_search``
matches an order's events by id.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.orders.v1.events_pb2 import (
    ExchangeRateLocked,
    OrderCancelled,
    OrderCreated,
    OrderDelivered,
    OrderDisputed,
    OrderFulfilled,
    OrderHeld,
    OrderPaid,
    OrderRefunded,
    OrderReleased,
    OrderResolved,
    OrderReturned,
    OrderSettled,
    OrderShipped,
    ParamsUpdated,
    PaymentReceived,
    PersonalDataErased,
)

ALL = (
    OrderCreated,
    PaymentReceived,
    OrderPaid,
    ExchangeRateLocked,
    OrderFulfilled,
    OrderShipped,
    OrderDelivered,
    OrderCancelled,
    OrderHeld,
    OrderReleased,
    OrderReturned,
    OrderRefunded,
    OrderDisputed,
    OrderResolved,
    OrderSettled,
    ParamsUpdated,
    PersonalDataErased,
)
