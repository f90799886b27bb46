"""Random sequences of sends, faucet mints and burns, issues and redeems.

Each message (MsgSend, MsgIssueStablecoin, MsgRedeemStablecoin) runs as the app runs a tx's
messages (``tests.delivery.deliver``: its validation, then the app's ``delivery.run_msgs`` on a
branch written only if it succeeds). The faucet's mints and burns and the params are keeper calls
no message makes; they run on the state itself, so a failing one must write nothing on its own.

A plain dict model predicts every outcome, including which error a failing operation raises.
After every step: the stored balances and supplies equal the model's (so a failure changed
nothing), total supply equals the sum of balances, the reserve backs every ussusd, and every
address holding coins has an account.
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import genesis as bank_genesis
from stateset_chain.bank import invariants as bank_invariants
from stateset_chain.bank.errors import BlockedRecipient, UnknownDenom
from stateset_chain.bank.msgs import send as bank_send
from stateset_chain.coins import Coin
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crypto import address
from stateset_chain.errors import ChainError, InsufficientFunds
from stateset_chain.module import msg_route
from stateset_chain.stablecoin import invariants as sc_invariants
from stateset_chain.stablecoin.errors import IssuanceDisabled, MaxSupplyExceeded
from stateset_chain.stablecoin.msgs import issue as sc_issue
from stateset_chain.stablecoin.msgs import redeem as sc_redeem
from stateset_chain.stablecoin.state import StablecoinKeeper
from stateset_chain.store.kv import MemoryKV
from tests.bank.helpers import ALICE, BOB, CAROL, FAUCET, FakeAccounts, fund, new_bank
from tests.delivery import deliver

from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from stateset.stablecoin.v1 import tx_pb2 as sc_tx
from stateset.stablecoin.v1.params_pb2 import Params

USERS = [ALICE, BOB, CAROL]
RESERVE = address.module_address("stablecoin_reserve")
FAUCET_ADDR = address.module_address(FAUCET)
START = 1000
BLOCK = BlockInfo(1, 0, "test")

users = st.sampled_from(USERS)
recipients = st.sampled_from([*USERS, RESERVE])
denoms = st.sampled_from(["uusdc", "ussusd", "ufoo"])
amounts = st.integers(min_value=1, max_value=1500)


class BankMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = MemoryKV()
        self.bank = new_bank()
        self.stable = StablecoinKeeper(self.bank)
        genesis_ctx = self._ctx(self.root)
        fund(self.bank, genesis_ctx, {u: {"uusdc": START} for u in USERS})
        self.model = {(u, "uusdc"): START for u in USERS}
        self.params = Params(issuance_enabled=True, max_supply="0")
        self.routes = {
            bank_send.MSG: msg_route(self.bank, bank_send),
            sc_issue.MSG: msg_route(self.stable, sc_issue),
            sc_redeem.MSG: msg_route(self.stable, sc_redeem),
        }

    # -- the app's execution model -------------------------------------------------------

    @staticmethod
    def _ctx(store) -> Context:
        return Context(store=store, block=BLOCK)

    def _deliver(self, msg, expected_error: type[ChainError] | None) -> bool:
        """``msg`` delivered as a tx's only message; True if it succeeded (as the model said)."""
        try:
            deliver(self.root, BLOCK, [msg], self.routes)
        except ChainError as e:
            assert type(e) is expected_error, f"raised {e!r}, model expected {expected_error}"
            return False
        assert expected_error is None, f"succeeded, model expected {expected_error}"
        return True

    def _call(self, op, expected_error: type[ChainError] | None) -> bool:
        """A keeper call on the state itself; True if it succeeded (as the model said)."""
        try:
            op(self._ctx(self.root))
        except ChainError as e:
            assert type(e) is expected_error, f"raised {e!r}, model expected {expected_error}"
            return False
        assert expected_error is None, f"succeeded, model expected {expected_error}"
        return True

    def _held(self, addr: str, denom: str) -> int:
        return self.model.get((addr, denom), 0)

    def _move(self, frm: str, to: str, denom: str, amount: int) -> None:
        self.model[(frm, denom)] = self._held(frm, denom) - amount
        self.model[(to, denom)] = self._held(to, denom) + amount

    def _supply(self, denom: str) -> int:
        return sum(n for (_, d), n in self.model.items() if d == denom)

    # -- operations ----------------------------------------------------------------------

    @rule(frm=users, to=recipients, denom=denoms, amount=amounts)
    def send(self, frm, to, denom, amount):
        msg = bank_tx.MsgSend(
            from_address=frm, to_address=to, amount=[Coin(denom, amount).to_proto()]
        )
        if to == RESERVE:
            expected = BlockedRecipient
        elif denom == "ufoo":
            expected = UnknownDenom
        elif self._held(frm, denom) < amount:
            expected = InsufficientFunds
        else:
            expected = None
        if self._deliver(msg, expected):
            self._move(frm, to, denom, amount)

    @rule(to=users, amount=amounts)
    def faucet_drip(self, to, amount):
        def op(ctx):
            self.bank.mint(ctx, FAUCET, [Coin("uusdc", amount)])
            self.bank.send_from_module(ctx, FAUCET, to, [Coin("uusdc", amount)])

        self._call(op, None)
        self.model[(to, "uusdc")] = self._held(to, "uusdc") + amount

    @rule(frm=users, amount=amounts)
    def faucet_burn(self, frm, amount):
        def op(ctx):
            self.bank.send_to_module(ctx, frm, FAUCET, [Coin("uusdc", amount)])
            self.bank.burn(ctx, FAUCET, [Coin("uusdc", amount)])

        expected = InsufficientFunds if self._held(frm, "uusdc") < amount else None
        if self._call(op, expected):
            self.model[(frm, "uusdc")] -= amount

    @rule(sender=users, amount=amounts)
    def issue(self, sender, amount):
        msg = sc_tx.MsgIssueStablecoin(sender=sender, amount=str(amount))
        cap = int(self.params.max_supply)
        if not self.params.issuance_enabled:
            expected = IssuanceDisabled
        elif cap and self._supply("ussusd") + amount > cap:
            expected = MaxSupplyExceeded
        elif self._held(sender, "uusdc") < amount:
            expected = InsufficientFunds
        else:
            expected = None
        if self._deliver(msg, expected):
            self._move(sender, RESERVE, "uusdc", amount)
            self.model[(sender, "ussusd")] = self._held(sender, "ussusd") + amount

    @rule(sender=users, amount=amounts)
    def redeem(self, sender, amount):
        msg = sc_tx.MsgRedeemStablecoin(sender=sender, amount=str(amount))
        expected = InsufficientFunds if self._held(sender, "ussusd") < amount else None
        if self._deliver(msg, expected):
            self._move(RESERVE, sender, "uusdc", amount)
            self.model[(sender, "ussusd")] -= amount

    @rule(sender=users, percent=st.integers(min_value=1, max_value=100))
    def redeem_part_of_holding(self, sender, percent):
        held = self._held(sender, "ussusd")
        if held:
            self.redeem(sender, max(1, held * percent // 100))

    @rule(enabled=st.booleans(), cap=st.sampled_from([0, 500, 2000, 5000]))
    def set_params(self, enabled, cap):
        self.params = Params(issuance_enabled=enabled, max_supply=str(cap))
        self._call(lambda ctx: self.stable.set_params(ctx.store, self.params), None)

    # -- checks --------------------------------------------------------------------------

    @invariant()
    def state_equals_model(self):
        stored = {
            (address.encode(raw), denom): amount
            for (raw, denom), amount in self.bank.balances.iterate(self.root)
        }
        assert stored == {k: v for k, v in self.model.items() if v}
        for denom in ("uusdc", "ussusd"):
            assert self.bank.supply(self.root, denom) == self._supply(denom)

    @invariant()
    def module_invariants_hold(self):
        ctx = self._ctx(self.root)
        bank_invariants.total_supply(self.bank, ctx)
        sc_invariants.reserve_backs_supply(self.stable, ctx)

    @invariant()
    def every_holder_has_an_account(self):
        accounts: FakeAccounts = self.bank.accounts
        exported = bank_genesis.export_genesis(self.bank, self._ctx(self.root))
        for entry in exported["balances"]:
            assert accounts.number(self.root, entry["address"]) is not None


BankMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
test_bank_and_stablecoin_state_machine = BankMachine.TestCase
