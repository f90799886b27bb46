"""A planned upgrade in-process, across a real layout change (the orders' index of open orders
by party, 0x31, and the compliance freeze queue's bound).

The previous release (tests/upgrade/old_binary.py: layout 12, orders and compliance at version 1:
no 0x31 writes, params without freeze_drain_limit; no "v13" handler) runs a chain on LevelDB
with a paid order; the authority schedules "v13" at height H. At H the old binary halts in
FinalizeBlock with the SDK's message and commits nothing; this release opens the same database,
re-runs block H (as CometBFT's handshake replays it), migrates in place (the paid order indexed
under its parties, the bound at its default) and continues. The bank's 1 -> 2 migration of the
plan "v11" has its own test (tests/bank/test_migrations.py); the oracle module that "v12" added
started from its default genesis.
"""

from __future__ import annotations

import logging

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.app import IncompatibleState
from stateset_chain.coins import SSUSD, Coin
from stateset_chain.orders.keys import OPEN_BY_PARTY_PREFIX
from stateset_chain.store.commit import CommitStore
from stateset_chain.upgrade.errors import BinaryTooNew, UpgradeNeeded
from stateset_chain.wiring import standard_app
from tests.chain import Chain, address, genesis_bytes, wallet
from tests.upgrade.old_binary import PLAN, old_app, previous_release

from cosmos.upgrade.v1beta1 import query_pb2 as uq
from cosmos.upgrade.v1beta1 import tx_pb2 as utx
from cosmos.upgrade.v1beta1 import upgrade_pb2
from stateset.compliance.v1 import query_pb2 as cq
from stateset.orders.v1 import query_pb2 as oq
from stateset.orders.v1 import tx_pb2 as otx
from tendermint.abci import types_pb2 as abci

H = 6


def keys_under(store: CommitStore, prefix: bytes) -> list[bytes]:
    return [k for k, _ in store.state.iterate() if k.startswith(prefix)]


def compliance_params(chain: Chain):
    res = chain.query("/stateset.compliance.v1.Query/Params", cq.QueryParamsRequest())
    assert res.code == 0, res.log
    return cq.QueryParamsResponse.FromString(res.value).params


def schedule(chain: Chain, name: str = PLAN, height: int = H) -> abci.ExecTxResult:
    admin = chain.wallets[0]
    msg = utx.MsgSoftwareUpgrade(
        authority=address(admin), plan=upgrade_pb2.Plan(name=name, height=height, info="v13.0.0")
    )
    return chain.block([chain.sign(admin, [msg])]).tx_results[0]


def start_old(path: str) -> Chain:
    """A new chain on the previous release (call inside ``previous_release()``)."""
    app = old_app(CommitStore.open(path))
    app.check_invariants_every_block = True
    chain = Chain(AbciApp(app), [wallet(i) for i in range(4)])
    chain.init(genesis_bytes(chain.wallets))
    chain.block([])
    return chain


def reopen(chain: Chain, path: str, build) -> Chain:
    chain.core.store.close()
    app = build(CommitStore.open(path))
    app.check_invariants_every_block = True
    return Chain(AbciApp(app), chain.wallets, height=chain.height, sequences=chain.sequences,
                 numbers=chain.numbers)


@pytest.fixture
def halted(tmp_path, caplog):
    """The old binary's chain with one paid order, halted at H; returns (chain, db path, its
    module names)."""
    path = str(tmp_path / "state")
    with previous_release():
        chain = start_old(path)
        customer, merchant = chain.wallets[1], chain.wallets[3]
        assert chain.block([chain.create_order(customer, merchant, 1)]).tx_results[0].code == 0
        order = oq.QueryOrdersResponse.FromString(chain.query(
            "/stateset.orders.v1.Query/Orders", oq.QueryOrdersRequest()).value).orders[0]
        pay = otx.MsgPayOrder(payer=order.customer, order_id=order.id,
                              amount=Coin(SSUSD, order.total).to_proto())
        assert chain.block([chain.sign(customer, [pay])]).tx_results[0].code == 0
        assert not keys_under(chain.core.store, OPEN_BY_PARTY_PREFIX)  # the old layout
        assert compliance_params(chain).freeze_drain_limit == 0
        before = [m.name for m in chain.core.modules]
        assert schedule(chain).code == 0
        while chain.height < H - 1:
            chain.block([chain.send(chain.wallets[1], address(chain.wallets[2]), 5)])
        committed = chain.core.store.last_app_hash
        with caplog.at_level(logging.ERROR, logger="stateset.upgrade"), pytest.raises(
            UpgradeNeeded, match=r'^UPGRADE "v13" NEEDED at height: 6: v13.0.0$'
        ):
            chain.finalize([])
        assert 'UPGRADE "v13" NEEDED at height: 6: v13.0.0' in caplog.text
        assert chain.core.store.last_height == H - 1  # nothing of H committed
        assert chain.core.store.last_app_hash == committed
    return chain, path, before


