"""MsgSetMaxBurnAmountPerMessage: the token controller caps one burn.

Token messages (signer: the token controller).

MsgSetMaxBurnAmountPerMessage{signer, local_token, amount}
validate  amount is a canonical decimal < 2**256 (0 allowed)    -> InvalidAmount
guard     signer is the token controller                        -> NotTokenController
          local_token is uusdc (any case)                       -> UnsupportedLocalToken
change    burn limit of uusdc := amount
emit      SetBurnLimitPerMessage{token, burn_limit_per_message}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import (
    NotTokenController,
)
from stateset_chain.cctp.msgs.common import (
    parse_amount,
    require_role,
    supported_local_token,
    validate_signer,
)
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgSetMaxBurnAmountPerMessage


def signers(msg: tx.MsgSetMaxBurnAmountPerMessage) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgSetMaxBurnAmountPerMessage) -> int:
    """The limit, in base units."""
    validate_signer(msg)
    return parse_amount(msg.amount, allow_zero=True)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgSetMaxBurnAmountPerMessage, parsed: int
) -> tx.MsgSetMaxBurnAmountPerMessageResponse:
    amount = parsed
    require_role(keeper.token_controller(ctx.store), msg.signer, NotTokenController)
    denom = supported_local_token(msg.local_token)
    keeper.set_burn_limit(ctx.store, denom, amount)
    ctx.events.emit(events.SetBurnLimitPerMessage(token=denom, burn_limit_per_message=str(amount)))
    return tx.MsgSetMaxBurnAmountPerMessageResponse()
