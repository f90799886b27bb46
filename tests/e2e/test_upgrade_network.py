"""A planned upgrade on a real CometBFT v0.38 node, across this release's layout change.

The node runs the previous release (``python -m tests.upgrade.old_binary start``: layout 12,
orders and compliance at version 1, no "v13" handler). The authority schedules "v13" a few
blocks ahead by a signed tx. Proved: at that height the old app exits (CometBFT stops with it)
with ``UPGRADE "v13" NEEDED at height: H`` in its log and its database at H-1; the node
restarted with ``statesetd start`` (this release) replays block H, migrates in place (the v13
plan applied at H, orders and compliance at version 2, the freeze queue's bound at its default,
the bank's answers unchanged) and goes on making blocks and taking txs.
"""

from __future__ import annotations

import base64
import sys
import time
from pathlib import Path

import pytest

import stateset_chain.pb  # noqa: F401
from localnet import Localnet
from stateset_chain.client import address_of, msg_send, wallet_from_mnemonic
from stateset_chain.coins import USDC, Coin
from stateset_chain.localnet import NodeLayout, load_demo_accounts
from stateset_chain.store.commit import CommitStore
from tests.upgrade.old_binary import PLAN

from cosmos.bank.v1beta1 import query_pb2 as bank_q
from cosmos.upgrade.v1beta1 import query_pb2 as uq
from cosmos.upgrade.v1beta1 import tx_pb2 as utx
from cosmos.upgrade.v1beta1 import upgrade_pb2
from stateset.compliance.v1 import query_pb2 as compliance_q

pytestmark = pytest.mark.e2e


def old_binary(node: NodeLayout) -> list[str]:
    return [sys.executable, "-m", "tests.upgrade.old_binary", "start",
            "--home", node.app_home, "--address", node.abci]


def raw_query(client, path: str, request) -> tuple[int, bytes]:
    res = client.rpc("abci_query", path=path, data=request.SerializeToString().hex(),
                     height="0")["response"]
    return int(res.get("code", 0)), base64.b64decode(res.get("value") or "")


def test_the_old_binary_halts_at_the_plan_and_the_new_one_migrates(tmp_path):
    net = Localnet(tmp_path / "net", validators=1, base_port=0, app_command=old_binary)
    net.generate()
    net.start()
    try:
        client = net.client(0)
        admin, bob = (wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()[:2])
        metadata = raw_query(client, "/cosmos.bank.v1beta1.Query/DenomsMetadata",
                             bank_q.QueryDenomsMetadataRequest())
        assert metadata[0] == 0 and metadata[1]
        compliance_params = ("/stateset.compliance.v1.Query/Params",
                             compliance_q.QueryParamsRequest())
        code, value = raw_query(client, *compliance_params)
        assert code == 0
        assert compliance_q.QueryParamsResponse.FromString(value).params.freeze_drain_limit == 0
        plan_height = client.height() + 8
        msg = utx.MsgSoftwareUpgrade(
            authority=address_of(admin),
            plan=upgrade_pb2.Plan(name=PLAN, height=plan_height, info="new binary"),
        )
        sent = client.send(admin, [msg])
        assert sent.code == 0, sent.log
        assert client.wait_for_tx(sent.txhash).code == 0
        deadline = time.monotonic() + 90
        while (net.running(0, "app") or net.running(0, "cometbft")) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not net.running(0, "app"), "the old binary did not halt"
        assert not net.running(0, "cometbft"), "CometBFT did not stop with its app"
    finally:
        net.stop()
    log = net.log_path(0, "app").read_text()
    assert f'UPGRADE "{PLAN}" NEEDED at height: {plan_height}: new binary' in log
    store = CommitStore.open(str(Path(net.nodes[0].app_home) / "data" / "state"))
    try:
        assert store.last_height == plan_height - 1  # nothing of the plan's block committed
    finally:
        store.close()

    net.app_command = net._statesetd_start  # the new binary
    net.start()
    try:
        client = net.client(0)
        net.wait_for_height(0, plan_height + 2)
        code, value = raw_query(client, "/cosmos.upgrade.v1beta1.Query/AppliedPlan",
                                uq.QueryAppliedPlanRequest(name=PLAN))
        assert code == 0 and uq.QueryAppliedPlanResponse.FromString(value).height == plan_height
        code, value = raw_query(client, "/cosmos.upgrade.v1beta1.Query/ModuleVersions",
                                uq.QueryModuleVersionsRequest(module_name="orders"))
        versions = uq.QueryModuleVersionsResponse.FromString(value).module_versions
        assert [(v.name, v.version) for v in versions] == [("orders", 2)]
        code, value = raw_query(client, *compliance_params)
        assert code == 0
        assert compliance_q.QueryParamsResponse.FromString(value).params.freeze_drain_limit == (
            1000)
        assert raw_query(client, "/cosmos.bank.v1beta1.Query/DenomsMetadata",
                         bank_q.QueryDenomsMetadataRequest()) == metadata
        sent = client.send(bob, [msg_send(address_of(bob), address_of(admin),
                                          [Coin(USDC, 17)])])
        assert sent.code == 0, sent.log
        assert client.wait_for_tx(sent.txhash).code == 0
    finally:
        net.stop()
