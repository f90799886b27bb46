"""MsgUpdateMaxMessageBodySize: the owner caps the outbound message body.

Owner messages for remote token messengers and the outbound body size.

MsgUpdateMaxMessageBodySize{signer, message_size}
guard     signer is the owner                                   -> NotOwner
change    max message body size := message_size
emit      MaxMessageBodySizeUpdated{new_max_message_body_size}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import (
    NotOwner,
)
from stateset_chain.cctp.msgs.common import require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateMaxMessageBodySize


def signers(msg: tx.MsgUpdateMaxMessageBodySize) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUpdateMaxMessageBodySize) -> None:
    validate_signer(msg)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUpdateMaxMessageBodySize
) -> tx.MsgUpdateMaxMessageBodySizeResponse:
    require_role(keeper.owner(ctx.store), msg.signer, NotOwner)
    keeper.set_max_message_body_size(ctx.store, msg.message_size)
    ctx.events.emit(events.MaxMessageBodySizeUpdated(new_max_message_body_size=msg.message_size))
    return tx.MsgUpdateMaxMessageBodySizeResponse()
