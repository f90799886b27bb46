"""Stablecoin genesis JSON: ``{"params": {"issuance_enabled": true, "max_supply": "0"}}``.

Missing fields keep their defaults (issuance enabled, unlimited supply), so ``{}`` is valid. The
reserve and the ussusd balances live in the bank's genesis; the peg invariant checks they agree.
"""

from __future__ import annotations

from google.protobuf import json_format

from stateset_chain import coins
from stateset_chain.context import Context
from stateset_chain.stablecoin.errors import InvalidParams
from stateset_chain.stablecoin.state import StablecoinKeeper, default_params

from stateset.stablecoin.v1.params_pb2 import Params


def init_genesis(keeper: StablecoinKeeper, ctx: Context, data: dict) -> None:
    params = default_params()
    try:
        json_format.ParseDict(data.get("params", {}), params)
    except json_format.ParseError as e:
        raise InvalidParams(str(e)) from None
    validate_params(params)
    keeper.set_params(ctx.store, params)


def export_genesis(keeper: StablecoinKeeper, ctx: Context) -> dict:
    params = json_format.MessageToDict(
        keeper.params(ctx.store),
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
    )
    return {"params": params}


def validate_params(params: Params) -> None:
    cap = params.max_supply
    if cap:
        coins.parse_amount(cap, InvalidParams, field="max_supply", allow_zero=True)
