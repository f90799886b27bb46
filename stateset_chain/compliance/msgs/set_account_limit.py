"""MsgSetAccountLimit: an account's daily and monthly outflow limits for a denom.

signer    signer: params.compliance_authority
validate  signer and address canonical                              -> sdk InvalidAddress
          denom a valid denom                                       -> InvalidLimit
          daily <= monthly when both are set                        -> InvalidLimit
guard     the signer is the compliance authority                    -> NotAuthorized
          removing (both 0) a limit that exists                     -> NotBlocked
change    AccountLimit{address, denom, daily, monthly}, or (both 0) the limit and its volumes
          deleted
emit      AccountLimitSet{signer, limit} or AccountLimitRemoved{signer, address, denom}

Volumes are counted only while a limit exists: a new limit starts from what the account sends
after it (SPEC.md, "Account limits").
"""

from __future__ import annotations

import re

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import keys
from stateset_chain.compliance.errors import InvalidLimit, NotBlocked
from stateset_chain.compliance.msgs.common import require_address, require_compliance_authority
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context

from stateset.compliance.v1 import events_pb2 as events
from stateset.compliance.v1 import tx_pb2 as tx
from stateset.compliance.v1.compliance_pb2 import AccountLimit

MSG = tx.MsgSetAccountLimit


def signers(msg) -> list[str]:
    return [msg.signer]
DENOM = re.compile(r"[a-zA-Z][a-zA-Z0-9/:._-]{2,127}")  # the SDK's denom grammar


def validate(msg: tx.MsgSetAccountLimit) -> None:
    require_address(msg.signer, "signer")
    require_address(msg.address, "address")
    if not DENOM.fullmatch(msg.denom):
        raise InvalidLimit(f"denom {msg.denom!r}")
    if msg.daily and msg.monthly and msg.daily > msg.monthly:
        raise InvalidLimit(f"daily {msg.daily} > monthly {msg.monthly}")


def handle(keeper: ComplianceKeeper, ctx: Context, msg: tx.MsgSetAccountLimit):
    require_compliance_authority(keeper, ctx.store, msg.signer)
    key = (msg.address, msg.denom)
    if not msg.daily and not msg.monthly:
        if not keeper.account_limits.has(ctx.store, key):
            raise NotBlocked(f"no limit for {msg.address} in {msg.denom}")
        keeper.account_limits.delete(ctx.store, key)
        for window in (keys.DAILY, keys.MONTHLY):
            keeper.volumes.delete(ctx.store, (msg.address, msg.denom, window))
        ctx.events.emit(events.AccountLimitRemoved(
            signer=msg.signer, address=msg.address, denom=msg.denom
        ))
        return tx.MsgSetAccountLimitResponse()
    limit = AccountLimit(
        address=msg.address, denom=msg.denom, daily=msg.daily, monthly=msg.monthly
    )
    keeper.account_limits.set(ctx.store, key, limit)
    ctx.events.emit(events.AccountLimitSet(signer=msg.signer, limit=limit))
    return tx.MsgSetAccountLimitResponse()
