"""``stateset_chain.client``: amounts, signing, and the send flow over a fake JSON-RPC."""

from __future__ import annotations

import base64
import hashlib

import coincurve
import pytest

from stateset_chain.cli.main import main
from stateset_chain.client import (
    ACCOUNT_PATH,
    ClientError,
    NodeClient,
    default_fee,
    msg_send,
    parse_coin,
    parse_coins,
    sign_tx,
    tx_hash,
    wallet_from_mnemonic,
)
from stateset_chain.coins import Coin
from stateset_chain.localnet import load_demo_accounts

from cosmos.auth.v1beta1 import auth_pb2
from cosmos.auth.v1beta1 import query_pb2 as auth_query
from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from cosmos.tx.v1beta1 import tx_pb2

ALICE, BOB = load_demo_accounts()[:2]


# --- amounts -------------------------------------------------------------------------------


def test_parse_coin_reads_integer_and_denom():
    assert parse_coin("1000uusdc") == Coin("uusdc", 1000)


@pytest.mark.parametrize("text", [
    "", "uusdc", "10", "1.5uusdc", "-1uusdc", "10 uusdc", "10u",
    # the chain's grammars (coins.parse_amount, parse_units): canonical, bounded, no crash
    "0123uusdc", "040ssUSD", "9" * 5000 + "uusdc", "9" * 5000 + "USDC", "1.5.5USDC",
])
def test_malformed_amounts_are_client_errors(text):
    with pytest.raises(ClientError):
        parse_coin(text)


def test_parse_coins_sorts_by_denom():
    assert parse_coins("2uusdc,1ussusd") == [Coin("ussusd", 1), Coin("uusdc", 2)]


def test_a_denom_twice_is_refused():
    with pytest.raises(ClientError):
        parse_coins("1uusdc,2uusdc")


def test_default_fee_is_gas_times_0_025_rounded_up():
    assert default_fee(200_000) == Coin("uusdc", 5000)
    assert default_fee(1) == Coin("uusdc", 1)
    assert default_fee(41) == Coin("uusdc", 2)


