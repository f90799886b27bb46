"""Shared helpers for the auth tests: real cosmpy-signed txs run through decode + ante over a
``Branch(MemoryKV())`` with a real ``BankKeeper`` funded through bank genesis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey

import stateset_chain.pb  # noqa: F401
from stateset_chain.auth import genesis as auth_genesis
from stateset_chain.auth.ante import make_ante
from stateset_chain.auth.state import AuthKeeper
from stateset_chain.auth.tx import DecodedTx, decode_tx
from stateset_chain.bank import genesis as bank_genesis
from stateset_chain.bank.module import bank_module
from stateset_chain.bank.state import BankKeeper
from stateset_chain.client import coins_to_proto, msg_send
from stateset_chain.coins import Coin
from stateset_chain.context import BlockInfo, Context
from stateset_chain.gas import GasKV, GasMeter
from stateset_chain.store.kv import Branch, KVStore, MemoryKV

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
    """A genesis state in a MemoryKV, and the keepers and routes an app would wire."""

    store: KVStore
    auth: AuthKeeper
    bank: BankKeeper
    routes: dict

    def ante(self):
        return make_ante(self.auth, self.bank)

    def ctx(self, store: KVStore | None = None, height: int = HEIGHT, chain_id: str = CHAIN_ID):
        """A tx context like the app's: a gas-metered view of a fresh branch."""
        meter = GasMeter(None)
        branch = Branch(store if store is not None else self.store)
        return Context(GasKV(branch, meter), BlockInfo(height, 0, chain_id), meter), branch

    def decode(self, raw: bytes) -> DecodedTx:
        return decode_tx(raw, self.routes)

    def run(self, raw: bytes, store: KVStore | None = None, **ctx_args):
        """decode + ante on a new branch of ``store``; returns (ctx, branch, tx). Raises on
        failure, leaving the branch unwritten."""
        ctx, branch = self.ctx(store, **ctx_args)
        tx = self.decode(raw)
        ctx.gas.limit = tx.gas_limit  # as the app does before the ante
        self.ante()(ctx, tx)
        return ctx, branch, tx

    def account(self, w_or_addr, store: KVStore | None = None):
        a = w_or_addr if isinstance(w_or_addr, str) else addr(w_or_addr)
        return self.auth.account(store if store is not None else self.store, a)

    def balance(self, a: str, denom: str = "uusdc", store: KVStore | None = None) -> int:
        return self.bank.balance(store if store is not None else self.store, a, denom)


def new_chain(
    balances: dict[str, dict[str, int]] | None = None, auth_data: dict | None = None
) -> Chain:
    """Auth genesis then bank genesis (every holder gets an account), written to a MemoryKV."""
    if balances is None:
        balances = {addr(ALICE): {"uusdc": 1_000_000, "ussusd": 1_000_000}}
    store = MemoryKV()
    auth = AuthKeeper()
    bank = BankKeeper(auth)
    branch = Branch(store)
    ctx = Context(branch, BlockInfo(0, 0, CHAIN_ID))
    auth_genesis.init_genesis(auth, ctx, auth_data or {})
    bank_genesis.init_genesis(
        bank,
        ctx,
        {
            "denoms": ["ussusd", "uusdc"],
            "balances": [
                {
                    "address": a,
                    "coins": [{"denom": d, "amount": str(n)} for d, n in sorted(c.items())],
                }
                for a, c in balances.items()
            ],
        },
    )
    branch.write()
    routes = {r.type_url: r for r in bank_module(bank).msgs}
    return Chain(store, auth, bank, routes)


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
