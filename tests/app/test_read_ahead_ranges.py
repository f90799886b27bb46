"""An order block's fraud velocity windows and stock locations read from the block's memo (read
ahead on the worker threads: ``MsgRoute.reads_after``, store/memo.py ``remember_ranges``) give
the same results as a LevelDB iterator per range: random histories of order creates and
payments (several per customer and block, payments of orders created earlier in the same block,
conditional orders waiting on an order's payment, their waiters woken at end-block; failing
txs: short stock, an already-paid or unknown order, a sanctioned payer) with stale velocity
buckets and a change of the bucket size, run with and without the read-ahead, give the same
FinalizeBlock bytes (results, gas, events) and app hashes, block for block."""

from __future__ import annotations

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD
from stateset_chain.orders import ids
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.memo import CommittedReads
from tests.chain import CHAIN_ID, GENESIS_TIME, Chain, address

from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin
from stateset.compliance.v1 import tx_pb2 as ctx_pb
from stateset.compliance.v1.compliance_pb2 import FraudRules, Params, VelocityRule
from stateset.conditional.v1 import tx_pb2 as cond_tx
from stateset.conditional.v1.conditional_pb2 import Condition, OrderReached
from stateset.inventory.v1 import tx_pb2 as inv
from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import LineItem, OrderStatus, ShippingAddress

PAID = OrderStatus.ORDER_STATUS_PAID

CUSTOMERS = (1, 2, 3)
MERCHANTS = (4, 5)
SKUS = ("A", "B", "C")  # A: default location and "east"; B: "east" and "west" only; C: untracked

create = st.tuples(
    st.just("create"),
    st.sampled_from(CUSTOMERS),
    st.sampled_from(MERCHANTS),
    st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 4)), min_size=1, max_size=3),
)
pay = st.tuples(st.just("pay"), st.sampled_from(CUSTOMERS), st.integers(0, 40))
sanction = st.tuples(st.just("sanction"), st.sampled_from(CUSTOMERS))
wait = st.tuples(st.just("wait"), st.sampled_from(CUSTOMERS), st.integers(1, 20))
rebucket = st.tuples(st.just("rebucket"), st.sampled_from([(20, 10), (30, 15), (10, 5)]))
block = st.lists(st.one_of(create, create, pay, pay, sanction, rebucket, wait), max_size=8)
history = st.lists(block, min_size=2, max_size=6)


def _params(chain: Chain, window: int, bucket: int) -> bytes:
    authority = chain.wallets[0]
    params = Params(
        authority=address(authority),
        compliance_authority=address(authority),
        fraud=FraudRules(
            velocity=VelocityRule(
                max_orders=2,
                max_amount=30_000_000,
                window_seconds=window,
                bucket_seconds=bucket,
                orders_weight_bps=3000,
                amount_weight_bps=3000,
            ),
            hold_threshold_bps=5000,
        ),
    )
    return chain.sign(
        authority, [ctx_pb.MsgUpdateParams(authority=address(authority), params=params)]
    )


def _sign_history(chain: Chain, blocks: list[list[tuple]]) -> list[list[bytes]]:
    """The history as signed blocks (signed once, run on every chain). A payment names an order
    by its sequence (a guess: an order created earlier, maybe in the same block, or none)."""
    w = chain.wallets
    setup = [_params(chain, 20, 10)]
    for m in MERCHANTS:
        for sku, location, qty in (
            ("A", "", 5),
            ("A", "east", 3),
            ("B", "east", 2),
            ("B", "west", 6),
        ):
            setup.append(
                chain.sign(
                    w[m],
                    [
                        inv.MsgSetInventory(
                            merchant=address(w[m]), sku=sku, quantity=qty, location=location
                        )
                    ],
                )
            )
    out = [setup]
    n = 0
    for actions in blocks:
        txs = []
        for action in actions:
            kind = action[0]
            if kind == "create":
                _, c, m, lines = action
                n += 1
                msg = orders_tx.MsgCreateOrder(
                    creator=address(w[c]),
                    customer=address(w[c]),
                    merchant=address(w[m]),
                    name=f"order {n}",
                    shipping_address=ShippingAddress(country="us"),
                    items=[
                        LineItem(sku=sku, name="thing", quantity=q, unit_price=f"{q}.50")
                        for sku, q in lines
                    ],
                )
                txs.append(chain.sign(w[c], [msg]))
            elif kind == "pay":
                _, c, seq = action
                msg = orders_tx.MsgPayOrder(
                    payer=address(w[c]),
                    order_id=ids.make_order_id(CHAIN_ID, seq),
                    amount=PbCoin(denom=SSUSD, amount=str(10**9)),
                    up_to=True,
                )
                txs.append(chain.sign(w[c], [msg]))
            elif kind == "wait":  # a conditional order waiting on the order reaching PAID
                _, c, seq = action
                inner = orders_tx.MsgCreateOrder(
                    creator=address(w[c]),
                    customer=address(w[c]),
                    merchant=address(w[4]),
                    name="later",
                    items=[LineItem(sku="C", name="thing", quantity=1, unit_price="1.00")],
                )
                reached = OrderReached(order_id=ids.make_order_id(CHAIN_ID, seq), status=PAID)
                txs.append(
                    chain.sign(
                        w[c],
                        [
                            cond_tx.MsgCreateConditionalOrder(
                                order=inner,
                                conditions=[Condition(order_reached=reached)],
                                expires_at=Timestamp(seconds=GENESIS_TIME + 10**6),
                            )
                        ],
                        gas=400_000,
                    )
                )
            elif kind == "sanction":
                _, c = action
                txs.append(
                    chain.sign(
                        w[0],
                        [
                            ctx_pb.MsgAddSanction(
                                signer=address(w[0]), address=address(w[c]), reason="test"
                            )
                        ],
                    )
                )
            else:
                _, (window, bucket) = action
                txs.append(_params(chain, window, bucket))
        out.append(txs)
    return out


