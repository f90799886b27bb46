"""MsgUpdateParams: the chain authority replaces the oracle params.

signer    authority, who must be the current params.authority
validate  authority is a canonical address                          -> sdk InvalidAddress
          params are present and valid (params.validate_params)     -> InvalidParams
guard     the signer is the current authority                       -> NotAuthorized
change    params replaced; a currency no longer listed loses its submissions, accepted rate
          and streak
emit      ParamsUpdated{authority, params}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.oracle.errors import InvalidParams
from stateset_chain.oracle.msgs.common import require_address, require_authority
from stateset_chain.oracle.params import validate_params
from stateset_chain.oracle.state import OracleKeeper

from stateset.oracle.v1 import events_pb2 as events
from stateset.oracle.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateParams


def signers(msg) -> list[str]:
    return [msg.authority]


def validate(msg: tx.MsgUpdateParams) -> None:
    require_address(msg.authority, "authority")
    if not msg.HasField("params"):
        raise InvalidParams("params are missing")
    validate_params(msg.params)


def handle(keeper: OracleKeeper, ctx: Context, msg: tx.MsgUpdateParams):
    require_authority(keeper, ctx.store, msg.authority)
    old = keeper.params(ctx.store).currencies
    for currency in old:
        if currency not in msg.params.currencies:
            keeper.forget_currency(ctx.store, currency)
    keeper.set_params(ctx.store, msg.params)
    ctx.events.emit(events.ParamsUpdated(authority=msg.authority, params=msg.params))
    return tx.MsgUpdateParamsResponse()
