"""MsgUpdateParams: the chain authority replaces the compliance params.

signer    authority, who must be the current params.authority
validate  authority is a canonical address                          -> sdk InvalidAddress
          params are present and valid (params.validate_params)     -> InvalidParams
guard     the signer is the current authority                       -> NotAuthorized
change    params replaced (the compliance authority, the fraud rules and threshold)
emit      ParamsUpdated{authority, params}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance.errors import InvalidParams, NotAuthorized
from stateset_chain.compliance.msgs.common import require_address
from stateset_chain.compliance.params import validate_params
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context

from stateset.compliance.v1 import events_pb2 as events
from stateset.compliance.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateParams


def signers(msg) -> list[str]:
    return [msg.authority]


def validate(msg: tx.MsgUpdateParams) -> None:
    require_address(msg.authority, "authority")
    if not msg.HasField("params"):
        raise InvalidParams("params are missing")
    validate_params(msg.params)


def handle(keeper: ComplianceKeeper, ctx: Context, msg: tx.MsgUpdateParams):
    current = keeper.params(ctx.store).authority
    if msg.authority != current:
        raise NotAuthorized(f"{msg.authority} is not the authority {current}")
    keeper.set_params(ctx.store, msg.params)
    ctx.events.emit(events.ParamsUpdated(authority=msg.authority, params=msg.params))
    return tx.MsgUpdateParamsResponse()
