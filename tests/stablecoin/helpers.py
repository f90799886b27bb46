"""Test setup for the stablecoin module: a bank with funded users and the module's genesis."""

from __future__ import annotations

from stateset_chain.bank.state import BankKeeper
from stateset_chain.context import Context
from stateset_chain.stablecoin import genesis
from stateset_chain.stablecoin.state import StablecoinKeeper
from tests.bank.helpers import fund, new_bank, new_ctx


def new_stablecoin(
    holdings: dict[str, dict[str, int]], params: dict | None = None
) -> tuple[BankKeeper, StablecoinKeeper, Context]:
    bank, ctx = new_bank(), new_ctx()
    fund(bank, ctx, holdings)
    keeper = StablecoinKeeper(bank)
    genesis.init_genesis(keeper, ctx, {"params": params} if params is not None else {})
    ctx.events.events.clear()
    return bank, keeper, ctx
