"""The delivery worker: outbox -> deliveries -> signed HTTP POSTs, durable in PostgreSQL.

One pass (``DeliveryWorker.run_once``):

1. ``fan_out``: in one transaction, read the outbox rows after the ``webhook_fanout`` cursor,
   insert one ``webhook_deliveries`` row per (event, enabled endpoint subscribed to its type
   that existed before the event was indexed: ``seq > endpoint.start_seq``) and move the
   cursor. A crash before the commit repeats the batch; ``UNIQUE (endpoint_id, event_id)``
   makes a repeat a no-op. Nothing is invented: every delivery names an outbox event; nothing
   is lost: the cursor moves only with the inserts.
2. ``claim_due``: lease due pending rows (``FOR UPDATE SKIP LOCKED``; ``next_attempt_at`` moved
   ``lease`` seconds ahead and committed), so a second worker or a restarted one never sends a
   row twice at once, and a row whose sender died is sent again when its lease runs out.
3. Send: rows are grouped per endpoint; endpoints are served in parallel, each one's rows in
   order, one at a time, so after an endpoint answers 410 it gets no further request. After a
   failed attempt the rest of that endpoint's batch is put back (not attempted, not counted); a
   slow endpoint's remaining rows get their lease extended before it could run out.
4. ``record``: 2xx -> delivered (a run of them stored in one transaction,
   ``record_delivered``, before the endpoint's next other outcome, at the end of its batch, or
   after ``RECORD_EVERY``); 410 -> the delivery fails, the endpoint is disabled and its
   pending rows are cancelled; anything else (other status, timeout, refused connection,
   refused URL) -> retried after ``RetryPolicy.delay``, or failed once older than ``max_age``.
   The worker's sessions commit asynchronously (``WORKER_SESSION``; why that keeps
   at-least-once is next to it), the 410 synchronously.

Each attempt is a ``webhook_attempts`` row. The body is the outbox payload text, byte for byte
the same on every attempt; ``webhook-id`` is the event id (derived by the indexer from height,
tx index and event index), so receivers deduplicate retries.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from stateset_chain.webhooks import endpoints as endpoints_db
from stateset_chain.webhooks.backoff import RetryPolicy
from stateset_chain.webhooks.signing import sign_headers
from stateset_chain.webhooks.urls import UrlNotAllowed, check_url

log = logging.getLogger(__name__)

# The indexer's outbox: position (monotonic, = chain order), event id, type, payload (JSON).
OUTBOX_TABLE = "webhook_outbox"
OUTBOX_SEQ = "seq"


USER_AGENT = "stateset-webhooks/1"


@dataclass(frozen=True)
class DeliveryConfig:
    allow_private: bool = False
    timeout: float = 10.0
    lease: float = 60.0
    batch: int = 100
    concurrency: int = 8
    poll_interval: float = 1.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)


class WebhookMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.pending = Gauge(
            "webhook_deliveries_pending", "Deliveries waiting to be sent", registry=registry
        )
        self.delivered = Counter(
            "webhook_deliveries_delivered", "Deliveries answered 2xx", registry=registry
        )
        self.failed = Counter(
            "webhook_deliveries_failed", "Deliveries given up (410 or max age)", registry=registry
        )
        self.retries = Counter(
            "webhook_delivery_retries", "Failed attempts scheduled for a retry", registry=registry
        )
        self.attempt_seconds = Histogram(
            "webhook_attempt_seconds", "Duration of one HTTP attempt", registry=registry
        )


@dataclass(frozen=True)
class Claimed:
    id: int
    endpoint_id: str
    event_id: str
    payload: str
    attempts: int
    created_at: datetime
    url: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


def fan_out(conn, batch: int) -> int:
    """Copy up to ``batch`` outbox rows into deliveries (one transaction); returns rows read."""
    with conn.transaction():
        last = conn.execute(
            "SELECT last_seq FROM webhook_fanout WHERE id = 1 FOR UPDATE"
        ).fetchone()[0]
        top = conn.execute(
            f"SELECT count(*), max({OUTBOX_SEQ}) FROM (SELECT {OUTBOX_SEQ} FROM {OUTBOX_TABLE} "
            f"WHERE {OUTBOX_SEQ} > %s ORDER BY {OUTBOX_SEQ} LIMIT %s) b",
            (last, batch),
        ).fetchone()
        if not top[0]:
            return 0
        conn.execute(
            f"""
            INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload)
            SELECT e.id, o.id, o.event_type, o.payload::text
              FROM {OUTBOX_TABLE} o
              JOIN webhook_endpoints e
                ON e.status = 'enabled' AND e.deleted_at IS NULL
               AND o.{OUTBOX_SEQ} > e.start_seq
               AND (o.event_type = ANY (e.events) OR '*' = ANY (e.events))
             WHERE o.{OUTBOX_SEQ} > %s AND o.{OUTBOX_SEQ} <= %s
             ORDER BY o.{OUTBOX_SEQ}, e.id
            ON CONFLICT (endpoint_id, event_id) DO NOTHING
            """,
            (last, top[1]),
        )
        conn.execute("UPDATE webhook_fanout SET last_seq = %s WHERE id = 1", (top[1],))
        return int(top[0])


def claim_due(conn, batch: int, lease: float) -> list[Claimed]:
    with conn.transaction():
        rows = conn.execute(
            """
            WITH due AS (
                SELECT d.id FROM webhook_deliveries d
                  JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.status = 'enabled'
                 WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                 ORDER BY d.next_attempt_at, d.id
                 LIMIT %s
                 FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE webhook_deliveries d
               SET next_attempt_at = now() + make_interval(secs => %s)
              FROM due, webhook_endpoints e
             WHERE d.id = due.id AND e.id = d.endpoint_id
         RETURNING d.id, d.endpoint_id, d.event_id, d.payload, d.attempts, d.created_at, e.url
            """,
            (batch, lease),
        ).fetchall()
    return sorted((Claimed(*r) for r in rows), key=lambda c: c.id)


def send_one(
    client: httpx.Client, claimed: Claimed, secrets: list[str], config: DeliveryConfig
) -> Outcome:
    started = time.monotonic()

    def done(code: int | None, error: str | None) -> Outcome:
        return Outcome(code, error, int((time.monotonic() - started) * 1000))

    try:
        check_url(claimed.url, allow_private=config.allow_private)
    except UrlNotAllowed as e:
        return done(None, f"url refused: {e}")
    if not secrets:
        return done(None, "endpoint has no live secret")
    headers = sign_headers(claimed.event_id, claimed.payload, secrets, int(time.time()))
    headers["content-type"] = "application/json"
    headers["user-agent"] = USER_AGENT
    try:
        response = client.post(
            claimed.url, content=claimed.payload.encode(), headers=headers,
            timeout=config.timeout, follow_redirects=False,
        )
    except httpx.HTTPError as e:
        return done(None, f"{type(e).__name__}: {e}"[:500])
    return done(response.status_code, None)


def record(
    conn, claimed: Claimed, outcome: Outcome, policy: RetryPolicy, metrics: WebhookMetrics | None
) -> str:
    """Store the attempt and the delivery's next state; returns that state."""
    with conn.transaction():
        conn.execute(
            "INSERT INTO webhook_attempts (delivery_id, status_code, error, duration_ms) "
            "VALUES (%s, %s, %s, %s)",
            (claimed.id, outcome.status_code, outcome.error, outcome.duration_ms),
        )
        failures = claimed.attempts + 1
        if outcome.ok:
            state = "delivered"
            conn.execute(
                "UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), "
                "attempts = %s, last_status_code = %s, last_error = NULL WHERE id = %s",
                (failures, outcome.status_code, claimed.id),
            )
        elif outcome.gone:
            state = "failed"
            # the worker's sessions commit asynchronously (DeliveryWorker); disabling an
            # endpoint must survive a PostgreSQL crash, so this commit waits for the disk
            conn.execute("SET LOCAL synchronous_commit = on")
            conn.execute(
                "UPDATE webhook_deliveries SET status = 'failed', attempts = %s, "
                "last_status_code = 410, last_error = 'endpoint answered 410 Gone' WHERE id = %s",
                (failures, claimed.id),
            )
            conn.execute(
                "UPDATE webhook_endpoints SET status = 'disabled', updated_at = now(), "
                "disabled_reason = 'endpoint answered 410 Gone' WHERE id = %s",
                (claimed.endpoint_id,),
            )
            endpoints_db.cancel_pending(conn, claimed.endpoint_id)
        else:
            delay = policy.delay(failures)
            age = conn.execute(
                "SELECT extract(epoch FROM now() - %s::timestamptz)", (claimed.created_at,)
            ).fetchone()[0]
            state = "failed" if float(age) + delay > policy.max_age else "pending"
            conn.execute(
                "UPDATE webhook_deliveries SET status = %s, attempts = %s, last_status_code = %s, "
                "last_error = %s, next_attempt_at = now() + make_interval(secs => %s) "
                "WHERE id = %s AND status = 'pending'",
                (state, failures, outcome.status_code, outcome.error, delay, claimed.id),
            )
    if metrics is not None:
        metrics.attempt_seconds.observe(outcome.duration_ms / 1000)
        if state == "delivered":
            metrics.delivered.inc()
        elif state == "failed":
            metrics.failed.inc()
        else:
            metrics.retries.inc()
    return state


def record_delivered(
    conn, done: list[tuple[Claimed, Outcome]], metrics: WebhookMetrics | None
) -> None:
    """Store a run of 2xx attempts in one transaction: for each, what ``record`` stores for a
    2xx (the attempt, the delivery delivered). Until this commits those deliveries are pending
    under their lease, so a worker that dies first sends them again (at-least-once)."""
    if not done:
        return
    with conn.transaction():
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO webhook_attempts (delivery_id, status_code, error, duration_ms) "
                "VALUES (%s, %s, NULL, %s)",
                [(c.id, o.status_code, o.duration_ms) for c, o in done],
            )
        conn.execute(
            "UPDATE webhook_deliveries d SET status = 'delivered', delivered_at = now(), "
            "attempts = u.attempts, last_status_code = u.code, last_error = NULL "
            "FROM unnest(%s::bigint[], %s::int[], %s::int[]) AS u(id, attempts, code) "
            "WHERE d.id = u.id",
            ([c.id for c, _ in done], [c.attempts + 1 for c, _ in done],
             [o.status_code for _, o in done]),
        )
    if metrics is not None:
        for _, outcome in done:
            metrics.attempt_seconds.observe(outcome.duration_ms / 1000)
            metrics.delivered.inc()


