"""The API service's own tables, on top of the indexer's schema (same database, same alembic chain).

The indexer owns the chain-derived tables (blocks, txs, events, the typed views and the webhook
outbox) and writes them only from blocks. The API owns what integrators create through it:

    api_keys             hashed secret / restricted keys (the key itself is shown once)
    idempotency_keys     (api key, Idempotency-Key) -> request fingerprint + the first answer
    webhook_endpoints    url, subscribed event types, enabled/disabled (410 disables)
    webhook_secrets      an endpoint's signing secrets; several are live during a rotation
    webhook_fanout       one row: the last outbox position copied into deliveries
    webhook_deliveries   one row per (endpoint, event): pending -> delivered | failed | cancelled
    webhook_attempts     every HTTP attempt of a delivery (status code or error, duration)
    reports              a CSV report's request and its rendered body
    api_rate_limits      per key (or client address): the rate limit's state, shared by every
                         API process (``api.ratelimit``; UNLOGGED, revision ``api_0002``)
    order_counts         orders per (merchant, status, currency), kept by triggers on ``orders``
                         (the order list's ``total_count``; revision ``api_0003``)

and four indexes on the indexer's ``orders`` for the list routes (``orders_*_seq``,
``orders_status_total``).

``DDL`` is applied by the alembic revision ``api_0001``, ``RATE_LIMITS_DDL`` by ``api_0002`` and
``READ_MODELS_DDL`` (``orders.api_json`` and ``order_counts``, kept by the indexer's writes) by
``api_0003``; ``create_all`` applies them all. Every statement is idempotent.
"""

from __future__ import annotations

