"""Auth invariants: crash (``InvariantBroken``) if state contradicts them. They scan the store."""

from __future__ import annotations

from stateset_chain.auth.state import AuthKeeper
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import InvariantBroken


def account_numbers(keeper: AuthKeeper, ctx: Context) -> None:
    """Account numbers are unique and below the next account number; each account is stored
    under its own address."""
    next_number = keeper.account_numbers.peek(ctx.store)
    seen: set[int] = set()
    for raw, account in keeper.accounts.iterate(ctx.store):
        if address.decode(account.address) != raw:
            raise InvariantBroken(f"auth: account {account.address} stored under {raw.hex()}")
        number = account.account_number
        if number in seen or number >= next_number:
            raise InvariantBroken(
                f"auth: account number {number} of {account.address} is duplicated or not "
                f"below the next account number {next_number}"
            )
        seen.add(number)


ALL = (account_numbers,)
