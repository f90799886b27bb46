"""A Byzantine proposer on a real 4-validator CometBFT v0.38 network (no mocks).

Validator 3 runs ``tests/e2e/byzantine_app.py``: the standard app whose every proposal also
carries a hostile tx (a 4,301-digit amount, random bytes, an unknown message, a tx over the block
gas limit, a tx over max_tx_bytes, in turn). The three honest validators hold 75% of the power.
The test proves:

- the chain keeps committing blocks (honest validators reject the undecodable, oversized and
  over-gas proposals in ProcessProposal; the next round's proposer is honest);
- the decodable hostile tx is committed with a clear failed result (orders 12 InvalidAmount), not
  a crash: before the fix it raised out of FinalizeBlock on every node and halted the chain;
- every app, the Byzantine one included (it executes honestly), computes the same app hashes;
- an honest wallet's transfers are committed meanwhile.
"""

from __future__ import annotations

import hashlib
import sys

import pytest

from localnet import Localnet
from stateset_chain.client import address_of, msg_send, wallet_from_mnemonic
from stateset_chain.coins import USDC, Coin
from stateset_chain.localnet import NodeLayout, load_demo_accounts
from tests.cometbft_helpers import REPO_ROOT
from tests.e2e.byzantine_app import hostile_tx

pytestmark = pytest.mark.e2e

BYZANTINE = 3
MIN_BLOCKS = 12
MAX_BLOCKS = 80  # the Byzantine validator proposes about every 4th height
KINDS = ("huge_amount", "random_bytes", "unknown_msg", "over_gas", "oversized")


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    def app_command(node: NodeLayout) -> list[str]:
        module = "tests.e2e.byzantine_app" if node.index == BYZANTINE else "stateset_chain.cli.main"
        start = [] if node.index == BYZANTINE else ["start"]
        return [sys.executable, "-m", module, *start, "--home", node.app_home,
                "--address", node.abci]

    net = Localnet(tmp_path_factory.mktemp("byzantine") / "run", validators=4, base_port=0,
                   app_command=app_command, env_per_app=lambda i: {"PYTHONPATH": str(REPO_ROOT)})
    net.start()
    yield net
    net.stop()


def test_a_byzantine_proposer_cannot_halt_or_split_the_chain(net):
    client = net.client(0)
    alice, bob = (wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()[2:4])
    start = net.height(0)
    sent = []
    while net.height(0) < start + MIN_BLOCKS or not _tried_every_kind(net):
        assert net.height(0) < start + MAX_BLOCKS, "the Byzantine node did not try every kind"
        res = client.send(alice, [msg_send(address_of(alice), address_of(bob), [Coin(USDC, 7)])])
        assert res.code == 0, res.log
        sent.append(res.txhash)
        client.wait_for_tx(res.txhash, timeout=60)
    end = net.height(0) + 2  # the block after the last hostile proposal
    for i in range(4):
        net.wait_for_height(i, end, timeout=120)

    top = min(net.height(i) for i in range(4)) - 1
    for h in (start + 1, (start + top) // 2, top):
        hashes = {net.app_hash(i, h) for i in range(4)}
        assert len(hashes) == 1, f"app hashes differ at height {h}: {hashes}"

    huge = hostile_tx("huge_amount", max_gas=0)
    found = client.wait_for_tx(hashlib.sha256(huge).hexdigest().upper(), timeout=60)
    assert (found.codespace, found.code) == ("orders", 12), found.log  # InvalidAmount, no panic
    assert "not a canonical decimal integer" in found.log

    for kind in KINDS[1:]:  # refused by every honest validator: never in a block
        assert not _committed(client, hostile_tx(kind, max_gas=_max_gas(client))), kind
    assert len(sent) >= 5


def _tried_every_kind(net: Localnet) -> bool:
    text = net.log_path(BYZANTINE, "app").read_text()
    return all(f"proposing a {kind} tx" in text for kind in KINDS)


def _max_gas(client) -> int:
    # At a height below the tip: CometBFT's /consensus_params without a height reads the block
    # store's height, whose consensus params the state store may not have saved yet ("could not
    # find consensus params for height #N" under load).
    height = int(client.rpc("status")["sync_info"]["latest_block_height"]) - 1
    reply = client.rpc("consensus_params", height=str(height))
    return int(reply["consensus_params"]["block"]["max_gas"])


def _committed(client, tx: bytes) -> bool:
    from stateset_chain.client import ClientError

    try:
        client.wait_for_tx(hashlib.sha256(tx).hexdigest().upper(), timeout=0)
    except ClientError:
        return False
    return True
