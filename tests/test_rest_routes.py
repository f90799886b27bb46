"""The REST face's routes come from the google.api.http options, bind path and query parameters
into the request as grpc-gateway does, and the checked-in OpenAPI document is the generated one."""

from __future__ import annotations

import json
from pathlib import Path

import grpc
import pytest

from stateset_chain import rest
from stateset_chain.gateway import GatewayError

ROOT = Path(__file__).resolve().parents[1]

# The routes issue #10 lists, by (verb, template) -> gRPC method.
REQUIRED = {
    ("GET", "/cosmos/auth/v1beta1/accounts/{address}"): "/cosmos.auth.v1beta1.Query/Account",
    ("GET", "/cosmos/auth/v1beta1/params"): "/cosmos.auth.v1beta1.Query/Params",
    ("GET", "/cosmos/bank/v1beta1/balances/{address}"): "/cosmos.bank.v1beta1.Query/AllBalances",
    ("GET", "/cosmos/bank/v1beta1/balances/{address}/by_denom"):
        "/cosmos.bank.v1beta1.Query/Balance",
    ("GET", "/cosmos/bank/v1beta1/supply"): "/cosmos.bank.v1beta1.Query/TotalSupply",
    ("GET", "/cosmos/bank/v1beta1/denoms_metadata"): "/cosmos.bank.v1beta1.Query/DenomsMetadata",
    ("GET", "/cosmos/base/tendermint/v1beta1/node_info"):
        "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo",
    ("GET", "/cosmos/base/tendermint/v1beta1/syncing"):
        "/cosmos.base.tendermint.v1beta1.Service/GetSyncing",
    ("GET", "/cosmos/base/tendermint/v1beta1/blocks/latest"):
        "/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock",
    ("GET", "/cosmos/base/tendermint/v1beta1/blocks/{height}"):
        "/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight",
    ("GET", "/cosmos/base/tendermint/v1beta1/validatorsets/latest"):
        "/cosmos.base.tendermint.v1beta1.Service/GetLatestValidatorSet",
    ("POST", "/cosmos/tx/v1beta1/simulate"): "/cosmos.tx.v1beta1.Service/Simulate",
    ("POST", "/cosmos/tx/v1beta1/txs"): "/cosmos.tx.v1beta1.Service/BroadcastTx",
    ("GET", "/cosmos/tx/v1beta1/txs"): "/cosmos.tx.v1beta1.Service/GetTxsEvent",
    ("GET", "/cosmos/tx/v1beta1/txs/{hash}"): "/cosmos.tx.v1beta1.Service/GetTx",
    # the upgrade module (an operator's view of planned upgrades)
    ("GET", "/cosmos/upgrade/v1beta1/current_plan"): "/cosmos.upgrade.v1beta1.Query/CurrentPlan",
    ("GET", "/cosmos/upgrade/v1beta1/applied_plan/{name}"):
        "/cosmos.upgrade.v1beta1.Query/AppliedPlan",
    ("GET", "/cosmos/upgrade/v1beta1/module_versions"):
        "/cosmos.upgrade.v1beta1.Query/ModuleVersions",
}


def table() -> dict[tuple[str, str], rest.RestRoute]:
    return {(r.verb, r.template): r for r in rest.routes_of()}


def test_every_listed_sdk_route_is_declared():
    routes = table()
    for key, method in REQUIRED.items():
        assert key in routes, key
        assert routes[key].grpc_path == method


def test_every_query_method_of_our_modules_has_a_route():
    declared = {r.grpc_path for r in rest.routes_of()}
    for module in rest.SERVED:
        if not module.DESCRIPTOR.package.startswith("stateset."):
            continue
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                path = f"/{service.full_name}/{method.name}"
                assert path in declared, f"{path} has no google.api.http option"
    for r in rest.routes_of():
        if r.grpc_path.startswith("/stateset."):
            module = r.grpc_path.split(".")[1]
            assert r.template.startswith(f"/stateset/{module}/v1/"), r.template


def test_literal_segments_match_before_variables():
    order = [r.template for r in rest.routes_of()]
    tm = "/cosmos/base/tendermint/v1beta1/blocks/"
    assert order.index(tm + "latest") < order.index(tm + "{height}")
    assert order.index("/cosmos/tx/v1beta1/txs/block/{height}") < order.index(
        "/cosmos/tx/v1beta1/txs/{hash}"
    )


def test_path_and_query_parameters_fill_the_request():
    routes = table()
    balance = routes[("GET", "/cosmos/bank/v1beta1/balances/{address}/by_denom")]
    req = rest.build_request(balance, {"address": "stateset1x"}, [("denom", "uusdc")], b"")
    assert (req.address, req.denom) == ("stateset1x", "uusdc")
    txs = routes[("GET", "/cosmos/tx/v1beta1/txs")]
    req = rest.build_request(
        txs, {},
        [("events", "a.b='1'"), ("events", "c.d='2'"), ("pagination.limit", "5"),
         ("pagination.count_total", "true"), ("order_by", "ORDER_BY_DESC"), ("page", "2"),
         ("unknown", "ignored")],
        b"",
    )
    assert list(req.events) == ["a.b='1'", "c.d='2'"]
    assert (req.pagination.limit, req.pagination.count_total) == (5, True)
    assert (req.order_by, req.page) == (2, 2)
    pair = routes[("GET", "/stateset/cctp/v1/token_pairs/{remote_domain}/{remote_token}")]
    req = rest.build_request(pair, {"remote_domain": "0", "remote_token": "AAEC"}, [], b"")
    assert (req.remote_domain, req.remote_token) == (0, b"\x00\x01\x02")