def release(conn, ids: list[int], delay: float) -> None:
    """Set leased rows' next attempt ``delay`` seconds from now, without counting an attempt
    (to put them back after a failure, or to extend their lease)."""
    if ids:
        conn.execute(
            "UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => %s) "
            "WHERE id = ANY (%s) AND status = 'pending'",
            (delay, ids),
        )


# The worker's sessions commit without waiting for the disk (``synchronous_commit = off``): a
# PostgreSQL crash may forget the last ~0.6 s of its commits, which only repeats work, never
# loses an event: a fan-out batch forgotten with its cursor is fanned out again (UNIQUE makes
# it once), a forgotten lease or delivered mark makes the row due again (sent again: receivers
# deduplicate on webhook-id). Only the 410 disabling is committed synchronously (``record``).
# Every commit of a pass otherwise waited for an fsync, on the one sequential path of an
# endpoint's deliveries.
WORKER_SESSION = "-c synchronous_commit=off"
PENDING_GAUGE_EVERY = 1.0  # seconds between counts of the pending deliveries (the gauge)
RECORD_EVERY = 0.25  # seconds a run of 2xx attempts may wait to be stored together


class DeliveryWorker:
    """Runs passes until stopped, over its own small pool of connections to ``db_url`` (plus
    one that LISTENs for the outbox trigger)."""

    def __init__(
        self,
        db_url: str,
        config: DeliveryConfig,
        metrics: WebhookMetrics | None = None,
    ) -> None:
        import psycopg_pool

        self.db_url = db_url
        self.config = config
        self.metrics = metrics
        self.pool = psycopg_pool.ConnectionPool(
            db_url, min_size=1, max_size=config.concurrency + 1, open=False, timeout=10.0,
            kwargs={"autocommit": True, "options": WORKER_SESSION},
            check=psycopg_pool.ConnectionPool.check_connection,
        )
        self._gauged = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client = httpx.Client(headers={"user-agent": USER_AGENT})

    def connect(self):
        import psycopg

        return psycopg.connect(self.db_url, autocommit=True, connect_timeout=5)

    def run_once(self) -> int:
        """One pass; returns the number of attempts made."""
        with self.pool.connection() as conn:
            while fan_out(conn, self.config.batch):
                pass
            claimed = claim_due(conn, self.config.batch, self.config.lease)
            if self.metrics is not None and time.monotonic() - self._gauged > PENDING_GAUGE_EVERY:
                self._gauged = time.monotonic()
                row = conn.execute(
                    "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'"
                ).fetchone()
                self.metrics.pending.set(row[0] if row else 0)
        if not claimed:
            return 0
        groups: dict[str, list[Claimed]] = {}
        for c in claimed:
            groups.setdefault(c.endpoint_id, []).append(c)
        if len(groups) == 1:  # one endpoint: no thread pool to start
            return self._serve_endpoint(next(iter(groups.values())))
        workers = min(self.config.concurrency, len(groups))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return sum(pool.map(self._serve_endpoint, groups.values()))

    def _serve_endpoint(self, batch: list[Claimed]) -> int:
        attempts = 0
        leased_until = time.monotonic() + self.config.lease
        with self.pool.connection() as conn:
            secrets = endpoints_db.live_secrets(conn, batch[0].endpoint_id)
            # 2xx outcomes not stored yet, and since when: stored together (record_delivered)
            # before any other outcome, at the end, or once they have waited RECORD_EVERY
            done: list[tuple[Claimed, Outcome]] = []
            since = 0.0
            for i, claimed in enumerate(batch):
                if time.monotonic() + self.config.timeout + 5 > leased_until:
                    # a slow endpoint: keep the rest of the batch ours (no second sender)
                    release(conn, [c.id for c in batch[i:]], self.config.lease)
                    leased_until = time.monotonic() + self.config.lease
                outcome = send_one(self._client, claimed, secrets, self.config)
                attempts += 1
                if outcome.ok:
                    if not done:
                        since = time.monotonic()
                    done.append((claimed, outcome))
                    if time.monotonic() - since >= RECORD_EVERY:
                        record_delivered(conn, done, self.metrics)
                        done = []
                    continue
                record_delivered(conn, done, self.metrics)
                done = []
                state = record(conn, claimed, outcome, self.config.policy, self.metrics)
                rest = [c.id for c in batch[i + 1 :]]
                if state == "pending":
                    release(conn, rest, self.config.policy.delay(claimed.attempts + 1))
                break
            record_delivered(conn, done, self.metrics)
        return attempts

    def run(self) -> None:
        listener = None
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the worker outlives a database restart or a bad row
                log.exception("webhook delivery pass failed")
                busy = 0
            if busy:
                continue
            listener = self._idle(listener)
        if listener is not None:
            listener.close()

    def _idle(self, listener):
        """Wait up to ``poll_interval`` for the outbox trigger's NOTIFY (new events); returns
        the listening connection, or None (then it just sleeps) if the database is away."""
        try:
            if listener is None or listener.closed:
                listener = self.connect()
                listener.execute("LISTEN webhook_outbox")
            for _ in listener.notifies(timeout=self.config.poll_interval, stop_after=1):
                pass
            return listener
        except Exception:
            if listener is not None:
                listener.close()
            self._stop.wait(self.config.poll_interval)
            return None

    def start(self) -> None:
        self.pool.open(wait=False)
        self._thread = threading.Thread(target=self.run, name="webhook-delivery", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._client.close()
        self.pool.close()
