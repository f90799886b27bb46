"""cctp invariants: crash (``InvariantBroken``) if state contradicts them. They scan the store."""

from __future__ import annotations

from stateset_chain.cctp.attestation import ethereum_address
from stateset_chain.cctp.keys import LOCAL_TOKEN
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken


def attesters_consistent(keeper: CctpKeeper, ctx: Context) -> None:
    """Each attester is stored under its own address; the count matches; threshold <= count;
    a threshold is set whenever attesters exist only if it is positive (0 <= t <= n)."""
    n = 0
    for eth_address, pubkey in keeper.all_attesters(ctx.store):
        if ethereum_address(pubkey) != eth_address:
            raise InvariantBroken(f"cctp: attester 0x{pubkey.hex()} stored under a wrong address")
        n += 1
    count = keeper.attester_count(ctx.store)
    if count != n:
        raise InvariantBroken(f"cctp: attester count {count} but {n} attesters stored")
    threshold = keeper.signature_threshold(ctx.store)
    if threshold > n:
        raise InvariantBroken(f"cctp: signature threshold {threshold} > {n} attesters")


def token_pairs_local(keeper: CctpKeeper, ctx: Context) -> None:
    """Every token pair mints the local token (the only one this module may mint)."""
    for (domain, token), local in keeper.all_token_pairs(ctx.store):
        if local != LOCAL_TOKEN:
            raise InvariantBroken(f"cctp: pair {domain}/0x{token.hex()} links {local!r}")


def module_account_empty(keeper: CctpKeeper, ctx: Context) -> None:
    """The cctp module account holds nothing between messages: every mint is paid out and every
    deposit burned within the message that made it."""
    held = keeper.bank.balance(ctx.store, keeper.module_address, LOCAL_TOKEN)
    if held:
        raise InvariantBroken(f"cctp: module account holds {held}{LOCAL_TOKEN}")


ALL = (attesters_consistent, token_pairs_local, module_account_empty)
