"""The Orders REST API service (``statesetd api``): FastAPI over the indexer's PostgreSQL.

``create_app(config)`` builds the ASGI app: the routes of ``orders`` (orders, payments,
balances), ``analytics`` (analytics, reports), ``webhook_routes``, ``health`` (``/health``,
``/metrics``) and the dashboard (``/dashboard``), one error shape (``errors``), per-key rate
limits, and, unless ``config.run_worker`` is off, the webhook delivery worker in a thread.
Handlers are plain functions over a pooled psycopg connection; they never write chain data.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated

import psycopg
import psycopg_pool
from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.exceptions import HTTPException as StarletteHTTPException

from stateset_chain.api import errors
from stateset_chain.api.keys import ApiKey, lookup_key
from stateset_chain.api.orderreads import OrderReads
from stateset_chain.api.ratelimit import RateLimiter
from stateset_chain.readside import jsoncodec
from stateset_chain.webhooks.delivery import DeliveryConfig, DeliveryWorker, WebhookMetrics

API_VERSION = "2026-12-01"


@dataclass(frozen=True)
class ApiConfig:
    db_url: str
    rpc_url: str | None = None
    rate: float = 100.0
    burst: int = 200
    max_lag_blocks: int = 20
    pool_size: int = 8
    run_worker: bool = True
    fast_get_order: bool = True  # GET /v1/orders/{id} answered in the middleware (its route
    # is the reference and serves what the fast path does not: a missing order, an error)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)


class Service:
    """What handlers reach through ``request.app.state.service``."""

    def __init__(self, config: ApiConfig) -> None:
        self.config = config
        self.pool = psycopg_pool.ConnectionPool(
            libpq(config.db_url), min_size=1, max_size=config.pool_size,
            kwargs={"autocommit": True}, open=False, timeout=5.0, configure=jsoncodec.use_on,
        )
        # the event loop's own pool: the rate limit's statement (in the ASGI middleware) and the
        # async routes (get order), which thus never hop to a worker thread
        self.apool = psycopg_pool.AsyncConnectionPool(
            libpq(config.db_url), min_size=1, max_size=config.pool_size,
            kwargs={"autocommit": True}, open=False, timeout=5.0, configure=_configure_async,
        )
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "api_requests", "API requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "api_request_seconds", "API request latency", ["route"], registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
        )
        self.webhook_metrics = WebhookMetrics(self.registry)
        self.limiter = RateLimiter(config.rate, config.burst)
        # get order's fast path: its reads batched on a connection of their own (orderreads)
        self.reads = OrderReads(libpq(config.db_url))
        self.worker: DeliveryWorker | None = None

    async def start(self) -> None:
        self.pool.open(wait=False)
        await self.apool.open(wait=False)
        if self.config.run_worker:
            self.worker = DeliveryWorker(
                libpq(self.config.db_url), self.config.delivery, self.webhook_metrics
            )
            self.worker.start()

    async def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        await self.reads.close()
        await self.apool.close()
        self.pool.close()

    async def rate_limit_wait(self, who: str) -> float:
        """0.0, or the seconds until ``who`` may send again (one statement, see ratelimit)."""
        if not self.limiter.enabled:
            return 0.0
        try:
            return await self.limiter.take(self.apool.connection, who)
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as e:
            raise errors.DatabaseUnavailable(f"database unavailable: {type(e).__name__}") from None


async def _configure_async(conn) -> None:
    jsoncodec.use_on(conn)


class FastJSONResponse(JSONResponse):
    """Starlette's JSONResponse (compact, UTF-8) written by orjson (``readside.jsoncodec``)."""

    def render(self, content) -> bytes:
        return jsoncodec.dumps(content)


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def service(request: Request) -> Service:
    return request.app.state.service


@contextlib.asynccontextmanager
async def aconnection(request: Request):
    """A connection of the event loop's pool (autocommit); an unreachable database is a 503."""
    try:
        async with service(request).apool.connection() as conn:
            yield conn
    except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as e:
        raise errors.DatabaseUnavailable(f"database unavailable: {type(e).__name__}") from None


@contextlib.contextmanager
def connection(request: Request):
    """A pooled connection (autocommit); an unreachable database is a 503."""
    try:
        with service(request).pool.connection() as conn:
            yield conn
    except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as e:
        raise errors.DatabaseUnavailable(f"database unavailable: {type(e).__name__}") from None


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_key(request: Request) -> ApiKey:
    """The request's API key (``Authorization: Bearer sk_...``), else 401."""
    token = bearer(request)
    if token is None:
        raise errors.AuthenticationRequired(
            "this endpoint needs an API key: Authorization: Bearer sk_test_..."
        )
    with connection(request) as conn:
        key = lookup_key(conn, token)
    if key is None:
        raise errors.ApiKeyInvalid("unknown or revoked API key")
    return key


def require_secret_key(request: Request) -> ApiKey:
    key = require_key(request)
    if not key.can_write:
        raise errors.PermissionDenied("a restricted key (rk_) may only read")
    return key


async def raw_body(request: Request) -> bytes:
    """The request body as sent (for idempotency fingerprints), beside its parsed model."""
    return await request.body()


def replayed_headers(replayed: bool) -> dict[str, str]:
    return {"Idempotent-Replayed": "true"} if replayed else {}


