"""Upgrade genesis JSON (``stateset.upgrade.v1.GenesisState``, proto field names)::

    {"authority": "stateset1...",                        # default: the gov module address
     "plan": {"name": "v12", "height": "1200", "info": ""},          # optional: pending
     "applied": [{"name": "v11", "height": "800"}],                  # optional
     "module_versions": [{"name": "bank", "version": "2"}, ...]}     # optional

InitChain records this binary's module consensus versions (the SDK's ``SetModuleVersionMap``);
``module_versions``, when given (an export), must be exactly those: a genesis exported by a
binary of other versions is refused rather than run in a layout its state is not in. Export
writes everything back, so ``init(export(s))`` reproduces the store.
"""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.errors import ChainError
from stateset_chain.upgrade.errors import InvalidGenesis
from stateset_chain.upgrade.msgs.common import validate_plan
from stateset_chain.upgrade.state import UpgradeKeeper
from stateset_chain.upgrade.versions import ModuleVersions

from cosmos.upgrade.v1beta1.upgrade_pb2 import Plan
from stateset.upgrade.v1.upgrade_pb2 import (
    AppliedUpgrade,
    GenesisState,
    ModuleVersion,
    ScheduledPlan,
)


def init_genesis(
    keeper: UpgradeKeeper, versions: ModuleVersions, ctx: Context, data: dict
) -> None:
    state = GenesisState()
    try:
        json_format.ParseDict(data, state)
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    store = ctx.store
    if state.authority:
        try:
            require_address(state.authority, "authority")
        except ChainError as e:
            raise InvalidGenesis(e.log) from None
        keeper.authority_item.set(store, state.authority)
    for done in state.applied:
        if not done.name or done.height <= 0 or keeper.applied_height(store, done.name):
            raise InvalidGenesis(f"applied upgrade {done.name!r} at {done.height}")
        keeper.applied.set(store, done.name, done.height)
    if state.HasField("plan"):
        plan = Plan(name=state.plan.name, height=state.plan.height, info=state.plan.info)
        try:
            validate_plan(plan)
        except ChainError as e:
            raise InvalidGenesis(f"plan: {e.log}") from None
        if plan.height < ctx.block.height or keeper.applied_height(store, plan.name):
            raise InvalidGenesis(f"plan {plan.name!r} at {plan.height} is past or applied")
        keeper.schedule(store, plan)
    current = versions.current()
    given = {v.name: v.version for v in state.module_versions}
    if given and given != current:
        raise InvalidGenesis(
            f"module versions {sorted(given.items())} are not this binary's "
            f"{sorted(current.items())}"
        )
    keeper.set_module_versions(store, current)


def export_genesis(keeper: UpgradeKeeper, ctx: Context) -> dict:
    store = ctx.store
    plan = keeper.plan(store)
    vm = keeper.module_versions(store)
    state = GenesisState(
        authority=keeper.authority_item.get(store) or "",  # unset: the default stays unset
        applied=[AppliedUpgrade(name=n, height=h) for n, h in keeper.all_applied(store)],
        module_versions=[ModuleVersion(name=n, version=vm[n]) for n in sorted(vm)],
    )
    if plan is not None:
        state.plan.CopyFrom(ScheduledPlan(name=plan.name, height=plan.height, info=plan.info))
    return json_format.MessageToDict(state, preserving_proto_field_name=True)
