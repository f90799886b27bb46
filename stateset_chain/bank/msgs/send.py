"""``cosmos.bank.v1beta1.MsgSend``: move coins from the signer to another address.

signer    from_address
validate  from/to are canonical ``stateset`` bech32                -> sdk InvalidAddress
          coins non-empty, positive, sorted, unique                -> sdk InvalidCoins
guard     the recipient is not blocked: a module account,
          or a registered class (an order deposit address)         -> BlockedRecipient
          every denom is known (genesis ``denoms`` or minted)      -> UnknownDenom
          sender and recipient not sanctioned, the sender's daily and monthly limits per
          denom (the wired send_guard)   -> compliance SanctionedSender, SanctionedRecipient,
                                            DailyLimitExceeded, MonthlyLimitExceeded
          the sender holds every coin                              -> sdk InsufficientFunds
change    balances move; the recipient gets an account if it had none
emit      stateset.bank.v1.CoinsTransferred
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.errors import BlockedRecipient, UnknownDenom
from stateset_chain.bank.state import BankKeeper
from stateset_chain.coins import Coin, coins_from_proto
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.errors import InvalidCoins

from cosmos.bank.v1beta1 import tx_pb2

MSG = tx_pb2.MsgSend


def signers(msg: tx_pb2.MsgSend) -> list[str]:
    return [msg.from_address]


def validate(msg: tx_pb2.MsgSend) -> list[Coin]:
    """The coins to send."""
    require_address(msg.from_address, "from address")
    require_address(msg.to_address, "to address")
    if not msg.amount:
        raise InvalidCoins("send amount is empty")
    return coins_from_proto(msg.amount)


def reads(keeper: BankKeeper, msg: tx_pb2.MsgSend) -> list[bytes]:
    """What ``handle`` reads first: the denoms, the guard's keys, both balances of every coin
    and the recipient's account (read ahead by the block; raises InvalidAddress)."""
    sender, recipient = msg.from_address, msg.to_address
    denoms = [c.denom for c in msg.amount]
    keys = [keeper.denoms.store_key(d) for d in denoms]
    if keeper.send_guard is not None:
        keys += keeper.send_guard.send_reads(sender, recipient, denoms)
    for d in denoms:
        keys.append(keeper.balance_key(sender, d))
        keys.append(keeper.balance_key(recipient, d))
    keys.append(keeper.accounts.account_key(recipient))
    return keys


def handle(
    keeper: BankKeeper, ctx: Context, msg: tx_pb2.MsgSend, parsed: list[Coin]
) -> tx_pb2.MsgSendResponse:
    coins = parsed
    blocked = keeper.blocked_reason(msg.to_address)
    if blocked is not None:
        raise BlockedRecipient(f"{msg.to_address} is {blocked}")
    for c in coins:
        if not keeper.is_known_denom(ctx.store, c.denom):
            raise UnknownDenom(f"denom {c.denom!r} is not sendable")
    if keeper.send_guard is not None:
        keeper.send_guard.check_send(ctx, msg.from_address, msg.to_address, coins)
    keeper.send(ctx, msg.from_address, msg.to_address, coins)
    return tx_pb2.MsgSendResponse()
