"""CometBFT JSON-RPC for the indexer: status, block headers, blocks, block results, genesis; and
a websocket watcher that announces new blocks (``subscribe tm.event='NewBlock'``).

What the node is asked is what costs: CometBFT's JSON encoding of a block's results is most of a
catch-up's CPU (docs/benchmarks.md). So headers come from ``/blockchain``, 20 heights a call
(``block_metas``: block id, header, number of txs), ``/block`` is asked only for a block that
has txs, and a block announced over the websocket is taken from the announcement itself: in
CometBFT v0.38 a ``NewBlock`` event carries the block, its id and its FinalizeBlock results, so
a block the indexer follows at the tip costs the node no request at all.

Only reads; any transport failure is an ``RpcError`` (the ingest loop retries).
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import requests

from stateset_chain.readside import jsoncodec

log = logging.getLogger("stateset.indexer.rpc")


BLOCKCHAIN_LIMIT = 20  # block metas per /blockchain answer (CometBFT's fixed limit)


class RpcError(RuntimeError):
    """The node did not answer, or answered with an error."""


def results_of_event(result: dict) -> dict:
    """A NewBlock event's ``result_finalize_block`` in the shape of a ``/block_results`` answer
    (``txs_results``, ``finalize_block_events``, ``app_hash``)."""
    return {"txs_results": result.get("tx_results") or [],
            "finalize_block_events": result.get("events") or [],
            "app_hash": result.get("app_hash") or ""}


def block_of_meta(meta: dict) -> dict:
    """A ``/blockchain`` block meta of a block without txs in the shape of a ``/block`` answer."""
    return {"block_id": meta["block_id"], "block": {"header": meta["header"], "data": {"txs": []}}}


class NodeRPC:
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.on_call: Callable[[str], None] | None = None  # counts requests by method (metrics)

    def call(self, method: str, **params: Any) -> dict:
        if self.on_call is not None:
            self.on_call(method)
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

    def block_metas(self, low: int, high: int) -> list[dict]:
        """The block metas (``block_id``, ``header``, ``num_txs``) of heights ``low..high`` in
        ascending order, ``BLOCKCHAIN_LIMIT`` heights a request; a height the node does not
        have yet is an ``RpcError``."""
        metas: list[dict] = []
        start = low
        while start <= high:
            top = min(high, start + BLOCKCHAIN_LIMIT - 1)
            got = self.call("blockchain", minHeight=str(start), maxHeight=str(top))["block_metas"]
            got = sorted(got or [], key=lambda m: int(m["header"]["height"]))
            if [int(m["header"]["height"]) for m in got] != list(range(start, top + 1)):
                raise RpcError(f"blockchain: heights {start}..{top} not all there")
            metas += got
            start = top + 1
        return metas

    def block_hash(self, height: int) -> str:
        return self.block_metas(height, height)[0]["block_id"]["hash"].upper()

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
    ingest loop polls ``/status`` too, so a dead websocket only costs latency.

    It also keeps the newest announced blocks themselves (block, block id and results, at most
    ``keep`` of them and ``keep_bytes`` of their messages), which ``take`` hands to the ingest
    loop once; a block not kept (the websocket was down, or it went out of the window while the
    indexer was far behind) is asked from the node as usual."""

    def __init__(self, ws_url: str, keep: int = 64, keep_bytes: int = 32 * 2**20) -> None:
        self.ws_url = ws_url
        self.latest = 0
        self.wake = threading.Event()
        self.connected = False
        self.keep, self.keep_bytes = keep, keep_bytes
        self._blocks: OrderedDict[int, tuple[dict, dict, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="indexer-ws", daemon=True)

    def take(self, height: int) -> tuple[dict, dict] | None:
        """The announced block at ``height`` as (``/block`` answer, ``/block_results`` answer),
        or None if it is not kept; a block is handed out once."""
        with self._lock:
            found = self._blocks.pop(height, None)
            if found is None:
                return None
            self._bytes -= found[2]
        return found[0], found[1]

    def _keep(self, height: int, block: dict, results: dict, size: int) -> None:
        with self._lock:
            if height in self._blocks:
                return
            self._blocks[height] = (block, results, size)
            self._bytes += size
            while self._blocks and (len(self._blocks) > self.keep
                                    or self._bytes > self.keep_bytes):
                _, (_, _, dropped) = self._blocks.popitem(last=False)
                self._bytes -= dropped

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
            value = jsoncodec.loads(message)["result"]["data"]["value"]
            height = int(value["block"]["header"]["height"])
        except (ValueError, KeyError, TypeError):
            return  # the subscription's acknowledgement, or another message
        if "block_id" in value and "result_finalize_block" in value:
            self._keep(height, {"block_id": value["block_id"], "block": value["block"]},
                       results_of_event(value["result_finalize_block"]), len(message))
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
