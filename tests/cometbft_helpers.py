"""Launching real CometBFT v0.38 nodes on loopback, for end-to-end tests and the localnet.

Steps, each a small function so a multi-node setup can reuse them:

    home = init_home(tmp_path / "node0")                     # cometbft init
    ports = NodePorts.free()                                  # p2p + rpc on 127.0.0.1
    configure_node(home, ports, proxy_app="tcp://127.0.0.1:5555")   # + FAST_CONSENSUS
    with running_node(home, log_path) as node:               # cometbft start ... terminate/kill
        wait_for_height(node.rpc_url, 3)
        rpc_call(node.rpc_url, "broadcast_tx_commit", tx=b64(b"k=v"))

``set_config`` (from stateset_chain.localnet) edits config.toml by section-aware line
substitution, keeping its comments.
"""

from __future__ import annotations

import base64
import contextlib
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from localnet import COMETBFT  # the checkout's CometBFT (or $COMETBFT_BIN)
from localnet import REPO_ROOT as REPO_ROOT  # re-exported for the tests that start processes
from stateset_chain.localnet import free_ports, set_config  # one config writer, shared

# Fast loopback consensus; the Python app has time to answer well within these.
FAST_CONSENSUS = {
    "consensus.timeout_propose": "300ms",
    "consensus.timeout_propose_delta": "100ms",
    "consensus.timeout_prevote": "100ms",
    "consensus.timeout_prevote_delta": "100ms",
    "consensus.timeout_precommit": "100ms",
    "consensus.timeout_precommit_delta": "100ms",
    "consensus.timeout_commit": "200ms",
}


@dataclass(frozen=True)
class NodePorts:
    p2p: int
    rpc: int
    host: str = "127.0.0.1"

    @classmethod
    def free(cls, host: str = "127.0.0.1") -> NodePorts:
        p2p, rpc = free_ports(2)
        return cls(p2p=p2p, rpc=rpc, host=host)

    @property
    def rpc_url(self) -> str:
        return f"http://{self.host}:{self.rpc}"


def init_home(home: Path) -> Path:
    """``cometbft init --home HOME``: keys, genesis (one validator) and a default config.toml."""
    if not COMETBFT.exists():
        raise FileNotFoundError(f"no cometbft at {COMETBFT}: run bash scripts/setup.sh")
    subprocess.run(
        [str(COMETBFT), "init", "--home", str(home)], check=True, capture_output=True, text=True
    )
    return home


def config_path(home: Path) -> Path:
    return Path(home) / "config" / "config.toml"


def configure_node(
    home: Path, ports: NodePorts, proxy_app: str, extra: dict[str, object] | None = None
) -> None:
    """Loopback ports, the app's address and fast consensus timeouts."""
    values: dict[str, object] = {
        "proxy_app": proxy_app,
        "rpc.laddr": f"tcp://{ports.host}:{ports.rpc}",
        "p2p.laddr": f"tcp://{ports.host}:{ports.p2p}",
        "p2p.addr_book_strict": False,
        "p2p.allow_duplicate_ip": True,
        **FAST_CONSENSUS,
    }
    values.update(extra or {})
    set_config(config_path(home), values)


@dataclass
class Node:
    home: Path
    process: subprocess.Popen
    rpc_url: str
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "".join(self.log_path.read_text(errors="replace").splitlines(True)[-lines:])
        return ""


def start_node(home: Path, rpc_url: str, log_path: Path) -> Node:
    """``cometbft start --home HOME`` in the background, output to ``log_path``."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(COMETBFT), "start", "--home", str(home)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    return Node(home=Path(home), process=process, rpc_url=rpc_url, log_path=Path(log_path))


def stop_node(node: Node, timeout: float = 10.0) -> int:
    """SIGTERM, wait, then SIGKILL if it would not stop. Returns the exit status."""
    if node.process.poll() is None:
        node.process.terminate()
        try:
            node.process.wait(timeout)
        except subprocess.TimeoutExpired:
            node.process.kill()
            node.process.wait(timeout)
    return node.process.returncode


@contextlib.contextmanager
def running_node(home: Path, rpc_url: str, log_path: Path) -> Iterator[Node]:
    node = start_node(home, rpc_url, log_path)
    try:
        yield node
    finally:
        stop_node(node)


class RPCError(RuntimeError):
    """CometBFT answered a JSON-RPC call with an error."""


def rpc_call(rpc_url: str, method: str, timeout: float = 15.0, **params: object) -> dict:
    """One JSON-RPC 2.0 call; bytes parameters go as base64 (``tx``) or hex (``data``)."""
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    reply = requests.post(rpc_url, json=body, timeout=timeout).json()
    if "error" in reply:
        raise RPCError(f"{method}: {reply['error']}")
    return reply["result"]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def latest_height(rpc_url: str) -> int:
    status = rpc_call(rpc_url, "status", timeout=2.0)
    return int(status["sync_info"]["latest_block_height"])


def wait_for_height(
    rpc_url: str, height: int, timeout: float = 60.0, node: Node | None = None
) -> int:
    """Poll ``/status`` until the node has committed ``height``; fails fast if the node died."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if node is not None and node.process.poll() is not None:
            raise RuntimeError(f"cometbft exited ({node.process.returncode}):\n{node.log_tail()}")
        try:
            current = latest_height(rpc_url)
            if current >= height:
                return current
        except (requests.RequestException, RPCError, KeyError, ValueError) as exc:
            last_error = exc
        time.sleep(0.2)
    tail = node.log_tail() if node is not None else ""
    raise TimeoutError(f"height {height} not reached in {timeout}s ({last_error!r})\n{tail}")
