"""``statesetd export`` over a node's LevelDB: the genesis document, and its refusals."""

from __future__ import annotations

import json

import pytest

from stateset_chain.cli.main import main
from stateset_chain.export import export_app_state
from stateset_chain.store import leveldb
from stateset_chain.store.commit import CommitStore
from tests.chain import CHAIN_ID, Chain, address


def make_home(tmp_path, keep_versions: int = 1):
    """A stopped node: its app home ``node/app`` (a LevelDB state at height 3) inside a CometBFT
    home ``node`` whose config/genesis.json it was started from."""
    app_home = tmp_path / "node" / "app"
    (app_home / "data").mkdir(parents=True)
    store = CommitStore.open(str(app_home / "data" / "state"), keep_versions=keep_versions)
    chain = Chain.start(store=store)
    w = chain.wallets
    chain.block([chain.send(w[0], address(w[1]), 1234), chain.create_order(w[1], w[2], 1)])
    chain.block([])
    state = export_app_state(chain.core)
    store.close()
    config = tmp_path / "node" / "config"
    config.mkdir()
    (config / "genesis.json").write_text(json.dumps({
        "genesis_time": "2023-11-14T22:13:20Z", "chain_id": CHAIN_ID, "initial_height": "1",
        "consensus_params": {"block": {"max_bytes": "22020096", "max_gas": "-1"}},
        "validators": [{"address": "AB", "name": "v0", "power": "10",
                        "pub_key": {"type": "tendermint/PubKeyEd25519", "value": "AA=="}}],
        "app_hash": "", "app_state": {},
    }))
    return app_home, state


@pytest.fixture
def home(tmp_path):
    return make_home(tmp_path)


def test_export_at_a_kept_past_height(tmp_path, capsys):
    app_home, _ = make_home(tmp_path, keep_versions=0)
    assert main(["export", "--home", str(app_home), "--height", "2"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["initial_height"] == "3"
    assert len(doc["app_state"]["orders"]["orders"]) == 1  # created in block 2


def test_export_writes_the_continuing_genesis(home, tmp_path, capsys):
    app_home, state = home
    out = tmp_path / "exported.json"
    assert main(["export", "--home", str(app_home), "--output", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["initial_height"] == "4" and doc["chain_id"] == CHAIN_ID
    assert doc["genesis_time"] == "2023-11-14T22:13:20Z"
    assert doc["validators"][0]["name"] == "v0"
    assert doc["consensus_params"]["block"]["max_gas"] == "100000000"  # what InitChain recorded
    assert json.loads(json.dumps(state)) == doc["app_state"]
    assert main(["export", "--home", str(app_home), "--height", "3"]) == 0
    assert json.loads(capsys.readouterr().out) == doc


def test_export_refuses_a_height_not_held(home, capsys):
    app_home, _ = home
    assert main(["export", "--home", str(app_home), "--height", "2"]) == 1
    assert "height 2 is not available: this node keeps heights 3 to 3" in capsys.readouterr().err


def test_export_refuses_while_the_node_holds_the_database(home, capsys):
    app_home, _ = home
    db = leveldb.open_db(str(app_home / "data" / "state"))
    try:
        assert main(["export", "--home", str(app_home)]) == 1
    finally:
        db.close()
    assert "is its node still running?" in capsys.readouterr().err


def test_export_needs_the_genesis_it_was_started_from(home, tmp_path, capsys):
    app_home, _ = home
    (tmp_path / "node" / "config" / "genesis.json").unlink()
    assert main(["export", "--home", str(app_home)]) == 1
    assert "pass --genesis FILE" in capsys.readouterr().err


def test_export_of_a_home_without_state(tmp_path, capsys):
    assert main(["export", "--home", str(tmp_path)]) == 1
    assert "holds no app state" in capsys.readouterr().err
