"""The same blocks on the in-memory store and on LevelDB give the same app hashes and the same
query answers (list queries walk indexes forward and backward, the part most store-sensitive)."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, Coin
from stateset_chain.store.commit import CommitStore
from tests.chain import Chain, address

from stateset.orders.v1 import orders_pb2, query_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx


def run(chain: Chain) -> list:
    w = chain.wallets
    chain.block([chain.create_order(w[i % 3], w[3], i) for i in range(12)])
    answers = []
    listed = query_pb2.QueryOrdersResponse.FromString(
        chain.query("/stateset.orders.v1.Query/Orders", query_pb2.QueryOrdersRequest()).value
    )
    pays = []
    for order in listed.orders[::2]:
        payer = next(x for x in w if address(x) == order.customer)
        msg = orders_tx.MsgPayOrder(payer=order.customer, order_id=order.id,
                                    amount=Coin(SSUSD, order.total).to_proto())
        pays.append(chain.sign(payer, [msg]))
    res = chain.block(pays)
    assert all(r.code == 0 for r in res.tx_results), [r.log for r in res.tx_results]
    for req in [
        query_pb2.QueryOrdersRequest(),
        query_pb2.QueryOrdersRequest(customer=address(w[1])),
        query_pb2.QueryOrdersRequest(merchant=address(w[3]), limit=3, offset=2),
        query_pb2.QueryOrdersRequest(status=orders_pb2.ORDER_STATUS_PAID),
        query_pb2.QueryOrdersRequest(
            customer=address(w[0]), status=orders_pb2.ORDER_STATUS_CREATED
        ),
        query_pb2.QueryOrdersRequest(amount_min="3000000", amount_max="9000000"),
        query_pb2.QueryOrdersRequest(created_after="2023-11-14T22:13:20Z"),
    ]:
        res = chain.query("/stateset.orders.v1.Query/Orders", req)
        assert res.code == 0, res.log
        answers.append(query_pb2.QueryOrdersResponse.FromString(res.value))
    return answers


def test_memory_and_leveldb_agree(tmp_path):
    mem = Chain.start()
    disk = Chain.start(store=CommitStore.open(str(tmp_path / "state")))
    a, b = run(mem), run(disk)
    assert mem.core.store.last_app_hash == disk.core.store.last_app_hash
    assert [len(x.orders) for x in a] == [len(x.orders) for x in b]
    assert a == b
    assert len(a[0].orders) == 12 and a[0].total_count == 12
    assert len(a[3].orders) == 6  # the paid ones
    disk.core.store.close()
