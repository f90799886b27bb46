"""Hole 5 of the hardening review: every ABCI call, queries included, ran under the one app lock,
and a query walked as much state as its filters asked for. Now queries (but Simulate) are served
from the last committed state without the lock, each reads through a budget counted at the
store layer, ``offset`` is capped, and Simulate has a gas cap.

These tests use the real app over LevelDB and, for the lock, the real socket server."""

from __future__ import annotations

import threading

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.server import ABCIServer
from stateset_chain.store.commit import CommitStore
from tests.abci.client import ABCIClient
from tests.chain import Chain, address

from cosmos.tx.v1beta1 import service_pb2 as tx_service
from stateset.orders.v1 import query_pb2 as oq
from tendermint.abci import types_pb2 as abci

ORDERS = "/stateset.orders.v1.Query/Orders"


@pytest.fixture
def chain(tmp_path) -> Chain:
    return Chain.start(n_wallets=3, store=CommitStore.open(str(tmp_path / "state")))


def list_orders(chain: Chain, customer: str, **kw) -> abci.ResponseQuery:
    return chain.query(ORDERS, oq.QueryOrdersRequest(customer=customer, limit=100, **kw))


def test_a_query_is_answered_while_the_app_lock_is_held(chain):
    """Hold the app lock as a long FinalizeBlock would: a query on the query connection still
    gets its answer (before: it waited for the lock)."""
    server = ABCIServer(chain.app, "tcp://127.0.0.1:0")
    handle = server.start_in_thread()
    try:
        with server.dispatcher.lock, ABCIClient(handle.address, timeout=5) as client:
            req = oq.QueryOrdersRequest(customer=address(chain.wallets[0]))
            response = client.call(
                abci.Request(query=abci.RequestQuery(path=ORDERS, data=req.SerializeToString()))
            )
            assert response.query.code == 0, response.query.log
            assert response.query.height == chain.height
    finally:
        handle.stop()


def test_a_query_between_finalize_block_and_commit_sees_the_last_commit(chain):
    customer, merchant = chain.wallets[0], chain.wallets[1]
    chain.block([chain.create_order(customer, merchant, 1)])
    chain.finalize([chain.create_order(customer, merchant, 2)])  # not committed yet
    seen = oq.QueryOrdersResponse.FromString(list_orders(chain, address(customer)).value)
    assert seen.total_count == 1
    chain.commit()
    seen = oq.QueryOrdersResponse.FromString(list_orders(chain, address(customer)).value)
    assert seen.total_count == 2


def test_queries_running_during_blocks_each_see_one_committed_height(chain):
    """A thread lists a customer's orders while blocks create them: each answer is the state of
    exactly one committed height (its count and its page agree with each other and with the
    height it reports)."""
    customer, merchant = chain.wallets[0], chain.wallets[1]
    first = chain.height + 1  # orders are created one per block from this height on
    stop = threading.Event()
    seen: list[tuple[int, int, int]] = []

    def reader() -> None:
        while not stop.is_set():
            res = list_orders(chain, address(customer))
            page = oq.QueryOrdersResponse.FromString(res.value)
            seen.append((res.height, page.total_count, len(page.orders)))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(40):
            chain.block([chain.create_order(customer, merchant, n)])
    finally:
        stop.set()
        thread.join()
    assert len(seen) > 5
    for height, count, listed in seen:
        assert count == listed == max(0, height - first + 1), (height, count, listed)


def test_offset_is_capped(chain):
    res = list_orders(chain, address(chain.wallets[0]), offset=10_001)
    assert (res.codespace, res.code) == ("query", 4), res.log  # InvalidPagination
    assert "offset" in res.log


def test_a_query_over_its_read_budget_gets_a_clear_error(chain):
    customer, merchant = chain.wallets[0], chain.wallets[1]
    chain.block([chain.create_order(customer, merchant, n) for n in range(30)])
    assert list_orders(chain, address(customer)).code == 0
    chain.core.query_gas_limit = 20_000  # a few reads
    res = list_orders(chain, address(customer))
    assert (res.codespace, res.code) == ("query", 2), res.log
    assert "read budget" in res.log


def test_simulate_has_a_gas_cap(chain):
    customer, merchant = chain.wallets[0], chain.wallets[1]
    raw = chain.send(customer, address(merchant), 1)
    chain.sequences[address(customer)] = 0
    request = tx_service.SimulateRequest(tx_bytes=raw)
    ok = chain.query("/cosmos.tx.v1beta1.Service/Simulate", request)
    assert ok.code == 0, ok.log
    chain.core.simulate_gas_limit = 1_000
    res = chain.query("/cosmos.tx.v1beta1.Service/Simulate", request)
    assert (res.codespace, res.code) == ("sdk", 11), res.log
