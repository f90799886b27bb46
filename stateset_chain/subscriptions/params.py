"""Default params and their validation (SPEC.md, "Params").

The authority defaults to ``module_address("gov")`` (unsignable until genesis names one), as the
other modules' params do; it alone may replace the params (MsgUpdateParams). The field came after
genesis files without it were written, so an empty stored authority reads as that default
(``in_force``) and the stored params stay as they were written.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.subscriptions.errors import InvalidParams

from stateset.subscriptions.v1.subscriptions_pb2 import Params

DEFAULT_AUTHORITY = address.module_address("gov")
MAX_CYCLES_PER_BLOCK = 10_000
MAX_ITEMS = 500


def default_params() -> Params:
    return Params(
        max_cycles_per_block=100,
        retry_delay_seconds=86_400,
        max_retries=3,
        max_items=50,
        min_interval_seconds=86_400,
    )


def in_force(stored: Params) -> Params:
    """The params the module applies: ``stored`` with an empty authority read as the default."""
    p = Params()
    p.CopyFrom(stored)
    if not p.authority:
        p.authority = DEFAULT_AUTHORITY
    return p


def validate_params(p: Params) -> None:
    address.require_address(p.authority, "authority", InvalidParams)
    if not 1 <= p.max_cycles_per_block <= MAX_CYCLES_PER_BLOCK:
        raise InvalidParams(f"max_cycles_per_block must be 1..{MAX_CYCLES_PER_BLOCK}")
    if p.retry_delay_seconds < 1:
        raise InvalidParams("retry_delay_seconds must be >= 1")
    if not 1 <= p.max_items <= MAX_ITEMS:
        raise InvalidParams(f"max_items must be 1..{MAX_ITEMS}")
    if p.min_interval_seconds < 1:
        raise InvalidParams("min_interval_seconds must be >= 1")
