"""The oracle's exchange rates on the read side: ``rates`` (the accepted rate of each currency,
as the chain's oracle keeps it) and ``rate_history`` (every accepted rate, genesis included),
kept by the indexer from ``stateset.oracle.v1.RateAccepted`` and the genesis rates
(docs/indexer.md). Filled by the views rebuild that ``VIEWS_VERSION`` 4 starts.

Revision ID: 0400
Revises: api_0003
"""

from alembic import op

revision = "0400"
down_revision = "api_0003"
branch_labels = None
depends_on = None

UPGRADE = (
    """
    CREATE TABLE IF NOT EXISTS rates (
        currency     TEXT PRIMARY KEY,
        rate         TEXT NOT NULL,
        rate_value   NUMERIC(38, 18) NOT NULL,
        height       BIGINT NOT NULL,
        time         TIMESTAMPTZ,
        submissions  INTEGER NOT NULL,
        source       TEXT NOT NULL,
        updated_height BIGINT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS rate_history (
        height       BIGINT NOT NULL,
        tx_index     INTEGER NOT NULL,
        event_index  INTEGER NOT NULL,
        currency     TEXT NOT NULL,
        rate         TEXT NOT NULL,
        rate_value   NUMERIC(38, 18) NOT NULL,
        previous     TEXT NOT NULL,
        rate_height  BIGINT NOT NULL,
        time         TIMESTAMPTZ,
        submissions  INTEGER NOT NULL,
        source       TEXT NOT NULL,
        PRIMARY KEY (height, tx_index, event_index)
    )
    """,
    "CREATE INDEX IF NOT EXISTS rate_history_currency "
    "ON rate_history (currency, height, tx_index, event_index)",
)


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS rate_history")
    op.execute("DROP TABLE IF EXISTS rates")
