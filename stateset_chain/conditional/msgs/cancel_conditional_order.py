"""MsgCancelConditionalOrder{creator, id}: the creator withdraws a waiting conditional order.

signer    creator
validate  creator is a canonical address                           -> sdk InvalidAddress
          id is cnd_ + 10 characters                               -> InvalidConditionalId
guard     the conditional order exists                             -> ConditionalOrderNotFound
          the signer created it                                    -> NotAuthorized
          it is WAITING                                            -> NotWaiting
change    the pre-funding goes back to the creator; CANCELED; its indexes are dropped
emit      ConditionalOrderCanceled
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional import engine
from stateset_chain.conditional.msgs.common import load_waiting, validate_target
from stateset_chain.conditional.state import ConditionalKeeper
from stateset_chain.context import Context

from stateset.conditional.v1 import events_pb2 as events
from stateset.conditional.v1 import tx_pb2 as tx

MSG = tx.MsgCancelConditionalOrder


def signers(msg: tx.MsgCancelConditionalOrder) -> list[str]:
    return [msg.creator]


def validate(msg: tx.MsgCancelConditionalOrder) -> None:
    validate_target(msg)


def handle(
    keeper: ConditionalKeeper, ctx: Context, msg: tx.MsgCancelConditionalOrder
) -> tx.MsgCancelConditionalOrderResponse:
    c = load_waiting(keeper, ctx, msg)
    refunded = engine.finish(keeper, ctx, c, engine.CANCELED)
    ctx.events.emit(events.ConditionalOrderCanceled(id=c.id, refunded=refunded))
    return tx.MsgCancelConditionalOrderResponse(refunded=refunded)
