"""Oracle genesis: ``stateset.oracle.v1.GenesisState`` as JSON with proto field names.

Params (missing fields keep their defaults), the feeder set, accepted rates, submissions and
refused streaks are imported and exported; ``init(export(s))`` reproduces the module's store
byte for byte. Entries are validated as the messages validate them: feeders as MsgSetFeeders,
rates canonical and positive, every currency listed in params, one entry per key, a submission
only from a feeder (InvalidGenesis; InvalidParams for params).

An accepted rate without a ``time`` takes the genesis time and height (what the localnet genesis
uses: its initial rates are fresh at the first block); ``source`` defaults to GENESIS.
"""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.errors import ChainError
from stateset_chain.oracle.errors import InvalidGenesis
from stateset_chain.oracle.msgs.common import require_address, require_listed, require_rate
from stateset_chain.oracle.msgs.set_feeders import validate_feeders
from stateset_chain.oracle.params import default_params, validate_params
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.timefmt import timestamp

from stateset.oracle.v1.oracle_pb2 import GenesisState, Params, RateSource


def init_genesis(keeper: OracleKeeper, ctx: Context, data: dict) -> None:
    data = dict(data)
    p = default_params()
    state = GenesisState()
    try:
        # missing params fields keep their defaults; a field given (even 0) replaces its default
        json_format.ParseDict(data.pop("params", {}), p)
        json_format.ParseDict(data, state)
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    validate_params(p)
    keeper.set_params(ctx.store, p)
    try:
        _import(keeper, ctx, p, state)
    except InvalidGenesis:
        raise
    except ChainError as e:
        raise InvalidGenesis(e.log) from None


def _unique(seen: set, key, what: str) -> None:
    if key in seen:
        raise InvalidGenesis(f"duplicate {what} {key}")
    seen.add(key)


def _import(keeper: OracleKeeper, ctx: Context, p: Params, state: GenesisState) -> None:
    store = ctx.store
    validate_feeders(state.feeders)
    keeper.set_feeders(store, list(state.feeders))
    seen: set = set()
    for r in state.rates:
        require_listed(p, r.currency)
        require_rate(r.rate, f"rate of {r.currency}")
        _unique(seen, ("rate", r.currency), "rate")
        if not r.HasField("time"):
            r.time.CopyFrom(timestamp(ctx.block.time_ns))
            r.height = r.height or ctx.block.height
        if r.source == RateSource.RATE_SOURCE_UNSPECIFIED:
            r.source = RateSource.RATE_SOURCE_GENESIS
        keeper.accepted.set(store, r.currency, r)
    for s in state.submissions:
        require_address(s.feeder, "submission feeder")
        require_listed(p, s.currency)
        require_rate(s.rate, f"submission rate of {s.currency}")
        if not keeper.is_feeder(store, s.feeder):
            raise InvalidGenesis(f"submission of {s.feeder}, who is not a feeder")
        if not s.HasField("time"):
            raise InvalidGenesis(f"submission of {s.feeder} for {s.currency} has no time")
        _unique(seen, ("submission", s.currency, s.feeder), "submission")
        keeper.submissions.set(store, (s.currency, s.feeder), s)
    for d in state.pending:
        require_listed(p, d.currency)
        require_rate(d.median, f"pending median of {d.currency}")
        if d.currency not in {r.currency for r in state.rates}:
            raise InvalidGenesis(f"pending streak of {d.currency} without an accepted rate")
        _unique(seen, ("pending", d.currency), "pending streak")
        keeper.pending.set(store, d.currency, d)


def export_genesis(keeper: OracleKeeper, ctx: Context) -> dict:
    store = ctx.store
    state = GenesisState(
        params=keeper.params(store),
        feeders=keeper.all_feeders(store),
        rates=list(keeper.all_accepted(store)),
        submissions=list(keeper.all_submissions(store)),
        pending=list(keeper.all_pending(store)),
    )
    return json_format.MessageToDict(state, preserving_proto_field_name=True)
