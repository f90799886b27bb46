"""The read-side schema, first version: raw chain data, typed views, watermark, webhook outbox.

Documented table by table in docs/indexer.md. Amounts are ``numeric(20, 0)`` base units (u64);
each money column ``x`` has a generated ``x_decimal numeric(27, 6)`` in currency units (6
decimals). Statuses are the short names (``PAID``, ``PARTIALLY_REFUNDED``). Addresses are bech32,
bytes32 values lower-case hex without ``0x``, times ``timestamptz`` (block times).

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def money(name: str, nullable: bool = False) -> str:
    null = "" if nullable else " NOT NULL DEFAULT 0"
    exact = f"({name} * 0.000001)::numeric(27, 6)"  # a product of numerics is exact
    return (
        f"{name} numeric(20, 0){null},\n"
        f"  {name}_decimal numeric(27, 6) GENERATED ALWAYS AS ({exact}) STORED"
    )


SCHEMA = f"""
-- where ingest stands: one row, moved in the same transaction as the block's rows
CREATE TABLE watermark (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  chain_id text NOT NULL,
  height bigint NOT NULL,
  block_hash text NOT NULL,
  app_hash text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- version of each typed view's code; a newer version in code rebuilds the views from events
CREATE TABLE view_versions (
  view text PRIMARY KEY,
  version integer NOT NULL
);

-- raw chain data -----------------------------------------------------------------------------
CREATE TABLE blocks (
  height bigint PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  time timestamptz NOT NULL,
  time_ns bigint NOT NULL,           -- the exact block time (unix ns; timestamptz keeps µs)
  proposer text NOT NULL,
  num_txs integer NOT NULL,
  app_hash text NOT NULL,            -- header app hash: the state after the previous block
  last_results_hash text NOT NULL
);

CREATE TABLE txs (
  height bigint NOT NULL REFERENCES blocks (height),
  index integer NOT NULL,
  hash text NOT NULL,
  code integer NOT NULL,
  codespace text NOT NULL,
  log text NOT NULL,
  gas_wanted bigint NOT NULL,
  gas_used bigint NOT NULL,
  fee jsonb NOT NULL,                -- [{{denom, amount}}]
  signer text NOT NULL,              -- the first signer's address ('' if undecodable)
  memo text NOT NULL,
  messages jsonb NOT NULL,           -- type URLs of the messages
  PRIMARY KEY (height, index)
);
CREATE INDEX txs_hash ON txs (hash);
CREATE INDEX txs_signer ON txs (signer, height);

-- tx_index -1: a FinalizeBlock event (begin/end block: settlements); else the tx's index
CREATE TABLE events (
  height bigint NOT NULL,
  tx_index integer NOT NULL,
  index integer NOT NULL,
  type text NOT NULL,
  PRIMARY KEY (height, tx_index, index)
);
CREATE INDEX events_type ON events (type, height);

CREATE TABLE event_attributes (
  height bigint NOT NULL,
  tx_index integer NOT NULL,
  event_index integer NOT NULL,
  index integer NOT NULL,
  key text NOT NULL,
  value text NOT NULL,               -- typed events: the field's JSON
  PRIMARY KEY (height, tx_index, event_index, index)
);

-- typed views --------------------------------------------------------------------------------
CREATE TABLE orders (
  id text PRIMARY KEY,
  sequence bigint NOT NULL,
  client_order_id text NOT NULL,
  name text NOT NULL,
  number text NOT NULL,
  source text NOT NULL,
  customer text NOT NULL,
  merchant text NOT NULL,
  creator text NOT NULL,
  currency text NOT NULL,
  denom text NOT NULL,
  preferred_payment_method text NOT NULL,
  {money("subtotal")},
  tax_rate_bps integer NOT NULL,
  {money("tax")},
  {money("shipping_fee")},
  {money("total")},
  status text NOT NULL,
  payment_status text NOT NULL,
  {money("amount_paid")},
  {money("amount_refunded")},
  {money("amount_settled")},
  shipping_address jsonb NOT NULL,
  metadata jsonb NOT NULL,
  revenue_split jsonb,
  held_by text NOT NULL,
  settlement_due timestamptz,
  settled boolean NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  created_height bigint NOT NULL,
  updated_height bigint NOT NULL,
  doc jsonb NOT NULL                 -- the whole Order as the chain's query returns it (proto JSON)
);
CREATE INDEX orders_sequence ON orders (sequence);
CREATE INDEX orders_customer ON orders (customer, created_at);
CREATE INDEX orders_merchant ON orders (merchant, created_at);
CREATE INDEX orders_status ON orders (status, created_at);
CREATE INDEX orders_created ON orders (created_at, id);
CREATE INDEX orders_total ON orders (total);

CREATE TABLE order_items (
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  index integer NOT NULL,
  sku text NOT NULL,
  product_id text NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  quantity bigint NOT NULL,
  unit_price text NOT NULL,          -- as the client gave it
  {money("unit_price_amount")},
  {money("line_total")},
  PRIMARY KEY (order_id, index)
);

CREATE TABLE order_timeline (
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  index integer NOT NULL,
  status text NOT NULL,
  height bigint NOT NULL,
  time timestamptz NOT NULL,
  PRIMARY KEY (order_id, index)
);

CREATE TABLE payments (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  index integer NOT NULL,            -- position in the order's payments
  payer text NOT NULL,
  {money("amount")},
  denom text NOT NULL,
  method text NOT NULL,
  {money("refunded")},
  height bigint NOT NULL,
  time timestamptz NOT NULL,
  cross_chain boolean NOT NULL,
  source_domain integer,
  message_hash text,
  original_sender text,
  cross_chain_nonce numeric(20, 0)
);
CREATE INDEX payments_order ON payments (order_id, index);
CREATE INDEX payments_payer ON payments (payer, time);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  index integer NOT NULL,
  {money("amount")},
  denom text NOT NULL,
  reason text NOT NULL,
  signer text NOT NULL,
  payouts jsonb NOT NULL,            -- [{{recipient, amount, cross_chain}}] (proto JSON)
  height bigint NOT NULL,
  time timestamptz NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id, index);

