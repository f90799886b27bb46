"""The CLI as a Cosmos SDK chain's (issue: "the CLI feels like a Cosmos chain's"), without a node:
one amount syntax (base-unit coins and display amounts), enums by short name in any case with
the values in --help, key names for addresses, --gas auto / --gas-adjustment flags, partial
update-params, and the summary lines of a tx result."""

from __future__ import annotations

from fractions import Fraction

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cli import protocmd, txresult
from stateset_chain.cli.keyring import Keyring
from stateset_chain.cli.main import build_parser, main, resolver
from stateset_chain.client import ClientError, format_display, parse_coin, parse_coins
from stateset_chain.coins import Coin
from stateset_chain.localnet import load_demo_accounts

from stateset.orders.v1 import orders_pb2, query_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx

BOB = load_demo_accounts()[1]["address"]


def parse(*argv):
    return build_parser().parse_args(list(argv))


# --- amounts: one syntax everywhere ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, coin",
    [
        ("40000000ussusd", Coin("ussusd", 40_000_000)),  # base units
        ("40.00ssUSD", Coin("ussusd", 40_000_000)),  # a display amount
        ("40ssusd", Coin("ussusd", 40_000_000)),  # display denoms in any case
        ("12.5USDC", Coin("uusdc", 12_500_000)),
        ("0.000001usdc", Coin("uusdc", 1)),
    ],
)
def test_coins_are_base_units_or_display_amounts(text, coin):
    assert parse_coin(text) == coin


@pytest.mark.parametrize(
    "text, reason",
    [
        ("1.5uusdc", "base denom"),  # decimals need a display denom
        ("1.0000001USDC", "at most 6 decimals"),
        ("40", "expected an integer and a base denom"),
    ],
)
def test_ambiguous_or_inexact_amounts_are_refused_with_the_rule(text, reason):
    with pytest.raises(ClientError, match=reason):
        parse_coin(text)


@pytest.mark.parametrize("text", ["0123", "9" * 5000])
def test_a_base_unit_amount_flag_reads_the_chains_grammar(text):
    with pytest.raises(ClientError, match="amount"):
        protocmd.base_units(text)
    assert protocmd.base_units(" 1000 ") == "1000"


def test_fees_and_sends_take_display_amounts_too():
    assert parse_coins("0.005USDC,1ussusd") == [Coin("ussusd", 1), Coin("uusdc", 5000)]


@pytest.mark.parametrize(
    "coin, text",
    [(Coin("ussusd", 43_500_000), "43.50ssUSD"), (Coin("uusdc", 1_234_567), "1.234567USDC"),
     (Coin("ussusd", 7_000_000), "7.00ssUSD"), (Coin("ufoo", 5), "5ufoo")],
)
def test_display_format_is_exact_and_parses_back(coin, text):
    assert format_display(coin) == text
    if coin.denom != "ufoo":
        assert parse_coin(text) == coin


def test_pay_order_takes_a_display_amount_a_coin_or_json():
    for text in ("40.00ssUSD", "40000000ussusd", '{"denom": "ussusd", "amount": "40000000"}'):
        args = parse("tx", "orders", "pay-order", "bob", "--order-id", "ord_x", "--amount", text)
        msg = protocmd.build_message(orders_tx.MsgPayOrder, args, skip="payer")
        assert (msg.amount.denom, msg.amount.amount) == ("ussusd", "40000000")


@pytest.mark.parametrize("text", ["5000000", "5000000ussusd", "5.00ssUSD", "5ssusd"])
def test_refunds_and_list_filters_take_the_same_amounts(text):
    args = parse("tx", "orders", "refund-order", "carol", "--order-id", "ord_x", "--amount", text)
    assert protocmd.build_message(orders_tx.MsgRefundOrder, args, skip="signer").amount == "5000000"
    args = parse("tx", "orders", "resolve-dispute", "alice", "--order-id", "ord_x",
                 "--outcome", "refund_partial", "--refund-amount", text)
    msg = protocmd.build_message(orders_tx.MsgResolveDispute, args, skip="arbiter")
    assert msg.refund_amount == "5000000"
    assert msg.outcome == orders_pb2.DISPUTE_OUTCOME_REFUND_PARTIAL
    args = parse("query", "orders", "list", "--amount-min", text, "--amount-max", "6.00USDC")
    req = protocmd.build_message(query_pb2.QueryOrdersRequest, args)
    assert (req.amount_min, req.amount_max) == ("5000000", "6000000")


