"""CometBFT JSON-RPC for the indexer: status, blocks, block results, genesis; and a websocket
watcher that announces new blocks (``subscribe tm.event='NewBlock'``).

Only reads; any transport failure is an ``RpcError`` (the ingest loop retries).
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from typing import Any

import requests

from stateset_chain.readside import jsoncodec

log = logging.getLogger("stateset.indexer.rpc")


class RpcError(RuntimeError):
    """The node did not answer, or answered with an error."""


class NodeRPC:
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def call(self, method: str, **params: Any) -> dict:
        body: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        try:
            # a batch block's results are megabytes of JSON (each order's JSON inside): orjson
            reply = jsoncodec.loads(
                self.session.post(self.url, json=body, timeout=self.timeout).content
            )
        except (requests.RequestException, ValueError) as e:
            raise RpcError(f"{method}: {e}") from None
        if "error" in reply:
            raise RpcError(f"{method}: {reply['error']}")
        return reply["result"]

    def status(self) -> dict:
        return self.call("status")

    def chain_id(self) -> str:
        return self.status()["node_info"]["network"]

    def latest_height(self) -> int:
        return int(self.status()["sync_info"]["latest_block_height"])

    def earliest_height(self) -> int:
        return int(self.status()["sync_info"]["earliest_block_height"])

    def block(self, height: int) -> dict:
        return self.call("block", height=str(height))

    def block_results(self, height: int) -> dict:
        return self.call("block_results", height=str(height))

    def block_hash(self, height: int) -> str:
        return self.block(height)["block_id"]["hash"].upper()

    def genesis(self) -> dict:
        """The genesis document (``/genesis``, or ``/genesis_chunked`` when it is large)."""
        try:
            return self.call("genesis")["genesis"]
        except RpcError as e:
            if "genesis_chunked" not in str(e):
                raise
        first = self.call("genesis_chunked", chunk="0")
        total = int(first["total"])
        data = base64.b64decode(first["data"])
        for i in range(1, total):
            data += base64.b64decode(self.call("genesis_chunked", chunk=str(i))["data"])
        return json.loads(data)

    @property
    def websocket_url(self) -> str:
        base = self.url.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
        return base + "/websocket"


class BlockWatcher:
    """A thread holding CometBFT's NewBlock subscription: ``latest`` is the newest height
    announced, and ``wake`` is set on every announcement. It reconnects after failures; the
    ingest loop polls ``/status`` too, so a dead websocket only costs latency."""

    def __init__(self, ws_url: str) -> None:
        self.ws_url = ws_url
        self.latest = 0
        self.wake = threading.Event()
        self.connected = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="indexer-ws", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        from websockets.sync.client import connect

        backoff = 0.5
        while not self._stop.is_set():
            try:
                with connect(self.ws_url, open_timeout=5, max_size=64 * 2**20) as ws:
                    ws.send(json.dumps({
                        "jsonrpc": "2.0", "id": 1, "method": "subscribe",
                        "params": {"query": "tm.event='NewBlock'"},
                    }))
                    self.connected, backoff = True, 0.5
                    while not self._stop.is_set():
                        try:
                            message = ws.recv(timeout=1.0)
                        except TimeoutError:
                            continue
                        self._on_message(message)
            except Exception as e:  # any transport failure: reconnect
                log.debug("websocket %s: %s", self.ws_url, e)
            self.connected = False
            self._stop.wait(backoff)
            backoff = min(backoff * 2, 5.0)

    def _on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
            height = int(data["result"]["data"]["value"]["block"]["header"]["height"])
        except (ValueError, KeyError, TypeError):
            return  # the subscription's acknowledgement, or another message
        if height > self.latest:
            self.latest = height
            self.wake.set()


def wait_for(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
