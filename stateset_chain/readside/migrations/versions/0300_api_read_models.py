"""Read models for the Orders API: each order's API JSON stored once, and order counts.

- ``orders.api_json``: the JSON text of ``GET /v1/orders/{id}`` (``readside.render.order_json``
  of ``doc``), written by the indexer with the row, in the block's transaction; the API returns
  its bytes as they are. Rows written before this revision have NULL until the views are
  rebuilt (``VIEWS_VERSION`` 3 does that on the indexer's next start); the API renders ``doc``
  for a NULL.
- ``order_counts``: the number of orders per ``(merchant, status, currency)``, kept by
  statement triggers on ``orders`` (insert, update, delete, truncate), so in the same
  transaction as the rows whoever writes them. The order list's ``total_count`` of a filter on
  these columns only is a sum over a few hundred rows instead of a count over every match.

Revision ID: api_0003
Revises: 0200
"""

from alembic import op

from stateset_chain.api.schema import READ_MODELS_DDL, READ_MODELS_DROP

revision = "api_0003"
down_revision = "0200"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in READ_MODELS_DDL:
        op.execute(statement)


def downgrade() -> None:
    for statement in READ_MODELS_DROP:
        op.execute(statement)