@pytest.mark.parametrize(
    "argv",
    [
        ["tx", "bank", "send", "alice", "bob", "10"],
        ["tx", "bank", "send", "alice", "bob", "1.5uusdc"],
        ["tx", "stablecoin", "issue", "alice", "5ussusd"],
        ["tx", "stablecoin", "redeem", "alice", "0"],
    ],
)
def test_amount_errors_are_one_line_and_exit_1(argv, tmp_path, capsys):
    code = main([*argv, "--keyring-dir", str(tmp_path), "--node", "http://127.0.0.1:1"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: ") and err.count("\n") == 1


def test_an_unreachable_node_is_a_one_line_error(capsys):
    code = main(["query", "balance", ALICE["address"], "--node", "http://127.0.0.1:1"])
    err = capsys.readouterr().err
    assert code == 1 and "cannot reach node" in err and err.count("\n") == 1


# --- signing -------------------------------------------------------------------------------


def _signed_send(sequence=3, account_number=7):
    wallet = wallet_from_mnemonic(ALICE["mnemonic"])
    msg = msg_send(ALICE["address"], BOB["address"], [Coin("uusdc", 10)])
    raw = sign_tx(
        wallet, [msg], chain_id="stateset-test", account_number=account_number,
        sequence=sequence, fees=[Coin("uusdc", 5000)], gas=200_000, memo="hi",
    )
    return wallet, tx_pb2.TxRaw.FromString(raw)


def test_sign_tx_signs_the_exact_body_and_auth_info_bytes():
    wallet, raw = _signed_send()
    sign_doc = tx_pb2.SignDoc(
        body_bytes=raw.body_bytes, auth_info_bytes=raw.auth_info_bytes,
        chain_id="stateset-test", account_number=7,
    ).SerializeToString()
    (sig,) = raw.signatures
    pubkey = coincurve.PublicKey(wallet.public_key().public_key_bytes)
    der = coincurve.ecdsa.cdata_to_der(coincurve.ecdsa.deserialize_compact(sig))
    assert pubkey.verify(der, hashlib.sha256(sign_doc).digest(), hasher=None)


def test_sign_tx_carries_message_fee_gas_memo_and_sequence():
    _, raw = _signed_send(sequence=3)
    body = tx_pb2.TxBody.FromString(raw.body_bytes)
    auth = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    (any_msg,) = body.messages
    send = bank_tx.MsgSend()
    assert any_msg.type_url == "/cosmos.bank.v1beta1.MsgSend" and any_msg.Unpack(send)
    assert (send.from_address, send.to_address) == (ALICE["address"], BOB["address"])
    assert body.memo == "hi"
    assert auth.signer_infos[0].sequence == 3
    assert auth.signer_infos[0].public_key.type_url == "/cosmos.crypto.secp256k1.PubKey"
    assert auth.fee.gas_limit == 200_000
    assert [(c.denom, c.amount) for c in auth.fee.amount] == [("uusdc", "5000")]


# --- the send flow over a fake node --------------------------------------------------------


class FakeNode(NodeClient):
    """Answers the JSON-RPC calls ``send`` makes, and records the broadcast tx."""

    def __init__(self, tx_not_found_times: int = 0):
        super().__init__("http://fake")
        self.broadcasts: list[bytes] = []
        self.tx_not_found_times = tx_not_found_times

    def rpc(self, method, **params):
        if method == "status":
            return {"node_info": {"network": "stateset-fake"}, "sync_info": {}}
        if method == "abci_query":
            assert params["path"] == ACCOUNT_PATH
            request = auth_query.QueryAccountRequest.FromString(bytes.fromhex(params["data"]))
            account = auth_pb2.BaseAccount(
                address=request.address, account_number=11, sequence=4
            )
            response = auth_query.QueryAccountResponse()
            response.account.Pack(account, type_url_prefix="/")
            value = base64.b64encode(response.SerializeToString()).decode()
            return {"response": {"code": 0, "value": value}}
        if method == "broadcast_tx_sync":
            tx = base64.b64decode(params["tx"])
            self.broadcasts.append(tx)
            return {"code": 0, "hash": tx_hash(tx), "log": ""}
        if method == "tx":
            if self.tx_not_found_times > 0:
                self.tx_not_found_times -= 1
                raise ClientError("tx: Internal error tx (ABCD) not found")
            return {"hash": "ABCD", "height": "9", "tx_result": {"code": 0, "gas_used": "50"}}
        raise AssertionError(method)


def test_send_uses_the_chains_account_number_sequence_and_chain_id():
    node = FakeNode()
    wallet = wallet_from_mnemonic(ALICE["mnemonic"])
    result = node.send(wallet, [msg_send(ALICE["address"], BOB["address"], [Coin("uusdc", 1)])])
    (tx,) = node.broadcasts
    raw = tx_pb2.TxRaw.FromString(tx)
    assert result.code == 0 and result.txhash == tx_hash(tx)
    assert tx_pb2.AuthInfo.FromString(raw.auth_info_bytes).signer_infos[0].sequence == 4
    expected = sign_tx(
        wallet, [msg_send(ALICE["address"], BOB["address"], [Coin("uusdc", 1)])],
        chain_id="stateset-fake", account_number=11, sequence=4, fees=[default_fee(200_000)],
    )
    assert tx == expected  # deterministic signatures: same inputs, same bytes


def test_wait_for_tx_polls_until_the_tx_is_in_a_block():
    node = FakeNode(tx_not_found_times=2)
    result = node.wait_for_tx("ABCD", timeout=5, poll=0.01)
    assert (result.height, result.gas_used, node.tx_not_found_times) == (9, 50, 0)


def test_wait_for_tx_gives_up_after_the_timeout():
    node = FakeNode(tx_not_found_times=10**9)
    with pytest.raises(ClientError):
        node.wait_for_tx("ABCD", timeout=0.05, poll=0.01)
