"""Prometheus metrics of the node's application (``statesetd start --metrics HOST:PORT``).

``MeteredApplication`` wraps the app at the ABCI edge: it times the calls and counts what they
return, and passes everything through unchanged (the wall clock is read here, never in the
state machine). Served on ``http://HOST:PORT/metrics``:

    stateset_app_height                       last height finalized
    stateset_app_block_txs / _block_failed_txs  txs / failed txs of the last block
    stateset_app_txs_total, stateset_app_failed_txs_total
    stateset_app_finalize_block_seconds       histogram of FinalizeBlock time
    stateset_app_commit_seconds               histogram of Commit time
    stateset_app_check_tx_total{result}       CheckTx calls, ok / rejected (rate() = CheckTx rate)
"""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from stateset_chain.indexer.metrics import parse_listen

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class AppMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = r = registry or CollectorRegistry()
        self.height = Gauge("stateset_app_height", "last height finalized", registry=r)
        self.block_txs = Gauge("stateset_app_block_txs", "txs in the last block", registry=r)
        self.block_failed = Gauge("stateset_app_block_failed_txs",
                                  "failed txs in the last block", registry=r)
        self.txs = Counter("stateset_app_txs", "txs finalized", registry=r)
        self.failed = Counter("stateset_app_failed_txs", "txs finalized with code != 0",
                              registry=r)
        self.finalize = Histogram("stateset_app_finalize_block_seconds", "FinalizeBlock time",
                                  buckets=_BUCKETS, registry=r)
        self.commit = Histogram("stateset_app_commit_seconds", "Commit time", buckets=_BUCKETS,
                                registry=r)
        self.check_tx = Counter("stateset_app_check_tx", "CheckTx calls", ["result"], registry=r)
        self.server: Any = None

    def serve(self, address: str) -> None:
        host, port = parse_listen(address)
        self.server, _ = start_http_server(port, addr=host, registry=self.registry)


class MeteredApplication:
    """The wrapped app's ABCI methods, with FinalizeBlock, Commit and CheckTx measured."""

    def __init__(self, app, metrics: AppMetrics) -> None:
        self._app = app
        self.metrics = metrics

    def __getattr__(self, name: str):
        return getattr(self._app, name)

    def finalize_block(self, req):
        start = time.perf_counter()
        response = self._app.finalize_block(req)
        m = self.metrics
        m.finalize.observe(time.perf_counter() - start)
        failed = sum(1 for r in response.tx_results if r.code != 0)
        m.height.set(req.height)
        m.block_txs.set(len(response.tx_results))
        m.block_failed.set(failed)
        m.txs.inc(len(response.tx_results))
        m.failed.inc(failed)
        return response

    def commit(self, req):
        start = time.perf_counter()
        response = self._app.commit(req)
        self.metrics.commit.observe(time.perf_counter() - start)
        return response

    def check_tx(self, req):
        response = self._app.check_tx(req)
        self.metrics.check_tx.labels(result="ok" if response.code == 0 else "rejected").inc()
        return response
