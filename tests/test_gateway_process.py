"""``statesetd gateway --rest`` as a process: both faces listen, and with its node unreachable
each answers UNAVAILABLE (REST 503 with the gRPC status body) instead of failing or hanging;
routes no service declares answer 501 without asking the node. SIGTERM stops it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import grpc
import pytest
import requests

from localnet import REPO_ROOT
from stateset_chain.localnet import free_ports

from cosmos.base.tendermint.v1beta1 import query_pb2 as tm_query
from cosmos.base.tendermint.v1beta1 import query_pb2_grpc as tm_grpc


@pytest.fixture
def gateway(tmp_path):
    dead_node, grpc_port, rest_port = free_ports(3)  # nothing listens on dead_node
    log = tmp_path / "gateway.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "stateset_chain.cli.main", "gateway",
             "--node", f"http://127.0.0.1:{dead_node}", "--address", f"127.0.0.1:{grpc_port}",
             "--rest", f"127.0.0.1:{rest_port}"],
            cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
    rest = f"http://127.0.0.1:{rest_port}"
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            requests.get(rest + "/openapi.json", timeout=1)
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "gateway REST not listening"
            time.sleep(0.2)
    yield rest, f"127.0.0.1:{grpc_port}", proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_an_unreachable_node_is_unavailable_on_both_faces(gateway):
    rest, grpc_address, _ = gateway
    r = requests.get(rest + "/cosmos/base/tendermint/v1beta1/syncing", timeout=15)
    assert r.status_code == 503
    body = r.json()
    assert body["code"] == 14 and "cannot reach node" in body["message"] and body["details"] == []
    with grpc.insecure_channel(grpc_address) as channel:
        with pytest.raises(grpc.RpcError) as e:
            tm_grpc.ServiceStub(channel).GetSyncing(tm_query.GetSyncingRequest(), timeout=15)
    assert e.value.code() == grpc.StatusCode.UNAVAILABLE


def test_undeclared_routes_are_501_without_the_node(gateway):
    rest, _, _ = gateway
    r = requests.get(rest + "/cosmos/staking/v1beta1/pool", timeout=5)
    assert (r.status_code, r.json()) == (501, {"code": 12, "message": "Not Implemented",
                                              "details": []})
    assert requests.get(rest + "/openapi.json", timeout=5).json()["openapi"] == "3.0.3"


def test_sigterm_stops_the_gateway(gateway):
    _, _, proc = gateway
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal
