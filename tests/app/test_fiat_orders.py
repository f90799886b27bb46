"""Fiat-priced orders through the real App (tests.chain: ABCI FinalizeBlock + Commit, cosmpy-
signed txs, invariants every block) with the real oracle module: the issue's scenario (an EUR
order paid in USDC after the rate moved, locked at the payment, partially refunded at the locked
rate, checked to the base unit), a merchant's lock at creation, and a payment refused without a
fresh rate (nothing changes)."""

from __future__ import annotations

import json

import stateset_chain.pb  # noqa: F401
from stateset_chain.client import default_fee
from stateset_chain.coins import Coin
from stateset_chain.localnet import build_app_state
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app
from tests.chain import Chain, address, wallet

from stateset.oracle.v1 import tx_pb2 as oracle_tx
from stateset.oracle.v1.oracle_pb2 import CurrencyRate
from stateset.orders.v1 import query_pb2 as q
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import LineItem, OrderStatus
from tendermint.abci.types_pb2 import ResponseFinalizeBlock

USDC = "uusdc"
FEE = default_fee(200_000)  # what each signed tx pays (tests.chain signs with 200,000 gas)
FUNDS = 10**12
STALENESS = 60  # seconds: 12 blocks of tests.chain


def start() -> Chain:
    """The standard app; wallet 0 is the oracle authority and a feeder (quorum 1), EUR accepted
    at 1.0842 at genesis; rates go stale after a minute."""
    wallets = [wallet(i) for i in range(4)]
    accounts = [
        {"address": address(w), "balances": [{"denom": USDC, "amount": FUNDS},
                                             {"denom": "ussusd", "amount": FUNDS}]}
        for w in wallets
    ]
    state = build_app_state(accounts)
    state["oracle"]["params"]["staleness_seconds"] = str(STALENESS)
    core = standard_app(CommitStore.in_memory())
    core.check_invariants_every_block = True
    from stateset_chain.abci.adapter import AbciApp

    chain = Chain(AbciApp(core), wallets)
    chain.init(json.dumps(state, sort_keys=True).encode())
    chain.block([])
    return chain


def ok(res: ResponseFinalizeBlock) -> None:
    for r in res.tx_results:
        assert r.code == 0, (r.codespace, r.code, r.log)


def order(chain: Chain, order_id: str) -> q.QueryOrderResponse:
    res = chain.query("/stateset.orders.v1.Query/Order", q.QueryOrderRequest(order_id=order_id))
    assert res.code == 0, res.log
    return q.QueryOrderResponse.FromString(res.value)


def create(chain: Chain, signer, customer: str, merchant: str, **kw) -> str:
    msg = tx.MsgCreateOrder(
        creator=address(signer), customer=customer, merchant=merchant, currency="EUR",
        pay_denom=USDC, items=[LineItem(sku="MUG", name="mug", quantity=3, unit_price="99.99")],
        **kw,
    )
    res = chain.block([chain.sign(signer, [msg])])
    ok(res)
    return tx.MsgCreateOrderResponse.FromString(
        _msg_response(res.tx_results[0].data)).order_id


def _msg_response(data: bytes) -> bytes:
    from cosmos.base.abci.v1beta1.abci_pb2 import TxMsgData

    return TxMsgData.FromString(data).msg_responses[0].value


def submit(chain: Chain, rate: str) -> None:
    feeder = chain.wallets[0]
    ok(chain.block([chain.sign(feeder, [oracle_tx.MsgSubmitRates(
        feeder=address(feeder), rates=[CurrencyRate(currency="EUR", rate=rate)])])]))


def test_an_eur_order_paid_in_usdc_after_the_rate_moved_and_partly_refunded_at_the_lock():
    chain = start()
    customer, merchant = chain.wallets[2], chain.wallets[3]
    c, m = address(customer), address(merchant)
    oid = create(chain, customer, c, m)
    created = order(chain, oid)
    assert created.order.stablecoin_total == 325_227_474  # ceil(299.97 x 1.0842): the quote
    assert (created.quote.rate, created.quote.amount_due) == ("1.0842", 325_227_474)

    submit(chain, "1.08437")  # the rate moves before the customer pays
    assert order(chain, oid).quote.amount_due == 325_278_469
    start_balance = chain.balance(c, USDC)
    ok(chain.block([chain.sign(customer, [tx.MsgPayOrder(
        payer=c, order_id=oid, amount=Coin(USDC, 325_278_469).to_proto())])]))
    paid = order(chain, oid)
    assert paid.order.status == OrderStatus.ORDER_STATUS_PAID
    assert (paid.order.exchange_rate.rate, paid.order.exchange_rate.amount_due) == (
        "1.08437", 325_278_469)
    assert not paid.HasField("quote")
    fee = FEE.amount if FEE.denom == USDC else 0
    assert chain.balance(c, USDC) == start_balance - 325_278_469 - fee

    submit(chain, "1.1")  # a refund ignores the rate of the day
    ok(chain.block([chain.sign(merchant, [tx.MsgRefundOrder(
        signer=m, order_id=oid, amount="25000000", reason="one mug broke")])]))
    assert chain.balance(c, USDC) == start_balance - 325_278_469 - fee + 27_109_250
    refunded = order(chain, oid).order
    assert (refunded.amount_refunded, refunded.amount_refunded_fiat) == (27_109_250, 25_000_000)


def test_a_merchant_locked_order_pays_the_creation_rate_and_a_stale_rate_refuses_payment():
    chain = start()
    customer, merchant = chain.wallets[2], chain.wallets[3]
    c, m = address(customer), address(merchant)
    locked = create(chain, merchant, c, m, exchange_rate_locked=True)
    unlocked = create(chain, customer, c, m)
    for _ in range(STALENESS // 5 + 1):
        chain.block([])  # the genesis rate goes stale
    before = order(chain, unlocked).order
    balance = chain.balance(c, USDC)
    res = chain.block([chain.sign(customer, [tx.MsgPayOrder(
        payer=c, order_id=unlocked, amount=Coin(USDC, 325_227_474).to_proto())])])
    assert (res.tx_results[0].codespace, res.tx_results[0].code) == ("orders", 44)
    fee = FEE.amount if FEE.denom == USDC else 0  # a refused tx still pays its fee
    assert order(chain, unlocked).order == before
    assert chain.balance(c, USDC) == balance - fee

    ok(chain.block([chain.sign(customer, [tx.MsgPayOrder(  # locked: no rate needed
        payer=c, order_id=locked, amount=Coin(USDC, 325_227_474).to_proto())])]))
    assert order(chain, locked).order.status == OrderStatus.ORDER_STATUS_PAID
