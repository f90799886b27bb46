"""The subscriptions module: ``subscriptions_module(SubscriptionsKeeper(orders))``.

It holds no coins: each cycle is an ordinary order, paid into the orders escrow by the customer.
Its end-block runs after the orders module's (wiring order), so a cycle billed in block h is
settled by the orders module like any other order.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.module import Module, bind, msg_routes
from stateset_chain.subscriptions import billing, genesis, invariants, msgs, queries
from stateset_chain.subscriptions.keys import MODULE_NAME


def subscriptions_module(keeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        end_block=bind(keeper, billing.end_block),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
    )

