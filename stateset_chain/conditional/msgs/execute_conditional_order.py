"""MsgExecuteConditionalOrder{creator, id}: the creator executes a waiting conditional order now.

signer    creator
validate  creator is a canonical address                           -> sdk InvalidAddress
          id is cnd_ + 10 characters                               -> InvalidConditionalId
guard     the conditional order exists                             -> ConditionalOrderNotFound
          the signer created it                                    -> NotAuthorized
          it is WAITING                                            -> NotWaiting
          every condition holds now                                -> ConditionsNotMet
change    executes as the end-block would (engine.execute); any refusal fails the tx
emit      ConditionalOrderExecuted (after the orders module's events)
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional import engine
from stateset_chain.conditional.errors import ConditionsNotMet
from stateset_chain.conditional.msgs.common import load_waiting, validate_target
from stateset_chain.conditional.state import ConditionalKeeper
from stateset_chain.context import Context

from stateset.conditional.v1 import tx_pb2 as tx

MSG = tx.MsgExecuteConditionalOrder


def signers(msg: tx.MsgExecuteConditionalOrder) -> list[str]:
    return [msg.creator]


def validate(msg: tx.MsgExecuteConditionalOrder) -> None:
    validate_target(msg)


def handle(
    keeper: ConditionalKeeper, ctx: Context, msg: tx.MsgExecuteConditionalOrder
) -> tx.MsgExecuteConditionalOrderResponse:
    c = load_waiting(keeper, ctx, msg)
    holding = engine.all_hold(keeper, ctx, c)
    if not all(holding):
        raise ConditionsNotMet(f"conditions holding: {holding}")
    order_id = engine.execute(keeper, ctx, c)
    return tx.MsgExecuteConditionalOrderResponse(order_id=order_id)
