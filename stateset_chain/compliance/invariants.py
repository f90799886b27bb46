"""Compliance invariants (each raises InvariantBroken).

- ``lists_well_formed``: every list entry is stored under the key its fields give.
- ``volumes_have_limits``: a volume window exists only for an account and denom with a limit,
  and never exceeds that limit.
- ``freeze_queue_sanctioned``: every address the freeze queue holds is sanctioned (a removal
  takes it out of the queue).
"""

from __future__ import annotations

from stateset_chain.compliance import keys
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken


def lists_well_formed(keeper: ComplianceKeeper, ctx: Context) -> None:
    for addr, s in keeper.sanctions.iterate(ctx.store):
        if s.address != addr:
            raise InvariantBroken(f"sanction stored under {addr} names {s.address}")
    for country, c in keeper.blocked_countries.iterate(ctx.store):
        if c.country != country:
            raise InvariantBroken(f"blocked country stored under {country} names {c.country}")
    for where, r in keeper.restricted_categories.iterate(ctx.store):
        if (r.country, r.region, r.category) != where:
            raise InvariantBroken(f"restricted category stored under {where}")
    for owner, lim in keeper.account_limits.iterate(ctx.store):
        if (lim.address, lim.denom) != owner or not (lim.daily or lim.monthly):
            raise InvariantBroken(f"account limit stored under {owner}")


def volumes_have_limits(keeper: ComplianceKeeper, ctx: Context) -> None:
    for (addr, denom, window), v in keeper.volumes.iterate(ctx.store):
        lim = keeper.account_limits.get(ctx.store, (addr, denom))
        if lim is None:
            raise InvariantBroken(f"volume of {addr} {denom} without a limit")
        cap = lim.daily if window == keys.DAILY else lim.monthly
        if cap and v.amount > cap:
            raise InvariantBroken(f"volume of {addr} {denom} window {window} over its limit")


def freeze_queue_sanctioned(keeper: ComplianceKeeper, ctx: Context) -> None:
    for addr, _ in keeper.freeze_queue.iterate(ctx.store):
        if not keeper.sanctions.has(ctx.store, addr):
            raise InvariantBroken(f"freeze queue holds {addr}, which is not sanctioned")


ALL = (lists_well_formed, volumes_have_limits, freeze_queue_sanctioned)