def test_the_old_binary_halts_and_the_new_one_migrates_and_continues(halted):
    chain, path, before = halted
    new = reopen(chain, path, standard_app)
    res = new.block([new.send(new.wallets[1], address(new.wallets[2]), 5)])  # block H, replayed
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    applied = [e for e in res.events if e.type == "stateset.upgrade.v1.UpgradeApplied"]
    assert len(applied) == 1
    attrs = {a.key: a.value for a in applied[0].attributes}
    assert (attrs["name"], attrs["height"], attrs["from_layout"], attrs["to_layout"]) == (
        '"v13"', '"6"', '"12"', '"13"')
    store = new.core.store
    assert sorted(before) == sorted(m.name for m in new.core.modules)  # no new module
    # the paid order, indexed under its customer, merchant and platform (the admin)
    assert len(keys_under(store, OPEN_BY_PARTY_PREFIX)) == 3
    assert compliance_params(new).freeze_drain_limit == 1000
    for name in ("orders", "compliance"):
        versions = uq.QueryModuleVersionsResponse.FromString(new.query(
            "/cosmos.upgrade.v1beta1.Query/ModuleVersions", uq.QueryModuleVersionsRequest(
                module_name=name)).value).module_versions
        assert [(v.name, v.version) for v in versions] == [(name, 2)]
    height = uq.QueryAppliedPlanResponse.FromString(new.query(
        "/cosmos.upgrade.v1beta1.Query/AppliedPlan", uq.QueryAppliedPlanRequest(name=PLAN)
    ).value).height
    assert height == H
    plan = uq.QueryCurrentPlanResponse.FromString(new.query(
        "/cosmos.upgrade.v1beta1.Query/CurrentPlan", uq.QueryCurrentPlanRequest()).value)
    assert not plan.HasField("plan")
    for _ in range(3):  # and it goes on (invariants checked every block)
        new.block([new.send(new.wallets[2], address(new.wallets[1]), 3)])
    # restarted, this release runs over its own state; the old one refuses it
    again = reopen(new, path, standard_app)
    again.block([])
    again.core.store.close()
    with previous_release(), pytest.raises(IncompatibleState, match="upgrade 'v13'"):
        old_app(CommitStore.open(path))


def test_the_old_binary_restarted_at_the_plan_halts_again(halted):
    chain, path, _ = halted
    with previous_release():
        again = reopen(chain, path, old_app)
        with pytest.raises(UpgradeNeeded):
            again.finalize([])
        again.core.store.close()


def test_the_new_binary_refuses_to_start_before_the_plan_height(tmp_path):
    path = str(tmp_path / "state")
    with previous_release():
        chain = start_old(path)
        assert schedule(chain, height=H + 10).code == 0
        chain.core.store.close()
    with pytest.raises(IncompatibleState, match="BINARY UPDATED BEFORE TRIGGER"):
        standard_app(CommitStore.open(path))


def test_a_plan_this_binary_already_handles_halts_it_before_the_height():
    """Scheduled while the new binary already runs (it should not run yet): the SDK's check."""
    chain = Chain.start()
    assert schedule(chain, height=chain.height + 5).code == 0
    with pytest.raises(BinaryTooNew, match="BINARY UPDATED BEFORE TRIGGER"):
        chain.finalize([])


def test_a_canceled_plan_does_not_halt(tmp_path):
    path = str(tmp_path / "state")
    with previous_release():
        chain = start_old(path)
        assert schedule(chain, height=chain.height + 3).code == 0
        admin = chain.wallets[0]
        res = chain.block([chain.sign(admin, [utx.MsgCancelUpgrade(authority=address(admin))])])
        assert res.tx_results[0].code == 0, res.tx_results[0].log
        for _ in range(4):
            chain.block([])
        chain.core.store.close()


def test_a_new_chain_records_this_binarys_module_versions():
    chain = Chain.start()
    res = chain.query("/cosmos.upgrade.v1beta1.Query/ModuleVersions",
                      uq.QueryModuleVersionsRequest())
    versions = dict((v.name, v.version) for v in
                    uq.QueryModuleVersionsResponse.FromString(res.value).module_versions)
    assert versions["bank"] == 2 and versions["upgrade"] == 1
    assert versions["orders"] == 2 and versions["compliance"] == 2
    assert sorted(versions) == sorted(m.name for m in chain.core.modules)
    assert chain.app.info(abci.RequestInfo()).app_version == 13
