"""MsgOverrideRate: the chain authority sets a currency's accepted rate directly.

signer    authority, who must be params.authority
validate  authority is a canonical address                          -> sdk InvalidAddress
          currency an ISO 4217 code (not USD)                       -> UnknownCurrency
          rate canonical, positive, <= 18 fractional digits         -> InvalidRate
          reason 1..256 bytes                                       -> MissingReason
guard     the signer is the authority                               -> NotAuthorized
          the currency is in params.currencies                      -> UnknownCurrency
change    AcceptedRate{currency, rate, height, time, submissions: 0, source: OVERRIDE}; the
          currency's refused streak cleared (no deviation bound applies)
emit      RateOverridden{authority, reason, rate}, RateAccepted{rate, previous}

The immediate path for a real market move the deviation bound refuses, or for feeders that
cannot reach a quorum; the next in-band median replaces it as usual.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.oracle.errors import MissingReason
from stateset_chain.oracle.msgs.common import (
    require_address,
    require_authority,
    require_currency_code,
    require_listed,
    require_rate,
)
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.timefmt import timestamp

from stateset.oracle.v1 import events_pb2 as events
from stateset.oracle.v1 import tx_pb2 as tx
from stateset.oracle.v1.oracle_pb2 import AcceptedRate, RateSource

MSG = tx.MsgOverrideRate
MAX_REASON_BYTES = 256


def signers(msg) -> list[str]:
    return [msg.authority]


def validate(msg: tx.MsgOverrideRate) -> None:
    require_address(msg.authority, "authority")
    require_currency_code(msg.currency)
    require_rate(msg.rate)
    if not 1 <= len(msg.reason.encode()) <= MAX_REASON_BYTES:
        raise MissingReason(f"reason is {len(msg.reason.encode())} bytes")


def handle(keeper: OracleKeeper, ctx: Context, msg: tx.MsgOverrideRate):
    require_authority(keeper, ctx.store, msg.authority)
    require_listed(keeper.params(ctx.store), msg.currency)
    record = AcceptedRate(
        currency=msg.currency, rate=msg.rate, height=ctx.block.height,
        time=timestamp(ctx.block.time_ns), submissions=0,
        source=RateSource.RATE_SOURCE_OVERRIDE,
    )
    previous = keeper.accept(ctx, record)
    ctx.events.emit(events.RateOverridden(authority=msg.authority, reason=msg.reason, rate=record))
    ctx.events.emit(events.RateAccepted(rate=record, previous=previous))
    return tx.MsgOverrideRateResponse()
