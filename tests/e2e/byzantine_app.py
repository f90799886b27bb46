"""TEST-ONLY: a validator app that is a Byzantine proposer (``python -m tests.e2e.byzantine_app``).

It is the standard app in every respect but one: each PrepareProposal appends hostile txs to the
honest proposal, in turn (``KINDS``):

- ``huge_amount``  a decodable MsgRefundOrder from a funded account with a 4,301-digit amount
                   (the critical finding: it raised ``ValueError`` out of FinalizeBlock on every
                   honest node, which then crashed at each replay of the block);
                   honest validators accept such a block and give the tx a failed result;
- ``random_bytes`` bytes that do not decode;
- ``unknown_msg``  a tx whose message type has no route;
- ``over_gas``     a tx asking more gas than the block gas limit;
- ``oversized``    a tx over ``max_tx_bytes``.

The last four make honest validators reject the proposal (ProcessProposal), so the round fails
and the next proposer's block is committed. Only the test launches this module; production code
has no hook for it.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys

from google.protobuf.any_pb2 import Any as PbAny

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.abci.server import run
from stateset_chain.localnet import load_demo_accounts
from stateset_chain.wiring import open_app

from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from cosmos.base.v1beta1.coin_pb2 import Coin
from cosmos.tx.signing.v1beta1 import signing_pb2
from cosmos.tx.v1beta1 import tx_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx
from tendermint.abci import types_pb2 as abci

KINDS = ("huge_amount", "random_bytes", "huge_amount", "unknown_msg", "huge_amount", "over_gas",
         "huge_amount", "oversized")
log = logging.getLogger("byzantine")


def _tx(msgs: list[PbAny], gas: int, memo: str = "") -> bytes:
    """A TxRaw with one SIGN_MODE_DIRECT signer info and a (meaningless) 64-byte signature."""
    body = tx_pb2.TxBody(messages=msgs, memo=memo)
    single = tx_pb2.ModeInfo.Single(mode=signing_pb2.SIGN_MODE_DIRECT)
    auth = tx_pb2.AuthInfo(
        signer_infos=[tx_pb2.SignerInfo(mode_info=tx_pb2.ModeInfo(single=single), sequence=0)],
        fee=tx_pb2.Fee(amount=[Coin(denom="uusdc", amount="5000")], gas_limit=gas),
    )
    return tx_pb2.TxRaw(
        body_bytes=body.SerializeToString(deterministic=True),
        auth_info_bytes=auth.SerializeToString(deterministic=True),
        signatures=[b"\x01" * 64],
    ).SerializeToString(deterministic=True)


def _send(amount: str) -> PbAny:
    accounts = load_demo_accounts()
    msg = bank_tx.MsgSend(from_address=accounts[0]["address"], to_address=accounts[1]["address"],
                          amount=[Coin(denom="uusdc", amount=amount)])
    return PbAny(type_url="/cosmos.bank.v1beta1.MsgSend",
                 value=msg.SerializeToString(deterministic=True))


def hostile_tx(kind: str, max_gas: int) -> bytes:
    """The hostile tx of ``kind`` (a pure function: the test computes the same bytes)."""
    if kind == "huge_amount":
        refund = orders_tx.MsgRefundOrder(signer=load_demo_accounts()[0]["address"],
                                          order_id="ord_0123456789", amount="9" * 4301)
        packed = PbAny(type_url="/stateset.orders.v1.MsgRefundOrder",
                       value=refund.SerializeToString(deterministic=True))
        return _tx([packed], gas=200_000)
    if kind == "random_bytes":
        return hashlib.sha256(b"byzantine").digest() * 8
    if kind == "unknown_msg":
        return _tx([PbAny(type_url="/evil.v1.MsgTakeEverything", value=b"\x0a\x01x")], 200_000)
    if kind == "over_gas":
        return _tx([_send("1")], gas=max_gas + 1)
    if kind == "oversized":
        return _tx([_send("1")], gas=200_000, memo="x" * 70_000)
    raise ValueError(kind)


class ByzantineApp(AbciApp):
    """The standard app whose proposals carry hostile txs."""

    proposals = 0

    def prepare_proposal(self, req: abci.RequestPrepareProposal) -> abci.ResponsePrepareProposal:
        honest = super().prepare_proposal(req)
        kind = KINDS[self.proposals % len(KINDS)]
        self.proposals += 1
        hostile = hostile_tx(kind, self.core.block_max_gas)
        log.warning("height %d: proposing a %s tx (%d bytes)", req.height, kind, len(hostile))
        return abci.ResponsePrepareProposal(txs=[*honest.txs, hostile])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--home", required=True)
    p.add_argument("--address", required=True)
    args = p.parse_args(argv)
    logging.basicConfig(level="INFO", format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = ByzantineApp(open_app(os.path.join(args.home, "data")))
    return run(app, args.address)


if __name__ == "__main__":
    sys.exit(main())
