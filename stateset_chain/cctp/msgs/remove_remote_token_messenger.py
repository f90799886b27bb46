"""MsgRemoveRemoteTokenMessenger: the owner removes a domain's TokenMessenger.

Owner messages for remote token messengers and the outbound body size.

MsgRemoveRemoteTokenMessenger{signer, domain_id}
guard     signer is the owner                                   -> NotOwner
          one is set for the domain                             -> UnknownRemoteTokenMessenger
change    it is removed
emit      RemoteTokenMessengerRemoved{domain, remote_token_messenger (the removed one)}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import (
    NotOwner,
    UnknownRemoteTokenMessenger,
)
from stateset_chain.cctp.msgs.common import require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgRemoveRemoteTokenMessenger


def signers(msg: tx.MsgRemoveRemoteTokenMessenger) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgRemoveRemoteTokenMessenger) -> None:
    validate_signer(msg)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgRemoveRemoteTokenMessenger
) -> tx.MsgRemoveRemoteTokenMessengerResponse:
    require_role(keeper.owner(ctx.store), msg.signer, NotOwner)
    existing = keeper.remote_token_messenger(ctx.store, msg.domain_id)
    if existing is None:
        raise UnknownRemoteTokenMessenger(f"domain {msg.domain_id}")
    keeper.remove_remote_token_messenger(ctx.store, msg.domain_id)
    ctx.events.emit(
        events.RemoteTokenMessengerRemoved(domain=msg.domain_id, remote_token_messenger=existing)
    )
    return tx.MsgRemoveRemoteTokenMessengerResponse()
