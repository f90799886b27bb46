"""Bank invariants: crash (``InvariantBroken``) if state contradicts them. They scan the store."""

from __future__ import annotations

from stateset_chain.bank.state import BankKeeper
from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken


def total_supply(keeper: BankKeeper, ctx: Context) -> None:
    """For every denom, supply == Σ balances; no zero balance or supply is stored."""
    sums: dict[str, int] = {}
    for (_, denom), amount in keeper.balances.iterate(ctx.store):
        if amount == 0:
            raise InvariantBroken(f"bank: zero balance of {denom} stored")
        sums[denom] = sums.get(denom, 0) + amount
    stored = dict(keeper.supplies.iterate(ctx.store))
    for denom in sorted(set(sums) | set(stored)):
        if sums.get(denom, 0) != stored.get(denom, 0) or stored.get(denom) == 0:
            raise InvariantBroken(
                f"bank: supply of {denom} is {stored.get(denom, 0)} "
                f"but balances sum to {sums.get(denom, 0)}"
            )


ALL = (total_supply,)
