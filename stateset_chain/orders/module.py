"""Builds the orders ``Module`` (``orders_module(OrdersKeeper(bank_keeper))``).

The bank must declare the ``orders_escrow`` module account (``keys.ORDERS_MODULE_ACCOUNTS``, no
mint or burn permission), so that no one can MsgSend into the escrow.
"""

from __future__ import annotations

from collections.abc import Callable

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.module import Module, MsgRoute
from stateset_chain.orders import genesis, invariants, msgs, queries, settlement
from stateset_chain.orders.keys import LOCAL_PREFIXES, MODULE_NAME
from stateset_chain.orders.state import OrdersKeeper


def orders_module(keeper: OrdersKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=[
            MsgRoute(
                msg_cls=m.MSG,
                signers=m.signers,
                validate=m.validate,
                handler=_bind(keeper, m.handle),
            )
            for m in msgs.ALL
        ],
        queries=queries.routes(keeper),
        init_genesis=lambda ctx, data: genesis.init_genesis(keeper, ctx, data),
        export_genesis=lambda ctx: genesis.export_genesis(keeper, ctx),
        end_block=lambda ctx: settlement.end_block(keeper, ctx),
        invariants=[
            _bind(keeper, invariants.escrow_balance),
            _bind(keeper, invariants.order_accounting),
            _bind(keeper, invariants.indexes_consistent),
        ],
        local_prefixes=LOCAL_PREFIXES,
    )


def _bind(keeper: OrdersKeeper, fn: Callable) -> Callable:
    def bound(ctx: Context, *args):
        return fn(keeper, ctx, *args)

    return bound
