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


def test_export_writes_a_large_list_to_a_file_named_by_its_digest(home, tmp_path):
    """Above ``--max-inline-bytes`` the orders go to a file beside the genesis; InitChain with
    that genesis (and the file in its directory) gives the app hash of the inline one."""
    import hashlib

    from stateset_chain.abci.adapter import AbciApp
    from stateset_chain.wiring import standard_app
    from tests.chain import BlockDriver

    app_home, state = home
    inline_out, split_out = tmp_path / "inline" / "genesis.json", tmp_path / "split" / "g.json"
    inline_out.parent.mkdir()
    split_out.parent.mkdir()
    assert main(["export", "--home", str(app_home), "--output", str(inline_out)]) == 0
    split_args = ["--output", str(split_out), "--max-inline-bytes", "0"]
    assert main(["export", "--home", str(app_home), *split_args]) == 0
    inline, split = json.loads(inline_out.read_text()), json.loads(split_out.read_text())
    assert sorted(p.name for p in inline_out.parent.iterdir()) == ["genesis.json"]
    orders_file = split_out.parent / "g.orders.orders.json"
    ref = split["app_state"]["orders"]["orders"]
    digest = hashlib.sha256(orders_file.read_bytes()).hexdigest()
    assert ref == {"path": orders_file.name, "sha256": digest}
    assert json.loads(orders_file.read_bytes()) == inline["app_state"]["orders"]["orders"]
    hashes = []
    for doc, directory in ((inline, None), (split, split_out.parent)):
        app = standard_app(CommitStore.in_memory())
        app.genesis_dir = None if directory is None else str(directory)
        driver = BlockDriver(AbciApp(app), chain_id=CHAIN_ID)
        driver.init(json.dumps(doc["app_state"]).encode(), initial_height=4)
        hashes.append(driver.finalize([]).app_hash)
    assert hashes[0] == hashes[1]


def test_start_finds_the_genesis_directory_beside_or_inside_the_home(tmp_path):
    from stateset_chain.cli.main import genesis_dir

    home = tmp_path / "node" / "app"
    home.mkdir(parents=True)
    assert genesis_dir("", home) is None
    (home / "config").mkdir()
    (home / "config" / "genesis.json").write_text("{}")
    assert genesis_dir("", home) == str(home / "config")
    (tmp_path / "node" / "config").mkdir()
    (tmp_path / "node" / "config" / "genesis.json").write_text("{}")
    assert genesis_dir("", home) == str(tmp_path / "node" / "config")  # the CometBFT home's
    assert genesis_dir("/given", home) == "/given"
