"""Prometheus metrics of the indexer (``--metrics HOST:PORT`` serves them on /metrics).

    stateset_indexer_height            last height written (the watermark)
    stateset_indexer_node_height       newest height the node has
    stateset_indexer_lag_blocks        node height - watermark
    stateset_indexer_blocks_total      blocks written
    stateset_indexer_events_total      events written
    stateset_indexer_blocks_per_second recent ingest rate
    stateset_indexer_events_per_second
    stateset_indexer_db_reconnects_total
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server


def parse_listen(address: str) -> tuple[str, int]:
    """``HOST:PORT`` (or ``:PORT``, loopback then) -> (host, port)."""
    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise ValueError(f"not HOST:PORT: {address!r}")
    return host or "127.0.0.1", int(port)


class IndexerMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.height = Gauge("stateset_indexer_height", "last height written", registry=r)
        self.node_height = Gauge("stateset_indexer_node_height", "node's newest height",
                                 registry=r)
        self.lag = Gauge("stateset_indexer_lag_blocks", "node height - indexed height", registry=r)
        self.blocks = Counter("stateset_indexer_blocks", "blocks written", registry=r)
        self.events = Counter("stateset_indexer_events", "events written", registry=r)
        self.blocks_rate = Gauge("stateset_indexer_blocks_per_second", "recent blocks/s",
                                 registry=r)
        self.events_rate = Gauge("stateset_indexer_events_per_second", "recent events/s",
                                 registry=r)
        self.db_reconnects = Counter("stateset_indexer_db_reconnects", "database reconnects",
                                     registry=r)
        self.node_requests = Counter("stateset_indexer_node_requests",
                                     "JSON-RPC requests to the node, by method", ["method"],
                                     registry=r)
        self.server: Any = None

    def observe_heights(self, height: int, node_height: int) -> None:
        self.height.set(height)
        self.node_height.set(node_height)
        self.lag.set(max(0, node_height - height))

    def observe_batch(self, height: int, node_height: int, blocks: int, events: int,
                      blocks_rate: float, events_rate: float) -> None:
        self.observe_heights(height, node_height)
        self.blocks.inc(blocks)
        self.events.inc(events)
        self.blocks_rate.set(blocks_rate)
        self.events_rate.set(events_rate)

    def observe_request(self, method: str) -> None:
        self.node_requests.labels(method).inc()

    def serve(self, address: str) -> None:
        host, port = parse_listen(address)
        self.server, _ = start_http_server(port, addr=host, registry=self.registry)
