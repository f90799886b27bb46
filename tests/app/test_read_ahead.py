"""A block's memo of committed reads and its read-ahead on the worker threads (store/memo.py,
``App._read_ahead``) change how fast a block runs, never its result: the same block gives the
same FinalizeBlock bytes and app hash with and without them, on LevelDB (where the worker
threads really read) and in memory, and a tx sees what an earlier tx of its block wrote to a
key that was read ahead."""

from __future__ import annotations

import pytest

from stateset_chain.auth.state import AuthKeeper, address_bytes
from stateset_chain.bank.state import BankKeeper
from stateset_chain.coins import USDC
from stateset_chain.crypto.sigcache import VERIFIED
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.memo import CommittedReads
from tests.chain import Chain, address, wallet

from tendermint.abci import types_pb2 as abci


def _txs(chain: Chain) -> list[bytes]:
    w = chain.wallets
    newcomer = address(wallet(99))  # no account yet: created by the first send to it
    txs = []
    for i in range(60):
        # a ring: each recipient is a later sender, so its balance is read ahead (committed)
        # and then written by an earlier tx of the same block
        txs.append(chain.send(w[i % 6], address(w[(i + 1) % 6]), 1000 + i))
    txs.append(chain.send(w[0], newcomer, 7))
    txs.append(chain.send(w[1], newcomer, 8))  # the account now exists (block write set)
    txs.append(chain.send(w[2], address(w[3]), 10**15))  # insufficient funds
    txs.append(chain.send(w[3], address(w[4]), 1, sequence=999))  # wrong sequence
    txs.append(chain.send(w[4], "stateset1notanaddress", 1))  # refused by validate
    return txs


def _run(tmp_path, read_ahead: bool, memo: bool, leveldb: bool, warm: bool):
    VERIFIED.clear()
    store = CommitStore.open(str(tmp_path / f"db-{read_ahead}-{memo}-{warm}")) if leveldb else None
    chain = Chain.start(n_wallets=6, store=store)
    core = chain.core
    if not read_ahead:
        core._read_ahead = lambda reads, txs: 0
    if not memo:  # the block's branch straight over the committed state, as before the memo
        import stateset_chain.app as app_module

        class Unkept(CommittedReads):  # every read goes to the committed state
            def get(self, key):
                return self.state.get(key)

        original = app_module.CommittedReads
        app_module.CommittedReads = Unkept  # type: ignore[misc]
    try:
        txs = _txs(chain)
        if warm:
            for tx in txs:
                chain.app.check_tx(abci.RequestCheckTx(tx=tx))
        res = chain.block(txs)
        res2 = chain.block([chain.send(chain.wallets[5], address(chain.wallets[0]), 3)])
    finally:
        if not memo:
            app_module.CommittedReads = original  # type: ignore[misc]
        if store is not None:
            store.close()
    return (res.SerializeToString(deterministic=True), res2.SerializeToString(deterministic=True))


@pytest.mark.parametrize("leveldb", [True, False])
@pytest.mark.parametrize("warm", [True, False])
def test_the_memo_and_the_read_ahead_change_no_result(tmp_path, leveldb, warm):
    plain = _run(tmp_path, read_ahead=False, memo=False, leveldb=leveldb, warm=warm)
    memo_only = _run(tmp_path, read_ahead=False, memo=True, leveldb=leveldb, warm=warm)
    both = _run(tmp_path, read_ahead=True, memo=True, leveldb=leveldb, warm=warm)
    assert plain == memo_only == both
    res = abci.ResponseFinalizeBlock.FromString(both[0])
    codes = [r.code for r in res.tx_results]
    assert codes[:62] == [0] * 62 and codes[62] == 5 and codes[63] == 32 and codes[64] == 7


def test_the_read_ahead_keeps_committed_values_of_the_ante_and_handler_keys(tmp_path):
    """Every key read ahead holds its committed value (the state before the block), and the
    ante's and MsgSend's reads are among them (so the main thread finds them in the memo)."""
    store = CommitStore.open(str(tmp_path / "db"))
    chain = Chain.start(n_wallets=6, store=store)
    remembered: dict[bytes, bytes | None] = {}
    original = CommittedReads.remember

    def remember(self, keys, values):
        keys, values = list(keys), list(values)
        remembered.update(zip(keys, values, strict=True))
        original(self, keys, values)

    txs = _txs(chain)
    before = dict(store.state.iterate())
    CommittedReads.remember = remember  # type: ignore[method-assign]
    try:
        chain.block(txs)
    finally:
        CommittedReads.remember = original  # type: ignore[method-assign]
        store.close()
    assert remembered == {k: before.get(k) for k in remembered}
    w0, w1 = (address_bytes(address(w)) for w in chain.wallets[:2])
    expected = {
        AuthKeeper.accounts.store_key(w0),  # a signer's account (the ante)
        BankKeeper.balances.store_key((w0, USDC)),  # its fee and send balance
        BankKeeper.balances.store_key((w1, USDC)),  # a recipient's balance (MsgSend)
        AuthKeeper.accounts.store_key(address_bytes(address(wallet(99)))),  # absent: None
    }
    assert expected <= remembered.keys()
    assert remembered[AuthKeeper.accounts.store_key(address_bytes(address(wallet(99))))] is None


def test_the_memo_is_read_only_and_reads_through_once():
    from stateset_chain.store.kv import MemoryKV

    state = MemoryKV()
    state.set(b"a", b"1")
    reads = CommittedReads(state)
    assert reads.get(b"a") == b"1" and reads.get(b"b") is None
    state.set(b"a", b"2")  # (the committed state never changes within a block: shows the memo)
    assert reads.get(b"a") == b"1"
    assert reads.read_many([b"a", b"b"]) == [b"2", None]  # read, not kept
    assert b"b" in reads.values and reads.get(b"a") == b"1"
    reads.remember([b"c"], [b"3"])
    assert reads.get(b"c") == b"3"
    assert list(reads.iterate()) == [(b"a", b"2")]  # ranges read through
    with pytest.raises(TypeError):
        reads.set(b"a", b"x")
    with pytest.raises(TypeError):
        reads.delete(b"a")
