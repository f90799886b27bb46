"""``cosmos.bank.v1beta1.MsgSend``: move coins from the signer to another address.

validate  from/to are canonical ``stateset`` bech32; coins non-empty, positive, sorted, unique
guard     the recipient is not blocked: a module account,
          or a wired extra (an order deposit address)      -> BlockedRecipient
          every denom is known (genesis ``denoms`` or minted) -> UnknownDenom
          the sender holds every coin                       -> InsufficientFunds (sdk 5)
change    balances move; the recipient gets an account if it had none
emit      stateset.bank.v1.CoinsTransferred
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.errors import BlockedRecipient, UnknownDenom
from stateset_chain.bank.state import BankKeeper
from stateset_chain.coins import coins_from_proto
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import InvalidAddress, InvalidCoins

from cosmos.bank.v1beta1 import tx_pb2


def require_address(addr: str, field: str) -> None:
    """A valid ``stateset`` address in its canonical (lower-case) spelling."""
    try:
        raw = address.decode(addr)
    except InvalidAddress as e:
        raise InvalidAddress(f"invalid {field}: {e.detail}") from None
    if address.encode(raw) != addr:
        raise InvalidAddress(f"invalid {field}: {addr!r} is not in canonical form")


def send_signers(msg: tx_pb2.MsgSend) -> list[str]:
    return [msg.from_address]


def validate_send(msg: tx_pb2.MsgSend) -> None:
    require_address(msg.from_address, "from address")
    require_address(msg.to_address, "to address")
    if not msg.amount:
        raise InvalidCoins("send amount is empty")
    coins_from_proto(msg.amount)


def handle_send(keeper: BankKeeper, ctx: Context, msg: tx_pb2.MsgSend) -> tx_pb2.MsgSendResponse:
    coins = coins_from_proto(msg.amount)
    blocked = keeper.blocked_reason(msg.to_address)
    if blocked is not None:
        raise BlockedRecipient(f"{msg.to_address} is {blocked}")
    for c in coins:
        if not keeper.is_known_denom(ctx.store, c.denom):
            raise UnknownDenom(f"denom {c.denom!r} is not sendable")
    keeper.send(ctx, msg.from_address, msg.to_address, coins)
    return tx_pb2.MsgSendResponse()
