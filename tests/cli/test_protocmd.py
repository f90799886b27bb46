"""Commands generated from proto services: every rpc has one, and flags build the message."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cli import protocmd
from stateset_chain.cli.main import build_parser
from stateset_chain.client import ClientError

from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.orders.v1 import orders_pb2, query_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx


def parse(*argv):
    return build_parser().parse_args(list(argv))


def test_every_orders_and_cctp_message_has_a_command():
    parser = build_parser()
    for module, group in ((orders_tx, "orders"), (cctp_tx, "cctp")):
        for method in module.DESCRIPTOR.services_by_name["Msg"].methods:
            args = parser.parse_args(["tx", group, protocmd.kebab(method.name), "alice"])
            assert args.sender == "alice"


def test_flags_build_the_message_with_json_for_nested_fields():
    args = parse(
        "tx", "orders", "create-order", "bob", "--customer", "stateset1c", "--merchant",
        "stateset1m", "--items", '[{"sku": "A1", "name": "thing", "quantity": 2, '
        '"unit_price": "9.99"}]', "--metadata", '{"k": "v"}',
    )
    msg = protocmd.build_message(orders_tx.MsgCreateOrder, args, skip="creator")
    assert msg.customer == "stateset1c" and msg.metadata["k"] == "v"
    assert msg.items[0] == orders_pb2.LineItem(sku="A1", name="thing", quantity=2,
                                               unit_price="9.99")


def test_query_aliases_and_enum_names():
    args = parse("query", "orders", "list", "--status", "ORDER_STATUS_PAID", "--limit", "5")
    req = protocmd.build_message(query_pb2.QueryOrdersRequest, args)
    assert req.status == orders_pb2.ORDER_STATUS_PAID and req.limit == 5
    assert parse("query", "orders", "get", "--order-id", "ord_x").f_order_id == "ord_x"


@pytest.mark.parametrize(
    "argv, text",
    [
        (("--items", "not json"), "takes JSON"),
        (("--revenue-split", '{"nope": 1}'), "invalid MsgCreateOrder"),
    ],
)
def test_bad_flags_are_clear_errors(argv, text):
    args = parse("tx", "orders", "create-order", "bob", *argv)
    with pytest.raises(ClientError, match=text):
        protocmd.build_message(orders_tx.MsgCreateOrder, args, skip="creator")


def test_integer_flag_checked():
    args = parse("query", "orders", "list", "--limit", "many")
    with pytest.raises(ClientError, match="integer"):
        protocmd.build_message(query_pb2.QueryOrdersRequest, args)


def test_the_upgrade_commands_build_the_sdks_messages():
    from cosmos.upgrade.v1beta1 import tx_pb2 as upgrade_tx

    args = parse("tx", "upgrade", "software-upgrade", "admin",
                 "--plan", '{"name": "v12", "height": "1200", "info": "get v12"}')
    msg = protocmd.build_message(upgrade_tx.MsgSoftwareUpgrade, args, skip="authority")
    assert (msg.plan.name, msg.plan.height, msg.plan.info) == ("v12", 1200, "get v12")
    assert parse("tx", "upgrade", "cancel-upgrade", "admin").sender == "admin"
    assert parse("query", "upgrade", "applied-plan", "--name", "v11").f_name == "v11"


def test_every_compliance_query_has_a_command_and_its_flags_fill_the_request():
    """``statesetd query compliance <list>`` for every list of the module (issue 14)."""
    from stateset.compliance.v1 import query_pb2 as cq

    parser = build_parser()
    names = {m.name for m in cq.DESCRIPTOR.services_by_name["Query"].methods}
    assert {"Sanctions", "BlockedCountries", "RestrictedCategories", "AccountLimits", "Volume",
            "CustomerRisk", "FreezeQueue"} <= names
    for name in names:
        assert callable(parser.parse_args(["query", "compliance", protocmd.kebab(name)]).func)
    args = parse("query", "compliance", "sanctions", "--start-after", "stateset1a", "--limit", "3")
    req = protocmd.build_message(cq.QuerySanctionsRequest, args)
    assert (req.start_after, req.limit) == ("stateset1a", 3)
    args = parse("query", "compliance", "restricted-categories", "--country", "DE")
    assert protocmd.build_message(cq.QueryRestrictedCategoriesRequest, args).country == "DE"


def test_json_flags_say_what_they_take(capsys):
    with pytest.raises(SystemExit):
        parse("tx", "orders", "create-order", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "a JSON list of LineItem {sku, " in text and "unit_price" in text  # --items
    assert "a JSON object {key: value}" in text  # --metadata
