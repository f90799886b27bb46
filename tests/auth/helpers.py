"""Shared helpers for the auth tests: real cosmpy-signed txs through the app's own decode and ante
phase (``App.decode``, ``App.run_ante``: what CheckTx, FinalizeBlock and Simulate run), on a
branch of the state an app of the auth and bank modules committed at genesis (InitChain and
Commit through ``tests.chain.BlockDriver``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.app import App
from stateset_chain.auth.module import auth_module
from stateset_chain.auth.state import AuthKeeper
from stateset_chain.auth.tx import DecodedTx
from stateset_chain.bank.module import bank_module
from stateset_chain.bank.state import BankKeeper
from stateset_chain.client import coins_to_proto, msg_send
from stateset_chain.coins import Coin
from stateset_chain.context import BlockInfo, Context
from stateset_chain.gas import GasMeter
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.kv import Branch, KVStore
from stateset_chain.wiring import tx_pipeline
from tests.chain import BlockDriver

from cosmos.tx.v1beta1 import tx_pb2

CHAIN_ID = "stateset-test-1"
HEIGHT = 10
GAS = 200_000
FEE = Coin("uusdc", 2_000)  # 200_000 gas * 0.01 = the exact minimum


def wallet(n: int) -> LocalWallet:
    return LocalWallet(PrivateKey(bytes([n]) * 32), prefix="stateset")


ALICE = wallet(1)
BOB = wallet(2)
CAROL = wallet(3)


def addr(w: LocalWallet) -> str:
    return str(w.address())


@dataclass
class Chain:
    """An app of the auth and bank modules (the standard app's tx pipeline) after genesis, and
    ``store``: a branch of its committed state, as a block's txs see it."""

    app: App
    store: KVStore
    auth: AuthKeeper
    bank: BankKeeper

    @property
    def routes(self):
        return self.app.routes

    def decode(self, raw: bytes, store: KVStore | None = None) -> DecodedTx:
        """``raw`` as the app decodes it, under the limits of ``store`` (else ``self.store``)."""
        state = store if store is not None else self.store
        return self.app.decode(raw, self.app.limits(state))

    def ante(
        self, branch: Branch, tx: DecodedTx, height: int = HEIGHT, chain_id: str = CHAIN_ID,
        simulate: bool = False,
    ) -> Context:
        """The app's ante phase of ``tx`` on ``branch`` (left unwritten), at ``height``."""
        info = BlockInfo(height, 0, chain_id)
        return self.app.run_ante(branch, info, tx, GasMeter(None), simulate=simulate)

    def run(self, raw: bytes, store: KVStore | None = None, **ante_args):
        """decode + ante on a new branch of ``store``; returns (ctx, branch, tx). Raises on
        failure, leaving the branch unwritten."""
        branch = Branch(store if store is not None else self.store)
        tx = self.decode(raw, branch)
        return self.ante(branch, tx, **ante_args), branch, tx

    def account(self, w_or_addr, store: KVStore | None = None):
        a = w_or_addr if isinstance(w_or_addr, str) else addr(w_or_addr)
        return self.auth.account(store if store is not None else self.store, a)

    def balance(self, a: str, denom: str = "uusdc", store: KVStore | None = None) -> int:
        return self.bank.balance(store if store is not None else self.store, a, denom)


def new_chain(
    balances: dict[str, dict[str, int]] | None = None, auth_data: dict | None = None
) -> Chain:
    """Auth genesis then bank genesis (every holder gets an account), through InitChain and the
    Commit of block 1."""
    if balances is None:
        balances = {addr(ALICE): {"uusdc": 1_000_000, "ussusd": 1_000_000}}
    auth = AuthKeeper()
    bank = BankKeeper(auth)
    app = App(
        CommitStore.in_memory(), [auth_module(auth), bank_module(bank)], tx_pipeline(auth, bank)
    )
    app_state = {
        "auth": auth_data or {},
        "bank": {
            "denoms": ["ussusd", "uusdc"],
            "balances": [
                {
                    "address": a,
                    "coins": [{"denom": d, "amount": str(n)} for d, n in sorted(c.items())],
                }
                for a, c in balances.items()
            ],
        },
    }
    driver = BlockDriver(AbciApp(app), chain_id=CHAIN_ID)
    driver.init(json.dumps(app_state).encode())
    driver.block([])
    return Chain(app, Branch(app.store.state), auth, bank)


def send_msg(frm: LocalWallet, to: str | None = None, amount: int = 100):
    return msg_send(addr(frm), to or addr(BOB), [Coin("uusdc", amount)])


def build_tx(
    signers: Sequence[tuple[LocalWallet, int, int]],
    msgs: Sequence | None = None,
    *,
    fee: Sequence[Coin] = (FEE,),
    gas: int = GAS,
    memo: str = "",
    timeout_height: int = 0,
    chain_id: str = CHAIN_ID,
    payer: str | None = None,
    sign_with: Sequence[LocalWallet] | None = None,
    pubkeys: Sequence[LocalWallet] | None = None,
) -> tx_pb2.TxRaw:
    """A TxRaw built and signed by cosmpy. ``signers`` is ``[(wallet, account_number, sequence)]``
    in signer order; ``sign_with``/``pubkeys`` replace the signing keys / advertised keys."""
    if msgs is None:
        msgs = [send_msg(signers[0][0])]
    tx = Transaction()
    for m in msgs:
        tx.add_message(m)
    key_wallets = pubkeys or [w for w, _, _ in signers]
    cfgs = [
        SigningCfg.direct(k.public_key(), seq)
        for k, (_, _, seq) in zip(key_wallets, signers, strict=True)
    ]
    tx_fee = TxFee(amount=coins_to_proto(fee) or None, gas_limit=gas, payer=payer)
    tx.seal(cfgs, fee=tx_fee, memo=memo, timeout_height=timeout_height or None)
    sig_wallets = sign_with or [w for w, _, _ in signers]
    for w, (_, number, _) in zip(sig_wallets, signers, strict=True):
        tx.sign(w.signer(), chain_id, number, deterministic=True)
    tx.complete()
    return tx_pb2.TxRaw(
        body_bytes=tx.tx.body.SerializeToString(),
        auth_info_bytes=tx.tx.auth_info.SerializeToString(),
        signatures=list(tx.tx.signatures),
    )


def signed(*args, **kwargs) -> bytes:
    return build_tx(*args, **kwargs).SerializeToString()
