"""MsgSubmitRates: a feeder records its latest rate for one or more currencies.

signer    feeder, who must be in the feeder set
validate  feeder is a canonical address                             -> sdk InvalidAddress
          at least one rate, at most MAX_CURRENCIES                 -> NoRates / UnknownCurrency
          each currency an ISO 4217 code (not USD)                  -> UnknownCurrency
          no currency twice                                         -> DuplicateCurrency
          each rate canonical, positive, <= 18 fractional digits    -> InvalidRate
guard     the feeder is in the feeder set                           -> NotFeeder
          each currency is in params.currencies                     -> UnknownCurrency
change    Submission{feeder, currency, rate, height, time} per currency (replacing the feeder's
          previous one); the currency is aggregated at this block's end (aggregate.py)
emit      RatesSubmitted{feeder, rates}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.oracle.errors import DuplicateCurrency, NoRates, NotFeeder, UnknownCurrency
from stateset_chain.oracle.msgs.common import (
    require_address,
    require_currency_code,
    require_listed,
    require_rate,
)
from stateset_chain.oracle.params import MAX_CURRENCIES
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.timefmt import timestamp

from stateset.oracle.v1 import events_pb2 as events
from stateset.oracle.v1 import tx_pb2 as tx
from stateset.oracle.v1.oracle_pb2 import Submission

MSG = tx.MsgSubmitRates


def signers(msg) -> list[str]:
    return [msg.feeder]


def validate(msg: tx.MsgSubmitRates) -> None:
    require_address(msg.feeder, "feeder")
    if not msg.rates:
        raise NoRates("rates are empty")
    if len(msg.rates) > MAX_CURRENCIES:
        raise UnknownCurrency(f"{len(msg.rates)} rates, at most {MAX_CURRENCIES} currencies")
    seen: set[str] = set()
    for r in msg.rates:
        require_currency_code(r.currency)
        if r.currency in seen:
            raise DuplicateCurrency(f"{r.currency} is submitted twice")
        seen.add(r.currency)
        require_rate(r.rate, f"rate of {r.currency}")


def handle(keeper: OracleKeeper, ctx: Context, msg: tx.MsgSubmitRates):
    p = keeper.params(ctx.store)
    if not keeper.is_feeder(ctx.store, msg.feeder):
        raise NotFeeder(f"{msg.feeder} is not a feeder")
    for r in msg.rates:
        require_listed(p, r.currency)
    when = timestamp(ctx.block.time_ns)
    for r in msg.rates:
        keeper.record_submission(ctx.store, Submission(
            feeder=msg.feeder, currency=r.currency, rate=r.rate, height=ctx.block.height,
            time=when,
        ))
    ctx.events.emit(events.RatesSubmitted(feeder=msg.feeder, rates=msg.rates))
    return tx.MsgSubmitRatesResponse()
