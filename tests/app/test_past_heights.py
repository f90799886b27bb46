"""ABCI queries at past heights (``RequestQuery.height``): answered from that version of the
state, with ICS23 proofs against that height's app hash; heights outside the kept window and
node-local list indexes at a past height get clear errors."""

from __future__ import annotations

import pytest

from stateset_chain.bank.state import BankKeeper
from stateset_chain.coins import USDC
from stateset_chain.crypto.address import decode as decode_address
from stateset_chain.orders.ids import make_order_id
from stateset_chain.store.commit import CommitStore
from tests import ics23_verifier
from tests.chain import CHAIN_ID, Chain, address

from cosmos.bank.v1beta1 import query_pb2 as bank_query
from stateset.orders.v1 import query_pb2 as orders_query
from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import OrderStatus
from tendermint.abci import types_pb2 as abci

KEEP = 5


@pytest.fixture
def chain(tmp_path) -> Chain:
    store = CommitStore.open(str(tmp_path / "state"), keep_versions=KEEP)
    chain = Chain.start(store=store)
    yield chain
    store.close()


def query(chain: Chain, path: str, request, height: int) -> abci.ResponseQuery:
    return chain.app.query(
        abci.RequestQuery(path=path, data=request.SerializeToString(), height=height)
    )


def balance_at(chain: Chain, addr: str, height: int) -> int:
    res = query(chain, "/cosmos.bank.v1beta1.Query/Balance",
                bank_query.QueryBalanceRequest(address=addr, denom=USDC), height)
    assert res.code == 0 and res.height == height, res.log
    return int(bank_query.QueryBalanceResponse.FromString(res.value).balance.amount)


def test_balances_and_orders_at_past_heights(chain):
    alice, bob = chain.wallets[0], chain.wallets[1]
    balances = {}
    for amount in (10, 20, 30):
        chain.block([chain.send(alice, address(bob), amount)])
        balances[chain.height] = chain.balance(address(bob), USDC)
    assert len(set(balances.values())) == 3
    for height, expected in balances.items():
        assert balance_at(chain, address(bob), height) == expected

    created = chain.block([chain.create_order(alice, bob, 1)])
    assert created.tx_results[0].code == 0, created.tx_results[0].log
    created_at = chain.height
    oid = make_order_id(CHAIN_ID, 1)
    cancel = orders_tx.MsgCancelOrder(signer=address(alice), order_id=oid, reason="no")
    cancelled = chain.block([chain.sign(alice, [cancel])])
    assert cancelled.tx_results[0].code == 0, cancelled.tx_results[0].log

    def order_at(height: int) -> abci.ResponseQuery:
        return query(chain, "/stateset.orders.v1.Query/Order",
                     orders_query.QueryOrderRequest(order_id=oid), height)

    before = order_at(created_at - 1)
    assert before.code != 0 and "not found" in before.log
    then = orders_query.QueryOrderResponse.FromString(order_at(created_at).value).order
    now = orders_query.QueryOrderResponse.FromString(order_at(0).value).order
    assert then.status == OrderStatus.ORDER_STATUS_CREATED
    assert now.status == OrderStatus.ORDER_STATUS_CANCELLED


def test_heights_outside_the_window_are_refused_with_invalid_height(chain):
    for _ in range(KEEP + 2):
        chain.block([])
    latest = chain.height
    old = query(chain, "/cosmos.bank.v1beta1.Query/Balance",
                bank_query.QueryBalanceRequest(address=address(chain.wallets[0]), denom=USDC), 2)
    assert (old.code, old.codespace) == (26, "sdk")
    assert f"keeps heights {latest - KEEP + 1} to {latest}" in old.log and "pruned" in old.log
    future = chain.app.query(abci.RequestQuery(path="/store/key", data=b"app/chain_id",
                                               height=latest + 1))
    assert (future.code, future.codespace) == (26, "sdk") and "not committed yet" in future.log
    kept = chain.app.query(abci.RequestQuery(path="/store/key", data=b"app/chain_id",
                                             height=latest - KEEP + 1))
    assert kept.code == 0 and kept.value == CHAIN_ID.encode()


def test_order_lists_answer_at_the_latest_height_only(chain):
    chain.block([chain.create_order(chain.wallets[0], chain.wallets[1], 1)])
    chain.block([])
    request = orders_query.QueryOrdersRequest(customer=address(chain.wallets[0]))
    past = query(chain, "/stateset.orders.v1.Query/Orders", request, chain.height - 1)
    assert (past.code, past.codespace) == (3, "query")
    assert "latest height only" in past.log and "node-local list index" in past.log
    latest = query(chain, "/stateset.orders.v1.Query/Orders", request, 0)
    assert latest.code == 0
    assert len(orders_query.QueryOrdersResponse.FromString(latest.value).orders) == 1


def test_proofs_at_a_past_height_verify_against_that_heights_app_hash(chain):
    """The store/key proof at height H checks (ics23 crate) against H's app hash, the one
    CometBFT puts in header H + 1, and not against the latest."""
    alice, bob = chain.wallets[0], chain.wallets[1]
    chain.block([chain.send(alice, address(bob), 7)])
    height, app_hash = chain.height, chain.core.store.last_app_hash
    chain.block([chain.send(alice, address(bob), 8)])
    key = BankKeeper.balances._k((decode_address(address(bob)), USDC))  # a balance's raw key
    res = chain.app.query(abci.RequestQuery(path="/store/key", data=key, height=height,
                                            prove=True))
    assert res.code == 0 and res.height == height, res.log
    [op] = res.proof_ops.ops
    assert op.type == "ics23:smt"
    assert ics23_verifier.verify_membership(app_hash, key, res.value, op.data)
    assert not ics23_verifier.verify_membership(
        chain.core.store.last_app_hash, key, res.value, op.data
    )
    absent = chain.app.query(abci.RequestQuery(path="/store/key", data=b"no such key",
                                               height=height, prove=True))
    assert absent.code == 0 and absent.value == b""
    assert ics23_verifier.verify_non_membership(app_hash, b"no such key",
                                                absent.proof_ops.ops[0].data)
