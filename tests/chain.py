"""The one in-process block driver, and a whole standard app on it with funded wallets and
cosmpy-signed transactions.

``BlockDriver`` is CometBFT's block loop without sockets or consensus: the app's ABCI face
(``AbciApp`` over the real ``App``) gets InitChain once, then FinalizeBlock and Commit for each
block, block h at ``GENESIS_TIME + 5 h``. Every test that runs blocks in-process drives it
(``Chain`` below, the crash child, the export and state-sync tests), and so does the benchmark
(``benchmarks/chain.py``'s ``BenchChain`` times its calls). ``Chain`` adds the real modules'
genesis, wallets and signing: the real ante chain and real secp256k1 signatures.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey
from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.app import App
from stateset_chain.client import default_fee, msg_send, sign_tx
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.localnet import build_app_state
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app

from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx
from tendermint.abci import types_pb2 as abci

CHAIN_ID = "stateset-test-1"
GENESIS_TIME = 1_700_000_000
BLOCK_SECONDS = 5


def wallet(i: int) -> LocalWallet:
    key = PrivateKey(hashlib.sha256(f"stateset test wallet {i}".encode()).digest())
    return LocalWallet(key, prefix="stateset")


def address(w: LocalWallet) -> str:
    return str(w.address())


def genesis_bytes(wallets: Sequence[LocalWallet], usdc: int = 10**12, ssusd: int = 10**12) -> bytes:
    accounts = [
        {"address": address(w), "balances": [{"denom": USDC, "amount": usdc},
                                             {"denom": SSUSD, "amount": ssusd}]}
        for w in wallets
    ]
    return json.dumps(build_app_state(accounts), sort_keys=True).encode()


def timestamp(height: int) -> Timestamp:
    return Timestamp(seconds=GENESIS_TIME + BLOCK_SECONDS * height)


@dataclass
class BlockDriver:
    """Drives an app through its ABCI face as CometBFT does: ``init`` (InitChain) once, then
    ``block(txs)`` (FinalizeBlock + Commit) per block; ``finalize`` and ``commit`` apart for a
    caller that acts between them. ``app`` is the ABCI adapter, ``core`` the state machine."""

    app: AbciApp
    height: int = field(default=0, kw_only=True)  # the last committed height
    chain_id: str = field(default=CHAIN_ID, kw_only=True)

    @property
    def core(self) -> App:
        return self.app.core

    def init(
        self, app_state: bytes, initial_height: int = 1, consensus_params=None,
    ) -> abci.ResponseInitChain:
        """InitChain with ``app_state`` at ``initial_height`` (the genesis time is the time of
        the height before it)."""
        self.height = initial_height - 1
        request = abci.RequestInitChain(
            chain_id=self.chain_id, app_state_bytes=app_state, initial_height=initial_height,
            time=timestamp(self.height),
        )
        if consensus_params is not None:
            request.consensus_params.CopyFrom(consensus_params)
        return self.app.init_chain(request)

    def request(self, txs: Sequence[bytes]) -> abci.RequestFinalizeBlock:
        """FinalizeBlock's request for the next height."""
        return abci.RequestFinalizeBlock(
            txs=list(txs), height=self.height + 1, time=timestamp(self.height + 1)
        )

    def finalize(self, txs: Sequence[bytes]) -> abci.ResponseFinalizeBlock:
        """FinalizeBlock of the next height; one result per tx."""
        return self.finalize_request(self.request(txs))

    def finalize_request(self, request: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        res = self.app.finalize_block(request)
        assert len(res.tx_results) == len(request.txs)
        return res

    def commit(self) -> None:
        """Commit of the block ``finalize`` ran."""
        self.app.commit(abci.RequestCommit())
        self.height += 1

    def block(self, txs: Sequence[bytes]) -> abci.ResponseFinalizeBlock:
        res = self.finalize(txs)
        self.commit()
        return res

    def query(self, path: str, request) -> abci.ResponseQuery:
        return self.app.query(abci.RequestQuery(path=path, data=request.SerializeToString()))


@dataclass
class Chain(BlockDriver):
    """The standard app with ``wallets`` funded at genesis (invariants checked every block)."""

    wallets: list[LocalWallet]
    sequences: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)

    @classmethod
    def start(cls, n_wallets: int = 4, store: CommitStore | None = None, **genesis) -> Chain:
        core = standard_app(store or CommitStore.in_memory())
        core.check_invariants_every_block = True
        wallets = [wallet(i) for i in range(n_wallets)]
        chain = cls(AbciApp(core), wallets)
        chain.init(genesis_bytes(wallets, **genesis))
        chain.block([])  # commits genesis with block 1, so accounts can be queried
        return chain

    def account_number(self, w: LocalWallet) -> int:
        addr = address(w)
        if addr not in self.numbers:
            self.numbers[addr] = self.query_account(addr).account_number
        return self.numbers[addr]

    def query_account(self, addr: str):
        from cosmos.auth.v1beta1 import auth_pb2
        from cosmos.auth.v1beta1 import query_pb2 as auth_query

        res = self.query("/cosmos.auth.v1beta1.Query/Account",
                         auth_query.QueryAccountRequest(address=addr))
        assert res.code == 0, res.log
        response = auth_query.QueryAccountResponse.FromString(res.value)
        account = auth_pb2.BaseAccount()
        response.account.Unpack(account)
        return account

    def balance(self, addr: str, denom: str) -> int:
        from cosmos.bank.v1beta1 import query_pb2 as bank_query

        res = self.query("/cosmos.bank.v1beta1.Query/Balance",
                         bank_query.QueryBalanceRequest(address=addr, denom=denom))
        assert res.code == 0, res.log
        return int(bank_query.QueryBalanceResponse.FromString(res.value).balance.amount)

    def sign(
        self, w: LocalWallet, msgs: Sequence, *, gas: int = 200_000,
        fees: Sequence[Coin] | None = None, memo: str = "", sequence: int | None = None,
        chain_id: str = CHAIN_ID, account_number: int | None = None,
    ) -> bytes:
        """Signs with cosmpy; the next sequence is tracked locally (as a wallet does)."""
        addr = address(w)
        seq = self.sequences.get(addr, 0) if sequence is None else sequence
        if sequence is None:
            self.sequences[addr] = seq + 1
        return sign_tx(
            w, msgs, chain_id=chain_id,
            account_number=self.account_number(w) if account_number is None else account_number,
            sequence=seq, fees=[default_fee(gas)] if fees is None else fees, gas=gas, memo=memo,
        )

    def send(self, sender: LocalWallet, to: str, amount: int, denom: str = USDC, **kw) -> bytes:
        return self.sign(sender, [msg_send(address(sender), to, [Coin(denom, amount)])], **kw)

    def create_order(self, customer: LocalWallet, merchant: LocalWallet, n: int) -> bytes:
        """A MsgCreateOrder signed by the customer: order number ``n`` of a small, varied set."""
        c, m = address(customer), address(merchant)
        msg = orders_tx.MsgCreateOrder(
            creator=c, customer=c, merchant=m, name=f"order {n}",
            items=[orders_pb2.LineItem(sku=f"SKU-{n}", name="thing", quantity=1 + n % 3,
                                       unit_price=f"{1 + n % 7}.25")],
        )
        return self.sign(customer, [msg])
