"""Benchmark accounts and fast pre-signed transactions (any list of messages).

cosmpy's signer (pure-Python ``ecdsa``) takes ~0.7 ms per transaction here, so the benchmark signs
with libsecp256k1 through coincurve instead (~55 µs) and builds the same protobufs cosmpy does:

- ``TxBody{messages: [Any("/" + full name, msg) for each msg], memo}``
- ``AuthInfo{signer_infos: [{public_key: Any("/cosmos.crypto.secp256k1.PubKey", PubKey{key}),
  mode_info.single.mode: SIGN_MODE_DIRECT, sequence}], fee: {amount, gas_limit}}``
- signature = the 64-byte compact ``r || s`` of ``sha256(SignDoc)`` (RFC 6979 nonce, low S),
  which is what cosmpy produces, byte for byte; ``check_matches_cosmpy`` asserts that, for a
  MsgSend and for a transaction of two orders messages.

``sign_tx`` signs any messages; ``sign_send`` is the one-MsgSend case.

Accounts are deterministic (``sha256("stateset bench account <i>")`` is account i's private key),
so every run funds and signs for the same addresses. TEST ONLY: these keys are public.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import coincurve
from google.protobuf.any_pb2 import Any as PbAny
from google.protobuf.message import Message

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.client import default_fee
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.crypto.address import pubkey_to_address
from stateset_chain.crypto.secp256k1 import PUBKEY_TYPE_URL

from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin
from cosmos.crypto.secp256k1 import keys_pb2
from cosmos.tx.signing.v1beta1 import signing_pb2
from cosmos.tx.v1beta1 import tx_pb2

GAS = 200_000
INITIAL_BALANCE = 10**12  # of each denom, per account


@dataclass(frozen=True)
class BenchAccount:
    index: int
    key: coincurve.PrivateKey
    pubkey: bytes  # 33-byte compressed
    address: str

    @property
    def secret(self) -> bytes:
        return self.key.secret


def account(i: int) -> BenchAccount:
    secret = hashlib.sha256(f"stateset bench account {i}".encode()).digest()
    key = coincurve.PrivateKey(secret)
    pub = key.public_key.format(compressed=True)
    return BenchAccount(i, key, pub, pubkey_to_address(pub))


def accounts(n: int, start: int = 0) -> list[BenchAccount]:
    return [account(i) for i in range(start, start + n)]


def genesis_entries(accs: Sequence[BenchAccount], amount: int = INITIAL_BALANCE) -> list[dict]:
    """``build_app_state``-format entries funding every account in both denoms."""
    return [
        {
            "address": a.address,
            "balances": [{"denom": SSUSD, "amount": str(amount)},
                         {"denom": USDC, "amount": str(amount)}],
        }
        for a in accs
    ]


def sign_doc(body: bytes, auth_info: bytes, chain_id: str, account_number: int) -> bytes:
    return tx_pb2.SignDoc(
        body_bytes=body, auth_info_bytes=auth_info, chain_id=chain_id,
        account_number=account_number,
    ).SerializeToString()


def sign_send(
    sender: BenchAccount,
    to_address: str,
    amount: int,
    *,
    chain_id: str,
    account_number: int,
    sequence: int,
    denom: str = USDC,
    gas: int = GAS,
    fee: Coin | None = None,
    memo: str = "",
) -> bytes:
    """A signed ``TxRaw`` carrying one MsgSend of ``amount`` ``denom``, as cosmpy would build it."""
    msg = bank_tx.MsgSend(
        from_address=sender.address, to_address=to_address,
        amount=[PbCoin(denom=denom, amount=str(amount))],
    )
    return sign_tx(sender, [msg], chain_id=chain_id, account_number=account_number,
                   sequence=sequence, gas=gas, fee=fee, memo=memo)


def sign_tx(
    sender: BenchAccount,
    msgs: Sequence[Message],
    *,
    chain_id: str,
    account_number: int,
    sequence: int,
    gas: int = GAS,
    fee: Coin | None = None,
    memo: str = "",
) -> bytes:
    """A signed ``TxRaw`` carrying ``msgs`` (any protobuf messages, packed as ``Any`` with the
    type URL ``"/" + full name``), signed by ``sender`` alone, as cosmpy would build it."""
    packed = []
    for msg in msgs:
        any_msg = PbAny()
        any_msg.Pack(msg, type_url_prefix="/")
        packed.append(any_msg)
    body = tx_pb2.TxBody(messages=packed, memo=memo).SerializeToString()
    fee = fee or default_fee(gas)
    pub_any = PbAny(type_url=PUBKEY_TYPE_URL,
                    value=keys_pb2.PubKey(key=sender.pubkey).SerializeToString())
    info = tx_pb2.AuthInfo(
        signer_infos=[tx_pb2.SignerInfo(
            public_key=pub_any,
            mode_info=tx_pb2.ModeInfo(
                single=tx_pb2.ModeInfo.Single(mode=signing_pb2.SIGN_MODE_DIRECT)),
            sequence=sequence,
        )],
        fee=tx_pb2.Fee(amount=[PbCoin(denom=fee.denom, amount=str(fee.amount))], gas_limit=gas),
    ).SerializeToString()
    doc = sign_doc(body, info, chain_id, account_number)
    # sign_recoverable returns r || s || v with a low-S s (libsecp256k1 normalizes); RFC 6979.
    signature = sender.key.sign_recoverable(doc, hasher=_sha256)[:64]
    return tx_pb2.TxRaw(body_bytes=body, auth_info_bytes=info,
                        signatures=[signature]).SerializeToString()


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def check_matches_cosmpy(chain_id: str = "bench-check-1") -> None:
    """Raises AssertionError unless ``sign_send``/``sign_tx`` and cosmpy (``client.sign_tx``) give
    the same bytes for the same transactions (a MsgSend; a MsgCreateOrder + MsgPayOrder): the
    benchmark measures what a real wallet sends."""
    from cosmpy.aerial.wallet import LocalWallet
    from cosmpy.crypto.keypairs import PrivateKey

    from stateset_chain.client import msg_send
    from stateset_chain.client import sign_tx as cosmpy_sign_tx

    sender, recipient = account(0), account(1)
    wallet = LocalWallet(PrivateKey(sender.secret), prefix="stateset")
    assert str(wallet.address()) == sender.address, "address derivation differs from cosmpy"
    ours = sign_send(sender, recipient.address, 1234, chain_id=chain_id,
                     account_number=7, sequence=3)
    theirs = cosmpy_sign_tx(
        wallet, [msg_send(sender.address, recipient.address, [Coin(USDC, 1234)])],
        chain_id=chain_id, account_number=7, sequence=3, fees=[default_fee(GAS)], gas=GAS)
    assert ours == theirs, "fast signer and cosmpy disagree on the transaction bytes"

    msgs = _sample_order_msgs(sender.address, recipient.address)
    ours = sign_tx(sender, msgs, chain_id=chain_id, account_number=7, sequence=4, memo="m")
    theirs = cosmpy_sign_tx(wallet, msgs, chain_id=chain_id, account_number=7, sequence=4,
                            fees=[default_fee(GAS)], gas=GAS, memo="m")
    assert ours == theirs, "fast signer and cosmpy disagree on a multi-message transaction"


def _sample_order_msgs(customer: str, merchant: str) -> list[Message]:
    from stateset.orders.v1 import tx_pb2 as orders_tx
    from stateset.orders.v1.orders_pb2 import LineItem

    create = orders_tx.MsgCreateOrder(
        creator=customer, customer=customer, merchant=merchant, client_order_id="check-1",
        items=[LineItem(sku="SKU-1", name="Widget", quantity=2, unit_price="19.99")],
        metadata={"b": "2", "a": "1"},  # a map: its serialization order must agree as well
    )
    pay = orders_tx.MsgPayOrder(payer=customer, order_id="ord_0000000001",
                                amount=PbCoin(denom=SSUSD, amount="39980000"))
    return [create, pay]
