"""The ecosystem's own clients against a real localnet node, with no code of ours on their side:
cosmjs (@cosmjs/stargate from Node), the REST (LCD) routes over plain HTTP compared with the gRPC
answers, cosmpy over ``rest+http://``, and a cosmjs-signed tx broadcast over REST.

One validator; its gateway process serves gRPC and REST (``statesetd gateway --rest``).
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
from pathlib import Path

import grpc
import pytest
import requests

from localnet import Localnet
from stateset_chain.client import address_of, msg_send, wallet_from_mnemonic
from stateset_chain.coins import USDC, Coin
from stateset_chain.crypto.address import encode
from stateset_chain.localnet import CHAIN_ID, load_demo_accounts
from stateset_chain.rest import to_json as rest_json

from cosmos.auth.v1beta1 import query_pb2 as auth_query
from cosmos.auth.v1beta1 import query_pb2_grpc as auth_grpc
from cosmos.bank.v1beta1 import query_pb2 as bank_query
from cosmos.bank.v1beta1 import query_pb2_grpc as bank_grpc
from cosmos.base.tendermint.v1beta1 import query_pb2 as tm_query
from cosmos.base.tendermint.v1beta1 import query_pb2_grpc as tm_grpc
from cosmos.tx.v1beta1 import service_pb2 as tx_service
from cosmos.tx.v1beta1 import service_pb2_grpc as tx_grpc
from stateset.cctp.v1 import query_pb2 as cctp_query
from stateset.orders.v1 import query_pb2 as orders_query
from stateset.stablecoin.v1 import query_pb2 as stablecoin_query

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "tests" / "js"
UNKNOWN = encode(bytes(range(20)))  # a valid address no one has used


def to_json(message) -> dict:
    """A gRPC answer as the REST face renders it (the SDK gateway's JSON)."""
    return rest_json(message)


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    net = Localnet(tmp_path_factory.mktemp("clients") / "run", validators=1, base_port=0)
    net.start()
    node = net.nodes[0]
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{node.rest_url}/cosmos/base/tendermint/v1beta1/syncing", timeout=2)
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "REST gateway not listening"
            time.sleep(0.2)
    yield net
    net.stop()


@pytest.fixture(scope="module")
def rest(net) -> str:
    return net.nodes[0].rest_url


@pytest.fixture(scope="module")
def channel(net):
    with grpc.insecure_channel(f"127.0.0.1:{net.nodes[0].grpc}") as ch:
        yield ch


def accounts() -> list[dict]:
    return load_demo_accounts()


def get(rest: str, path: str, **params) -> requests.Response:
    return requests.get(rest + path, params=params, timeout=10)


def wait_rest_tx(rest: str, txhash: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        r = get(rest, f"/cosmos/tx/v1beta1/txs/{txhash}")
        if r.status_code == 200:
            return r.json()
        assert r.status_code == 404 and "not found" in r.json()["message"], r.text
        assert time.monotonic() < deadline, f"{txhash} not committed"
        time.sleep(0.3)


# -- cosmjs ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cosmjs(net):
    """What cosmjs's StargateClient and SigningStargateClient returned (tests/js/cosmjs_e2e.mjs)."""
    installed = (JS / "node_modules" / "@cosmjs" / "stargate").is_dir()
    if shutil.which("node") is None or (not installed and shutil.which("npm") is None):
        pytest.skip("Node.js and npm are not installed (scripts/setup.sh installs cosmjs with npm)")
    assert installed, "cosmjs is not installed: run bash scripts/setup.sh"
    alice, bob = accounts()[0], accounts()[1]
    done = subprocess.run(
        ["node", str(JS / "cosmjs_e2e.mjs"), net.rpc_url(0), alice["mnemonic"], bob["address"],
         UNKNOWN],
        capture_output=True, text=True, timeout=240, cwd=JS,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_cosmjs_queries_and_unknown_account(cosmjs, net):
    client = net.client(0)
    alice = accounts()[0]["address"]
    assert cosmjs["chainId"] == CHAIN_ID and cosmjs["height"] >= 1
    assert cosmjs["account"]["address"] == alice
    assert cosmjs["unknownAccount"] is None  # the SDK's NotFound shape: cosmjs returns null
    assert "does not exist on chain" in cosmjs["unknownSequence"]["error"]
    balances = {c["denom"]: int(c["amount"]) for c in cosmjs["allBalances"]}
    assert int(cosmjs["balance"]["amount"]) == balances[USDC] > 0
    assert balances["ussusd"] == client.balance(alice, "ussusd")
    # staking queries answer as on an SDK chain without the module: an unknown query path
    for name in ("balanceStaked", "delegation"):
        assert "unknown query path" in cosmjs[name]["error"], cosmjs[name]


def test_cosmjs_simulate_auto_fee_and_multiplier(cosmjs):
    assert isinstance(cosmjs["simulate"], int) and cosmjs["simulate"] > 20_000
    for name in ("autoSend", "multiplierSend"):
        sent = cosmjs[name]
        assert sent.get("code") == 0, sent
        assert int(sent["gasUsed"]) <= int(sent["gasWanted"]), sent
    # "auto" = simulate x 1.4 (cosmjs' default): the estimate covered the signed tx
    assert int(cosmjs["autoSend"]["gasWanted"]) >= cosmjs["simulate"]


def test_cosmjs_get_tx_and_search_tx(cosmjs):
    sent = cosmjs["autoSend"]
    assert cosmjs["getTx"] == {
        "hash": sent["transactionHash"], "height": sent["height"], "code": 0,
        "gasUsed": sent["gasUsed"],
    }
    assert sent["transactionHash"] in cosmjs["searchSender"]
    assert sent["transactionHash"] in cosmjs["searchHeight"]
    if "transfer" in sent["events"]:  # the bank's standard events (transfer.sender/recipient)
        assert sent["transactionHash"] in cosmjs["searchTransferRecipient"]
        assert sent["transactionHash"] in cosmjs["searchTransferSender"]
    else:  # without them an SDK chain's searchTx on transfer.* finds nothing either
        assert cosmjs["searchTransferRecipient"] == []


def test_a_cosmjs_signed_tx_broadcast_over_rest(cosmjs, net, rest):
    bob = accounts()[1]["address"]
    before = net.client(0).balance(bob, USDC)
    r = requests.post(
        rest + "/cosmos/tx/v1beta1/txs",
        json={"tx_bytes": cosmjs["signedForRest"], "mode": "BROADCAST_MODE_SYNC"}, timeout=10,
    )
    assert r.status_code == 200, r.text
    answer = r.json()["tx_response"]
    assert answer["code"] == 0, answer
    found = wait_rest_tx(rest, answer["txhash"])
    assert found["tx_response"]["code"] == 0 and int(found["tx_response"]["height"]) > 0
    message = found["tx"]["body"]["messages"][0]
    assert message["@type"] == "/cosmos.bank.v1beta1.MsgSend"
    assert message["amount"] == [{"denom": USDC, "amount": "777"}]
    assert found["tx"]["body"]["memo"] == "cosmjs signed, REST broadcast"
    assert net.client(0).balance(bob, USDC) == before + 777


# -- REST vs gRPC ------------------------------------------------------------------------------


def same(rest: str, path: str, grpc_answer, **params) -> dict:
    r = get(rest, path, **params)
    assert r.status_code == 200, (path, r.text)
    assert r.json() == to_json(grpc_answer), path
    return r.json()


def test_auth_and_bank_routes_match_grpc(rest, channel):
    alice = accounts()[0]["address"]
    auth, bank = auth_grpc.QueryStub(channel), bank_grpc.QueryStub(channel)
    account = same(rest, f"/cosmos/auth/v1beta1/accounts/{alice}",
                   auth.Account(auth_query.QueryAccountRequest(address=alice)))
    assert account["account"]["@type"] == "/cosmos.auth.v1beta1.BaseAccount"
    assert isinstance(account["account"]["account_number"], str)  # 64-bit ints are strings
    same(rest, "/cosmos/auth/v1beta1/params", auth.Params(auth_query.QueryParamsRequest()))
    same(rest, f"/cosmos/bank/v1beta1/balances/{alice}",
         bank.AllBalances(bank_query.QueryAllBalancesRequest(address=alice)))
    one = same(rest, f"/cosmos/bank/v1beta1/balances/{alice}/by_denom",
               bank.Balance(bank_query.QueryBalanceRequest(address=alice, denom="ussusd")),
               denom="ussusd")
    assert one["balance"]["denom"] == "ussusd"
    same(rest, "/cosmos/bank/v1beta1/supply",
         bank.TotalSupply(bank_query.QueryTotalSupplyRequest()))
    metas = same(rest, "/cosmos/bank/v1beta1/denoms_metadata",
                 bank.DenomsMetadata(bank_query.QueryDenomsMetadataRequest()))
    shown = {m["base"]: (m["symbol"], m["display"]) for m in metas["metadatas"]}
    assert shown == {"uusdc": ("USDC", "usdc"), "ussusd": ("ssUSD", "ssusd")}
    same(rest, "/cosmos/bank/v1beta1/denoms_metadata/uusdc",
         bank.DenomMetadata(bank_query.QueryDenomMetadataRequest(denom="uusdc")))
    same(rest, f"/cosmos/bank/v1beta1/spendable_balances/{alice}",
         bank.SpendableBalances(bank_query.QuerySpendableBalancesRequest(address=alice)))


def test_tendermint_routes_match_grpc(rest, channel, net):
    tm = tm_grpc.ServiceStub(channel)
    same(rest, "/cosmos/base/tendermint/v1beta1/node_info",
         tm.GetNodeInfo(tm_query.GetNodeInfoRequest()))
    assert same(rest, "/cosmos/base/tendermint/v1beta1/syncing",
                tm.GetSyncing(tm_query.GetSyncingRequest())) == {"syncing": False}
    block = same(rest, "/cosmos/base/tendermint/v1beta1/blocks/2",
                 tm.GetBlockByHeight(tm_query.GetBlockByHeightRequest(height=2)))
    header = block["block"]["header"]
    assert header["height"] == "2" and header["chain_id"] == CHAIN_ID
    assert base64.b64decode(header["app_hash"]).hex().upper() == net.app_hash(0, 1)
    assert block["sdk_block"]["header"]["proposer_address"].startswith("statesetvalcons1")
    latest = get(rest, "/cosmos/base/tendermint/v1beta1/blocks/latest").json()
    assert int(latest["block"]["header"]["height"]) >= 2
    grpc_latest = tm.GetLatestBlock(tm_query.GetLatestBlockRequest())
    assert abs(grpc_latest.block.header.height - int(latest["block"]["header"]["height"])) <= 3
    vals = get(rest, "/cosmos/base/tendermint/v1beta1/validatorsets/latest").json()
    grpc_vals = to_json(tm.GetLatestValidatorSet(tm_query.GetLatestValidatorSetRequest()))
    assert vals["validators"] == grpc_vals["validators"] and len(vals["validators"]) == 1
    assert vals["validators"][0]["pub_key"]["@type"] == "/cosmos.crypto.ed25519.PubKey"
    assert vals["pagination"]["total"] == "1"


def test_tx_routes_simulate_broadcast_get_and_search_match_grpc(rest, channel, net):
    txs = tx_grpc.ServiceStub(channel)
    alice = wallet_from_mnemonic(accounts()[2]["mnemonic"])  # carol: unused by the other tests
    sender = address_of(alice)
    dave = accounts()[3]["address"]
    client = net.client(0)
    hashes = []
    for amount in (11, 12, 13):
        res = client.send(alice, [msg_send(sender, dave, [Coin(USDC, amount)])])
        assert res.code == 0, res.log
        client.wait_for_tx(res.txhash)
        hashes.append(res.txhash)
    one = same(rest, f"/cosmos/tx/v1beta1/txs/{hashes[0]}",
               txs.GetTx(tx_service.GetTxRequest(hash=hashes[0])))
    assert one["tx_response"]["txhash"] == hashes[0] and one["tx_response"]["code"] == 0
    assert one["tx_response"]["tx"]["@type"] == "/cosmos.tx.v1beta1.Tx"
    query = f"message.sender='{sender}'"
    page1 = same(rest, "/cosmos/tx/v1beta1/txs",
                 txs.GetTxsEvent(tx_service.GetTxsEventRequest(query=query, limit=2, page=1)),
                 query=query, limit=2, page=1)
    assert page1["total"] == "3" and len(page1["tx_responses"]) == 2
    page2 = get(rest, "/cosmos/tx/v1beta1/txs", query=query, limit=2, page=2).json()
    assert len(page2["tx_responses"]) == 1
    seen = [t["txhash"] for t in page1["tx_responses"] + page2["tx_responses"]]
    assert seen == hashes  # oldest first, every tx once
    newest = get(rest, "/cosmos/tx/v1beta1/txs", query=query, order_by="ORDER_BY_DESC").json()
    assert [t["txhash"] for t in newest["tx_responses"]] == hashes[::-1]
    legacy = get(rest, "/cosmos/tx/v1beta1/txs", events=[query, "tx.height>=1"]).json()
    assert [t["txhash"] for t in legacy["tx_responses"]] == hashes
    empty = get(rest, "/cosmos/tx/v1beta1/txs")
    assert empty.status_code == 400 and empty.json()["code"] == 3
    # simulate over REST: the same answer as gRPC for the same bytes
    tx_bytes = client_tx(client, alice, dave)
    body = {"tx_bytes": base64.b64encode(tx_bytes).decode()}
    r = requests.post(rest + "/cosmos/tx/v1beta1/simulate", json=body, timeout=10)
    assert r.status_code == 200, r.text
    grpc_sim = txs.Simulate(tx_service.SimulateRequest(tx_bytes=tx_bytes))
    assert r.json() == to_json(grpc_sim)
    assert int(r.json()["gas_info"]["gas_used"]) > 20_000
    decoded = requests.post(rest + "/cosmos/tx/v1beta1/decode", json=body, timeout=10).json()
    assert decoded == to_json(txs.TxDecode(tx_service.TxDecodeRequest(tx_bytes=tx_bytes)))
    assert decoded["tx"]["body"]["messages"][0]["@type"] == "/cosmos.bank.v1beta1.MsgSend"
    encoded = requests.post(rest + "/cosmos/tx/v1beta1/encode", json=decoded, timeout=10).json()
    assert base64.b64decode(encoded["tx_bytes"]) == tx_bytes  # cosmpy signs canonical bytes
    block_txs = get(rest, f"/cosmos/tx/v1beta1/txs/block/{one['tx_response']['height']}").json()
    assert block_txs["block"]["header"]["height"] == one["tx_response"]["height"]
    assert len(block_txs["txs"]) >= 1


def client_tx(client, wallet, to: str) -> bytes:
    from stateset_chain.client import default_fee, sign_tx

    account = client.account(address_of(wallet))
    return sign_tx(wallet, [msg_send(address_of(wallet), to, [Coin(USDC, 1)])],
                   chain_id=CHAIN_ID, account_number=account.account_number,
                   sequence=account.sequence, fees=[default_fee(200_000)])


def test_our_module_routes_match_grpc(rest, channel):
    def call(path: str, request, response_cls):
        return channel.unary_unary(
            path, request_serializer=type(request).SerializeToString,
            response_deserializer=response_cls.FromString,
        )(request)

    checks = [
        ("/stateset/orders/v1/params", "/stateset.orders.v1.Query/Params",
         orders_query.QueryParamsRequest(), orders_query.QueryParamsResponse, {}),
        ("/stateset/orders/v1/orders", "/stateset.orders.v1.Query/Orders",
         orders_query.QueryOrdersRequest(status=3), orders_query.QueryOrdersResponse,
         {"status": "ORDER_STATUS_PAID"}),
        ("/stateset/cctp/v1/roles", "/stateset.cctp.v1.Query/Roles",
         cctp_query.QueryRolesRequest(), cctp_query.QueryRolesResponse, {}),
        ("/stateset/cctp/v1/used_nonces/0/7", "/stateset.cctp.v1.Query/UsedNonce",
         cctp_query.QueryUsedNonceRequest(source_domain=0, nonce=7),
         cctp_query.QueryUsedNonceResponse, {}),
        ("/stateset/cctp/v1/per_message_burn_limits/uusdc",
         "/stateset.cctp.v1.Query/PerMessageBurnLimit",
         cctp_query.QueryPerMessageBurnLimitRequest(denom="uusdc"),
         cctp_query.QueryPerMessageBurnLimitResponse, {}),
        ("/stateset/stablecoin/v1/reserve", "/stateset.stablecoin.v1.Query/Reserve",
         stablecoin_query.QueryReserveRequest(), stablecoin_query.QueryReserveResponse, {}),
        ("/stateset/stablecoin/v1/params", "/stateset.stablecoin.v1.Query/Params",
         stablecoin_query.QueryParamsRequest(), stablecoin_query.QueryParamsResponse, {}),
    ]
    for rest_path, grpc_path, request, response_cls, params in checks:
        same(rest, rest_path, call(grpc_path, request, response_cls), **params)
    limits = get(rest, "/stateset/cctp/v1/per_message_burn_limits/uusdc").json()
    assert limits["burn_limit"]["amount"] == "1000000000000"


def test_errors_are_grpc_statuses_as_the_sdk_gateway_writes_them(rest, channel):
    r = get(rest, f"/cosmos/auth/v1beta1/accounts/{UNKNOWN}")
    assert r.status_code == 404
    assert r.json() == {"code": 5, "message": f"account {UNKNOWN} not found", "details": []}
    with pytest.raises(grpc.RpcError) as e:
        auth_grpc.QueryStub(channel).Account(auth_query.QueryAccountRequest(address=UNKNOWN))
    assert e.value.code() == grpc.StatusCode.NOT_FOUND
    assert e.value.details() == f"account {UNKNOWN} not found"
    bad = get(rest, "/cosmos/auth/v1beta1/accounts/stateset1nope")
    assert bad.status_code == 400 and bad.json()["code"] == 3
    missing_tx = get(rest, "/cosmos/tx/v1beta1/txs/" + "AB" * 32)
    assert missing_tx.status_code == 404 and "not found" in missing_tx.json()["message"]
    # modules this chain does not have: what an SDK chain without them answers
    for path in ("/cosmos/staking/v1beta1/validators", "/cosmos/staking/v1beta1/params",
                 "/cosmos/distribution/v1beta1/params", "/cosmos/gov/v1/proposals",
                 "/cosmos/mint/v1beta1/inflation"):
        r = get(rest, path)
        assert r.status_code == 501, path
        assert r.json() == {"code": 12, "message": "Not Implemented", "details": []}
    # a POST-only route asked with GET: 501 too, as on an SDK chain
    assert get(rest, "/cosmos/tx/v1beta1/simulate").status_code == 501
    # a declared route the app does not serve: UNIMPLEMENTED too, with the app's reason
    r = get(rest, "/cosmos/bank/v1beta1/denom_owners/uusdc")
    assert r.status_code == 501 and r.json()["code"] == 12
    with pytest.raises(grpc.RpcError) as e:
        channel.unary_unary("/cosmos.staking.v1beta1.Query/Params")(b"")
    assert e.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_the_openapi_document_is_served_and_matches_the_checked_in_copy(rest):
    served = get(rest, "/openapi.json").json()
    assert served == json.loads((ROOT / "docs" / "openapi.json").read_text())
    assert "/cosmos/bank/v1beta1/balances/{address}/by_denom" in served["paths"]
    assert "/stateset/orders/v1/orders/{order_id}" in served["paths"]


# -- cosmpy over REST --------------------------------------------------------------------------


def test_cosmpy_send_tokens_over_rest(rest, net):
    from cosmpy.aerial.client import LedgerClient, NetworkConfig
    from cosmpy.aerial.wallet import LocalWallet
    from cosmpy.crypto.address import Address

    ledger = LedgerClient(NetworkConfig(
        chain_id=CHAIN_ID, url=f"rest+{rest}", fee_minimum_gas_price=0.025,
        fee_denomination=USDC, staking_denomination=USDC,
    ))
    dave = accounts()[3]
    wallet = LocalWallet.from_mnemonic(dave["mnemonic"], prefix="stateset")
    to = accounts()[0]["address"]
    before = net.client(0).balance(to, USDC)
    assert ledger.query_bank_balance(Address(dave["address"], prefix="stateset"), USDC) > 0
    done = ledger.send_tokens(Address(to, prefix="stateset"), 4242, USDC, wallet)
    done.wait_to_complete()
    assert done.response.code == 0 and done.response.height > 0
    assert net.client(0).balance(to, USDC) == before + 4242
    assert ledger.query_height() >= done.response.height
    info = ledger.query_node_info()  # parses the versions: they must be PEP 440 versions
    assert info.app_name == "stateset-chain" and str(info.cosmos_sdk_version) == "0.50.0"


def test_keplr_style_simulate_over_rest_covers_the_signed_tx(rest, net):
    """Keplr simulates over REST with SIGN_MODE_LEGACY_AMINO_JSON, a 64-byte zero signature and
    no public key (bob has never sent, so his account has none either)."""
    from cosmos.tx.signing.v1beta1 import signing_pb2
    from cosmos.tx.v1beta1 import tx_pb2

    client = net.client(0)
    bob = wallet_from_mnemonic(accounts()[1]["mnemonic"])
    assert not client.account(address_of(bob)).HasField("pub_key")
    signed = client_tx(client, bob, accounts()[0]["address"])
    raw = tx_pb2.TxRaw.FromString(signed)
    auth = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    auth.signer_infos[0].ClearField("public_key")
    auth.signer_infos[0].mode_info.single.mode = signing_pb2.SIGN_MODE_LEGACY_AMINO_JSON
    auth.fee.Clear()
    keplr = tx_pb2.TxRaw(body_bytes=raw.body_bytes, auth_info_bytes=auth.SerializeToString(),
                         signatures=[bytes(64)]).SerializeToString()
    r = requests.post(rest + "/cosmos/tx/v1beta1/simulate",
                      json={"tx_bytes": base64.b64encode(keplr).decode()}, timeout=10)
    assert r.status_code == 200, r.text
    estimate = int(r.json()["gas_info"]["gas_used"])
    res = client.broadcast(signed)
    assert res.code == 0, res.log
    done = client.wait_for_tx(res.txhash)
    assert done.code == 0 and done.gas_used <= estimate, (done.gas_used, estimate)
