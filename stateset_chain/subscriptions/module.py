"""The subscriptions module: ``subscriptions_module(SubscriptionsKeeper(bank, orders))``.

It holds no coins: each cycle is an ordinary order, paid into the orders escrow by the customer.
Its end-block runs after the orders module's (wiring order), so a cycle billed in block h is
settled by the orders module like any other order.
"""

from __future__ import annotations

from collections.abc import Callable

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.module import Module, MsgRoute
from stateset_chain.subscriptions import billing, genesis, invariants, msgs, queries
from stateset_chain.subscriptions.keys import MODULE_NAME


def subscriptions_module(keeper) -> Module:
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
        end_block=lambda ctx: billing.end_block(keeper, ctx),
        invariants=[
            _bind(keeper, invariants.queue_consistent),
            _bind(keeper, invariants.cycles_consistent),
            _bind(keeper, invariants.allowance_bounded),
        ],
    )


def _bind(keeper, fn: Callable) -> Callable:
    def bound(ctx: Context, *args):
        return fn(keeper, ctx, *args)

    return bound
