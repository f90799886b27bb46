"""The stablecoin keeper: params, and the reserve and supply as the bank sees them.

The peg: ``balance(stablecoin_reserve, uusdc) == supply(ussusd)`` after every message. Issue
adds the same amount to both sides, redeem removes the same amount from both.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.stablecoin.expected import BankKeeper, ConversionGuard
from stateset_chain.stablecoin.keys import PARAMS_KEY, RESERVE_ACCOUNT
from stateset_chain.store.collections import Item, ProtoValue
from stateset_chain.store.kv import KVStore

from stateset.stablecoin.v1.params_pb2 import Params


def default_params() -> Params:
    return Params(issuance_enabled=True, max_supply="0")


class StablecoinKeeper:
    params_item: Item[Params] = Item(PARAMS_KEY, ProtoValue(Params))

    def __init__(self, bank: BankKeeper, compliance: ConversionGuard | None = None) -> None:
        self.bank = bank
        # a sanctioned account may not issue or redeem (None: nothing is screened)
        self.compliance = compliance
        self.reserve_address = address.module_address(RESERVE_ACCOUNT)

    def params(self, store: KVStore) -> Params:
        return self.params_item.get(store) or default_params()

    def set_params(self, store: KVStore, params: Params) -> None:
        self.params_item.set(store, params)

    def max_supply(self, store: KVStore) -> int:
        """The ussusd supply cap in base units; 0 means unlimited."""
        return int(self.params(store).max_supply or "0")

    def reserve(self, store: KVStore) -> int:
        """uusdc locked in the reserve module account."""
        return self.bank.balance(store, self.reserve_address, USDC)

    def supply(self, store: KVStore) -> int:
        """ussusd in circulation."""
        return self.bank.supply(store, SSUSD)

    # -- for other modules (crosschain): the messages' guards and effects ----------------------

    def issue_for(self, ctx: Context, holder: str, amount: int) -> None:
        """MsgIssueStablecoin for ``holder`` (``msgs/issue.py``)."""
        from stateset_chain.stablecoin.msgs.issue import issue_for

        issue_for(self, ctx, holder, amount)

    def redeem_for(self, ctx: Context, holder: str, amount: int) -> None:
        """MsgRedeemStablecoin for ``holder`` (``msgs/redeem.py``)."""
        from stateset_chain.stablecoin.msgs.redeem import redeem_for

        redeem_for(self, ctx, holder, amount)
