"""Orders of every kind against a running localnet (the indexer's tests and benchmark load).

Each *flow* walks one order through a path of the lifecycle, one message per transaction:

    settled      create, pay, fulfil, ship, deliver            (settles after the return window)
    cancelled    create, cancel                                 (by the customer)
    held         create, pay, hold, release, fulfil, cancel     (refund on cancel)
    refunded     create, pay, refund part, refund the rest
    returned     create, pay, fulfil, ship, deliver, return, refund
    disputed     create, pay, dispute, resolve (partial refund)
    split_pay    create, pay half, pay the rest, fulfil, ship, dispute, resolve (to merchant)
    crosschain   create in usdc, paid by a CCTP burn from Ethereum to its deposit address,
                 refunded in full (burned back across chains)
    unclaimed    a CCTP burn over the order's total (parked as unclaimed), claimed in part by
                 the sender's local account, the rest refunded across chains
    burn         a plain MsgDepositForBurn to Ethereum

Roles on the localnet: alice = authority, arbiter and platform; bob = customer; carol =
merchant; dave = CCTP relayer. Flows run side by side (``concurrency``); each round sends every
active flow's next message (locally tracked sequences, several txs per signer per block) and
waits for all of them to be committed. A message that fails stops its flow (``failures``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from coincurve import PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from google.protobuf.message import Message

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.attestation import ethereum_address
from stateset_chain.cctp.codec import ZERO32, BurnMessage, keccak256, pad_address
from stateset_chain.cctp.codec import Message as CctpMessage
from stateset_chain.client import NodeClient, address_of, default_fee, sign_tx
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.crosschain.deposit import deposit_mint_recipient
from stateset_chain.crypto import address
from stateset_chain.localnet import (
    ETHEREUM_DOMAIN,
    ETHEREUM_TOKEN_MESSENGER,
    ETHEREUM_USDC,
    LOCALNET_CCTP_DOMAIN,
    localnet_attester_keys,
)
from stateset_chain.privacy.client import seal_tracking

from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.crosschain.v1 import tx_pb2 as crosschain_tx
from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.privacy.v1 import tx_pb2 as privacy_tx

FLOWS = ("settled", "cancelled", "held", "refunded", "returned", "disputed", "split_pay",
         "crosschain", "unclaimed", "burn")
CCTP_MODULE = pad_address(address.module_address_bytes("cctp"))


class Signer:
    """A wallet with a locally tracked sequence."""

    def __init__(self, client: NodeClient, wallet, chain_id: str) -> None:
        self.client, self.wallet, self.chain_id = client, wallet, chain_id
        self.address = address_of(wallet)
        self.resync()

    def resync(self) -> None:
        account = self.client.account(self.address)
        self.number, self.sequence = account.account_number, account.sequence

    def sign(self, msg: Message) -> bytes:
        tx = sign_tx(self.wallet, [msg], chain_id=self.chain_id, account_number=self.number,
                     sequence=self.sequence, fees=[default_fee(400_000)], gas=400_000)
        self.sequence += 1
        return tx


@dataclass
class FlowState:
    kind: str
    index: int
    steps: Iterator[tuple[str, Callable[[], Message]]]
    order_id: str = ""
    total: int = 0
    message_hash: bytes = b""  # the CCTP message that paid it (crosschain, unclaimed)
    done: bool = False
    failed: str = ""


@dataclass
class FlowReport:
    txs: int = 0
    failures: list[str] = field(default_factory=list)
    order_ids: list[str] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class OrderFlows:
    def __init__(self, client: NodeClient, wallets: list, chain_id: str, seed: int = 1,
                 nonce_base: int = 1_000_000) -> None:
        self.client = client
        self.chain_id = chain_id
        names = ("alice", "bob", "carol", "dave")
        self.signers = {
            n: Signer(client, w, chain_id) for n, w in zip(names, wallets, strict=False)
        }
        self.rng = random.Random(seed)
        self.nonce = nonce_base + self.rng.randrange(1_000_000) * 1000
        self.attesters = sorted(
            (PrivateKey(k) for k in localnet_attester_keys()),
            key=lambda k: ethereum_address(k.public_key.format(compressed=False)),
        )
        self.run_id = hashlib.sha256(f"{seed}-{time.time_ns()}".encode()).hexdigest()[:8]

    # -- addresses --------------------------------------------------------------------------

    def addr(self, name: str) -> str:
        return self.signers[name].address

    # -- flows ------------------------------------------------------------------------------

    def _create(self, f: FlowState, currency: str = "ssusd") -> Callable[[], Message]:
        price = f"{self.rng.randrange(1, 500)}.{self.rng.randrange(100):02d}"
        items = [orders_pb2.LineItem(sku=f"SKU-{self.rng.randrange(100)}", name="Thing",
                                     quantity=self.rng.randrange(1, 4), unit_price=price)]
        if self.rng.random() < 0.5:
            items.append(orders_pb2.LineItem(product_id="p-2", description="Other", quantity=1,
                                             unit_price="1.5"))
        msg = orders_tx.MsgCreateOrder(
            creator=self.addr("bob"), customer=self.addr("bob"), merchant=self.addr("carol"),
            name=f"{f.kind} #{f.index}",
            items=items, currency=currency, metadata={"flow": f.kind},
        )
        return lambda: msg

    def _pay(self, f: FlowState, part: str = "all") -> Callable[[], Message]:
        def build() -> Message:
            amount = f.total if part == "all" else (f.total // 2 if part == "half"
                                                    else f.total - f.total // 2)
            return orders_tx.MsgPayOrder(payer=self.addr("bob"), order_id=f.order_id,
                                         amount=Coin(SSUSD, amount).to_proto())
        return build

    def _simple(self, cls, signer: str, f: FlowState, **kw) -> Callable[[], Message]:
        field_name = "arbiter" if cls is orders_tx.MsgResolveDispute else "signer"
        return lambda: cls(**{field_name: self.addr(signer)}, order_id=f.order_id, **kw)

    def _ship(self, f: FlowState, carrier: str, tracking: str, **kw) -> Callable[[], Message]:
        """MsgShipOrder by the merchant, the tracking number sealed to the order's parties (it
        never travels in clear: privacy.client.seal_tracking)."""
        def build() -> Message:
            msg = orders_tx.MsgShipOrder(signer=self.addr("carol"), order_id=f.order_id,
                                         carrier=carrier, **kw)
            seal_tracking(msg, tracking, self.client.order(f.order_id), chain_id=self.chain_id,
                          lookup=self.client.encryption_key)
            return msg
        return build

    def register_merchant_key(self) -> None:
        """The merchant (carol) publishes an X25519 key if it has none: shipping seals the
        tracking number to it."""
        if self.client.encryption_key(self.addr("carol")) is not None:
            return
        public = X25519PrivateKey.generate().public_key().public_bytes_raw()
        signer = self.signers["carol"]
        res = self.client.broadcast(signer.sign(
            privacy_tx.MsgRegisterEncryptionKey(owner=self.addr("carol"), public_key=public)))
        if res.code != 0:
            raise RuntimeError(f"registering carol's encryption key: {res.log}")
        result = self._wait(res.txhash)["tx_result"]
        if int(result.get("code", 0)) != 0:
            raise RuntimeError(f"registering carol's encryption key: {result.get('log')}")

    def _refund(self, f: FlowState, part: str) -> Callable[[], Message]:
        def build() -> Message:
            amount = str(f.total // 3) if part == "part" else ""
            return orders_tx.MsgRefundOrder(signer=self.addr("carol"), order_id=f.order_id,
                                            amount=amount, reason=f"refund {part}")
        return build

    def _burn_to_order(self, f: FlowState, extra: int = 0,
                       sender: bytes | None = None) -> Callable[[], Message]:
        def build() -> Message:
            self.nonce += 1
            body = BurnMessage(
                version=0, burn_token=bytes.fromhex(ETHEREUM_USDC[2:]),
                mint_recipient=deposit_mint_recipient(f.order_id, self.chain_id),
                amount=f.total + extra,
                message_sender=sender or pad_address(hashlib.sha256(b"eth %d" % f.index)
                                                     .digest()[:20]),
            ).encode()
            message = CctpMessage(
                version=0, source_domain=ETHEREUM_DOMAIN, destination_domain=LOCALNET_CCTP_DOMAIN,
                nonce=self.nonce, sender=bytes.fromhex(ETHEREUM_TOKEN_MESSENGER[2:]),
                recipient=CCTP_MODULE, destination_caller=ZERO32, body=body,
            ).encode()
            f.message_hash = keccak256(message)
            return cctp_tx.MsgReceiveMessage(signer=self.addr("dave"), message=message,
                                             attestation=self._attest(message))
        return build

    def _attest(self, message: bytes) -> bytes:
        digest = keccak256(message)
        out = []
        for key in self.attesters:
            sig = key.sign_recoverable(digest, hasher=None)
            out.append(sig[:64] + bytes([sig[64] + 27]))
        return b"".join(out)

    def steps(self, f: FlowState) -> Iterator[tuple[str, Callable[[], Message]]]:
        O = orders_tx  # noqa: E741, N806
        k = f.kind
        if k == "burn":
            yield "bob", lambda: cctp_tx.MsgDepositForBurn(
                signer=self.addr("bob"), amount=str(self.rng.randrange(1, 10) * 1_000_000),
                destination_domain=ETHEREUM_DOMAIN,
                mint_recipient=pad_address(hashlib.sha256(b"r%d" % f.index).digest()[:20]),
                burn_token=USDC,
            )
            return
        cross = k in ("crosschain", "unclaimed")
        yield "bob", self._create(f, currency="usdc" if cross else "ssusd")
        if k == "crosschain":
            yield "dave", self._burn_to_order(f)
            yield "carol", self._refund(f, "all")
            return
        if k == "unclaimed":
            yield "dave", self._burn_to_order(f, extra=5_000_000,
                                              sender=pad_address(address.decode(self.addr("bob"))))
            yield "bob", lambda: crosschain_tx.MsgClaimUnclaimed(
                signer=self.addr("bob"), message_hash=f.message_hash,
                amount=str((f.total + 5_000_000) // 2))
            yield "dave", lambda: crosschain_tx.MsgRefundUnclaimed(
                signer=self.addr("dave"), message_hash=f.message_hash)
            return
        if k == "cancelled":
            yield "bob", self._simple(O.MsgCancelOrder, "bob", f, reason="changed my mind")
            return
        if k == "split_pay":
            yield "bob", self._pay(f, "half")
            yield "bob", self._pay(f, "rest")
        else:
            yield "bob", self._pay(f)
        if k == "settled":
            yield "carol", self._simple(O.MsgFulfillOrder, "carol", f)
            yield "carol", self._ship(f, "UPS", f"1Z{f.index}",
                                        estimated_delivery="2030-01-31")
            yield "bob", self._simple(O.MsgDeliverOrder, "bob", f)
        elif k == "held":
            yield "carol", self._simple(O.MsgHoldOrder, "carol", f, reason="fraud check")
            yield "carol", self._simple(O.MsgReleaseOrder, "carol", f, reason="ok")
            yield "carol", self._simple(O.MsgFulfillOrder, "carol", f)
            yield "carol", self._simple(O.MsgCancelOrder, "carol", f, reason="out of stock")
        elif k == "refunded":
            yield "carol", self._refund(f, "part")
            yield "carol", self._refund(f, "all")
        elif k == "returned":
            yield "carol", self._simple(O.MsgFulfillOrder, "carol", f)
            yield "carol", self._ship(f, "DHL", f"JD{f.index}")
            yield "carol", self._simple(O.MsgDeliverOrder, "carol", f)
            yield "bob", self._simple(O.MsgReturnOrder, "bob", f, reason="too small")
            yield "carol", self._refund(f, "all")
        elif k == "disputed":
            yield "bob", self._simple(O.MsgDisputeOrder, "bob", f, reason="never arrived",
                                      evidence=["photo.jpg"])
            yield "alice", lambda: O.MsgResolveDispute(
                arbiter=self.addr("alice"), order_id=f.order_id,
                outcome=orders_pb2.DisputeOutcome.DISPUTE_OUTCOME_REFUND_PARTIAL,
                refund_amount=str(f.total // 4), note="half way")
        elif k == "split_pay":
            yield "carol", self._simple(O.MsgFulfillOrder, "carol", f)
            yield "carol", self._ship(f, "FedEx", f"FX{f.index}")
            yield "carol", self._simple(O.MsgDisputeOrder, "carol", f, reason="chargeback")
            yield "alice", lambda: O.MsgResolveDispute(
                arbiter=self.addr("alice"), order_id=f.order_id,
                outcome=orders_pb2.DisputeOutcome.DISPUTE_OUTCOME_RELEASE_TO_MERCHANT,
                note="delivered")

    # -- running ----------------------------------------------------------------------------

    def run(self, orders: int, concurrency: int = 20, kinds=FLOWS,
            deadline: float | None = None) -> FlowReport:
        report = FlowReport()
        start = time.monotonic()
        self.register_merchant_key()
        pending = [FlowState(kinds[i % len(kinds)], i, iter(())) for i in range(orders)]
        for f in pending:
            f.steps = self.steps(f)
        active: list[FlowState] = []
        while pending or active:
            if deadline is not None and time.monotonic() > deadline:
                break
            while pending and len(active) < concurrency:
                active.append(pending.pop(0))
            sent: list[tuple[FlowState, str]] = []
            for f in active:
                try:
                    signer_name, build = next(f.steps)
                except StopIteration:
                    f.done = True
                    continue
                signer = self.signers[signer_name]
                res = self.client.broadcast(signer.sign(build()))
                if res.code != 0:
                    f.failed = f"{f.kind}#{f.index} CheckTx {res.code}: {res.log}"
                    signer.resync()
                    continue
                sent.append((f, res.txhash))
            for f, txhash in sent:
                result = self._wait(txhash)
                report.txs += 1
                tx_result = result["tx_result"]
                if int(tx_result.get("code", 0)) != 0:
                    f.failed = f"{f.kind}#{f.index}: {tx_result.get('log')}"
                    continue
                self._learn(f, tx_result)
            for f in active:
                if f.failed:
                    report.failures.append(f.failed)
                if f.done and not f.failed:
                    report.by_kind[f.kind] = report.by_kind.get(f.kind, 0) + 1
                    if f.order_id:
                        report.order_ids.append(f.order_id)
            if any(f.failed for f in active):
                for s in self.signers.values():
                    s.resync()
            active = [f for f in active if not f.done and not f.failed]
        report.seconds = time.monotonic() - start
        return report

    def _wait(self, txhash: str, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        key = base64.b64encode(bytes.fromhex(txhash)).decode()
        while True:
            try:
                return self.client.rpc("tx", hash=key)
            except Exception as e:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"tx {txhash} not committed in {timeout}s: {e}") from None
                time.sleep(0.1)

    @staticmethod
    def _learn(f: FlowState, tx_result: dict) -> None:
        for event in tx_result.get("events", []):
            if event["type"] == "stateset.orders.v1.OrderCreated":
                for a in event["attributes"]:
                    if a["key"] == "order":
                        order = json.loads(a["value"])
                        f.order_id, f.total = order["id"], int(order["total"])