def test_post_bodies_are_proto3_json_in_either_field_case():
    broadcast = table()[("POST", "/cosmos/tx/v1beta1/txs")]
    for body in (b'{"tx_bytes": "AQI=", "mode": "BROADCAST_MODE_SYNC"}',
                 b'{"txBytes": "AQI=", "mode": 2}'):
        req = rest.build_request(broadcast, {}, [], body)
        assert (req.tx_bytes, req.mode) == (b"\x01\x02", 2)


@pytest.mark.parametrize(
    ("route", "params", "query", "body"),
    [
        (("GET", "/cosmos/base/tendermint/v1beta1/blocks/{height}"), {"height": "x"}, [], b""),
        (("GET", "/cosmos/tx/v1beta1/txs"), {}, [("pagination.count_total", "maybe")], b""),
        (("POST", "/cosmos/tx/v1beta1/txs"), {}, [], b"{not json"),
        (("POST", "/cosmos/tx/v1beta1/txs"), {}, [], b'{"mode": "BROADCAST_MODE_NOPE"}'),
    ],
)
def test_values_that_do_not_fit_are_invalid_argument(route, params, query, body):
    with pytest.raises(GatewayError) as e:
        rest.build_request(table()[route], params, query, body)
    assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT


def test_http_status_follows_grpc_gateway():
    assert rest.HTTP_STATUS[grpc.StatusCode.NOT_FOUND] == 404
    assert rest.HTTP_STATUS[grpc.StatusCode.UNIMPLEMENTED] == 501
    assert rest.error_body(grpc.StatusCode.UNIMPLEMENTED, "Not Implemented") == {
        "code": 12, "message": "Not Implemented", "details": []
    }


def test_the_checked_in_openapi_document_is_the_generated_one():
    checked_in = (ROOT / "docs" / "openapi.json").read_text()
    assert checked_in == rest.openapi_text(), (
        "docs/openapi.json is stale: .venv/bin/python -m stateset_chain.rest > docs/openapi.json"
    )
    doc = json.loads(checked_in)
    account = doc["paths"]["/cosmos/auth/v1beta1/accounts/{address}"]["get"]
    assert account["parameters"][0] == {
        "name": "address", "in": "path", "required": True, "schema": {"type": "string"}
    }
    schema = doc["components"]["schemas"]["cosmos.auth.v1beta1.BaseAccount"]["properties"]
    assert schema["account_number"] == {"type": "string", "format": "uint64"}
    simulate = doc["paths"]["/cosmos/tx/v1beta1/simulate"]["post"]
    assert "requestBody" in simulate


def test_json_is_the_sdk_gateways_every_field_present_with_nulls():
    from cosmos.auth.v1beta1 import auth_pb2
    from cosmos.auth.v1beta1 import query_pb2 as auth_query
    from cosmos.bank.v1beta1 import query_pb2 as bank_query

    assert rest.to_json(bank_query.QueryAllBalancesResponse()) == {
        "balances": [], "pagination": None
    }
    page = bank_query.QueryAllBalancesResponse()
    page.pagination.total = 3
    assert rest.to_json(page)["pagination"] == {"next_key": None, "total": "3"}
    answer = auth_query.QueryAccountResponse()
    answer.account.Pack(auth_pb2.BaseAccount(address="stateset1x", account_number=2),
                        type_url_prefix="/")
    assert rest.to_json(answer) == {"account": {
        "@type": "/cosmos.auth.v1beta1.BaseAccount", "address": "stateset1x",
        "pub_key": None, "account_number": "2", "sequence": "0",
    }}


def test_compliance_queries_have_rest_routes_that_fill_their_requests():
    """Every compliance list and lookup is served at /stateset/compliance/v1/... (issue 14)."""
    routes = table()
    for template, method in {
        "/stateset/compliance/v1/params": "Params",
        "/stateset/compliance/v1/sanctions/{address}": "Sanction",
        "/stateset/compliance/v1/sanctions": "Sanctions",
        "/stateset/compliance/v1/blocked_countries": "BlockedCountries",
        "/stateset/compliance/v1/restricted_categories": "RestrictedCategories",
        "/stateset/compliance/v1/account_limits/{address}": "AccountLimits",
        "/stateset/compliance/v1/volumes/{address}/{denom}": "Volume",
        "/stateset/compliance/v1/customer_risk/{customer}": "CustomerRisk",
        "/stateset/compliance/v1/freeze_queue": "FreezeQueue",
    }.items():
        assert routes[("GET", template)].grpc_path == f"/stateset.compliance.v1.Query/{method}"
    volume = routes[("GET", "/stateset/compliance/v1/volumes/{address}/{denom}")]
    req = rest.build_request(volume, {"address": "stateset1x", "denom": "uusdc"}, [], b"")
    assert (req.address, req.denom) == ("stateset1x", "uusdc")
    page = routes[("GET", "/stateset/compliance/v1/sanctions")]
    req = rest.build_request(page, {}, [("start_after", "stateset1a"), ("limit", "7")], b"")
    assert (req.start_after, req.limit) == ("stateset1a", 7)
    cats = routes[("GET", "/stateset/compliance/v1/restricted_categories")]
    assert rest.build_request(cats, {}, [("country", "DE")], b"").country == "DE"
