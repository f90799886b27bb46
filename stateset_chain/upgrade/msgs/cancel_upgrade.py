"""``cosmos.upgrade.v1beta1.MsgCancelUpgrade``: the authority drops the pending plan.

signer    authority
validate  authority is a canonical address                         -> sdk InvalidAddress
guard     the signer is the upgrade authority                      -> InvalidSigner
          a plan is pending                                        -> NoUpgradePlanned
change    the plan is deleted
emit      stateset.upgrade.v1.UpgradeCanceled

(The SDK accepts a cancel with nothing pending; a clear error says more to whoever sent it.)
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.upgrade.errors import NoUpgradePlanned
from stateset_chain.upgrade.events import UpgradeCanceled
from stateset_chain.upgrade.msgs.common import require_address, require_authority
from stateset_chain.upgrade.state import UpgradeKeeper

from cosmos.upgrade.v1beta1 import tx_pb2 as tx

MSG = tx.MsgCancelUpgrade


def signers(msg: tx.MsgCancelUpgrade) -> list[str]:
    return [msg.authority]


def validate(msg: tx.MsgCancelUpgrade) -> None:
    require_address(msg.authority, "authority")


def handle(
    keeper: UpgradeKeeper, ctx: Context, msg: tx.MsgCancelUpgrade
) -> tx.MsgCancelUpgradeResponse:
    require_authority(keeper, ctx.store, msg.authority)
    plan = keeper.plan(ctx.store)
    if plan is None:
        raise NoUpgradePlanned("no upgrade is scheduled")
    keeper.clear_plan(ctx.store)
    ctx.events.emit(UpgradeCanceled(authority=msg.authority, name=plan.name, height=plan.height))
    return tx.MsgCancelUpgradeResponse()
