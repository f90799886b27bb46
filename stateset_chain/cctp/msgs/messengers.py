"""Owner messages for remote token messengers and the outbound body size.

MsgAddRemoteTokenMessenger{signer, domain_id, address}
    validate  address is 32 bytes                                   -> InvalidBytes32
    guard     signer is the owner                                   -> NotOwner
              no remote token messenger for the domain yet
                                                 -> RemoteTokenMessengerAlreadyExists
    change    remote token messenger of domain_id := address
    emit      RemoteTokenMessengerAdded{domain, remote_token_messenger}

MsgRemoveRemoteTokenMessenger{signer, domain_id}
    guard     signer is the owner                                   -> NotOwner
              one is set for the domain                             -> UnknownRemoteTokenMessenger
    change    it is removed
    emit      RemoteTokenMessengerRemoved{domain, remote_token_messenger (the removed one)}

MsgUpdateMaxMessageBodySize{signer, message_size}
    guard     signer is the owner                                   -> NotOwner
    change    max message body size := message_size
    emit      MaxMessageBodySizeUpdated{new_max_message_body_size}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import (
    NotOwner,
    RemoteTokenMessengerAlreadyExists,
    UnknownRemoteTokenMessenger,
)
from stateset_chain.cctp.msgs.common import require_bytes32, require_role, route, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx


def validate_add(msg: tx.MsgAddRemoteTokenMessenger) -> None:
    validate_signer(msg)
    require_bytes32(msg.address, "remote token messenger address")


def add_remote_token_messenger(
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


def remove_remote_token_messenger(
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


def update_max_message_body_size(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUpdateMaxMessageBodySize
) -> tx.MsgUpdateMaxMessageBodySizeResponse:
    require_role(keeper.owner(ctx.store), msg.signer, NotOwner)
    keeper.set_max_message_body_size(ctx.store, msg.message_size)
    ctx.events.emit(events.MaxMessageBodySizeUpdated(new_max_message_body_size=msg.message_size))
    return tx.MsgUpdateMaxMessageBodySizeResponse()


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(
            tx.MsgAddRemoteTokenMessenger,
            validate_add,
            lambda c, m: add_remote_token_messenger(keeper, c, m),
        ),
        route(
            tx.MsgRemoveRemoteTokenMessenger,
            validate_signer,
            lambda c, m: remove_remote_token_messenger(keeper, c, m),
        ),
        route(
            tx.MsgUpdateMaxMessageBodySize,
            validate_signer,
            lambda c, m: update_max_message_body_size(keeper, c, m),
        ),
    ]
