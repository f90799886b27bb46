"""Orders consensus version 1 -> 2: the index of open orders by party (0x31).

    version 2 adds:  orders/ 0x31 | len(addr) addr | seq u64 -> order id

Run once, in place, at the planned upgrade height (stateset_chain/upgrade): every order holding
escrow is indexed under each of its parties (``state.open_parties``), exactly as the payments
since would have indexed it, so the compliance freeze of a party sanctioned after the upgrade
finds its older orders too.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders.state import OrdersKeeper, escrowed


def migrate(keeper: OrdersKeeper, ctx: Context) -> None:
    for order in keeper.all_orders(ctx.store):
        if escrowed(order):
            keeper.mark_open(ctx.store, order)
