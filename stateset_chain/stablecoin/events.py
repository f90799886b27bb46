"""The stablecoin module's typed events.

They are declared in proto/stateset/stablecoin/v1/events.proto; ``ALL`` keeps that order.

SPEC.md ("Events") says which message emits which; ``tests/test_spec_tables.py`` checks that the
two agree.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.stablecoin.v1.events_pb2 import (
    StablecoinIssued,
    StablecoinRedeemed,
)

ALL = (
    StablecoinIssued,
    StablecoinRedeemed,
)
