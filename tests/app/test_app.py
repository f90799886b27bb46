"""The whole standard app in-process: real modules, ante chain and cosmpy signatures."""

from __future__ import annotations

import json

import pytest

from stateset_chain.abci.adapter import AbciApp
from stateset_chain.client import msg_issue_stablecoin, msg_send
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.crypto.address import module_address
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import open_app, standard_app
from tests import ics23_verifier
from tests.chain import CHAIN_ID, Chain, address, genesis_bytes, wallet

from tendermint.abci import types_pb2 as abci

FEE_COLLECTOR = module_address("fee_collector")


@pytest.fixture
def chain() -> Chain:
    return Chain.start()


def attrs(event) -> dict[str, str]:
    return {a.key: a.value for a in event.attributes}


def test_signed_send_moves_coins_fee_and_sequence(chain):
    alice, bob = chain.wallets[0], chain.wallets[1]
    a, b = address(alice), address(bob)
    before_a, before_b = chain.balance(a, USDC), chain.balance(b, USDC)
    res = chain.block([chain.send(alice, b, 1_000)])
    r = res.tx_results[0]
    assert r.code == 0, r.log
    fee = 200_000 * 25 // 1000
    assert chain.balance(a, USDC) == before_a - 1_000 - fee
    assert chain.balance(b, USDC) == before_b + 1_000
    assert chain.balance(FEE_COLLECTOR, USDC) == fee
    assert chain.query_account(a).sequence == 1
    types = [e.type for e in r.events]
    assert "message" in types and "stateset.bank.v1.CoinsTransferred" in types
    msg = next(e for e in r.events if e.type == "message")
    assert attrs(msg)["action"] == "/cosmos.bank.v1beta1.MsgSend" and attrs(msg)["msg_index"] == "0"
    assert 0 < r.gas_used <= r.gas_wanted == 200_000


def test_many_txs_from_one_wallet_in_one_block_and_check_tx_tracks_sequences(chain):
    alice, bob = chain.wallets[0], chain.wallets[1]
    txs = [chain.send(alice, address(bob), 1) for _ in range(5)]
    for tx in txs:  # CheckTx's own view lets a wallet submit several txs per block
        res = chain.app.check_tx(abci.RequestCheckTx(tx=tx))
        assert res.code == 0, res.log
    assert chain.app.check_tx(abci.RequestCheckTx(tx=txs[0])).code == 32  # replay
    res = chain.block(txs)
    assert [r.code for r in res.tx_results] == [0] * 5
    assert chain.query_account(address(alice)).sequence == 5
    # after Commit the check state restarts from the committed state
    assert chain.app.check_tx(abci.RequestCheckTx(tx=chain.send(alice, address(bob), 1))).code == 0


def test_multi_message_tx_is_atomic_but_pays_its_fee(chain):
    alice, bob = chain.wallets[0], chain.wallets[1]
    a, b = address(alice), address(bob)
    bal_a, bal_b = chain.balance(a, USDC), chain.balance(b, USDC)
    ok = msg_send(a, b, [Coin(USDC, 7)])
    too_much = msg_send(a, b, [Coin(USDC, 10**15)])
    res = chain.block([chain.sign(alice, [ok, too_much])])
    r = res.tx_results[0]
    assert r.code == 5 and r.codespace == "sdk" and "message index: 1" in r.log
    fee = 200_000 * 25 // 1000
    assert chain.balance(b, USDC) == bal_b  # the first message's send was rolled back
    assert chain.balance(a, USDC) == bal_a - fee  # the fee was still paid
    assert chain.query_account(a).sequence == 1  # and the sequence used
    assert not any(e.type == "message" for e in r.events)


def test_stablecoin_issue_through_a_signed_tx(chain):
    alice = chain.wallets[0]
    a = address(alice)
    before = chain.balance(a, SSUSD)
    res = chain.block([chain.sign(alice, [msg_issue_stablecoin(a, Coin(USDC, 5_000))])])
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    assert chain.balance(a, SSUSD) == before + 5_000


@pytest.mark.parametrize(
    "make, code, codespace, text",
    [
        (lambda c: b"\x00\xffrandom", 2, "sdk", ""),
        (lambda c: c.send(c.wallets[0], address(c.wallets[1]), 1)[:-7], 2, "sdk", ""),
        (lambda c: c.send(c.wallets[0], address(c.wallets[1]), 1, chain_id="other"), 4, "sdk",
         "signature verification failed"),
        (lambda c: c.send(c.wallets[0], address(c.wallets[1]), 1, sequence=9), 32, "sdk",
         "account sequence mismatch"),
        (lambda c: c.send(c.wallets[0], address(c.wallets[1]), 1, fees=[Coin(USDC, 1)]), 13, "sdk",
         "insufficient fee"),
        (lambda c: c.send(c.wallets[0], address(c.wallets[1]), 1, memo="m" * 257), 12, "sdk", ""),
    ],
    ids=["random-bytes", "truncated", "wrong-chain-id", "wrong-sequence", "low-fee", "memo"],
)
def test_bad_transactions_fail_cleanly_and_change_nothing(chain, make, code, codespace, text):
    tx = make(chain)
    before_hash = chain.core.store.last_app_hash
    check = chain.app.check_tx(abci.RequestCheckTx(tx=tx))
    assert (check.code, check.codespace) == (code, codespace), check.log
    assert text in check.log and check.log
    res = chain.block([tx])
    r = res.tx_results[0]
    assert (r.code, r.codespace) == (code, codespace) and text in r.log
    assert chain.core.store.last_app_hash == before_hash  # nothing changed