CREATE TABLE shipments (
  order_id text PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
  method text NOT NULL,
  carrier text NOT NULL,
  tracking_number text NOT NULL,
  estimated_delivery timestamptz,
  shipped_at timestamptz,
  delivered_at timestamptz
);

-- one row per party paid at settlement: merchant, supplier, platform
CREATE TABLE settlements (
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  party text NOT NULL,
  recipient text NOT NULL,
  {money("amount")},
  denom text NOT NULL,
  height bigint NOT NULL,
  time timestamptz NOT NULL,
  PRIMARY KEY (order_id, party)
);
CREATE INDEX settlements_recipient ON settlements (recipient, time);

CREATE TABLE disputes (
  order_id text PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
  opened_by text NOT NULL,
  reason text NOT NULL,
  evidence jsonb NOT NULL,
  previous_status text NOT NULL,
  opened_at timestamptz NOT NULL,
  outcome text,                      -- REFUND_FULL, REFUND_PARTIAL, RELEASE_TO_MERCHANT
  {money("refund_amount", nullable=True)},
  note text,
  resolved_by text,
  resolved_at timestamptz
);

CREATE TABLE holds (
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  index integer NOT NULL,
  held_by text NOT NULL,
  reason text NOT NULL,
  held_height bigint NOT NULL,
  held_at timestamptz NOT NULL,
  released_by text,
  release_reason text,
  released_height bigint,
  released_at timestamptz,
  PRIMARY KEY (order_id, index)
);

-- CCTP transfers: 'out' = burned here (DepositForBurn), 'in' = received and minted here
CREATE TABLE cctp_transfers (
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  remote_domain integer NOT NULL,
  nonce numeric(20, 0) NOT NULL,
  {money("amount")},
  token text NOT NULL,               -- out: burn token (hex); in: the minted local denom
  local_account text NOT NULL,       -- out: depositor; in: the mint recipient (bech32 if 20 bytes)
  remote_account text NOT NULL,      -- out: mint recipient (hex); in: the message sender (hex)
  message_hash text NOT NULL,        -- keccak256 of the message ('' until seen)
  order_id text,                     -- a cross-chain order payment or refund
  payment_id text,
  height bigint NOT NULL,
  tx_index integer NOT NULL,
  time timestamptz NOT NULL,
  PRIMARY KEY (direction, remote_domain, nonce)
);
CREATE INDEX cctp_transfers_hash ON cctp_transfers (message_hash);
CREATE INDEX cctp_transfers_order ON cctp_transfers (order_id);

CREATE TABLE unclaimed_funds (
  message_hash text PRIMARY KEY,
  source_domain integer NOT NULL,
  original_sender text NOT NULL,
  nonce numeric(20, 0) NOT NULL,
  {money("amount")},
  denom text NOT NULL,
  order_id text NOT NULL,
  payment_id text NOT NULL,
  reason text NOT NULL,
  detail text NOT NULL,
  height bigint NOT NULL,
  time timestamptz NOT NULL
);

CREATE TABLE balances (
  address text NOT NULL,
  denom text NOT NULL,
  {money("amount")},
  height bigint NOT NULL,            -- last change
  PRIMARY KEY (address, denom)
);

-- webhook outbox: written with the block that caused the event (never lost, never invented)
CREATE TABLE webhook_outbox (
  id text PRIMARY KEY,               -- evt_<height>_<tx index or b>_<event index>: stable
  seq bigserial UNIQUE,              -- insertion order (= chain order) for consumers
  height bigint NOT NULL,
  tx_index integer NOT NULL,
  event_index integer NOT NULL,
  event_type text NOT NULL,          -- order.paid, order.shipped, ...
  order_id text,
  payload jsonb NOT NULL,            -- {{id, event, data: {{order, ...}}, timestamp}}
  created_at timestamptz NOT NULL    -- block time
);
CREATE INDEX webhook_outbox_height ON webhook_outbox (height);
CREATE INDEX webhook_outbox_type ON webhook_outbox (event_type, seq);
"""

TABLES = [
    "webhook_outbox", "balances", "unclaimed_funds", "cctp_transfers", "holds", "disputes",
    "settlements", "shipments", "refunds", "payments", "order_timeline", "order_items", "orders",
    "event_attributes", "events", "txs", "blocks", "view_versions", "watermark",
]


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
