"""Conditional orders invariants: crash (``InvariantBroken``) if state contradicts them."""

from __future__ import annotations

from stateset_chain.conditional import engine
from stateset_chain.conditional.state import ESCROW_ACCOUNT, ConditionalKeeper
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import InvariantBroken


def escrow_balance(keeper: ConditionalKeeper, ctx: Context) -> None:
    """conditional_escrow holds exactly the pre-funding of the WAITING conditional orders."""
    owed: dict[str, int] = {}
    for c in keeper.all(ctx.store):
        if c.escrowed:
            if c.status != engine.WAITING:
                raise InvariantBroken(f"{c.id} holds escrow but is not waiting")
            owed[c.denom] = owed.get(c.denom, 0) + c.escrowed
    escrow = address.module_address(ESCROW_ACCOUNT)
    for denom in sorted(set(owed) | {"ussusd", "uusdc"}):
        if keeper.bank.balance(ctx.store, escrow, denom) != owed.get(denom, 0):
            raise InvariantBroken(f"conditional escrow of {denom} != the pre-funding owed")


ALL = (escrow_balance,)
