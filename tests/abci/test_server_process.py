"""The server as a process (`python -m ...abci.server`): SIGTERM stops it, a crash exits 70."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path)
import pytest

from stateset_chain.abci.server import EXIT_APP_CRASHED, parse_address
from tests.abci.client import FLUSH, ABCIClient
from tests.cometbft_helpers import REPO_ROOT

from tendermint.abci import types_pb2 as abci


@pytest.fixture
def start_server(tmp_path):
    """start_server(app_spec) -> (process, socket path); the process is reaped afterwards."""
    processes: list[subprocess.Popen] = []

    def start(app: str) -> tuple[subprocess.Popen, Path]:
        sock = tmp_path / "app.sock"
        command = [sys.executable, "-m", "stateset_chain.abci.server"]
        command += ["--address", f"unix://{sock}", "--app", app, "--log-level", "WARNING"]
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        )
        processes.append(process)
        deadline = time.monotonic() + 20
        while not sock.exists():
            assert process.poll() is None, "server exited before listening"
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        return process, sock

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        process.stdout.close()


def test_sigterm_stops_the_server_with_status_0_and_removes_the_socket(start_server):
    process, sock = start_server("stateset_chain.abci.application:BaseApplication")
    with ABCIClient(parse_address(f"unix://{sock}")) as client:
        assert client.call(abci.Request(echo=abci.RequestEcho(message="hi"))).echo.message == "hi"
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
        assert client.is_closed_by_peer()
    assert not sock.exists()


def test_app_exception_in_commit_exits_the_process_with_status_70(start_server):
    process, sock = start_server("tests.abci.kv_app:KVApp")  # commit before finalize asserts
    with ABCIClient(parse_address(f"unix://{sock}")) as client:
        client.send(abci.Request(commit=abci.RequestCommit()), FLUSH)
        assert client.is_closed_by_peer()
    assert process.wait(20) == EXIT_APP_CRASHED
    assert b"application raised in commit" in process.stdout.read()
