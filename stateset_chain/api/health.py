"""``GET /health`` (the documents' shape) and ``GET /metrics`` (Prometheus).

    {"status": "healthy" | "degraded" | "unhealthy",
     "checks": {"database":   {"status", "response_time"},          # ms, as a number
                "blockchain": {"status", "block_height", "sync_status"},
                "indexer":    {"status", "indexed_height", "lag_blocks"}},
     "timestamp": ISO 8601}

``unhealthy`` (HTTP 503) when the database does not answer; ``degraded`` (HTTP 200) when the node
does not answer, is catching up, or the indexer is more than ``max_lag_blocks`` behind it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import requests
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from stateset_chain.api.app import service
from stateset_chain.api.fmt import iso

router = APIRouter()


def _database(svc) -> tuple[dict, int | None]:
    started = time.perf_counter()
    try:
        with svc.pool.connection(timeout=2.0) as conn:
            conn.execute("SELECT 1")
            row = conn.execute("SELECT height FROM watermark").fetchone()
    except Exception as e:
        return {"status": "down", "error": type(e).__name__}, None
    ms = round((time.perf_counter() - started) * 1000, 2)
    return {"status": "up", "response_time": ms}, (int(row[0]) if row else 0)


def _node(rpc_url: str | None) -> dict:
    if not rpc_url:
        return {"status": "unknown", "block_height": None, "sync_status": "unknown"}
    try:
        info = requests.get(rpc_url.rstrip("/") + "/status", timeout=2).json()["result"]
        sync = info["sync_info"]
    except Exception as e:
        return {"status": "down", "block_height": None, "sync_status": "unknown",
                "error": type(e).__name__}
    return {
        "status": "up",
        "block_height": int(sync["latest_block_height"]),
        "sync_status": "catching_up" if sync.get("catching_up") else "synced",
    }


@router.get("/health", summary="Service health: database, node, indexer lag")
def health(request: Request):
    svc = service(request)
    database, indexed = _database(svc)
    node = _node(svc.config.rpc_url)
    lag = None
    if indexed is not None and node.get("block_height") is not None:
        lag = max(0, node["block_height"] - indexed)
    indexer = {
        "status": "unknown" if lag is None else (
            "ok" if lag <= svc.config.max_lag_blocks else "lagging"
        ),
        "indexed_height": indexed,
        "lag_blocks": lag,
    }
    if database["status"] != "up":
        status = "unhealthy"
    elif (
        node["status"] == "down"
        or node.get("sync_status") == "catching_up"
        or indexer["status"] == "lagging"
    ):
        status = "degraded"
    else:
        status = "healthy"
    body = {
        "status": status,
        "checks": {"database": database, "blockchain": node, "indexer": indexer},
        "timestamp": iso(datetime.now(UTC)),
    }
    return JSONResponse(body, status_code=503 if status == "unhealthy" else 200)


@router.get("/metrics", summary="Prometheus metrics of the API and the webhook worker")
def metrics(request: Request):
    return Response(generate_latest(service(request).registry), media_type=CONTENT_TYPE_LATEST)
