"""MsgAddRemoteTokenMessenger: the owner names a domain's TokenMessenger.

Owner messages for remote token messengers and the outbound body size.

MsgAddRemoteTokenMessenger{signer, domain_id, address}
validate  address is 32 bytes                                   -> InvalidBytes32
guard     signer is the owner                                   -> NotOwner
          no remote token messenger for the domain yet
                                             -> RemoteTokenMessengerAlreadyExists
change    remote token messenger of domain_id := address
emit      RemoteTokenMessengerAdded{domain, remote_token_messenger}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import (
    NotOwner,
    RemoteTokenMessengerAlreadyExists,
)
from stateset_chain.cctp.msgs.common import require_bytes32, require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgAddRemoteTokenMessenger


def signers(msg: tx.MsgAddRemoteTokenMessenger) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgAddRemoteTokenMessenger) -> None:
    validate_signer(msg)
    require_bytes32(msg.address, "remote token messenger address")


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgAddRemoteTokenMessenger
) -> tx.MsgAddRemoteTokenMessengerResponse:
    require_role(keeper.owner(ctx.store), msg.signer, NotOwner)
    if keeper.remote_token_messenger(ctx.store, msg.domain_id) is not None:
        raise RemoteTokenMessengerAlreadyExists(f"domain {msg.domain_id}")
    keeper.set_remote_token_messenger(ctx.store, msg.domain_id, msg.address)
    ctx.events.emit(
        events.RemoteTokenMessengerAdded(domain=msg.domain_id, remote_token_messenger=msg.address)
    )
    return tx.MsgAddRemoteTokenMessengerResponse()
