"""Localnet generation (``stateset_chain.localnet``): 4 validators on distinct loopback ports
sharing ONE genesis, and what the supervisor (``localnet``) reads of it.

Only files are produced (``cometbft testnet`` + edits); no node or app is started.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localnet import supervisor
from stateset_chain import localnet
from stateset_chain.client import wallet_from_mnemonic
from stateset_chain.crypto.address import module_address
from stateset_chain.localnet import (
    CHAIN_ID,
    build_app_state,
    generate,
    load_demo_accounts,
    load_layout,
    read_config,
)
from tests.cometbft_helpers import COMETBFT

# Not a skip: without the binary these fail with "run bash scripts/setup.sh" (CI must run them).
needs_cometbft = pytest.mark.e2e


def test_demo_mnemonics_derive_the_documented_addresses():
    accounts = load_demo_accounts()
    assert [a["name"] for a in accounts] == ["alice", "bob", "carol", "dave"]
    for a in accounts:
        assert str(wallet_from_mnemonic(a["mnemonic"]).address()) == a["address"]


def test_app_state_funds_every_account_with_coins_sorted_by_denom():
    accounts = [
        {"address": "stateset1b", "balances": [{"denom": "uusdc", "amount": 2},
                                              {"denom": "ussusd", "amount": "1"}]},
        {"address": "stateset1a", "balances": [{"denom": "uusdc", "amount": "5"}]},
    ]
    state = build_app_state(accounts)
    reserve = module_address("stablecoin_reserve")
    assert state["auth"]["accounts"] == sorted(
        [{"address": "stateset1a"}, {"address": "stateset1b"}, {"address": reserve}],
        key=lambda a: a["address"],
    )
    balances = {b["address"]: b["coins"] for b in state["bank"]["balances"]}
    assert balances == {
        "stateset1a": [{"denom": "uusdc", "amount": "5"}],
        "stateset1b": [{"denom": "ussusd", "amount": "1"}, {"denom": "uusdc", "amount": "2"}],
        reserve: [{"denom": "uusdc", "amount": "1"}],  # backs the 1 ussusd handed out
    }
    assert [b["address"] for b in state["bank"]["balances"]] == sorted(balances)
    assert state["bank"]["denoms"] == ["uusdc", "ussusd"]


@pytest.fixture(scope="module")
def four_nodes(tmp_path_factory):
    directory = tmp_path_factory.mktemp("net") / "run"
    nodes = generate(directory, validators=4, cometbft=COMETBFT)
    return directory, nodes


def _config(node) -> dict[str, str]:
    return read_config(Path(node.home) / "config" / "config.toml")


@pytest.mark.e2e
@needs_cometbft
def test_four_nodes_use_distinct_ports_and_sockets(four_nodes):
    _, nodes = four_nodes
    assert len(nodes) == 4
    ports = [p for n in nodes for p in (n.p2p, n.rpc)]
    assert len(set(ports)) == len(ports)
    configs = [_config(n) for n in nodes]
    assert len({c["proxy_app"] for c in configs}) == 4
    assert len({c["rpc.laddr"] for c in configs}) == 4
    assert len({c["p2p.laddr"] for c in configs}) == 4
    assert configs[0]["rpc.laddr"] == "tcp://127.0.0.1:26657"  # the CLI's default --node


@pytest.mark.e2e
@needs_cometbft
def test_every_node_has_the_same_genesis_with_chain_id_and_funded_accounts(four_nodes):
    _, nodes = four_nodes
    texts = {(Path(n.home) / "config" / "genesis.json").read_bytes() for n in nodes}
    assert len(texts) == 1
    genesis = json.loads(texts.pop())
    assert genesis["chain_id"] == CHAIN_ID
    assert len(genesis["validators"]) == 4
    assert genesis["app_state"] == build_app_state(load_demo_accounts())


@pytest.mark.e2e
@needs_cometbft
def test_each_node_peers_with_the_three_others(four_nodes):
    _, nodes = four_nodes
    for node in nodes:
        peers = set(_config(node)["p2p.persistent_peers"].split(","))
        assert peers == {n.p2p_address for n in nodes if n is not node}


@pytest.mark.e2e
@needs_cometbft
def test_nodes_are_configured_for_a_fast_loopback_net(four_nodes):
    _, nodes = four_nodes
    for config in map(_config, nodes):
        assert config["instrumentation.prometheus"] == "false"
        assert config["rpc.pprof_laddr"] == ""
        assert config["consensus.create_empty_blocks"] == "true"
        assert config["tx_index.indexer"] == "kv"
        assert config["consensus.timeout_commit"] == "500ms"
        assert config["mempool.size"] == "2000"
        assert config["mempool.cache_size"] == "100000"
        assert config["mempool.recheck"] == "true"
        assert config["proxy_app"].startswith("unix://")


@pytest.mark.e2e
@needs_cometbft
def test_the_layout_file_records_what_status_and_stop_need(four_nodes):
    directory, nodes = four_nodes
    assert load_layout(directory) == nodes
    assert all((Path(n.app_home) / "data").is_dir() for n in nodes)


@pytest.mark.e2e
@needs_cometbft
def test_generating_over_an_existing_localnet_is_refused(four_nodes):
    directory, _ = four_nodes
    with pytest.raises(localnet.LocalnetError):
        generate(directory, validators=4, cometbft=COMETBFT)


def test_reset_refuses_a_folder_that_is_not_a_localnet(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(localnet.LocalnetError):
        supervisor.Localnet(tmp_path).reset()
    assert (tmp_path / "precious.txt").exists()


def test_free_port_plan_gives_distinct_ports():
    plan = localnet.plan_ports(4, 0)
    ports = [p for node in plan for p in node]
    assert len(set(ports)) == 20  # p2p, rpc, abci tcp, grpc, rest for each of 4 nodes


def test_default_ports_follow_the_documented_plan():
    plan = localnet.plan_ports(4, localnet.BASE_PORT)
    assert plan[0] == (26656, 26657, 26658, 9090, 1317)
    assert plan[3] == (26956, 26957, 26958, 9390, 1617)


@pytest.mark.e2e
@needs_cometbft
def test_generate_writes_keplr_chain_info_for_node0(four_nodes):
    directory, nodes = four_nodes
    info = json.loads((Path(directory) / localnet.CHAIN_INFO_FILE).read_text())
    assert info["chainId"] == localnet.CHAIN_ID
    assert info["rpc"] == nodes[0].rpc_url and info["rest"] == f"http://127.0.0.1:{nodes[0].rest}"
    assert info["bech32Config"]["bech32PrefixAccAddr"] == "stateset"
    assert info["bech32Config"]["bech32PrefixConsAddr"] == "statesetvalcons"
    shown = {c["coinMinimalDenom"]: (c["coinDenom"], c["coinDecimals"]) for c in info["currencies"]}
    assert shown == {"uusdc": ("USDC", 6), "ussusd": ("ssUSD", 6)}
    assert [c["coinMinimalDenom"] for c in info["feeCurrencies"]] == ["uusdc", "ussusd"]
    step = info["feeCurrencies"][0]["gasPriceStep"]
    assert step["low"] <= step["average"] <= step["high"]


def test_genesis_has_denom_metadata_for_both_denoms_with_6_decimals():
    state = localnet.build_app_state(localnet.load_demo_accounts())
    metas = {m["base"]: m for m in state["bank"]["denom_metadata"]}
    assert list(metas) == sorted(metas) == ["ussusd", "uusdc"]  # genesis wants them by base
    for base, symbol in (("uusdc", "USDC"), ("ussusd", "ssUSD")):
        units = {u["denom"]: u["exponent"] for u in metas[base]["denom_units"]}
        assert units[base] == 0 and units[metas[base]["display"]] == 6
        assert metas[base]["symbol"] == symbol


@pytest.mark.e2e
@needs_cometbft
def test_status_lists_each_nodes_grpc_and_rest(four_nodes, capsys):
    directory, nodes = four_nodes
    assert [(n.grpc, n.rest) for n in nodes] == [(9090 + 100 * i, 1317 + 100 * i) for i in range(4)]
    assert json.loads((Path(directory) / "localnet.json").read_text())["nodes"][3]["rest"] == 1617
    supervisor._print_status(supervisor.Localnet(directory))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    for i, line in enumerate(lines):
        assert f"grpc=127.0.0.1:{9090 + 100 * i}" in line
        assert f"rest=http://127.0.0.1:{1317 + 100 * i}" in line
        assert "gateway=down" in line  # generated, not started
