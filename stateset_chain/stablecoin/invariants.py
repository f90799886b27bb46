"""The peg invariant: every ussusd in circulation is backed by one uusdc in the reserve."""

from __future__ import annotations

from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken
from stateset_chain.stablecoin.state import StablecoinKeeper


def reserve_backs_supply(keeper: StablecoinKeeper, ctx: Context) -> None:
    reserve = keeper.reserve(ctx.store)
    supply = keeper.supply(ctx.store)
    if reserve != supply:
        raise InvariantBroken(f"stablecoin: reserve {reserve}uusdc != supply {supply}ussusd")


ALL = (reserve_backs_supply,)
