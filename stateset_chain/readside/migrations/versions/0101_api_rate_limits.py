"""The API's rate limits, shared by every API process (``api_rate_limits``; see
``stateset_chain.api.ratelimit``).

Revision ID: api_0002
Revises: api_0001
"""

from alembic import op

from stateset_chain.api.schema import RATE_LIMITS_DDL, RATE_LIMITS_DROP

revision = "api_0002"
down_revision = "api_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in RATE_LIMITS_DDL:
        op.execute(statement)


def downgrade() -> None:
    for statement in RATE_LIMITS_DROP:
        op.execute(statement)