def test_a_bad_amount_names_the_flag():
    args = parse("query", "orders", "list", "--amount-min", "five")
    with pytest.raises(ClientError, match="--amount-min"):
        protocmd.build_message(query_pb2.QueryOrdersRequest, args)


# --- enums ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["PAID", "paid", "Paid", "ORDER_STATUS_PAID"])
def test_enums_take_short_names_in_any_case(text):
    req = protocmd.build_message(
        query_pb2.QueryOrdersRequest, parse("query", "orders", "list", "--status", text)
    )
    assert req.status == orders_pb2.ORDER_STATUS_PAID


def test_an_unknown_enum_value_lists_the_values():
    args = parse("query", "orders", "list", "--status", "PAYED")
    with pytest.raises(ClientError, match="not one of CREATED, PAID, FULFILLED"):
        protocmd.build_message(query_pb2.QueryOrdersRequest, args)


def test_help_lists_enum_values_and_amount_syntax(capsys):
    with pytest.raises(SystemExit):
        main(["query", "orders", "list", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "one of CREATED, PAID, FULFILLED, SHIPPED, DELIVERED" in out
    assert "40.00ssUSD" in out and "a bech32 address or a key name" in out
    with pytest.raises(SystemExit):
        main(["tx", "orders", "resolve-dispute", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "one of REFUND_FULL, REFUND_PARTIAL, RELEASE_TO_MERCHANT" in out


# --- key names for addresses ----------------------------------------------------------------


def test_key_names_work_wherever_an_address_is_expected(tmp_path, capsys):
    assert main(["keys", "add-demo", "--keyring-dir", str(tmp_path)]) == 0
    capsys.readouterr()
    args = parse("tx", "orders", "create-order", "bob", "--customer", "bob", "--merchant",
                 "carol", "--keyring-dir", str(tmp_path))
    msg = protocmd.build_message(
        orders_tx.MsgCreateOrder, args, skip="creator", resolve=resolver(args)
    )
    assert msg.customer == BOB
    assert msg.merchant == Keyring(tmp_path).show("carol").address
    args = parse("query", "orders", "list", "--customer", "bob", "--keyring-dir", str(tmp_path))
    req = protocmd.build_message(query_pb2.QueryOrdersRequest, args, resolve=resolver(args))
    assert req.customer == BOB
    args = parse("query", "orders", "list", "--customer", "mallory",
                 "--keyring-dir", str(tmp_path))
    with pytest.raises(ClientError, match="mallory"):
        protocmd.build_message(query_pb2.QueryOrdersRequest, args, resolve=resolver(args))


def test_add_demo_twice_keeps_the_keys(tmp_path, capsys):
    main(["keys", "add-demo", "--keyring-dir", str(tmp_path)])
    capsys.readouterr()
    main(["keys", "add-demo", "--keyring-dir", str(tmp_path)])
    import json

    again = json.loads(capsys.readouterr().out)
    assert [k["name"] for k in again] == ["alice", "bob", "carol", "dave"]
    assert not any(k["added"] for k in again)


# --- gas ------------------------------------------------------------------------------------


def test_gas_is_auto_by_default_with_an_adjustment():
    args = parse("tx", "orders", "fulfill-order", "carol", "--order-id", "ord_x")
    assert (args.gas, args.gas_adjustment, args.no_wait) == ("auto", Fraction(13, 10), False)
    args = parse("tx", "orders", "fulfill-order", "carol", "--gas", "300000",
                 "--gas-adjustment", "1.5", "--no-wait")
    assert (args.gas, args.gas_adjustment, args.no_wait) == ("300000", Fraction(3, 2), True)


@pytest.mark.parametrize("flags", [("--gas", "lots"), ("--gas", "0"), ("--gas-adjustment", "0.5"),
                                   ("--gas-adjustment", "x")])
def test_bad_gas_flags_are_usage_errors(flags, capsys):
    with pytest.raises(SystemExit) as e:
        parse("tx", "bank", "send", "a", "b", "1uusdc", *flags)
    assert e.value.code == 2
    assert flags[0] in capsys.readouterr().err


# --- partial update-params ------------------------------------------------------------------


def test_update_params_merges_the_given_fields_over_the_chains():
    on_chain = {"authority": BOB, "platform_fee_bps": 100, "max_batch_size": 50,
                "shipping_rates": [{"method": "standard", "fee": "5000000"}]}
    args = parse("tx", "orders", "update-params", "bob", "--params", '{"platform_fee_bps": 150}')
    msg = protocmd.build_message(
        orders_tx.MsgUpdateParams, args, skip="authority",
        current={"params": lambda _: dict(on_chain)},
    )
    assert msg.params.platform_fee_bps == 150
    assert msg.params.max_batch_size == 50 and msg.params.authority == BOB
    assert [r.method for r in msg.params.shipping_rates] == ["standard"]
    args = parse("tx", "orders", "update-params", "bob", "--params", "[1]")
    with pytest.raises(ClientError, match="JSON object"):
        protocmd.build_message(orders_tx.MsgUpdateParams, args, skip="authority",
                               current={"params": lambda _: dict(on_chain)})


# --- what a tx did --------------------------------------------------------------------------


def test_summaries_name_the_order_total_denom_and_payment():
    created = orders_tx.MsgCreateOrderResponse(order_id="ord_a", total=43_500_000, denom="ussusd")
    batch = orders_tx.MsgBatchCreateOrdersResponse(orders=[
        created, orders_tx.MsgCreateOrderResponse(order_id="ord_b", total=1, denom="uusdc"),
    ])
    pay = orders_tx.MsgPayOrder(order_id="ord_a", amount=Coin("ussusd", 43_500_000).to_proto())
    paid = orders_tx.MsgPayOrderResponse(payment_id="pay_1", status=orders_pb2.ORDER_STATUS_PAID)
    lines = txresult.summarize(
        [orders_tx.MsgCreateOrder(), orders_tx.MsgBatchCreateOrders(), pay],
        [created, batch, paid],
    )
    assert lines == [
        "created order ord_a: total 43.50ssUSD (43500000ussusd)",
        "created order ord_a: total 43.50ssUSD (43500000ussusd)",
        "created order ord_b: total 0.000001USDC (1uusdc)",
        "paid 43.50ssUSD (43500000ussusd) on order ord_a: payment pay_1, order PAID",
    ]


def test_the_same_conventions_hold_inside_json(tmp_path, capsys):
    """Nested fields in --orders / --payments / --revenue-split: key names, display amounts."""
    main(["keys", "add-demo", "--keyring-dir", str(tmp_path)])
    capsys.readouterr()
    carol = Keyring(tmp_path).show("carol").address
    orders = ('[{"customer": "bob", "merchant": "carol", "items": [{"sku": "A", "name": "A", '
              '"quantity": 1, "unit_price": "1.00"}], "revenue_split": {"supplier": "dave", '
              '"merchant_bps": 9000, "supplier_bps": 1000}}]')
    args = parse("tx", "orders", "batch-create-orders", "bob", "--orders", orders,
                 "--keyring-dir", str(tmp_path))
    msg = protocmd.build_message(orders_tx.MsgBatchCreateOrders, args, skip="creator",
                                 resolve=resolver(args))
    [order] = msg.orders
    assert (order.customer, order.merchant) == (BOB, carol)
    assert order.revenue_split.supplier == Keyring(tmp_path).show("dave").address
    payments = '[{"order_id": "ord_a", "amount": "40.00ssUSD"}, ' \
        '{"order_id": "ord_b", "amount": {"denom": "uusdc", "amount": "7"}}]'
    args = parse("tx", "orders", "batch-pay-orders", "bob", "--payments", payments,
                 "--keyring-dir", str(tmp_path))
    msg = protocmd.build_message(orders_tx.MsgBatchPayOrders, args, skip="payer",
                                 resolve=resolver(args))
    assert [(p.amount.denom, p.amount.amount) for p in msg.payments] == [
        ("ussusd", "40000000"), ("uusdc", "7"),
    ]


def test_refund_summaries_name_the_amount_in_the_orders_denom():
    refund = orders_tx.MsgRefundOrder(order_id="ord_a", amount="5000000")
    refunded = orders_tx.MsgRefundOrderResponse(
        refund_id="rfd_1", refunded=5_000_000, status=orders_pb2.ORDER_STATUS_DELIVERED
    )
    resolve = orders_tx.MsgResolveDispute(order_id="ord_a")
    resolved = orders_tx.MsgResolveDisputeResponse(
        status=orders_pb2.ORDER_STATUS_RESOLVED, refunded=1_000_000, settled=2_500_000
    )
    lines = txresult.summarize([refund, resolve], [refunded, resolved], lambda oid: "ussusd")
    assert lines == [
        "refunded 5.00ssUSD (5000000ussusd) on order ord_a: refund rfd_1, order DELIVERED",
        "order ord_a is now RESOLVED: refunded 1.00ssUSD (1000000ussusd), "
        "settled 2.50ssUSD (2500000ussusd)",
    ]
    assert txresult.summarize([refund], [refunded])[0].startswith("refunded 5000000 base units")