def test_bad_signature_is_unauthorized(chain):
    from cosmos.tx.v1beta1 import tx_pb2

    raw = tx_pb2.TxRaw.FromString(chain.send(chain.wallets[0], address(chain.wallets[1]), 1))
    sig = bytearray(raw.signatures[0])
    sig[5] ^= 0x01
    raw.signatures[0] = bytes(sig)
    r = chain.block([raw.SerializeToString()]).tx_results[0]
    assert (r.code, r.codespace) == (4, "sdk") and "signature verification failed" in r.log


def test_unknown_message_type_is_rejected(chain):
    from cosmos.gov.v1beta1 import tx_pb2 as gov_tx

    alice = chain.wallets[0]
    tx = chain.sign(alice, [gov_tx.MsgVote(proposal_id=1, voter=address(alice), option=1)])
    r = chain.block([tx]).tx_results[0]
    assert r.code != 0 and "MsgVote" in r.log


def test_finalize_block_returns_one_result_per_tx_even_for_garbage(chain):
    good = chain.send(chain.wallets[0], address(chain.wallets[1]), 3)
    txs = [b"", b"\x0a", b"garbage" * 100, good]
    res = chain.block(txs)
    assert len(res.tx_results) == 4
    assert [r.code == 0 for r in res.tx_results] == [False, False, False, True]


def test_app_hash_is_deterministic_and_idle_blocks_keep_it(chain):
    other = Chain.start()
    for c in (chain, other):
        c.block([c.send(c.wallets[0], address(c.wallets[2]), 11)])
    assert chain.core.store.last_app_hash == other.core.store.last_app_hash
    h = chain.core.store.last_app_hash
    assert chain.block([]).app_hash == h  # an empty block changes nothing


def test_init_chain_is_idempotent():
    wallets = [wallet(i) for i in range(3)]
    a = AbciApp(standard_app(CommitStore.in_memory()))
    b = AbciApp(standard_app(CommitStore.in_memory()))
    req = abci.RequestInitChain(chain_id=CHAIN_ID, app_state_bytes=genesis_bytes(wallets),
                                initial_height=1)
    first = a.init_chain(req).app_hash
    assert a.init_chain(req).app_hash == first == b.init_chain(req).app_hash
    assert a.info(abci.RequestInfo()).last_block_height == 0


def test_restart_reports_last_commit_and_continues(tmp_path):
    store = CommitStore.open(str(tmp_path / "state"))
    chain = Chain.start(store=store)
    chain.block([chain.send(chain.wallets[0], address(chain.wallets[1]), 5)])
    height, app_hash = chain.height, chain.core.store.last_app_hash
    store.close()
    reopened = AbciApp(open_app(str(tmp_path)))  # the node's data dir holds the LevelDB at state/
    info = reopened.info(abci.RequestInfo())
    assert (info.last_block_height, info.last_block_app_hash) == (height, app_hash)
    chain.app = reopened
    res = chain.block([chain.send(chain.wallets[0], address(chain.wallets[1]), 5)])
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    reopened.core.store.close()


def test_store_key_query_with_proof(chain):
    """``prove`` returns an ICS23 CommitmentProof (op ``ics23:smt``) that the ics23 crate's
    verifier accepts against the app hash, for a present key and for an absent one."""
    res = chain.app.query(abci.RequestQuery(path="/store/key", data=b"app/chain_id", prove=True))
    assert res.code == 0 and res.value == CHAIN_ID.encode()
    [op] = res.proof_ops.ops
    assert (op.type, op.key) == ("ics23:smt", b"app/chain_id")
    root = chain.core.store.last_app_hash
    assert ics23_verifier.verify_membership(root, b"app/chain_id", res.value, op.data)
    assert not ics23_verifier.verify_membership(root, b"app/chain_id", b"other", op.data)
    absent = chain.app.query(abci.RequestQuery(path="/store/key", data=b"nope", prove=True))
    assert absent.code == 0 and absent.value == b""
    assert ics23_verifier.verify_non_membership(root, b"nope", absent.proof_ops.ops[0].data)
    assert not ics23_verifier.verify_non_membership(root, b"app/chain_id", op.data)


def test_queries_answer_errors_not_exceptions(chain):
    assert chain.app.query(abci.RequestQuery(path="/no/such/path")).code != 0
    res = chain.app.query(abci.RequestQuery(path="/cosmos.bank.v1beta1.Query/Balance",
                                            data=b"\xff\xff"))
    assert res.code != 0 and res.log