DDL: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS api_keys (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('secret', 'restricted')),
        livemode    BOOLEAN NOT NULL,
        name        TEXT NOT NULL DEFAULT '',
        key_hash    BYTEA NOT NULL UNIQUE,
        hint        TEXT NOT NULL,
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        revoked_at  TIMESTAMPTZ
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS idempotency_keys (
        api_key_id   TEXT NOT NULL REFERENCES api_keys (id),
        key          TEXT NOT NULL,
        fingerprint  BYTEA NOT NULL,
        status_code  INTEGER,
        response     JSONB,
        created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (api_key_id, key)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS webhook_endpoints (
        id               TEXT PRIMARY KEY,
        livemode         BOOLEAN NOT NULL,
        url              TEXT NOT NULL,
        events           TEXT[] NOT NULL,
        start_seq        BIGINT NOT NULL,
        description      TEXT NOT NULL DEFAULT '',
        status           TEXT NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
        disabled_reason  TEXT,
        created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
        deleted_at       TIMESTAMPTZ
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS webhook_secrets (
        id           BIGSERIAL PRIMARY KEY,
        endpoint_id  TEXT NOT NULL REFERENCES webhook_endpoints (id),
        secret       TEXT NOT NULL,
        created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at   TIMESTAMPTZ
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS webhook_fanout (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        last_seq   BIGINT NOT NULL
    )
    """,
    "INSERT INTO webhook_fanout (id, last_seq) VALUES (1, 0) ON CONFLICT DO NOTHING",
    """
    CREATE TABLE IF NOT EXISTS webhook_deliveries (
        id               BIGSERIAL PRIMARY KEY,
        endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id),
        event_id         TEXT NOT NULL,
        event_type       TEXT NOT NULL,
        payload          TEXT NOT NULL,
        status           TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_status_code INTEGER,
        last_error       TEXT,
        created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
        delivered_at     TIMESTAMPTZ,
        UNIQUE (endpoint_id, event_id)
    )
    """,
    """
    CREATE INDEX IF NOT EXISTS webhook_deliveries_due
        ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'
    """,
    """
    CREATE TABLE IF NOT EXISTS webhook_attempts (
        id            BIGSERIAL PRIMARY KEY,
        delivery_id   BIGINT NOT NULL REFERENCES webhook_deliveries (id),
        attempted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        status_code   INTEGER,
        error         TEXT,
        duration_ms   INTEGER NOT NULL
    )
    """,
    # The list routes order by ``sequence`` (newest first) under one equality filter; these let
    # PostgreSQL walk the index backwards for a page and count a status's amount range from the
    # index alone.
    "CREATE INDEX IF NOT EXISTS orders_customer_seq ON orders (customer, sequence)",
    "CREATE INDEX IF NOT EXISTS orders_merchant_seq ON orders (merchant, sequence)",
    "CREATE INDEX IF NOT EXISTS orders_status_seq ON orders (status, sequence)",
    "CREATE INDEX IF NOT EXISTS orders_status_total ON orders (status, total)",
    # Wake the delivery worker when the indexer commits outbox rows (it polls too, as a backstop).
    """
    CREATE OR REPLACE FUNCTION webhook_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('webhook_outbox', '');
        RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS webhook_outbox_notify ON webhook_outbox",
    """
    CREATE TRIGGER webhook_outbox_notify AFTER INSERT ON webhook_outbox
        FOR EACH STATEMENT EXECUTE FUNCTION webhook_outbox_notify()
    """,
    """
    CREATE TABLE IF NOT EXISTS reports (
        id          TEXT PRIMARY KEY,
        livemode    BOOLEAN NOT NULL,
        request     JSONB NOT NULL,
        row_count   INTEGER NOT NULL,
        body        TEXT NOT NULL,
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
    )
    """,
)

RATE_LIMITS_DDL: tuple[str, ...] = (
    # who = "key:<sha256 prefix of the key>" or "ip:<address>"; tat = the GCRA theoretical
    # arrival time; checked_at and allowed = the last request's (RETURNING reads them)
    """
    CREATE UNLOGGED TABLE IF NOT EXISTS api_rate_limits (
        who         TEXT PRIMARY KEY,
        tat         TIMESTAMPTZ NOT NULL,
        checked_at  TIMESTAMPTZ NOT NULL,
        allowed     BOOLEAN NOT NULL
    )
    """,
)

RATE_LIMITS_DROP: tuple[str, ...] = ("DROP TABLE IF EXISTS api_rate_limits",)

# Read models the indexer keeps for the API (revision ``api_0003``): ``orders.api_json`` (the
# order's API JSON, written with the row) and ``order_counts`` (orders per merchant, status and
# currency, kept by statement triggers on ``orders`` in the writer's own transaction).
_COUNTS_DELTA = """
    INSERT INTO order_counts AS c (merchant, status, currency, n)
    SELECT merchant, status, currency, sum(d) FROM ({rows}) AS x
     GROUP BY merchant, status, currency HAVING sum(d) <> 0
    ON CONFLICT (merchant, status, currency) DO UPDATE SET n = c.n + EXCLUDED.n
"""
_NEW = "SELECT merchant, status, currency, 1 AS d FROM new_rows"
_OLD = "SELECT merchant, status, currency, -1 AS d FROM old_rows"

READ_MODELS_DDL: tuple[str, ...] = (
    "ALTER TABLE orders ADD COLUMN IF NOT EXISTS api_json text",
    # tokens the key's last statement granted (a process leases several at once, ratelimit)
    "ALTER TABLE api_rate_limits ADD COLUMN IF NOT EXISTS granted integer NOT NULL DEFAULT 1",
    """
    CREATE TABLE IF NOT EXISTS order_counts (
        merchant  TEXT NOT NULL,
        status    TEXT NOT NULL,
        currency  TEXT NOT NULL,
        n         BIGINT NOT NULL,
        PRIMARY KEY (merchant, status, currency)
    )
    """,
    f"""
    CREATE OR REPLACE FUNCTION order_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_COUNTS_DELTA.format(rows=_NEW)}; RETURN NULL; END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION order_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_COUNTS_DELTA.format(rows=_NEW + " UNION ALL " + _OLD)}; RETURN NULL; END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION order_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_COUNTS_DELTA.format(rows=_OLD)}; RETURN NULL; END $$
    """,
    """
    CREATE OR REPLACE FUNCTION order_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN DELETE FROM order_counts; RETURN NULL; END $$
    """,
    "DROP TRIGGER IF EXISTS order_counts_insert ON orders",
    "DROP TRIGGER IF EXISTS order_counts_update ON orders",
    "DROP TRIGGER IF EXISTS order_counts_delete ON orders",
    "DROP TRIGGER IF EXISTS order_counts_truncate ON orders",
    "CREATE TRIGGER order_counts_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION order_counts_insert()",
    "CREATE TRIGGER order_counts_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_counts_update()",
    "CREATE TRIGGER order_counts_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION order_counts_delete()",
    "CREATE TRIGGER order_counts_truncate AFTER TRUNCATE ON orders "
    "FOR EACH STATEMENT EXECUTE FUNCTION order_counts_truncate()",
    # the orders already there (a table being written meanwhile is not: one writer, the indexer)
    "DELETE FROM order_counts",
    "INSERT INTO order_counts (merchant, status, currency, n) "
    "SELECT merchant, status, currency, count(*) FROM orders GROUP BY merchant, status, currency",
)

READ_MODELS_DROP: tuple[str, ...] = (
    "DROP TRIGGER IF EXISTS order_counts_truncate ON orders",
    "DROP TRIGGER IF EXISTS order_counts_delete ON orders",
    "DROP TRIGGER IF EXISTS order_counts_update ON orders",
    "DROP TRIGGER IF EXISTS order_counts_insert ON orders",
    "DROP FUNCTION IF EXISTS order_counts_truncate()",
    "DROP FUNCTION IF EXISTS order_counts_delete()",
    "DROP FUNCTION IF EXISTS order_counts_update()",
    "DROP FUNCTION IF EXISTS order_counts_insert()",
    "DROP TABLE IF EXISTS order_counts",
    "ALTER TABLE api_rate_limits DROP COLUMN IF EXISTS granted",
    "ALTER TABLE orders DROP COLUMN IF EXISTS api_json",
)

TABLES: tuple[str, ...] = (
    "api_keys", "idempotency_keys", "webhook_endpoints", "webhook_secrets", "webhook_fanout",
    "webhook_deliveries", "webhook_attempts", "reports", "api_rate_limits", "order_counts",
)

DROP: tuple[str, ...] = (
    "DROP INDEX IF EXISTS orders_customer_seq",
    "DROP INDEX IF EXISTS orders_merchant_seq",
    "DROP INDEX IF EXISTS orders_status_seq",
    "DROP INDEX IF EXISTS orders_status_total",
    "DROP TRIGGER IF EXISTS webhook_outbox_notify ON webhook_outbox",
    "DROP FUNCTION IF EXISTS webhook_outbox_notify()",
    "DROP TABLE IF EXISTS reports",
    "DROP TABLE IF EXISTS webhook_attempts",
    "DROP TABLE IF EXISTS webhook_deliveries",
    "DROP TABLE IF EXISTS webhook_fanout",
    "DROP TABLE IF EXISTS webhook_secrets",
    "DROP TABLE IF EXISTS webhook_endpoints",
    "DROP TABLE IF EXISTS idempotency_keys",
    "DROP TABLE IF EXISTS api_keys",
)


def create_all(conn) -> None:
    """Apply ``DDL`` on a psycopg connection (in its current transaction)."""
    for statement in (*DDL, *RATE_LIMITS_DDL, *READ_MODELS_DDL):
        conn.execute(statement)
