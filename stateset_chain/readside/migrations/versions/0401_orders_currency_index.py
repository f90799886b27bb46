"""An index for the order list's amount filters, which compare within the named currency
(``lower(currency) = lower(%s)``, docs/api.md): a status + currency + amount range is counted
from ``orders_status_currency_total`` alone (the ``(status, total)`` index had to visit each
matching row for its currency).

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
               "ON orders (status, lower(currency), total)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS orders_status_currency_total")
