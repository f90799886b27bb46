"""MsgLinkTokenPair: the token controller links a remote token to uusdc.

Token messages (signer: the token controller).

MsgLinkTokenPair{signer, remote_domain, remote_token, local_token}
validate  remote_token is 32 bytes                              -> InvalidBytes32
guard     signer is the token controller                        -> NotTokenController
          local_token is uusdc (any case)                       -> UnsupportedLocalToken
          (remote_domain, remote_token) is not linked yet       -> TokenPairAlreadyLinked
change    token pair := uusdc
emit      TokenPairLinked{local_token, remote_domain, remote_token}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import (
    NotTokenController,
    TokenPairAlreadyLinked,
)
from stateset_chain.cctp.msgs.common import (
    require_bytes32,
    require_role,
    supported_local_token,
    validate_signer,
)
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgLinkTokenPair


def signers(msg: tx.MsgLinkTokenPair) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgLinkTokenPair) -> None:
    validate_signer(msg)
    require_bytes32(msg.remote_token, "remote token")


def handle(
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
