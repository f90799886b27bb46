"""A whole standard app in-process (``tests.chain.Chain``: real signed txs, invariants checked
after every block) with the localnet's CCTP genesis: domain 100, Ethereum (domain 0) linked with
Circle's TokenMessenger and USDC addresses, and the TEST-ONLY localnet attesters, which sign the
inbound messages here.

Wallet 0 is the localnet admin (cctp owner/pauser/token controller, orders authority, arbiter and
platform); wallet 1 the customer, 2 the merchant, 3 a relayer. Fees are paid in ussusd so that
every uusdc balance in the tests moves only by what the test does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coincurve import PrivateKey
from google.protobuf.message import Message as ProtoMessage

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import BurnMessage, Message, keccak256, pad_address
from stateset_chain.client import default_fee
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.crosschain.deposit import deposit_mint_recipient
from stateset_chain.crypto import address as addr
from stateset_chain.events import parse_typed_event
from stateset_chain.localnet import (
    ETHEREUM_TOKEN_MESSENGER,
    ETHEREUM_USDC,
    LOCALNET_CCTP_DOMAIN,
    localnet_attester_keys,
)
from tests.cctp.helpers import sign
from tests.chain import CHAIN_ID, Chain, address

from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.crosschain.v1 import query_pb2 as xq
from stateset.crosschain.v1 import tx_pb2 as xtx
from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import query_pb2 as oq
from stateset.orders.v1 import tx_pb2 as otx
from tendermint.abci import types_pb2 as abci

ETHEREUM = 0
LOCAL = LOCALNET_CCTP_DOMAIN
TOKEN_MESSENGER = bytes.fromhex(ETHEREUM_TOKEN_MESSENGER[2:])
ETH_USDC = bytes.fromhex(ETHEREUM_USDC[2:])
ATTESTERS = [PrivateKey(k) for k in localnet_attester_keys()]
CCTP_MODULE = pad_address(addr.module_address_bytes("cctp"))
ESCROW = addr.module_address("orders_escrow")
UNCLAIMED = addr.module_address("crosschain_unclaimed")
UNIT = 1_000_000

# Payers on Ethereum (20-byte EOAs, left-padded as EVM writes message_sender).
ALICE_ETH = pad_address(bytes.fromhex("a11ce00000000000000000000000000000000001"))
BOB_ETH = pad_address(bytes.fromhex("b0b0000000000000000000000000000000000002"))


def burn_message(
    amount: int,
    mint_recipient: bytes,
    nonce: int,
    *,
    sender: bytes = ALICE_ETH,
    source: int = ETHEREUM,
) -> bytes:
    """A v1 burn message from Ethereum's TokenMessenger to this chain's cctp module."""
    body = BurnMessage(
        version=0, burn_token=ETH_USDC, mint_recipient=mint_recipient, amount=amount,
        message_sender=sender,
    ).encode()
    return Message(
        version=0, source_domain=source, destination_domain=LOCAL, nonce=nonce,
        sender=TOKEN_MESSENGER, recipient=CCTP_MODULE, destination_caller=bytes(32), body=body,
    ).encode()


@dataclass
class Net:
    chain: Chain
    nonce: int = 0
    results: list[abci.ExecTxResult] = field(default_factory=list)

    @classmethod
    def start(cls) -> Net:
        return cls(Chain.start(n_wallets=4))

    @property
    def admin(self):
        return self.chain.wallets[0]

    @property
    def customer(self):
        return self.chain.wallets[1]

    @property
    def merchant(self):
        return self.chain.wallets[2]

    @property
    def relayer(self):
        return self.chain.wallets[3]

    # -- transactions ------------------------------------------------------------------------

    def tx(self, wallet, msgs: list[ProtoMessage], gas: int = 2_000_000) -> abci.ExecTxResult:
        """One tx in its own block (invariants run after it)."""
        raw = self.chain.sign(wallet, msgs, gas=gas, fees=[default_fee(gas, SSUSD)])
        result = self.chain.block([raw]).tx_results[0]
        if result.code != 0:  # a tx refused before its ante step keeps the old sequence
            who = address(wallet)
            self.chain.sequences[who] = self.chain.query_account(who).sequence
        self.results.append(result)
        return result

    def ok(self, wallet, msgs: list[ProtoMessage], gas: int = 2_000_000) -> abci.ExecTxResult:
        result = self.tx(wallet, msgs, gas)
        assert result.code == 0, (result.codespace, result.code, result.log)
        return result

    def create_order(self, price: str = "100", currency: str = "usdc") -> str:
        c, m = address(self.customer), address(self.merchant)
        msg = otx.MsgCreateOrder(
            creator=c, customer=c, merchant=m, name="Desk", currency=currency,
            items=[orders_pb2.LineItem(sku="DESK-1", name="Desk", quantity=1, unit_price=price)],
        )
        result = self.ok(self.customer, [msg])
        return response(result, otx.MsgCreateOrderResponse).order_id

    def relay(
        self, amount: int, mint_recipient: bytes, *, sender: bytes = ALICE_ETH,
        source: int = ETHEREUM,
    ) -> tuple[abci.ExecTxResult, bytes]:
        """Relay a freshly attested burn (next nonce); returns the result and the message."""
        self.nonce += 1
        raw = burn_message(amount, mint_recipient, self.nonce, sender=sender, source=source)
        return self.relay_raw(raw), raw

    def relay_raw(self, raw: bytes) -> abci.ExecTxResult:
        msg = cctp_tx.MsgReceiveMessage(
            signer=address(self.relayer), message=raw, attestation=sign(raw, ATTESTERS)
        )
        return self.tx(self.relayer, [msg])

    def pay_from_ethereum(
        self, order_id: str, amount: int, sender: bytes = ALICE_ETH
    ) -> tuple[abci.ExecTxResult, bytes]:
        result, raw = self.relay(amount, deposit_mint_recipient(order_id, CHAIN_ID), sender=sender)
        assert result.code == 0, result.log
        return result, raw

    def pay_locally(self, order_id: str, amount: int, payer=None) -> abci.ExecTxResult:
        payer = payer or self.customer
        msg = otx.MsgPayOrder(
            payer=address(payer), order_id=order_id, amount=Coin(USDC, amount).to_proto()
        )
        return self.ok(payer, [msg])

    def refund(self, order_id: str, amount: int | None = None) -> abci.ExecTxResult:
        msg = otx.MsgRefundOrder(
            signer=address(self.merchant), order_id=order_id,
            amount="" if amount is None else str(amount), reason="refund",
        )
        return self.ok(self.merchant, [msg])

    def refund_unclaimed(self, message_hash: bytes, amount: str = "", wallet=None):
        wallet = wallet or self.relayer
        msg = xtx.MsgRefundUnclaimed(
            signer=address(wallet), message_hash=message_hash, amount=amount
        )
        return self.tx(wallet, [msg])

    def set_refund_destination(
        self, order_id: str, domain: int, recipient: bytes, wallet=None
    ) -> abci.ExecTxResult:
        """MsgSetRefundDestination signed by ``wallet`` (default: the customer); not asserted."""
        wallet = wallet or self.customer
        msg = xtx.MsgSetRefundDestination(
            signer=address(wallet), order_id=order_id, domain=domain, recipient=recipient
        )
        return self.tx(wallet, [msg])

    def deposit_address_info(self, order_id: str) -> xq.QueryDepositAddressResponse:
        res = self.chain.query(
            "/stateset.crosschain.v1.Query/DepositAddress",
            xq.QueryDepositAddressRequest(order_id=order_id),
        )
        assert res.code == 0, res.log
        return xq.QueryDepositAddressResponse.FromString(res.value)

    # -- queries -----------------------------------------------------------------------------

    def order(self, order_id: str) -> orders_pb2.Order:
        res = self.chain.query(
            "/stateset.orders.v1.Query/Order", oq.QueryOrderRequest(order_id=order_id)
        )
        assert res.code == 0, res.log
        return oq.QueryOrderResponse.FromString(res.value).order

    def unclaimed(self, message_hash: bytes):
        """The unclaimed record, or None."""
        res = self.chain.query(
            "/stateset.crosschain.v1.Query/Unclaimed",
            xq.QueryUnclaimedRequest(message_hash=message_hash),
        )
        if res.code != 0:
            assert (res.codespace, res.code) == ("sdk", 38), res.log
            return None
        return xq.QueryUnclaimedResponse.FromString(res.value).unclaimed

    def all_unclaimed(self) -> list:
        res = self.chain.query(
            "/stateset.crosschain.v1.Query/AllUnclaimed", xq.QueryAllUnclaimedRequest()
        )
        return list(xq.QueryAllUnclaimedResponse.FromString(res.value).unclaimed)

    def balance(self, who: str, denom: str = USDC) -> int:
        return self.chain.balance(who, denom)

    def supply(self, denom: str = USDC) -> int:
        from cosmos.bank.v1beta1 import query_pb2 as bank_query

        res = self.chain.query(
            "/cosmos.bank.v1beta1.Query/SupplyOf", bank_query.QuerySupplyOfRequest(denom=denom)
        )
        assert res.code == 0, res.log
        return int(bank_query.QuerySupplyOfResponse.FromString(res.value).amount.amount)


def events(result: abci.ExecTxResult, cls) -> list:
    name = cls.DESCRIPTOR.full_name
    return [parse_typed_event(e, cls) for e in result.events if e.type == name]


def event_types(result: abci.ExecTxResult) -> list[str]:
    return [e.type for e in result.events]


def response(result: abci.ExecTxResult, cls):
    from cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci

    data = sdk_abci.TxMsgData.FromString(result.data)
    out = cls()
    data.msg_responses[0].Unpack(out)
    return out


def message_hash(raw: bytes) -> bytes:
    return keccak256(raw)
