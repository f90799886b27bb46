"""Default params and their validation.

Both roles default to ``module_address("gov")`` (unsignable until genesis names them); every
fraud rule defaults to off (limits 0, weights 0) and the hold threshold to 10000, which no score
exceeds, so a chain without compliance genesis behaves as before.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance.errors import InvalidParams
from stateset_chain.crypto import address

from stateset.compliance.v1.compliance_pb2 import FraudRules, Params, VelocityRule

DEFAULT_AUTHORITY = address.module_address("gov")
MAX_BPS = 10_000
MAX_WINDOW_BUCKETS = 64
DEFAULT_BUCKET_SECONDS = 3600
DEFAULT_WINDOW_SECONDS = 86_400
DEFAULT_FREEZE_DRAIN_LIMIT = 1000


def default_params() -> Params:
    return Params(
        authority=DEFAULT_AUTHORITY,
        compliance_authority=DEFAULT_AUTHORITY,
        fraud=FraudRules(
            velocity=VelocityRule(
                window_seconds=DEFAULT_WINDOW_SECONDS, bucket_seconds=DEFAULT_BUCKET_SECONDS
            ),
            hold_threshold_bps=MAX_BPS,
        ),
        freeze_drain_limit=DEFAULT_FREEZE_DRAIN_LIMIT,
    )


def _bps(value: int, field: str) -> None:
    if value > MAX_BPS:
        raise InvalidParams(f"{field} is {value}, at most {MAX_BPS}")


def validate_params(p: Params) -> None:
    address.require_address(p.authority, "authority", InvalidParams)
    address.require_address(p.compliance_authority, "compliance_authority", InvalidParams)
    if p.freeze_drain_limit == 0:
        raise InvalidParams("freeze_drain_limit must be >= 1")
    f = p.fraud
    v = f.velocity
    if v.bucket_seconds == 0:
        raise InvalidParams("fraud.velocity.bucket_seconds must be > 0")
    if v.window_seconds == 0 or v.window_seconds % v.bucket_seconds:
        raise InvalidParams("fraud.velocity.window_seconds must be a positive multiple of "
                            "bucket_seconds")
    if v.window_seconds // v.bucket_seconds > MAX_WINDOW_BUCKETS:
        raise InvalidParams(f"fraud.velocity spans more than {MAX_WINDOW_BUCKETS} buckets")
    for value, field in (
        (v.orders_weight_bps, "velocity.orders_weight_bps"),
        (v.amount_weight_bps, "velocity.amount_weight_bps"),
        (f.single_order.weight_bps, "single_order.weight_bps"),
        (f.new_account.age_weight_bps, "new_account.age_weight_bps"),
        (f.new_account.history_weight_bps, "new_account.history_weight_bps"),
        (f.mismatch.weight_bps, "mismatch.weight_bps"),
        (f.hold_threshold_bps, "hold_threshold_bps"),
    ):
        _bps(value, "fraud." + field)
