"""MsgSetFeeders: the chain authority replaces the feeder set.

signer    authority, who must be params.authority
validate  authority and every feeder are canonical addresses        -> sdk InvalidAddress
          no feeder twice, at most MAX_FEEDERS                      -> InvalidFeeders
guard     the signer is the authority                               -> NotAuthorized
change    the set replaced; a removed feeder's submissions are deleted (they no longer count)
emit      FeedersSet{authority, feeders, added, removed}

An empty set is allowed (no feeds; accepted rates go stale).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.oracle.errors import InvalidFeeders
from stateset_chain.oracle.msgs.common import require_address, require_authority
from stateset_chain.oracle.params import MAX_FEEDERS
from stateset_chain.oracle.state import OracleKeeper

from stateset.oracle.v1 import events_pb2 as events
from stateset.oracle.v1 import tx_pb2 as tx

MSG = tx.MsgSetFeeders


def signers(msg) -> list[str]:
    return [msg.authority]


def validate_feeders(feeders) -> None:
    if len(feeders) > MAX_FEEDERS:
        raise InvalidFeeders(f"{len(feeders)} feeders, at most {MAX_FEEDERS}")
    for i, feeder in enumerate(feeders):
        require_address(feeder, f"feeders[{i}]")
    if len(set(feeders)) != len(feeders):
        raise InvalidFeeders("a feeder is listed twice")


def validate(msg: tx.MsgSetFeeders) -> None:
    require_address(msg.authority, "authority")
    validate_feeders(msg.feeders)


def handle(keeper: OracleKeeper, ctx: Context, msg: tx.MsgSetFeeders):
    require_authority(keeper, ctx.store, msg.authority)
    added, removed = keeper.set_feeders(ctx.store, list(msg.feeders))
    ctx.events.emit(events.FeedersSet(
        authority=msg.authority, feeders=sorted(msg.feeders), added=added, removed=removed,
    ))
    return tx.MsgSetFeedersResponse()
