"""Oracle invariants (each raises InvariantBroken).

- ``records_well_formed``: every submission, accepted rate and streak is stored under the key its
  fields give, holds a canonical positive rate and a listed currency; every submission is a
  feeder's; a streak has an accepted rate.
- ``no_marks_between_blocks``: no "submitted this block" mark survives the end block (checked
  after it, like every invariant).
"""

from __future__ import annotations

from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.rates import format_rate, parse_rate


def _canonical(text: str) -> bool:
    try:
        return format_rate(parse_rate(text)) == text
    except ValueError:
        return False


def records_well_formed(keeper: OracleKeeper, ctx: Context) -> None:
    store = ctx.store
    listed = set(keeper.params(store).currencies)
    for (currency, feeder), s in keeper.submissions.iterate(store):
        if (s.currency, s.feeder) != (currency, feeder) or not _canonical(s.rate):
            raise InvariantBroken(f"submission stored under {currency} {feeder}")
        if currency not in listed or not keeper.is_feeder(store, feeder):
            raise InvariantBroken(f"submission of {feeder} for {currency} should be gone")
    for currency, r in keeper.accepted.iterate(store):
        if r.currency != currency or not _canonical(r.rate) or currency not in listed:
            raise InvariantBroken(f"accepted rate stored under {currency}")
    for currency, d in keeper.pending.iterate(store):
        if d.currency != currency or not _canonical(d.median):
            raise InvariantBroken(f"pending streak stored under {currency}")
        if not keeper.accepted.has(store, currency):
            raise InvariantBroken(f"pending streak of {currency} without an accepted rate")


def no_marks_between_blocks(keeper: OracleKeeper, ctx: Context) -> None:
    marks = list(keeper.submitted.iterate(ctx.store))
    if marks:
        raise InvariantBroken(f"submission marks left after the end block: {marks}")


ALL = (records_well_formed, no_marks_between_blocks)
