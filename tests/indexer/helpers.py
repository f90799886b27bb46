"""Shared pieces of the indexer tests: a localnet with a short return window, the indexer as a
real subprocess, table snapshots, and the comparison with the chain's own queries."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from google.protobuf.json_format import MessageToDict

from localnet import Localnet
from stateset_chain.client import NodeClient, wallet_from_mnemonic
from stateset_chain.localnet import load_demo_accounts
from stateset_chain.readside import db
from stateset_chain.readside.render import order_json

from stateset.orders.v1 import query_pb2 as orders_query

RETURN_WINDOW_SECONDS = 2

# Every table and the columns that identify a row's content (all of them but those that
# depend on when or how often the indexer ran: updated_at, the outbox's serial seq).
SNAPSHOT_EXCLUDE = {"watermark": {"updated_at"}, "webhook_outbox": {"seq"}}
TYPED = ("orders", "order_items", "order_timeline", "payments", "refunds", "shipments",
         "settlements", "disputes", "holds", "cctp_transfers", "unclaimed_funds", "balances")
RAW = ("blocks", "txs", "events", "event_attributes", "webhook_outbox", "watermark")


def demo_wallets():
    return [wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()]


def start_localnet(directory: Path) -> Localnet:
    """A 1-validator localnet whose delivered orders settle RETURN_WINDOW_SECONDS later."""
    net = Localnet(directory, validators=1, base_port=0)
    net.generate()
    genesis = Path(net.nodes[0].home) / "config" / "genesis.json"
    doc = json.loads(genesis.read_text())
    doc["app_state"]["orders"]["params"]["return_window_seconds"] = str(RETURN_WINDOW_SECONDS)
    genesis.write_text(json.dumps(doc, indent=2) + "\n")
    net.start()
    return net


def start_indexer(rpc: str, url: str, log: Path, *extra: str) -> subprocess.Popen:
    with open(log, "ab") as out:  # the child keeps its own descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "stateset_chain.cli.main", "indexer", "--rpc", rpc,
             "--db", url, "--no-progress", *extra],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )


def watermark(url: str) -> int:
    try:
        with db.connect(url) as conn:
            row = conn.execute("SELECT height FROM watermark").fetchone()
    except (db.DatabaseError, psycopg.Error):
        return -1
    return row[0] if row else 0


def wait_watermark(url: str, height: int, timeout: float = 90.0, proc=None) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = watermark(url)
        if current >= height:
            return current
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the indexer exited with {proc.returncode}")
        time.sleep(0.2)
    raise AssertionError(f"watermark {watermark(url)} did not reach {height} in {timeout}s")


def columns(conn: psycopg.Connection, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position", (table,)
    ).fetchall()
    skip = SNAPSHOT_EXCLUDE.get(table, set())
    return [r[0] for r in rows if r[0] not in skip]


def snapshot(url: str, tables=TYPED + RAW) -> dict[str, list[tuple]]:
    out = {}
    with db.connect(url) as conn:
        for table in tables:
            cols = columns(conn, table)
            select = ", ".join(f"{c}::text" for c in cols)
            order = ", ".join(str(i + 1) for i in range(len(cols)))
            out[table] = conn.execute(f"SELECT {select} FROM {table} ORDER BY {order}").fetchall()
    return out


def chain_order(client: NodeClient, order_id: str) -> dict:
    response = client.query(
        "/stateset.orders.v1.Query/Order", orders_query.QueryOrderRequest(order_id=order_id),
        orders_query.QueryOrderResponse,
    )
    return MessageToDict(response.order, preserving_proto_field_name=True,
                         always_print_fields_with_no_presence=True)


def assert_matches_chain(url: str, client: NodeClient) -> int:
    """Every indexed order equals the chain's Order query (the whole document, hence status,
    payments, refunds, timeline...), its columns agree with it, and every indexed balance
    equals the chain's bank balance. Returns how many orders were compared."""
    with db.connect(url) as conn:
        orders = conn.execute(
            "SELECT id, doc, status, payment_status, amount_paid, total FROM orders"
        ).fetchall()
        # the API's read models, kept with the rows: the stored API JSON of each order, and
        # the counts per (merchant, status, currency)
        stale = conn.execute(
            "SELECT id, doc, api_json FROM orders").fetchall()
        counts = conn.execute(
            "SELECT merchant, status, currency, n FROM order_counts WHERE n <> 0 ORDER BY 1, 2, 3"
        ).fetchall()
        grouped = conn.execute(
            "SELECT merchant, status, currency, count(*) FROM orders GROUP BY 1, 2, 3 "
            "ORDER BY 1, 2, 3").fetchall()
        payments = conn.execute(
            "SELECT order_id, array_agg(id ORDER BY index), sum(amount), sum(refunded) "
            "FROM payments GROUP BY order_id"
        ).fetchall()
        balances = conn.execute("SELECT address, denom, amount FROM balances").fetchall()
    assert orders, "no orders indexed"
    for oid, doc, api_json in stale:
        assert api_json == order_json(doc), f"order {oid}: api_json is not its rendering"
    assert counts == grouped
    by_order = {p[0]: p[1:] for p in payments}
    for oid, doc, status, payment_status, amount_paid, total in orders:
        chain = chain_order(client, oid)
        differing = {k: (doc.get(k), chain.get(k))
                     for k in sorted(set(doc) | set(chain)) if doc.get(k) != chain.get(k)}
        assert doc == chain, f"order {oid} differs from the chain (indexed, chain): {differing}"
        assert status == chain["status"].removeprefix("ORDER_STATUS_")
        assert payment_status == chain["payment_status"].removeprefix("PAYMENT_STATUS_")
        assert int(amount_paid) == int(chain["amount_paid"]) and int(total) == int(chain["total"])
        ids, paid, refunded = by_order.get(oid, ([], 0, 0))
        assert ids == [p["id"] for p in chain["payments"]]
        assert int(paid or 0) == sum(int(p["amount"]) for p in chain["payments"])
        assert int(refunded or 0) == sum(int(p["refunded"]) for p in chain["payments"])
    indexed: dict[str, dict[str, int]] = {}
    for address, denom, amount in balances:
        if int(amount):
            indexed.setdefault(address, {})[denom] = int(amount)
    for address in {b[0] for b in balances}:
        on_chain = {c.denom: int(c.amount) for c in client.all_balances(address).balances}
        assert indexed.get(address, {}) == on_chain, f"balances of {address} differ"
    return len(orders)


def quiet_height(client: NodeClient, settle_seconds: float = RETURN_WINDOW_SECONDS + 3) -> int:
    """Wait for delivered orders to settle, then the height after which nothing changes."""
    time.sleep(settle_seconds)
    h = client.height()
    deadline = time.monotonic() + 30
    while client.height() < h + 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    return client.height()
