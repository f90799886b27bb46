"""What the upgrade messages share: the signer and plan checks."""

from __future__ import annotations

from stateset_chain.crypto.address import require_address
from stateset_chain.store.kv import KVStore
from stateset_chain.upgrade.errors import InvalidPlan, InvalidSigner
from stateset_chain.upgrade.keys import MAX_INFO_LENGTH, MAX_NAME_LENGTH
from stateset_chain.upgrade.state import UpgradeKeeper

from cosmos.upgrade.v1beta1.upgrade_pb2 import Plan


def require_authority(keeper: UpgradeKeeper, store: KVStore, signer: str) -> None:
    if signer != keeper.authority(store):
        raise InvalidSigner(f"{signer} is not the upgrade authority")


def validate_plan(plan: Plan) -> None:
    """The SDK's ``Plan.ValidateBasic``, with bounds on the texts."""
    if not plan.name:
        raise InvalidPlan("name cannot be empty")
    if len(plan.name.encode()) > MAX_NAME_LENGTH:
        raise InvalidPlan(f"name is longer than {MAX_NAME_LENGTH} bytes")
    if plan.height <= 0:
        raise InvalidPlan("height must be greater than 0")
    if plan.HasField("time") and (plan.time.seconds or plan.time.nanos):
        raise InvalidPlan("time-based upgrades are deprecated: use a height")
    if plan.HasField("upgraded_client_state"):
        raise InvalidPlan("upgraded_client_state is deprecated and must be empty")
    if len(plan.info.encode()) > MAX_INFO_LENGTH:
        raise InvalidPlan(f"info is longer than {MAX_INFO_LENGTH} bytes")


__all__ = ["require_address", "require_authority", "validate_plan"]
