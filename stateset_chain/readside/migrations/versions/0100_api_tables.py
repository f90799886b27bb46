"""The Orders API's own tables (api keys, idempotency keys, webhooks, reports) on the indexer's
schema; the statements live in ``stateset_chain.api.schema``.

Revision ID: api_0001
Revises: 0001
"""

from alembic import op

from stateset_chain.api.schema import DDL, DROP

revision = "api_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP:
        op.execute(statement)
