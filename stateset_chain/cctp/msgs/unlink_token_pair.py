"""MsgUnlinkTokenPair: the token controller unlinks a remote token.

Token messages (signer: the token controller).

MsgUnlinkTokenPair{signer, remote_domain, remote_token, local_token}
guard     signer is the token controller                        -> NotTokenController
          the pair is linked                                    -> TokenPairNotLinked
change    the pair is removed (``local_token`` is not consulted, as in Noble)
emit      TokenPairUnlinked{local_token (the linked one), remote_domain, remote_token}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import (
    NotTokenController,
    TokenPairNotLinked,
)
from stateset_chain.cctp.msgs.common import (
    require_bytes32,
    require_role,
    validate_signer,
)
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgUnlinkTokenPair


def signers(msg: tx.MsgUnlinkTokenPair) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUnlinkTokenPair) -> None:
    validate_signer(msg)
    require_bytes32(msg.remote_token, "remote token")


def handle(
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
