"""Token messages (signer: the token controller).

MsgLinkTokenPair{signer, remote_domain, remote_token, local_token}
    validate  remote_token is 32 bytes                              -> InvalidBytes32
    guard     signer is the token controller                        -> NotTokenController
              local_token is uusdc (any case)                       -> UnsupportedLocalToken
              (remote_domain, remote_token) is not linked yet       -> TokenPairAlreadyLinked
    change    token pair := uusdc
    emit      TokenPairLinked{local_token, remote_domain, remote_token}

MsgUnlinkTokenPair{signer, remote_domain, remote_token, local_token}
    guard     signer is the token controller                        -> NotTokenController
              the pair is linked                                    -> TokenPairNotLinked
    change    the pair is removed (``local_token`` is not consulted, as in Noble)
    emit      TokenPairUnlinked{local_token (the linked one), remote_domain, remote_token}

MsgSetMaxBurnAmountPerMessage{signer, local_token, amount}
    validate  amount is a canonical decimal < 2**256 (0 allowed)    -> InvalidAmount
    guard     signer is the token controller                        -> NotTokenController
              local_token is uusdc (any case)                       -> UnsupportedLocalToken
    change    burn limit of uusdc := amount
    emit      SetBurnLimitPerMessage{token, burn_limit_per_message}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import (
    NotTokenController,
    TokenPairAlreadyLinked,
    TokenPairNotLinked,
    UnsupportedLocalToken,
)
from stateset_chain.cctp.keys import LOCAL_TOKEN
from stateset_chain.cctp.msgs.common import (
    parse_amount,
    require_bytes32,
    require_role,
    route,
    validate_signer,
)
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx


def supported_local_token(denom: str) -> str:
    """The local token, lower-cased as Noble stores it; only uusdc is minted and burned here."""
    if denom.lower() != LOCAL_TOKEN:
        raise UnsupportedLocalToken(f"{denom!r}; only {LOCAL_TOKEN} is supported")
    return LOCAL_TOKEN


def validate_pair(msg: tx.MsgLinkTokenPair | tx.MsgUnlinkTokenPair) -> None:
    validate_signer(msg)
    require_bytes32(msg.remote_token, "remote token")


def link_token_pair(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgLinkTokenPair
) -> tx.MsgLinkTokenPairResponse:
    require_role(keeper.token_controller(ctx.store), msg.signer, NotTokenController)
    local_token = supported_local_token(msg.local_token)
    if keeper.token_pair(ctx.store, msg.remote_domain, msg.remote_token) is not None:
        raise TokenPairAlreadyLinked(f"domain {msg.remote_domain} 0x{msg.remote_token.hex()}")
    keeper.link_token_pair(ctx.store, msg.remote_domain, msg.remote_token, local_token)
    ctx.events.emit(
        events.TokenPairLinked(
            local_token=local_token, remote_domain=msg.remote_domain, remote_token=msg.remote_token
        )
    )
    return tx.MsgLinkTokenPairResponse()


def unlink_token_pair(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUnlinkTokenPair
) -> tx.MsgUnlinkTokenPairResponse:
    require_role(keeper.token_controller(ctx.store), msg.signer, NotTokenController)
    local_token = keeper.token_pair(ctx.store, msg.remote_domain, msg.remote_token)
    if local_token is None:
        raise TokenPairNotLinked(f"domain {msg.remote_domain} 0x{msg.remote_token.hex()}")
    keeper.unlink_token_pair(ctx.store, msg.remote_domain, msg.remote_token)
    ctx.events.emit(
        events.TokenPairUnlinked(
            local_token=local_token, remote_domain=msg.remote_domain, remote_token=msg.remote_token
        )
    )
    return tx.MsgUnlinkTokenPairResponse()


def validate_burn_limit(msg: tx.MsgSetMaxBurnAmountPerMessage) -> None:
    validate_signer(msg)
    parse_amount(msg.amount, allow_zero=True)


def set_max_burn_amount_per_message(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgSetMaxBurnAmountPerMessage
) -> tx.MsgSetMaxBurnAmountPerMessageResponse:
    amount = parse_amount(msg.amount, allow_zero=True)
    require_role(keeper.token_controller(ctx.store), msg.signer, NotTokenController)
    denom = supported_local_token(msg.local_token)
    keeper.set_burn_limit(ctx.store, denom, amount)
    ctx.events.emit(events.SetBurnLimitPerMessage(token=denom, burn_limit_per_message=str(amount)))
    return tx.MsgSetMaxBurnAmountPerMessageResponse()


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(tx.MsgLinkTokenPair, validate_pair, lambda c, m: link_token_pair(keeper, c, m)),
        route(tx.MsgUnlinkTokenPair, validate_pair, lambda c, m: unlink_token_pair(keeper, c, m)),
        route(
            tx.MsgSetMaxBurnAmountPerMessage,
            validate_burn_limit,
            lambda c, m: set_max_burn_amount_per_message(keeper, c, m),
        ),
    ]
