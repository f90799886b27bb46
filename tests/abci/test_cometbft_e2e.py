"""A real CometBFT v0.38 node drives the ABCI server: it makes blocks, commits a tx, answers."""

from __future__ import annotations

import base64

import pytest

from stateset_chain.abci.server import ABCIServer
from tests.abci.kv_app import KVApp
from tests.cometbft_helpers import (
    NodePorts,
    b64,
    configure_node,
    init_home,
    rpc_call,
    running_node,
    wait_for_height,
)

pytestmark = [pytest.mark.e2e]  # never skipped: without CometBFT these fail (run scripts/setup.sh)


def test_cometbft_commits_a_tx_through_the_abci_server_and_it_is_queryable(tmp_path):
    app = KVApp()
    server = ABCIServer(app, "tcp://127.0.0.1:0").start_in_thread()
    try:
        home = init_home(tmp_path / "node")
        ports = NodePorts.free()
        configure_node(home, ports, proxy_app=str(server.address))
        with running_node(home, ports.rpc_url, tmp_path / "cometbft.log") as node:
            wait_for_height(node.rpc_url, 3, timeout=60, node=node)

            result = rpc_call(node.rpc_url, "broadcast_tx_commit", tx=b64(b"name=satoshi"))
            assert result["check_tx"]["code"] == 0, node.log_tail()
            assert result["tx_result"]["code"] == 0, node.log_tail()
            committed_at = int(result["height"])
            assert committed_at > 0

            query = rpc_call(node.rpc_url, "abci_query", data=b"name".hex())["response"]
            assert query["code"] == 0
            assert base64.b64decode(query["value"]) == b"satoshi"
            assert int(query["height"]) >= committed_at

            bad = rpc_call(node.rpc_url, "broadcast_tx_sync", tx=b64(b"no-equals-sign"))
            assert (bad["code"], bad["codespace"]) == (1, "kv")

            info = rpc_call(node.rpc_url, "abci_info")["response"]
            assert int(info["last_block_height"]) >= committed_at
        assert node.process.returncode is not None
    finally:
        server.stop()
    assert server.error is None
    assert app.state[b"name"] == b"satoshi"