def test_genesis_json_is_what_localnet_writes():
    state = json.loads(genesis_bytes([wallet(0)]))
    assert set(state) >= {"auth", "bank", "stablecoin"}


def test_gas_limit_beyond_int64_is_refused_not_a_crash(chain):
    """ExecTxResult.gas_wanted is int64: a uint64 gas limit above it must be an error result."""
    alice, bob = chain.wallets[0], chain.wallets[1]
    tx = chain.send(alice, address(bob), 1, gas=(1 << 63), fees=[Coin(USDC, 10**30)])
    check = chain.app.check_tx(abci.RequestCheckTx(tx=tx))
    assert (check.code, check.codespace) == (18, "sdk") and "invalid gas supplied" in check.log
    r = chain.block([tx]).tx_results[0]
    assert (r.code, r.codespace) == (18, "sdk")
    ok = chain.block([chain.send(alice, address(bob), 1, sequence=0)]).tx_results[0]
    assert ok.code == 0, ok.log  # the refused tx used no sequence


def test_simulate_reports_gas_and_changes_nothing(chain):
    from cosmos.tx.v1beta1 import service_pb2, tx_pb2

    alice, bob = chain.wallets[0], chain.wallets[1]
    tx = chain.send(alice, address(bob), 9, gas=0, fees=[])  # as cosmpy simulates: no fee, no gas
    raw = tx_pb2.TxRaw.FromString(tx)
    as_tx = tx_pb2.Tx(body=tx_pb2.TxBody.FromString(raw.body_bytes),
                      auth_info=tx_pb2.AuthInfo.FromString(raw.auth_info_bytes),
                      signatures=list(raw.signatures))
    before = chain.core.store.last_app_hash
    requests = [service_pb2.SimulateRequest(tx_bytes=tx), service_pb2.SimulateRequest(tx=as_tx)]
    for request in requests:
        res = chain.query("/cosmos.tx.v1beta1.Service/Simulate", request)
        assert res.code == 0, res.log
        sim = service_pb2.SimulateResponse.FromString(res.value)
        assert 20_000 < sim.gas_info.gas_used < 200_000
        assert any(e.type == "stateset.bank.v1.CoinsTransferred" for e in sim.result.events)
    assert chain.balance(address(bob), USDC) == 10**12  # nothing was applied
    assert chain.core.store.last_app_hash == before
    too_much = chain.send(alice, address(bob), 10**18, gas=0, fees=[], sequence=0)
    res = chain.query("/cosmos.tx.v1beta1.Service/Simulate",
                      service_pb2.SimulateRequest(tx_bytes=too_much))
    assert (res.code, res.codespace) == (5, "sdk") and "insufficient funds" in res.log


def test_orders_list_indexes_are_node_local(chain):
    """The orders' list indexes are committed (a query reads them) but are outside the app hash:
    no proof is given for them, and the root recomputed without them is the app hash."""
    from stateset_chain.orders.keys import LOCAL_PREFIXES, STATUS_COUNT_PREFIX
    res = chain.block([chain.create_order(chain.wallets[0], chain.wallets[3], 1)])
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    assert chain.core.store.local_prefixes == LOCAL_PREFIXES
    key = STATUS_COUNT_PREFIX + (1).to_bytes(4, "big")  # orders in CREATED
    plain = chain.app.query(abci.RequestQuery(path="/store/key", data=key))
    assert plain.code == 0 and int.from_bytes(plain.value, "big") == 1
    proved = chain.app.query(abci.RequestQuery(path="/store/key", data=key, prove=True))
    assert proved.code != 0 and "node-local" in proved.log
    assert chain.core.store.recompute_app_hash() == chain.core.store.last_app_hash
    everything = chain.core.store.state.iterate()
    assert any(k.startswith(LOCAL_PREFIXES) for k, _ in everything)


def test_a_database_of_another_state_layout_is_refused_at_start(tmp_path, capsys):
    """A node never runs over state another layout wrote (it would compute app hashes its peers
    do not): the app refuses to open it, and `statesetd start` exits 1 saying why."""
    from stateset_chain.app import APP_VERSION, IncompatibleState
    from stateset_chain.cli.main import main

    (tmp_path / "data").mkdir()
    store = CommitStore.open(str(tmp_path / "data" / "state"))
    store.stage([(b"app/chain_id", b"old-chain")], 1)  # version 1 recorded no layout version
    store.commit()
    expected = f"layout version 1; this build runs version {APP_VERSION}"
    with pytest.raises(IncompatibleState, match=expected):
        standard_app(store)
    store.close()
    assert main(["start", "--home", str(tmp_path), "--address", "tcp://127.0.0.1:0"]) == 1
    assert "layout version 1" in capsys.readouterr().err


def test_genesis_records_the_state_layout_version(chain):
    from stateset_chain.app import APP_VERSION

    res = chain.app.query(abci.RequestQuery(path="/store/key", data=b"app/state_version"))
    assert int.from_bytes(res.value, "big") == APP_VERSION
    reopened = standard_app(chain.core.store)  # a database of this layout opens
    assert reopened.store.last_height == chain.height
