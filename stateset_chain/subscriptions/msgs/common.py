"""Checks shared by the subscription handlers: ids and the signer's role."""

from __future__ import annotations

import re

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto.address import require_address
from stateset_chain.subscriptions.errors import InvalidSubscriptionId, NotAuthorized

from stateset.subscriptions.v1.subscriptions_pb2 import Subscription

__all__ = ["require_address", "require_party", "require_subscription_id"]

_ID = re.compile(r"^sub_[0-9A-Za-z]{10}$")


def require_subscription_id(sub_id: str) -> None:
    if not _ID.fullmatch(sub_id):
        raise InvalidSubscriptionId(f"{sub_id!r} is not sub_ followed by 10 base62 characters")


def require_party(signer: str, sub: Subscription, allowed: tuple[str, ...], action: str) -> str:
    """The signer's role (``customer`` or ``merchant``) if it is among ``allowed``."""
    for role in allowed:
        if signer == getattr(sub, role):
            return role
    who = " or ".join(allowed)
    raise NotAuthorized(f"{signer} may not {action} subscription {sub.id}: only its {who} may")


def validate_target(signer: str, sub_id: str) -> None:
    require_address(signer, "signer")
    require_subscription_id(sub_id)
