"""The block gas limit on a real CometBFT v0.38 node: a genesis without one (``max_gas -1``, as
``cometbft init`` writes it) gets the app's default from InitChain, and CometBFT enforces it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localnet import Localnet
from stateset_chain.app import DEFAULT_BLOCK_MAX_GAS
from stateset_chain.client import address_of, msg_send, wallet_from_mnemonic
from stateset_chain.coins import USDC, Coin
from stateset_chain.localnet import load_demo_accounts

pytestmark = pytest.mark.e2e


def test_a_genesis_without_a_block_gas_limit_gets_the_default(tmp_path):
    net = Localnet(tmp_path / "run", validators=1, base_port=0)
    for node in net.generate():
        path = Path(node.home) / "config" / "genesis.json"
        genesis = json.loads(path.read_text())
        genesis["consensus_params"]["block"]["max_gas"] = "-1"
        path.write_text(json.dumps(genesis, indent=2) + "\n")
    net.start()
    try:
        client = net.client(0)
        params = client.rpc("consensus_params")["consensus_params"]["block"]
        assert int(params["max_gas"]) == DEFAULT_BLOCK_MAX_GAS
        alice, bob = (wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()[:2])
        send = [msg_send(address_of(alice), address_of(bob), [Coin(USDC, 1)])]
        over = client.send(alice, send, gas=DEFAULT_BLOCK_MAX_GAS + 1)
        assert (over.codespace, over.code) == ("sdk", 41), over.log  # InvalidGasLimit
        ok = client.send(alice, send)
        assert ok.code == 0, ok.log
        assert client.wait_for_tx(ok.txhash).code == 0
    finally:
        net.stop()
