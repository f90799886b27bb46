"""Orders priced in a fiat currency, VAT and import duty: their columns on ``orders``
(docs/indexer.md). ``currency`` already holds the order's currency (``EUR``); the new columns
say what it is paid in at which rate. Existing rows are USD orders: 0 / '' / NULL.

Revision ID: 0200
Revises: api_0002
"""

from alembic import op

revision = "0200"
down_revision = "api_0002"
branch_labels = None
depends_on = None


def _money(name: str) -> str:
    exact = f"({name} * 0.000001)::numeric(27, 6)"
    return (
        f"ADD COLUMN {name} numeric(20, 0) NOT NULL DEFAULT 0, "
        f"ADD COLUMN {name}_decimal numeric(27, 6) GENERATED ALWAYS AS ({exact}) STORED"
    )


COLUMNS = (
    "ADD COLUMN vat_rate_bps integer NOT NULL DEFAULT 0",
    _money("vat"),
    _money("import_duty"),
    "ADD COLUMN origin_country text NOT NULL DEFAULT ''",
    # a fiat order: its total in the denom (the lock's amount due, or the creation quote)
    _money("stablecoin_total"),
    _money("amount_refunded_fiat"),
    "ADD COLUMN exchange_rate text NOT NULL DEFAULT ''",  # the locked rate's text, '' unlocked
    "ADD COLUMN rate_locked_at timestamptz",
)
NAMES = (
    "vat_rate_bps", "vat", "vat_decimal", "import_duty", "import_duty_decimal", "origin_country",
    "stablecoin_total", "stablecoin_total_decimal", "amount_refunded_fiat",
    "amount_refunded_fiat_decimal", "exchange_rate", "rate_locked_at",
)


def upgrade() -> None:
    op.execute("ALTER TABLE orders " + ", ".join(COLUMNS))
    op.execute("ALTER TABLE order_items ADD COLUMN import_duty_rate_bps integer NOT NULL "
               "DEFAULT 0, " + _money("import_duty"))
    op.execute("ALTER TABLE refunds " + _money("fiat_amount"))


def downgrade() -> None:
    op.execute("ALTER TABLE refunds DROP COLUMN fiat_amount_decimal, DROP COLUMN fiat_amount")
    op.execute("ALTER TABLE order_items DROP COLUMN import_duty_decimal, DROP COLUMN import_duty, "
               "DROP COLUMN import_duty_rate_bps")
    op.execute("ALTER TABLE orders " + ", ".join(f"DROP COLUMN {n}" for n in reversed(NAMES)))
