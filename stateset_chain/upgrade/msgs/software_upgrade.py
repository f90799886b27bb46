"""``cosmos.upgrade.v1beta1.MsgSoftwareUpgrade``: the authority schedules a plan.

signer    authority
validate  authority is a canonical address                         -> sdk InvalidAddress
          the plan is present: a name (<= 140 bytes), height > 0,
          no time, no client state, info <= 10,000 bytes           -> InvalidPlan
guard     the signer is the upgrade authority                      -> InvalidSigner
          the height is after the current block                    -> UpgradeInPast
          no upgrade of that name was applied                      -> UpgradeCompleted
change    the pending plan is this one (a pending plan is replaced, as in the SDK)
emit      stateset.upgrade.v1.UpgradeScheduled
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.upgrade.errors import InvalidPlan, UpgradeCompleted, UpgradeInPast
from stateset_chain.upgrade.events import UpgradeScheduled
from stateset_chain.upgrade.msgs.common import require_address, require_authority, validate_plan
from stateset_chain.upgrade.state import UpgradeKeeper

from cosmos.upgrade.v1beta1 import tx_pb2 as tx

MSG = tx.MsgSoftwareUpgrade


def signers(msg: tx.MsgSoftwareUpgrade) -> list[str]:
    return [msg.authority]


def validate(msg: tx.MsgSoftwareUpgrade) -> None:
    require_address(msg.authority, "authority")
    if not msg.HasField("plan"):
        raise InvalidPlan("plan is missing")
    validate_plan(msg.plan)


def handle(
    keeper: UpgradeKeeper, ctx: Context, msg: tx.MsgSoftwareUpgrade
) -> tx.MsgSoftwareUpgradeResponse:
    plan = msg.plan
    require_authority(keeper, ctx.store, msg.authority)
    if plan.height <= ctx.block.height:
        raise UpgradeInPast(f"height {plan.height} is not after the current {ctx.block.height}")
    done = keeper.applied_height(ctx.store, plan.name)
    if done is not None:
        raise UpgradeCompleted(f"upgrade {plan.name!r} was applied at height {done}")
    keeper.schedule(ctx.store, plan)
    ctx.events.emit(UpgradeScheduled(
        authority=msg.authority, name=plan.name, height=plan.height, info=plan.info
    ))
    return tx.MsgSoftwareUpgradeResponse()