def _run(
    signed: list[list[bytes]], read_ahead: bool, leveldb_path=None
) -> tuple[list, list[bytes]]:
    store = CommitStore.open(str(leveldb_path)) if leveldb_path is not None else None
    chain = Chain.start(n_wallets=6, store=store)
    if not read_ahead:
        chain.core._read_ahead = lambda reads, txs, block: 0
    served: list[bytes] = []  # the key prefix (module and byte) of each range the memo served
    original = CommittedReads.iterate

    def counted(self, start=None, end=None, reverse=False):
        if (start, end) in self.ranges:
            served.append(start[: start.index(b"/") + 2])
        return original(self, start, end, reverse)

    CommittedReads.iterate = counted  # type: ignore[method-assign]
    try:
        results = []
        for txs in signed:
            res = chain.block(txs)
            results.append(res.SerializeToString(deterministic=True))
    finally:
        CommittedReads.iterate = original  # type: ignore[method-assign]
        if store is not None:
            store.close()
    return results, served


@pytest.fixture(scope="module")
def signer() -> Chain:
    return Chain.start(n_wallets=6)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(blocks=history)
def test_windows_and_stocks_read_ahead_give_the_same_blocks(signer, blocks):
    signer.sequences.clear()
    signed = _sign_history(signer, blocks)
    plain, plain_served = _run(signed, read_ahead=False)
    ahead, served = _run(signed, read_ahead=True)
    assert plain == ahead
    assert plain_served == []
    creates = sum(1 for b in blocks for a in b if a[0] == "create")
    assert served.count(b"compliance/\x07") >= creates  # each create's window from the memo


def test_a_fixed_history_on_leveldb_reads_ranges_ahead_and_fails_alike(signer, tmp_path):
    """On LevelDB (the worker threads really iterate), with every kind of failure present."""
    blocks = [
        [
            ("create", 1, 4, [("A", 2), ("B", 1)]),
            ("create", 1, 4, [("A", 4)]),  # 2nd: short
            ("create", 2, 5, [("C", 1)]),
            ("pay", 1, 1),
            ("wait", 2, 2),  # on the 2nd order (the short one took no sequence), paid next block
        ],  # pays the first (same block)
        [
            ("create", 1, 4, [("B", 5)]),
            ("pay", 1, 1),
            ("pay", 2, 2),  # wakes the waiter at end-block
            ("pay", 3, 39),
            ("sanction", 3),
            ("create", 3, 5, [("A", 1)]),
        ],  # paid again; unknown; sanctioned
        [("rebucket", (30, 15)), ("create", 1, 4, [("A", 1)]), ("create", 2, 4, [("B", 1)])],
        [],
        [],
        [],  # the windows slide: buckets go stale
        [("create", 1, 4, [("A", 1)]), ("pay", 1, 6), ("pay", 2, 7)],
    ]
    signer.sequences.clear()
    signed = _sign_history(signer, blocks)
    plain, _ = _run(signed, read_ahead=False, leveldb_path=tmp_path / "plain")
    ahead, served = _run(signed, read_ahead=True, leveldb_path=tmp_path / "ahead")
    assert plain == ahead
    # the windows, a SKU's locations and the paid order's waiters came from the memo
    assert {b"compliance/\x07", b"inventory/\x03", b"conditional/\x13"} <= set(served)
    from tendermint.abci import types_pb2 as abci

    codes = [
        [r.code for r in abci.ResponseFinalizeBlock.FromString(b).tx_results] for b in ahead[1:]
    ]
    assert any(c != 0 for c in codes[0]) and any(c != 0 for c in codes[1])  # failures present
    assert codes[0][0] == 0 and codes[0][3] == 0  # created, then paid in the same block
