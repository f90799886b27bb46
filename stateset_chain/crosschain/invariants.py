"""Cross-chain invariants: crash (``InvariantBroken``) if state contradicts them.

- ``unclaimed_balance``: for each denom, balance(crosschain_unclaimed) == Σ record amounts, and
  every record holds a positive amount.
"""

from __future__ import annotations

from stateset_chain.coins import USDC
from stateset_chain.context import Context
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.errors import InvariantBroken


def unclaimed_balance(keeper: CrosschainKeeper, ctx: Context) -> None:
    owed = {USDC: 0}
    for record in keeper.all_unclaimed(ctx.store):
        amount = int(record.amount)
        if amount <= 0:
            raise InvariantBroken(f"crosschain: record 0x{record.message_hash.hex()} is empty")
        owed[record.denom] = owed.get(record.denom, 0) + amount
    for denom in sorted(owed):
        held = keeper.bank.balance(ctx.store, keeper.unclaimed_address, denom)
        if held != owed[denom]:
            raise InvariantBroken(
                f"crosschain: unclaimed account holds {held}{denom}, records {owed[denom]}{denom}"
            )


ALL = (unclaimed_balance,)