AnyKey = Annotated[ApiKey, Depends(require_key)]
SecretKey = Annotated[ApiKey, Depends(require_secret_key)]
RawBody = Annotated[bytes, Depends(raw_body)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


def error_response(e: errors.ApiError, headers: dict | None = None) -> JSONResponse:
    return FastJSONResponse(e.to_json(), status_code=e.status, headers=headers)


GET_ORDER_ROUTE = "/v1/orders/{order_id}"
FAST_GET_ORDER = re.compile(r"/v1/orders/([^/]+)\Z")


class LimitsAndMetrics:
    """Pure ASGI middleware, the outermost layer of the app (``OrdersApi``): the per-key rate
    limit on /v1/ (shared by every API process through PostgreSQL, ``ratelimit``), the request
    metrics (by route template) and the fast path of get order (``_get_order``). (Starlette's
    BaseHTTPMiddleware costs a task and a stream per request.)"""

    def __init__(self, app, svc: Service) -> None:
        self.app = app
        self.svc = svc
        self.fast: Callable[[str], Awaitable[bytes | None]] | None = None
        if svc.config.fast_get_order:
            self.fast = svc.reads.get
        # the fast path's metrics, looked up once
        self.fast_count = svc.requests.labels("GET", GET_ORDER_ROUTE, "200")
        self.fast_latency = svc.latency.labels(GET_ORDER_ROUTE)

    async def _get_order(self, order_id: str, send, started: float) -> bool:
        """The fast path of ``GET /v1/orders/{order_id}``: the stored JSON straight to the ASGI
        server, the same status, headers and bytes as the route (``orders.get_order``), without
        Starlette's routing and FastAPI's request handling. False (the route answers) for a
        missing order or any failure, so errors come from one place."""
        assert self.fast is not None
        try:
            body = await self.fast(order_id)
        except Exception:  # the route runs the same read and answers the error
            return False
        if body is None:
            return False
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-length", str(len(body)).encode()), (b"content-type", b"application/json"),
        ]})
        await send({"type": "http.response.body", "body": body})
        self.fast_count.inc()
        self.fast_latency.observe(time.perf_counter() - started)
        return True

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method = scope["method"]
        if self.svc.limiter.enabled and scope["path"].startswith("/v1/"):
            token = None
            for name, value in scope["headers"]:
                if name == b"authorization":
                    scheme, _, rest = value.decode("latin-1").partition(" ")
                    token = rest.strip() if scheme.lower() == "bearer" and rest.strip() else None
            client = scope.get("client")
            who = ("key:" + hashlib.sha256(token.encode()).hexdigest()[:16] if token
                   else "ip:" + (client[0] if client else "?"))
            try:
                wait = 0.0 if self.svc.limiter.spend(who) else await self.svc.rate_limit_wait(who)
            except errors.ApiError as e:
                await error_response(e)(scope, receive, send)
                return
            if wait > 0:
                response = error_response(
                    errors.RateLimited("too many requests for this key; retry later"),
                    headers={"Retry-After": str(max(1, round(wait)))},
                )
                self.svc.requests.labels(method, "rate_limited", "429").inc()
                await response(scope, receive, send)
                return
        if self.fast is not None and method == "GET":
            match = FAST_GET_ORDER.match(scope["path"])
            if match is not None and await self._get_order(match.group(1), send, started):
                return
        status = [500]

        async def send_status(message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            template = getattr(scope.get("route"), "path", "unmatched")
            self.svc.requests.labels(method, template, str(status[0])).inc()
            self.svc.latency.labels(template).observe(time.perf_counter() - started)


class OrdersApi(FastAPI):
    """FastAPI with ``LimitsAndMetrics`` in front of all of it (FastAPI's own layers, the
    routing): a get order the fast path answers costs no more than that middleware."""

    limits: LimitsAndMetrics | None = None

    async def __call__(self, scope, receive, send) -> None:
        if self.limits is None or scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        await self.limits(scope, receive, send)

    async def handle(self, scope, receive, send) -> None:
        """The app behind the middleware: FastAPI as it is."""
        await super().__call__(scope, receive, send)


def create_app(config: ApiConfig) -> FastAPI:
    from stateset_chain.api import analytics, dashboard, health, orders, rates, webhook_routes

    svc = Service(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        await svc.start()
        try:
            yield
        finally:
            await svc.stop()

    app = OrdersApi(
        title="StateSet Orders API",
        version=API_VERSION,
        description=(
            "Read side of the StateSet order chain: orders, payments, balances, analytics, "
            "CSV reports and signed webhooks, served from the indexer's PostgreSQL."
        ),
        lifespan=lifespan,
        default_response_class=FastJSONResponse,
    )
    app.state.service = svc

    @app.exception_handler(errors.ApiError)
    async def on_api_error(request: Request, e: errors.ApiError):
        return error_response(e)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, e: RequestValidationError):
        first = e.errors()[0] if e.errors() else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path")]
        param = ".".join(loc) or None
        if first.get("type") == "missing":
            return error_response(errors.ParameterMissing(f"{param} is required", param=param))
        message = f"{param}: {first.get('msg', 'invalid')}" if param else "invalid request body"
        return error_response(errors.ParameterInvalid(message, param=param))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, e: StarletteHTTPException):
        if e.status_code == 404:
            return error_response(errors.RouteMissing(f"no route {request.url.path}"))
        if e.status_code == 405:
            return error_response(
                errors.MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}")
            )
        return error_response(errors.ApiError(str(e.detail)))

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, e: Exception):
        return error_response(errors.InternalError("internal error"))

    app.limits = LimitsAndMetrics(app.handle, svc)

    for module in (orders, rates, analytics, webhook_routes, health, dashboard):
        app.include_router(module.router)
    return app
