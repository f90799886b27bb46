"""An index for the order list's amount filters, which compare within the named currency
(``currency = ANY (lower, upper spelling)``, docs/api.md): a status + currency + amount range is
counted from ``orders_status_currency_total`` alone, an index-only scan (the ``(status,
total)`` index had to visit each matching row for its currency: ~900 heap pages per request of
the benchmark's status + amount list at 1,000,000 orders).

Revision ID: 0401
Revises: 0400
"""

from alembic import op

revision = "0401"
down_revision = "0400"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS orders_status_currency_total "
               "ON orders (status, currency, total)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS orders_status_currency_total")
