"""MsgDepositForBurnWithCaller: MsgDepositForBurn whose mint only ``destination_caller`` may
relay on the destination.

signer    the depositor (any account)
validate  as MsgDepositForBurn; destination_caller is 32 bytes      -> InvalidBytes32
guard     destination_caller is nonzero                             -> InvalidDestinationCaller
          then MsgDepositForBurn's guards (``deposit_for_burn.deposit_for_burn``)
change    amount uusdc: depositor -> cctp module account, burned; nonce reserved
emit      (CoinsTransferred, CoinsBurned), MessageSent{message}, DepositForBurn
response  nonce
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import ZERO32
from stateset_chain.cctp.errors import InvalidDestinationCaller
from stateset_chain.cctp.msgs.common import parse_amount, require_bytes32, validate_signer
from stateset_chain.cctp.msgs.deposit_for_burn import deposit_for_burn
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgDepositForBurnWithCaller


def signers(msg: tx.MsgDepositForBurnWithCaller) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgDepositForBurnWithCaller) -> int:
    """The amount, in base units."""
    validate_signer(msg)
    amount = parse_amount(msg.amount)
    require_bytes32(msg.mint_recipient, "mint recipient")
    require_bytes32(msg.destination_caller, "destination caller")
    return amount


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgDepositForBurnWithCaller, parsed: int
) -> tx.MsgDepositForBurnWithCallerResponse:
    if msg.destination_caller == ZERO32:
        raise InvalidDestinationCaller()
    sent = deposit_for_burn(
        keeper,
        ctx,
        msg.signer,
        parsed,
        msg.destination_domain,
        msg.mint_recipient,
        msg.burn_token,
        msg.destination_caller,
    )
    return tx.MsgDepositForBurnWithCallerResponse(nonce=sent.nonce)
