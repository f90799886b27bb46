"""The read-side schema: migrations run on a real PostgreSQL, are idempotent and reversible,
and the generated decimal columns are exact."""

from stateset_chain.api.schema import TABLES as API_TABLES
from stateset_chain.readside import db
from stateset_chain.readside.migrations.versions import __name__ as _versions  # noqa: F401

EXPECTED_TABLES = {
    "watermark", "view_versions", "blocks", "txs", "events", "event_attributes", "orders",
    "order_items", "order_timeline", "payments", "refunds", "shipments", "settlements",
    "disputes", "holds", "cctp_transfers", "unclaimed_funds", "balances", "webhook_outbox",
    "rates", "rate_history",
} | set(API_TABLES)


def tables(url: str) -> set[str]:
    with db.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    return {r[0] for r in rows} - {"alembic_version"}


def test_migrate_creates_every_table_at_head(pg_url):
    assert db.current_revision(pg_url) is None
    db.migrate(pg_url)
    assert tables(pg_url) == EXPECTED_TABLES
    assert db.current_revision(pg_url) == db.head_revision()


def test_migrate_twice_is_a_no_op(pg_url):
    db.migrate(pg_url)
    db.migrate(pg_url)
    assert db.current_revision(pg_url) == db.head_revision()


def test_downgrade_to_base_drops_everything(pg_url):
    db.migrate(pg_url)
    db.downgrade(pg_url, "base")
    assert tables(pg_url) == set()


def test_decimal_columns_are_exact(migrated_url):
    with db.connect(migrated_url) as conn:
        conn.execute(
            "INSERT INTO balances (address, denom, amount, height) VALUES "
            "('a', 'uusdc', 18446744073709551615, 1), ('b', 'uusdc', 1, 1)"
        )
        rows = dict(conn.execute(
            "SELECT address, amount_decimal::text FROM balances ORDER BY address"
        ).fetchall())
    assert rows == {"a": "18446744073709.551615", "b": "0.000001"}


def test_unreachable_database_is_a_clear_error():
    import pytest

    with pytest.raises(db.DatabaseError, match="cannot connect"):
        db.connect("postgresql://nobody@127.0.0.1:1/none", connect_timeout=1)
