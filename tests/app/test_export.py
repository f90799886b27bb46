"""Export: a chain started from an exported genesis holds exactly the exported state.

A busy chain (every module's records, tests/app/export_helpers.py) is exported at its last
height; a new app runs InitChain with that genesis (initial height N+1, as CometBFT starts it).
Proved: every store key (consensus and node-local) and value is the same, InitChain's app hash
is the exported height's, every module's export is the same again, every query answers the same,
and both chains compute the same next block.
"""

from __future__ import annotations

import json

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.export import ExportError, export_app_state, export_genesis
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app
from tests.app.export_helpers import busy_net
from tests.chain import CHAIN_ID, Chain, address

from tendermint.abci import types_pb2 as abci


@pytest.fixture(scope="module")
def net():
    return busy_net()


def restart_from(genesis: dict) -> Chain:
    """A new in-memory app started from ``genesis`` as CometBFT would (InitChain at its initial
    height)."""
    app = standard_app(CommitStore.in_memory())
    app.check_invariants_every_block = True
    chain = Chain(AbciApp(app), [], chain_id=genesis["chain_id"])
    chain.init(json.dumps(genesis["app_state"]).encode(), int(genesis["initial_height"]),
               _params(genesis["consensus_params"]))
    return chain


def _params(params: dict):
    from tendermint.types import params_pb2

    out = params_pb2.ConsensusParams()
    out.block.max_gas = int(params["block"]["max_gas"])
    out.block.max_bytes = int(params["block"].get("max_bytes", 22020096))
    return out


def exported(net) -> dict:
    base = {"genesis_time": "2023-11-14T22:13:20Z", "chain_id": CHAIN_ID, "validators": [],
            "consensus_params": {"block": {"max_bytes": "22020096", "max_gas": "-1"}}}
    # through JSON text, as the file a node reads
    return json.loads(json.dumps(export_genesis(net.chain.core, base)))


def all_keys(store) -> list[tuple[bytes, bytes]]:
    return list(store.iterate())


def test_every_module_exports_what_it_imports(net):
    state = export_app_state(net.chain.core)
    importing = [m.name for m in net.chain.core.modules if m.init_genesis is not None]
    assert list(state) == importing
    assert state["orders"]["orders"] and state["inventory"]["reservations"]
    assert state["subscriptions"]["cycles"] and state["conditional"]["conditional_orders"]
    assert state["crosschain"]["unclaimed"] and state["crosschain"]["refund_destinations"]
    assert state["privacy"]["keys"] and state["upgrade"]["plan"]["name"] == "v99"


def test_the_new_chain_starts_with_the_same_state_and_app_hash(net):
    genesis = exported(net)
    assert genesis["initial_height"] == str(net.chain.height + 1)
    new = restart_from(genesis)
    first = new.finalize([])
    # the state the genesis wrote (before the first block's changes) is the exported one
    assert all_keys(new.core._genesis) == all_keys(net.chain.core.store.state)  # type: ignore[arg-type]
    new.commit()
    old = net.chain.block([])
    assert first.app_hash == old.app_hash
    assert all_keys(new.core.store.state) == all_keys(net.chain.core.store.state)
    assert export_app_state(new.core) == export_app_state(net.chain.core)


def test_init_chain_returns_the_exported_heights_app_hash(net):
    genesis = exported(net)
    app = AbciApp(standard_app(CommitStore.in_memory()))
    res = app.init_chain(abci.RequestInitChain(
        chain_id=CHAIN_ID, initial_height=int(genesis["initial_height"]),
        app_state_bytes=json.dumps(genesis["app_state"]).encode(),
        consensus_params=_params(genesis["consensus_params"]),
    ))
    assert res.app_hash == net.chain.core.store.last_app_hash


def test_a_height_the_store_does_not_hold_is_refused(net):
    with pytest.raises(ExportError, match="is not available: this node keeps heights"):
        export_genesis(net.chain.core, {}, height=net.chain.height - 1)
    with pytest.raises(ExportError, match="is not committed yet"):
        export_genesis(net.chain.core, {}, height=net.chain.height + 1)


def test_a_past_height_kept_exports_the_state_of_then():
    """With versions kept, export at a past height N gives what an export at N gave, and a chain
    started from it has N's app hash."""
    store = CommitStore.in_memory()
    store.keep_versions = 0
    chain = Chain.start(store=store)
    w = chain.wallets
    then: dict[int, tuple[dict, bytes]] = {}
    for i in range(4):
        chain.block([chain.send(w[0], address(w[1]), 100 + i), chain.create_order(w[1], w[2], i)])
        then[chain.height] = (export_app_state(chain.core), chain.core.store.last_app_hash)
    for height, (state, app_hash) in then.items():
        genesis = json.loads(json.dumps(export_genesis(chain.core, {}, height=height)))
        assert genesis["initial_height"] == str(height + 1)
        assert genesis["app_state"] == json.loads(json.dumps(state))
        app = AbciApp(standard_app(CommitStore.in_memory()))
        res = app.init_chain(abci.RequestInitChain(
            chain_id=CHAIN_ID, initial_height=height + 1,
            app_state_bytes=json.dumps(genesis["app_state"]).encode(),
            consensus_params=_params(genesis["consensus_params"]),
        ))
        assert res.app_hash == app_hash


def test_a_genesis_of_another_chain_is_refused(net):
    with pytest.raises(ExportError, match="of chain 'other-1'"):
        export_genesis(net.chain.core, {"chain_id": "other-1"})


def test_every_query_answers_the_same_on_both_chains(net):
    from tests.app.export_helpers import answers, every_query

    genesis = exported(net)
    new = restart_from(genesis)
    new.block([])

    def ask(app):
        return lambda path, data: app.query(abci.RequestQuery(path=path, data=data))

    asked = every_query(net.chain.core, genesis["app_state"])
    assert len(asked) > 150
    old_answers = answers(ask(net.chain.app), asked)
    assert sum(1 for a in old_answers if a[2] == 0 and a[5]) > 100  # most find something
    assert answers(ask(new.app), asked) == old_answers


MODULES = ["upgrade", "auth", "bank", "stablecoin", "privacy", "orders", "inventory",
           "subscriptions", "conditional", "cctp", "crosschain"]


@pytest.mark.parametrize("name", MODULES)
def test_each_modules_genesis_round_trips(net, name):
    """Export -> InitChain -> export gives the module's genesis back unchanged (inventory and
    conditional included: their reservations, waiting indexes and sequences)."""
    genesis = exported(net)
    new = restart_from(genesis)
    new.block([])
    again = export_app_state(new.core)
    assert again[name] == genesis["app_state"][name]
    assert any(genesis["app_state"][name].values())  # the busy chain gave it something
