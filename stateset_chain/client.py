"""A client for a stateset node, through CometBFT's JSON-RPC only.

Everything a wallet, the ``statesetd`` CLI or an end-to-end test needs:

- amounts: ``parse_coin("1000uusdc")`` (base units) or ``parse_coin("40.00ssUSD")`` (a display
  amount), ``parse_coins("5000uusdc,1ussusd")``, ``format_display``, ``default_fee(gas)``;
- queries: ``abci_query`` sends a gRPC-style path (``/cosmos.bank.v1beta1.Query/Balance``) with
  protobuf data through ``/abci_query``; ``account``, ``balance``, ``all_balances``, ``supply``
  decode the answers;
- orders with personal data: ``create_order`` / ``batch_create_orders`` take the address in
  clear and seal it (docs/privacy.md); ``read_order`` opens it for a recipient's keys;
- transactions: ``sign_tx`` builds a Cosmos SDK ``TxRaw`` with cosmpy's ``Transaction``
  (SIGN_MODE_DIRECT, secp256k1); ``send`` fetches account number and sequence, signs, and
  broadcasts with ``broadcast_tx_sync``; ``wait_for_tx`` polls ``/tx`` until the tx is in a block.

Every failure a user can cause or meet (a bad amount, an unreachable node, an unknown account,
a refused query) raises ``ClientError`` with a one-line message.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests
from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.aerial.wallet import LocalWallet
from google.protobuf.message import Message

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.coins import DECIMALS, Coin, format_units, parse_amount, parse_units
from stateset_chain.errors import ChainError

from cosmos.auth.v1beta1 import auth_pb2
from cosmos.auth.v1beta1 import query_pb2 as auth_query
from cosmos.bank.v1beta1 import query_pb2 as bank_query
from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin
from cosmos.tx.v1beta1 import tx_pb2

PREFIX = "stateset"
DEFAULT_NODE = "http://127.0.0.1:26657"
DEFAULT_GAS = 200_000
DEFAULT_FEE_DENOM = "uusdc"
# Minimum gas price 0.025 per unit of gas, as a fraction so no float is involved.
GAS_PRICE_NUM, GAS_PRICE_DEN = 25, 1000

ACCOUNT_PATH = "/cosmos.auth.v1beta1.Query/Account"
BALANCE_PATH = "/cosmos.bank.v1beta1.Query/Balance"
ALL_BALANCES_PATH = "/cosmos.bank.v1beta1.Query/AllBalances"
TOTAL_SUPPLY_PATH = "/cosmos.bank.v1beta1.Query/TotalSupply"
SUPPLY_OF_PATH = "/cosmos.bank.v1beta1.Query/SupplyOf"
ENCRYPTION_KEY_PATH = "/stateset.privacy.v1.Query/EncryptionKey"
ORDER_PATH = "/stateset.orders.v1.Query/Order"
SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"


class ClientError(Exception):
    """A failure to report to the user in one line (bad input, node unreachable, refusal)."""


# --- amounts -------------------------------------------------------------------------------

_COIN = re.compile(r"^([0-9]+(?:\.[0-9]+)?)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$")

# Display denoms (any letter case) -> base denom; both stablecoins have 6 decimals. A display
# name is never a base denom, so ``40ssUSD`` (40 ssUSD) and ``40ussusd`` (40 base units) cannot be
# confused: the denom says which one is meant.
DISPLAY_DECIMALS = DECIMALS
DISPLAY_DENOMS = {"usdc": "uusdc", "ssusd": "ussusd"}
DISPLAY_NAMES = {"uusdc": "USDC", "ussusd": "ssUSD"}
AMOUNT_HELP = (
    "a coin in base units (40000000ussusd) or a display amount (40.00ssUSD, 12.5USDC: "
    "6 decimals, denom in any case)"
)


def parse_coin(text: str) -> Coin:
    """``"1000uusdc"`` -> ``Coin("uusdc", 1000)`` (base units, an integer); ``"40.00ssUSD"`` ->
    ``Coin("ussusd", 40_000_000)`` (a display amount: USDC or ssUSD in any case, at most 6
    decimals, converted exactly)."""
    match = _COIN.match(text.strip())
    if match is None:
        raise ClientError(
            f"invalid amount {text!r}: expected an integer and a base denom (40000000ussusd) "
            "or a decimal and a display denom (40.00ssUSD)"
        )
    number, denom = match.groups()
    base = DISPLAY_DENOMS.get(denom.lower())
    if base is None and "." in number:
        raise ClientError(
            f"invalid amount {text!r}: {denom} is a base denom, so the amount is an integer "
            f"(decimals need a display denom: {', '.join(DISPLAY_NAMES.values())})"
        )
    try:  # the chain's own grammars: currency units (coins.parse_units) or base units
        if base is not None:
            return Coin(base, parse_units(number, ValueError, max_whole_digits=72))
        return Coin(denom, parse_amount(number, ValueError, allow_zero=True))
    except ValueError as e:
        raise ClientError(f"invalid amount {text!r}: {e}") from None
    except ChainError as e:
        raise ClientError(f"invalid amount {text!r}: {e.log}") from None


def format_display(coin: Coin) -> str:
    """``Coin("ussusd", 43_500_000)`` -> ``"43.50ssUSD"`` (at least 2 decimals, exact); a denom
    without a display name stays in base units (``5ufoo``)."""
    name = DISPLAY_NAMES.get(coin.denom)
    if name is None:
        return str(coin)
    return format_units(coin.amount, min_decimals=2) + name


def parse_coins(text: str) -> list[Coin]:
    """``"5000uusdc,1ussusd"`` -> coins sorted by denom; a denom may appear once."""
    coins = sorted((parse_coin(part) for part in text.split(",") if part.strip()), key=_denom)
    if not coins:
        raise ClientError(f"invalid amount {text!r}: no coins")
    denoms = [c.denom for c in coins]
    if len(set(denoms)) != len(denoms):
        raise ClientError(f"invalid amount {text!r}: a denom appears twice")
    return coins


def _denom(coin: Coin) -> str:
    return coin.denom


def default_fee(gas: int, denom: str = DEFAULT_FEE_DENOM) -> Coin:
    """The smallest fee the default minimum gas price (0.025/gas) accepts, rounded up."""
    return Coin(denom, -(-gas * GAS_PRICE_NUM // GAS_PRICE_DEN))


def coins_to_proto(coins: Sequence[Coin]) -> list[PbCoin]:
    return [PbCoin(denom=c.denom, amount=str(c.amount)) for c in coins]


# --- keys ----------------------------------------------------------------------------------


def wallet_from_mnemonic(mnemonic: str) -> LocalWallet:
    return LocalWallet.from_mnemonic(mnemonic, prefix=PREFIX)


def address_of(wallet: LocalWallet) -> str:
    return str(wallet.address())


# --- the node ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BroadcastResult:
    txhash: str
    code: int
    codespace: str
    log: str
    height: int = 0  # set once the tx is in a block (after wait_for_tx)
    gas_used: int = 0
    gas_wanted: int = 0
    data: bytes = b""  # the block result's TxMsgData (the messages' responses)

    def to_json(self) -> dict[str, Any]:
        return {
            "txhash": self.txhash, "code": self.code, "codespace": self.codespace,
            "log": self.log, "height": self.height, "gas_wanted": self.gas_wanted,
            "gas_used": self.gas_used,
        }


class NodeClient:
    """Talks to one CometBFT node's JSON-RPC (``http://127.0.0.1:26657``)."""

    def __init__(self, url: str = DEFAULT_NODE, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    # -- JSON-RPC --------------------------------------------------------------------------

    def rpc(self, method: str, **params: Any) -> dict:
        body: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        try:
            reply = requests.post(self.url, json=body, timeout=self.timeout).json()
        except requests.RequestException as e:
            raise ClientError(f"cannot reach node {self.url}: {type(e).__name__}") from None
        except ValueError:
            raise ClientError(f"node {self.url} did not answer JSON-RPC") from None
        if "error" in reply:
            err = reply["error"]
            raise ClientError(f"{method}: {err.get('message', '')} {err.get('data', '')}".strip())
        return reply["result"]

    def status(self) -> dict:
        return self.rpc("status")

    def chain_id(self) -> str:
        return self.status()["node_info"]["network"]

    def height(self) -> int:
        return int(self.status()["sync_info"]["latest_block_height"])

    # -- queries ---------------------------------------------------------------------------

    def abci_query(
        self, path: str, data: bytes = b"", height: int = 0, prove: bool = False
    ) -> dict:
        """The raw ``response`` of ``/abci_query``; raises ClientError if the app refused it."""
        result = self.rpc(
            "abci_query", path=path, data=data.hex(), height=str(height), prove=prove
        )["response"]
        if int(result.get("code", 0)) != 0:
            raise ClientError(
                f"query {path} failed ({result.get('codespace', '')} {result['code']}): "
                f"{result.get('log', '')}"
            )
        return result

    def query(self, path: str, request: Message, response_cls: type[Message]) -> Message:
        result = self.abci_query(path, request.SerializeToString())
        response = response_cls()
        response.ParseFromString(base64.b64decode(result.get("value") or ""))
        return response

    def account(self, address: str) -> auth_pb2.BaseAccount:
        response = self.query(
            ACCOUNT_PATH, auth_query.QueryAccountRequest(address=address),
            auth_query.QueryAccountResponse,
        )
        account = auth_pb2.BaseAccount()
        if not response.account.Unpack(account):
            raise ClientError(f"account {address}: not a BaseAccount ({response.account.type_url})")
        return account

    def balance(self, address: str, denom: str) -> int:
        response = self.query(
            BALANCE_PATH, bank_query.QueryBalanceRequest(address=address, denom=denom),
            bank_query.QueryBalanceResponse,
        )
        return int(response.balance.amount or 0)

    def all_balances(self, address: str) -> bank_query.QueryAllBalancesResponse:
        return self.query(
            ALL_BALANCES_PATH, bank_query.QueryAllBalancesRequest(address=address),
            bank_query.QueryAllBalancesResponse,
        )

    def supply_of(self, denom: str) -> bank_query.QuerySupplyOfResponse:
        return self.query(
            SUPPLY_OF_PATH, bank_query.QuerySupplyOfRequest(denom=denom),
            bank_query.QuerySupplyOfResponse,
        )

    def total_supply(self) -> bank_query.QueryTotalSupplyResponse:
        return self.query(
            TOTAL_SUPPLY_PATH, bank_query.QueryTotalSupplyRequest(),
            bank_query.QueryTotalSupplyResponse,
        )

    def encryption_key(self, address: str):
        """The account's registered X25519 key (``stateset.privacy.v1.EncryptionKey``), or None."""
        from stateset.privacy.v1 import query_pb2 as privacy_query

        try:
            response = self.query(
                ENCRYPTION_KEY_PATH, privacy_query.QueryEncryptionKeyRequest(address=address),
                privacy_query.QueryEncryptionKeyResponse,
            )
        except ClientError as e:
            if "(privacy 3)" in str(e):  # EncryptionKeyNotFound
                return None
            raise
        return response.key

    def order(self, order_id: str):
        """The stored order (``stateset.orders.v1.Order``), personal data still sealed."""
        from stateset.orders.v1 import query_pb2 as orders_query

        return self.query(
            ORDER_PATH, orders_query.QueryOrderRequest(order_id=order_id),
            orders_query.QueryOrderResponse,
        ).order

    # -- transactions ----------------------------------------------------------------------

    def simulate(self, tx_bytes: bytes) -> int:
        """The gas ``tx_bytes`` uses when run as the next block would run it (nothing is kept);
        raises ClientError with the tx's own error if it would fail."""
        from cosmos.tx.v1beta1 import service_pb2 as tx_service

        response = self.query(
            SIMULATE_PATH, tx_service.SimulateRequest(tx_bytes=tx_bytes),
            tx_service.SimulateResponse,
        )
        return int(response.gas_info.gas_used)

    def broadcast(self, tx_bytes: bytes) -> BroadcastResult:
        """``broadcast_tx_sync``: the CheckTx answer (code 0 = accepted into the mempool)."""
        r = self.rpc("broadcast_tx_sync", tx=base64.b64encode(tx_bytes).decode())
        return BroadcastResult(
            txhash=r["hash"], code=int(r.get("code", 0)), codespace=r.get("codespace", ""),
            log=r.get("log", ""),
        )

    def wait_for_tx(
        self, txhash: str, timeout: float = 30.0, poll: float = 0.25
    ) -> BroadcastResult:
        """Poll ``/tx?hash=0x..`` until the tx is in a block; its DeliverTx result."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                r = self.rpc("tx", hash=base64.b64encode(bytes.fromhex(txhash)).decode())
            except ClientError as e:
                if "not found" not in str(e):
                    raise
                if time.monotonic() > deadline:
                    raise ClientError(f"tx {txhash} not in a block after {timeout}s") from None
                time.sleep(poll)
                continue
            res = r["tx_result"]
            return BroadcastResult(
                txhash=r["hash"], code=int(res.get("code", 0)),
                codespace=res.get("codespace", ""), log=res.get("log", ""),
                height=int(r["height"]), gas_used=int(res.get("gas_used", 0)),
                gas_wanted=int(res.get("gas_wanted", 0)),
                data=base64.b64decode(res.get("data") or ""),
            )

    # -- orders with personal data (sealed transparently, docs/privacy.md) ----------------------

    def order_msg(self, order: dict, creator: str, chain_id: str | None = None) -> Message:
        """A MsgCreateOrder from an order written with its address in clear (a full
        ``shipping_address``, ``email``, ``phone``, ``billing_address``, ``private_metadata``,
        ``note``): country and region stay public, the rest is sealed to the merchant's
        registered key and the customer's (if any). ClientError if the merchant has no key."""
        from google.protobuf import json_format

        from stateset_chain.privacy.client import PersonalDataError, seal_order, split_order

        from stateset.orders.v1 import tx_pb2 as orders_tx

        try:
            public, data = split_order(order)
            msg = json_format.ParseDict(public, orders_tx.MsgCreateOrder())
            msg.creator = msg.creator or creator
            if data is not None:
                seal_order(msg, data, chain_id=chain_id or self.chain_id(),
                           lookup=self.encryption_key)
        except PersonalDataError as e:
            raise ClientError(str(e)) from None
        except json_format.ParseError as e:
            raise ClientError(f"invalid order: {e}") from None
        return msg

    def create_order(self, wallet: LocalWallet, order: dict, **send_kw: Any) -> BroadcastResult:
        """Sign and broadcast ``order`` (see ``order_msg``) as ``wallet``."""
        msg = self.order_msg(order, address_of(wallet), send_kw.get("chain_id"))
        return self.send(wallet, [msg], **send_kw)

    def batch_create_orders(
        self, wallet: LocalWallet, orders: Sequence[dict], **send_kw: Any
    ) -> BroadcastResult:
        """One MsgBatchCreateOrders of ``orders``, each sealed as ``order_msg`` does."""
        from stateset.orders.v1 import tx_pb2 as orders_tx

        chain_id = send_kw.get("chain_id") or self.chain_id()
        inner = [self.order_msg(o, "", chain_id) for o in orders]
        batch = orders_tx.MsgBatchCreateOrders(creator=address_of(wallet), orders=inner)
        return self.send(wallet, [batch], **{**send_kw, "chain_id": chain_id})

    def ship_order(
        self, wallet: LocalWallet, order_id: str, carrier: str, tracking_number: str,
        estimated_delivery: str = "", **send_kw: Any,
    ) -> BroadcastResult:
        """MsgShipOrder as ``wallet`` (the merchant), ``tracking_number`` sealed to the order's
        merchant and customer (privacy.client.seal_tracking): it never travels in clear."""
        from stateset_chain.privacy.client import PersonalDataError, seal_tracking

        from stateset.orders.v1 import tx_pb2 as orders_tx

        msg = orders_tx.MsgShipOrder(signer=address_of(wallet), order_id=order_id,
                                     carrier=carrier, estimated_delivery=estimated_delivery)
        try:
            seal_tracking(msg, tracking_number, self.order(order_id),
                          chain_id=send_kw.get("chain_id") or self.chain_id(),
                          lookup=self.encryption_key)
        except PersonalDataError as e:
            raise ClientError(str(e)) from None
        return self.send(wallet, [msg], **send_kw)

    def read_order(self, order_id: str, keys: dict) -> dict:
        """The order as JSON with ``personal_data`` opened when ``keys`` (address -> X25519
        private keys) hold a recipient's key, else redacted (privacy.client.reveal)."""
        from google.protobuf.json_format import MessageToDict

        from stateset_chain.privacy.client import reveal

        order = self.order(order_id)
        as_json = MessageToDict(order, preserving_proto_field_name=True)
        return reveal(as_json, order, chain_id=self.chain_id(), keys=keys)

    def send(
        self,
        wallet: LocalWallet,
        msgs: Sequence[Message],
        fees: Sequence[Coin] | None = None,
        gas: int = DEFAULT_GAS,
        memo: str = "",
        chain_id: str | None = None,
        sequence: int | None = None,
    ) -> BroadcastResult:
        """Sign ``msgs`` as ``wallet`` (number and sequence from the chain) and broadcast."""
        account = self.account(address_of(wallet))
        tx_bytes = sign_tx(
            wallet, msgs,
            chain_id=chain_id or self.chain_id(),
            account_number=account.account_number,
            sequence=account.sequence if sequence is None else sequence,
            fees=fees if fees is not None else [default_fee(gas)],
            gas=gas, memo=memo,
        )
        return self.broadcast(tx_bytes)


def sign_tx(
    wallet: LocalWallet,
    msgs: Sequence[Message],
    *,
    chain_id: str,
    account_number: int,
    sequence: int,
    fees: Sequence[Coin],
    gas: int = DEFAULT_GAS,
    memo: str = "",
) -> bytes:
    """A signed ``cosmos.tx.v1beta1.TxRaw`` (SIGN_MODE_DIRECT) as bytes.

    The TxRaw carries exactly the body and auth-info bytes that went into the SignDoc, so a node
    verifying against the raw bytes sees what was signed.
    """
    tx = Transaction()
    for msg in msgs:
        tx.add_message(msg)
    fee = TxFee(amount=coins_to_proto(fees) or None, gas_limit=gas)
    tx.seal(SigningCfg.direct(wallet.public_key(), sequence), fee=fee, memo=memo)
    tx.sign(wallet.signer(), chain_id, account_number, deterministic=True)
    tx.complete()
    raw = tx_pb2.TxRaw(
        body_bytes=tx.tx.body.SerializeToString(),
        auth_info_bytes=tx.tx.auth_info.SerializeToString(),
        signatures=list(tx.tx.signatures),
    )
    return raw.SerializeToString()


def tx_hash(tx_bytes: bytes) -> str:
    """CometBFT's tx hash: uppercase hex sha256 of the tx bytes."""
    return hashlib.sha256(tx_bytes).hexdigest().upper()


# --- messages ------------------------------------------------------------------------------


def msg_send(from_address: str, to_address: str, amount: Sequence[Coin]) -> bank_tx.MsgSend:
    return bank_tx.MsgSend(
        from_address=from_address, to_address=to_address, amount=coins_to_proto(amount)
    )


def _stablecoin_tx():
    try:
        from stateset.stablecoin.v1 import tx_pb2 as stablecoin_tx
    except ImportError:
        raise ClientError(
            "stateset.stablecoin.v1 protos are not compiled: run bash scripts/gen_proto.sh"
        ) from None
    return stablecoin_tx


def _stablecoin_msg(name: str, sender: str, amount: Coin) -> Message:
    cls = getattr(_stablecoin_tx(), name)
    field = cls.DESCRIPTOR.fields_by_name["amount"]
    if field.message_type is not None:  # a cosmos Coin
        return cls(sender=sender, amount=PbCoin(denom=amount.denom, amount=str(amount.amount)))
    return cls(sender=sender, amount=str(amount.amount))


def msg_issue_stablecoin(sender: str, amount: Coin) -> Message:
    """Lock ``amount`` uusdc in the reserve, receive as much ussusd."""
    return _stablecoin_msg("MsgIssueStablecoin", sender, amount)


def msg_redeem_stablecoin(sender: str, amount: Coin) -> Message:
    """Burn ``amount`` ussusd, receive as much uusdc from the reserve."""
    return _stablecoin_msg("MsgRedeemStablecoin", sender, amount)


def msg_register_encryption_key(owner: str, public_key: bytes) -> Message:
    """Publish (or rotate to) ``public_key``, the X25519 key orders seal personal data to."""
    from stateset.privacy.v1 import tx_pb2 as privacy_tx

    return privacy_tx.MsgRegisterEncryptionKey(owner=owner, public_key=public_key)
