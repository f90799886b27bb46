"""MsgSoftwareUpgrade / MsgCancelUpgrade and the upgrade queries through the whole app: who may
schedule, which plans are refused (each with its own error), and what the queries answer."""

from __future__ import annotations

import pytest
from google.protobuf.any_pb2 import Any as PbAny
from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401
from stateset_chain.upgrade.errors import (
    InvalidPlan,
    InvalidSigner,
    NoUpgradePlanned,
    UpgradeCompleted,
    UpgradeInPast,
)
from stateset_chain.upgrade.state import DEFAULT_AUTHORITY
from tests.chain import Chain, address

from cosmos.upgrade.v1beta1 import query_pb2 as uq
from cosmos.upgrade.v1beta1 import tx_pb2 as utx
from cosmos.upgrade.v1beta1 import upgrade_pb2


@pytest.fixture
def chain() -> Chain:
    return Chain.start()


def run(chain: Chain, msg, who: int = 0):
    return chain.block([chain.sign(chain.wallets[who], [msg])]).tx_results[0]


def upgrade(chain: Chain, who: int = 0, **plan):
    fields = {"name": "v99", "height": chain.height + 10, **plan}
    return utx.MsgSoftwareUpgrade(
        authority=address(chain.wallets[who]), plan=upgrade_pb2.Plan(**fields)
    )


def current_plan(chain: Chain):
    res = chain.query("/cosmos.upgrade.v1beta1.Query/CurrentPlan", uq.QueryCurrentPlanRequest())
    got = uq.QueryCurrentPlanResponse.FromString(res.value)
    return got.plan if got.HasField("plan") else None


def fails_with(result, err) -> bool:
    return (result.codespace, result.code) == (err.codespace, err.code)


def test_the_authority_schedules_and_replaces_and_cancels_a_plan(chain):
    res = run(chain, upgrade(chain, info="binaries: ..."))
    assert res.code == 0, res.log
    assert [e.type for e in res.events].count("stateset.upgrade.v1.UpgradeScheduled") == 1
    assert current_plan(chain).name == "v99"
    assert run(chain, upgrade(chain, name="v99b")).code == 0  # replaces it, as in the SDK
    assert current_plan(chain).name == "v99b"
    res = run(chain, utx.MsgCancelUpgrade(authority=address(chain.wallets[0])))
    assert res.code == 0, res.log
    assert "stateset.upgrade.v1.UpgradeCanceled" in [e.type for e in res.events]
    assert current_plan(chain) is None


def test_only_the_authority_may_schedule_or_cancel(chain):
    assert fails_with(run(chain, upgrade(chain, who=1), who=1), InvalidSigner)
    assert run(chain, upgrade(chain)).code == 0
    res = run(chain, utx.MsgCancelUpgrade(authority=address(chain.wallets[1])), who=1)
    assert fails_with(res, InvalidSigner)
    assert current_plan(chain).name == "v99"


@pytest.mark.parametrize("plan", [
    {"name": ""},
    {"name": "x" * 141},
    {"height": 0},
    {"info": "i" * 10_001},
    {"time": Timestamp(seconds=1_800_000_000)},
    {"upgraded_client_state": PbAny(type_url="/x", value=b"1")},
])
def test_a_malformed_plan_is_refused(chain, plan):
    res = run(chain, upgrade(chain, **plan))
    assert fails_with(res, InvalidPlan), res.log
    assert current_plan(chain) is None


def test_a_plan_at_or_before_the_current_block_is_refused(chain):
    res = run(chain, upgrade(chain, height=chain.height + 1))  # the block the tx runs in
    assert fails_with(res, UpgradeInPast), res.log


def test_a_name_already_applied_is_refused(chain):
    # genesis may carry applied upgrades (an export after one): v11 applied at height 1
    res = chain.query("/cosmos.upgrade.v1beta1.Query/AppliedPlan",
                      uq.QueryAppliedPlanRequest(name="v11"))
    assert uq.QueryAppliedPlanResponse.FromString(res.value).height == 0
    applied_chain = Chain.start()
    genesis_with_applied(applied_chain)
    res = run(applied_chain, upgrade(applied_chain, name="v11"))
    assert fails_with(res, UpgradeCompleted), res.log


def genesis_with_applied(chain: Chain) -> None:
    """Restart ``chain`` from a genesis whose upgrade section records v11 applied at 1."""
    import json

    from stateset_chain.abci.adapter import AbciApp
    from stateset_chain.export import export_app_state
    from stateset_chain.store.commit import CommitStore
    from stateset_chain.wiring import standard_app
    from tests.chain import CHAIN_ID, timestamp

    from tendermint.abci import types_pb2 as abci

    state = export_app_state(chain.core)
    state["upgrade"]["applied"] = [{"name": "v11", "height": "1"}]
    app = standard_app(CommitStore.in_memory())
    app.check_invariants_every_block = True
    start = chain.height + 1
    wire = AbciApp(app)
    wire.init_chain(abci.RequestInitChain(
        chain_id=CHAIN_ID, initial_height=start, time=timestamp(start),
        app_state_bytes=json.dumps(state).encode(),
    ))
    chain.app = wire
    chain.height = start - 1
    chain.block([])


def test_cancel_without_a_plan_is_refused(chain):
    res = run(chain, utx.MsgCancelUpgrade(authority=address(chain.wallets[0])))
    assert fails_with(res, NoUpgradePlanned), res.log


def test_queries(chain):
    res = chain.query("/cosmos.upgrade.v1beta1.Query/Authority", uq.QueryAuthorityRequest())
    assert uq.QueryAuthorityResponse.FromString(res.value).address == address(chain.wallets[0])
    res = chain.query("/cosmos.upgrade.v1beta1.Query/ModuleVersions",
                      uq.QueryModuleVersionsRequest(module_name="nothing"))
    assert (res.codespace, res.code) == ("sdk", 22), res.log  # a gRPC NotFound
    assert current_plan(chain) is None


def test_the_default_authority_is_the_gov_module_address():
    from stateset_chain.store.kv import MemoryKV
    from stateset_chain.upgrade.state import UpgradeKeeper

    assert UpgradeKeeper().authority(MemoryKV()) == DEFAULT_AUTHORITY
