"""Orders API and webhook latency (``python -m benchmarks api``).

1. A throwaway PostgreSQL (``localnet/pgcluster.py``), migrated, filled with ``orders`` rows by
   ``INSERT ... SELECT generate_series`` inside PostgreSQL (the shape the indexer writes: every
   column plus the proto-JSON ``doc``), in chunks of 100,000, then VACUUM ANALYZE.
2. ``statesetd api`` as a subprocess (uvicorn, one worker process, webhook worker on); one
   client with a keep-alive session sends each request shape ``--requests`` times, sequentially,
   to a random order / customer; p50, p95 and p99 of the client-side latency (HTTP + JSON
   included). Then, for each count in ``--threads`` (e.g. ``1,2,8``), that many client
   processes (each one keep-alive ``http.client`` connection, so neither a shared GIL nor the
   ``requests`` library's own CPU sits between them and the server) send get orders for 10 s:
   requests/s, p50/p95/p99, and the CPU the API processes and PostgreSQL spent per request.
3. Webhooks: a loopback receiver, one endpoint; ``--webhooks`` outbox rows each committed in
   its own transaction (as the indexer commits a block) every 20 ms; latency = arrival at the
   receiver - return of the commit.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CUSTOMERS = 20_000
MERCHANTS = 100
STATUSES = ("CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED", "HELD", "CANCELLED",
            "RETURNED", "REFUNDED", "DISPUTED", "RESOLVED")
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

FILL_SQL = """
INSERT INTO orders (id, sequence, client_order_id, name, number, source, customer, merchant,
  creator, currency, denom, preferred_payment_method, subtotal, tax_rate_bps, tax, shipping_fee,
  total, status, payment_status, amount_paid, amount_refunded, amount_settled, shipping_address,
  metadata, revenue_split, held_by, settlement_due, settled, created_at, updated_at,
  created_height, updated_height, doc)
SELECT id, i, '', '', '', 'bench', cust, merch, cust, 'usd', 'ussusd', '', total, 0, 0, 0, total,
  st, CASE WHEN st = 'CREATED' THEN 'UNPAID' ELSE 'PAID' END,
  CASE WHEN st = 'CREATED' THEN 0 ELSE total END, 0, 0, '{}', '{}', NULL, '', NULL, false,
  t, t, i, i,
  jsonb_build_object(
    'id', id, 'sequence', i::text, 'customer', cust, 'merchant', merch, 'creator', cust,
    'status', 'ORDER_STATUS_' || st,
    'payment_status', CASE WHEN st = 'CREATED' THEN 'PAYMENT_STATUS_UNPAID'
                           ELSE 'PAYMENT_STATUS_PAID' END,
    'currency', 'usd', 'denom', 'ussusd',
    'items', jsonb_build_array(jsonb_build_object('sku', 'SKU-' || (i %% 500), 'name', 'Widget',
             'quantity', '1', 'unit_price', '1', 'unit_price_amount', total::text,
             'line_total', total::text)),
    'subtotal', total::text, 'total', total::text,
    'amount_paid', CASE WHEN st = 'CREATED' THEN '0' ELSE total::text END,
    'timeline', jsonb_build_array(jsonb_build_object('status', 'ORDER_STATUS_CREATED',
                'height', i::text, 'time', to_char(t AT TIME ZONE 'UTC',
                'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
    'created_at', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'updated_at', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
FROM (
  SELECT i, 'ord_' || lpad(i::text, 10, '0') AS id,
         'cust_' || (hashint4(i::int) & 2147483647) %% @CUSTOMERS@ AS cust,
         'merch_' || (hashint4((i + 7)::int) & 2147483647) %% @MERCHANTS@ AS merch,
         (ARRAY[@STATUSES@])[1 + (hashint4((i + 13)::int) & 2147483647) %% 11] AS st,
         (1 + (hashint4((i + 29)::int) & 2147483647) %% 100000) * 10000::numeric AS total,
         timestamptz '2026-01-01 00:00:00+00' + make_interval(secs => i * 30) AS t
    FROM generate_series(%s::bigint, %s::bigint) AS i
) g
"""


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


@dataclass
class Shape:
    name: str
    samples: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    api_cpu_ms: float = 0.0  # CPU of the API process per request
    pg_cpu_ms: float = 0.0   # CPU of PostgreSQL per request

    def row(self) -> str:
        ms = [s * 1000 for s in self.samples]
        mean_rows = statistics.mean(self.rows) if self.rows else 0
        return (f"| {self.name} | {len(ms)} | {_pct(ms, 0.5):.2f} | {_pct(ms, 0.95):.2f} | "
                f"{_pct(ms, 0.99):.2f} | {self.api_cpu_ms:.2f} | {self.pg_cpu_ms:.2f} | "
                f"{mean_rows:,.0f} |")


@dataclass
class ApiBench:
    orders: int
    fill_seconds: float
    shapes: list[Shape]
    threads: tuple[int, ...]
    runs: list[Throughput]
    webhook_ms: list[float]
    rate_limit: bool = True
    load_start: float = 0.0
    load_end: float = 0.0

    def markdown(self) -> str:
        limit = ("on (its PostgreSQL statement on every /v1/ request; never reached)"
                 if self.rate_limit else "off")
        lines = [
            f"{self.orders:,} orders in PostgreSQL (filled in {self.fill_seconds:.0f} s). "
            "Client-side latency of `statesetd api` (one uvicorn process), one client, "
            f"sequential keep-alive requests; rate limit {limit}. Load average (1 min) "
            f"{self.load_start:.1f} at the start, {self.load_end:.1f} at the end, on "
            f"{os.cpu_count()} cores. CPU columns: CPU-ms per request of the API process and "
            "of PostgreSQL (every backend), which other processes on the machine cannot "
            "inflate much (cache contention aside).",
            "",
            "| request | n | p50 ms | p95 ms | p99 ms | API CPU ms | PostgreSQL CPU ms "
            "| mean total_count |",
            "|---|---|---|---|---|---|---|---|",
            *[s.row() for s in self.shapes],
            "",
            "Throughput of `GET /v1/orders/{id}`: N client processes (each one keep-alive "
            "connection, on the same machine) spread over the API processes for 10 s:",
            "",
            "| API processes | clients | requests/s | p50 ms | p95 ms | p99 ms | "
            "API CPU ms / request | PostgreSQL CPU ms / request | requests per API CPU-s "
            "| load |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *[r.row() for r in self.runs],
            "",
        ]
        if self.runs:
            best = min(self.runs, key=lambda r: (r.api_cpu + r.postgres_cpu) / max(1, r.requests))
            n = max(1, best.requests)
            api_cores = 50_000 * best.api_cpu / n
            pg_cores = 50_000 * best.postgres_cpu / n
            lines += [
                f"50,000 get-order requests/s at these measured CPU costs: "
                f"**{api_cores:,.0f} API process-cores** (one uvicorn process per core) and "
                f"**{pg_cores:,.0f} PostgreSQL cores** (primary + read replicas; the API only "
                "reads, so replicas take it), plus the balancer and the clients.",
                "",
            ]
        if self.webhook_ms:
            w = self.webhook_ms
            lines += [
                f"Webhook delivery, outbox commit -> loopback receiver ({len(w)} events, one "
                f"per transaction every 20 ms): p50 **{_pct(w, 0.5):.1f} ms**, "
                f"p95 **{_pct(w, 0.95):.1f} ms**, max {max(w):.1f} ms.",
                "",
            ]
        return "\n".join(lines)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(url: str, orders: int, log) -> float:
    import psycopg

    started = time.monotonic()
    sql = (FILL_SQL.replace("@CUSTOMERS@", str(CUSTOMERS))
           .replace("@MERCHANTS@", str(MERCHANTS))
           .replace("@STATUSES@", ", ".join(f"'{s}'" for s in STATUSES)))
    chunk = 100_000
    with psycopg.connect(url, autocommit=True) as conn:
        for lo in range(1, orders + 1, chunk):
            hi = min(orders, lo + chunk - 1)
            conn.execute(sql, (lo, hi))
            store_api_json(conn, lo, hi)
            log(f"api bench: {hi:,}/{orders:,} orders ({time.monotonic() - started:.0f} s)")
        conn.execute("VACUUM ANALYZE orders")  # what autovacuum does to a live table
    return time.monotonic() - started


def store_api_json(conn, lo: int, hi: int) -> None:
    """``orders.api_json`` of the orders with sequence lo..hi, as the indexer writes it with
    each row (``readside.render.order_json`` of ``doc``)."""
    from stateset_chain.readside import jsoncodec
    from stateset_chain.readside.render import order_json

    jsoncodec.use_on(conn)
    rows = conn.execute("SELECT id, doc FROM orders WHERE sequence BETWEEN %s AND %s",
                        (lo, hi)).fetchall()
    with conn.transaction():
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS fill_json (id text, api_json text) "
                     "ON COMMIT DELETE ROWS")
        with conn.cursor() as cur, cur.copy("COPY fill_json (id, api_json) FROM STDIN") as copy:
            for oid, doc in rows:
                copy.write_row((oid, order_json(doc)))
        conn.execute("UPDATE orders SET api_json = f.api_json FROM fill_json f "
                     "WHERE orders.id = f.id")


def _measure(session, base: str, shapes: dict, n: int, rng: random.Random,
             api_pid: int | None = None, pg_pid: int | None = None) -> list[Shape]:
    from benchmarks import cputime

    out = []
    for name, make in shapes.items():
        shape = Shape(name)
        api0, pg0 = cputime.own_cpu(api_pid or -1), cputime.tree_cpu(pg_pid)
        for _ in range(n):
            path, params = make(rng)
            t0 = time.perf_counter()
            r = session.get(base + path, params=params, timeout=30)
            shape.samples.append(time.perf_counter() - t0)
            if r.status_code != 200:
                raise RuntimeError(f"{name}: {r.status_code} {r.text[:200]}")
            body = r.json()
            if "total_count" in body:
                shape.rows.append(body["total_count"])
        if api_pid is not None:
            shape.api_cpu_ms = 1000 * (cputime.own_cpu(api_pid) - api0) / n
            shape.pg_cpu_ms = 1000 * (cputime.tree_cpu(pg_pid) - pg0) / n
        out.append(shape)
    return out


@dataclass
class Throughput:
    processes: int
    threads: int         # client processes
    seconds: float
    requests: int
    api_cpu: float       # CPU seconds of the API processes over the window
    postgres_cpu: float  # CPU seconds of PostgreSQL (every backend) over the window
    load: float
    samples: list[float] = field(default_factory=list)  # latency of every request, s

    @property
    def qps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        n = max(1, self.requests)
        api_ms, pg_ms = 1000 * self.api_cpu / n, 1000 * self.postgres_cpu / n
        per_core = 1000 / api_ms if api_ms else 0.0
        ms = [x * 1000 for x in self.samples] or [0.0]
        return (f"| {self.processes} | {self.threads} | {self.qps:,.0f} | {_pct(ms, 0.5):.2f} | "
                f"{_pct(ms, 0.95):.2f} | {_pct(ms, 0.99):.2f} | {api_ms:.3f} | "
                f"{pg_ms:.3f} | {per_core:,.0f} | {self.load:.1f} |")


def _client(base: str, orders: int, seed: int, start: float, stop: float, out) -> None:
    """One client process: get orders of random ids on one keep-alive connection from
    ``start`` to ``stop`` (``time.monotonic``), each latency put on ``out`` at the end."""
    import http.client

    host, port = base.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    rng, samples, error = random.Random(seed), [], None
    time.sleep(max(0.0, start - time.monotonic()))
    try:
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            conn.request("GET", f"/v1/orders/ord_{rng.randint(1, orders):010d}")
            r = conn.getresponse()
            body = r.read()
            samples.append(time.perf_counter() - t0)
            if r.status != 200:
                error = f"get order: {r.status} {body[:200]!r}"
                break
    finally:
        conn.close()
        out.put((samples, error))


def _throughput(bases: list[str], orders: int, threads: int, pids: list[int],
                pg_pid: int | None, seconds: float = 10.0) -> Throughput:
    """``threads`` client processes of get order (each one keep-alive connection) for
    ``seconds``, spread over ``bases`` (one per API process, as a balancer would); latencies,
    and the CPU the API processes and PostgreSQL spent."""
    import multiprocessing

    from benchmarks import cputime

    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start = time.monotonic() + 1.0  # every client connected and waiting
    stop = start + seconds
    clients = [ctx.Process(target=_client, args=(bases[k % len(bases)], orders, k, start, stop,
                                                 out)) for k in range(threads)]
    for c in clients:
        c.start()
    time.sleep(max(0.0, start - time.monotonic()))
    api0 = sum(cputime.own_cpu(p) for p in pids)
    pg0 = cputime.tree_cpu(pg_pid)
    results = [out.get(timeout=seconds + 60) for _ in clients]
    elapsed = time.monotonic() - start
    api1, pg1 = sum(cputime.own_cpu(p) for p in pids), cputime.tree_cpu(pg_pid)
    for c in clients:
        c.join(10)
    errors = [e for _, e in results if e]
    if errors:
        raise RuntimeError(errors[0])
    samples = [x for s, _ in results for x in s]
    return Throughput(
        processes=len(bases), threads=threads, seconds=elapsed, requests=len(samples),
        api_cpu=api1 - api0, postgres_cpu=pg1 - pg0, load=cputime.load_average(),
        samples=samples,
    )


def _webhooks(url: str, base: str, count: int, log, interval: float = 0.02,
              first: int | None = None) -> list[float]:
    import psycopg
    import requests

    from stateset_chain.api.keys import create_key

    arrivals: dict[str, float] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("content-length", 0)))
            arrivals.setdefault(self.headers.get("webhook-id", ""), time.monotonic())
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    port = _free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            key = create_key(conn, kind="secret", livemode=False, name="bench")[1]
            if first is None:  # after the events of earlier runs on a kept database
                row = conn.execute(
                    "SELECT coalesce(max(height), 9999999) + 1 FROM webhook_outbox").fetchone()
                first = int(row[0]) if row else 10_000_000
            r = requests.post(base + "/v1/webhooks", headers={"Authorization": f"Bearer {key}"},
                              json={"url": f"http://127.0.0.1:{port}/h", "events": ["*"]},
                              timeout=10)
            r.raise_for_status()
            endpoint = r.json()["id"]
            committed: dict[str, float] = {}
            for i in range(count):
                eid = f"evt_{first + i}_0_0"
                payload = {"id": eid, "event": "order.paid", "data": {"order": {"id": "ord_1"}},
                           "timestamp": "2026-01-01T00:00:00Z"}
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO webhook_outbox (id, height, tx_index, event_index, "
                        "event_type, order_id, payload, created_at) VALUES "
                        "(%s, %s, 0, 0, 'order.paid', 'ord_1', %s, now())",
                        (eid, first + i, json.dumps(payload)),
                    )
                committed[eid] = time.monotonic()
                time.sleep(interval)
        deadline = time.monotonic() + 60
        while len(arrivals) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        log(f"api bench: {len(arrivals)}/{count} webhooks arrived")
        requests.delete(f"{base}/v1/webhooks/{endpoint}",
                        headers={"Authorization": f"Bearer {key}"}, timeout=10)
        return [(arrivals[e] - t) * 1000 for e, t in committed.items() if e in arrivals]
    finally:
        server.shutdown()
        server.server_close()


def _start_api(url: str, parent: Path, index: int, rate_limit: bool,
               webhooks: bool, tree: Path | None = None) -> tuple[subprocess.Popen, str]:
    """``statesetd api`` as a subprocess; ``tree``: the code of another checkout (an export of
    an older commit, run with this virtualenv) instead of this one."""
    import requests

    port = _free_port()
    log_file = open(parent / f"api{index}.log", "ab")  # noqa: SIM115 (the child keeps it)
    # the rate limit on (its statement runs on every /v1/ request) but never reached
    limits = ["--rate", "1000000", "--burst", "1000000"] if rate_limit else ["--rate", "0"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "stateset_chain.cli.main", "api", "--db", url, "--listen",
         f"127.0.0.1:{port}", "--allow-private-webhooks", *limits, "--log-level", "warning",
         *([] if webhooks else ["--no-webhooks"])],
        stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(tree)} if tree else dict(os.environ),
        cwd=tree,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(base + "/health", timeout=2)
            return proc, base
        except requests.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("statesetd api did not start") from None
            time.sleep(0.2)


def _filled(url: str) -> int:
    """Orders already in a kept database (0: none, or no such table yet)."""
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute("SELECT count(*) FROM orders").fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:
        return 0


def open_database(orders: int, log, db_dir: Path | None) -> tuple:
    """(cluster, url, fill seconds, parent folder): a fresh throwaway cluster, or with
    ``db_dir`` the cluster kept there (filled on first use, reused while it holds ``orders``
    orders; the fill of 1,000,000 orders is the long part of a run)."""
    from localnet.pgcluster import PgCluster
    from stateset_chain.readside.db import migrate

    if db_dir is None:
        parent = Path(tempfile.mkdtemp(prefix="stateset-api-bench-"))
    else:
        parent = db_dir.resolve()
        parent.mkdir(parents=True, exist_ok=True)
    parent.chmod(0o755)
    cluster = PgCluster(parent / "pg")
    cluster.start()
    url = cluster.url_for("apibench")
    if db_dir is not None and _filled(url) == orders:
        log(f"api bench: reusing the {orders:,} orders in {parent}")
        migrate(url)
        return cluster, url, 0.0, parent
    url = cluster.create_database("apibench")
    migrate(url)
    return cluster, url, fill(url, orders, log), parent


def _tree_head(tree: Path) -> str:
    """The newest migration revision of another checkout's code."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location",
                           str(tree / "stateset_chain" / "readside" / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def _stamp(url: str, revision: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = %s", (revision,))


def run(orders: int, requests_per_shape: int, threads: tuple[int, ...], webhooks: int, log,
        processes: tuple[int, ...] = (1, 2), rate_limit: bool = True,
        db_dir: Path | None = None, api_tree: Path | None = None) -> ApiBench:
    """``api_tree``: serve the API from that checkout (an export of an older commit) over the
    same database, for a back-to-back comparison; the database (migrated by this tree) is
    stamped at that tree's newest revision meanwhile, so its API does not try to migrate it
    (the newer columns and tables stay; the older code does not read them)."""
    from stateset_chain.readside.db import head_revision

    cluster, url, fill_seconds, parent = open_database(orders, log, db_dir)
    procs: list[subprocess.Popen] = []
    if api_tree is not None:
        _stamp(url, _tree_head(api_tree))
    try:
        proc, base = _start_api(url, parent, 0, rate_limit, webhooks=True, tree=api_tree)
        procs.append(proc)
        day = 86400 // 30  # orders per day of created_at

        def get_order(rng):
            return f"/v1/orders/ord_{rng.randint(1, orders):010d}", {}

        def by_customer(rng):
            return "/v1/orders", {"customer_id": f"cust_{rng.randrange(CUSTOMERS)}",
                                  "limit": 20}

        def by_customer_status(rng):
            return "/v1/orders", {"customer_id": f"cust_{rng.randrange(CUSTOMERS)}",
                                  "status": "PAID,SHIPPED", "limit": 20}

        def by_merchant_window(rng):
            start = rng.randint(1, max(1, orders - day))
            t = EPOCH.timestamp() + start * 30
            return "/v1/orders", {"merchant_id": f"merch_{rng.randrange(MERCHANTS)}",
                                  "created_after": str(int(t)),
                                  "created_before": str(int(t + 86400)), "limit": 20}

        def by_status_amount_cursor(rng):
            return "/v1/orders", {"status": "PAID", "currency": "usd", "amount_min": "500",
                                  "amount_max": "510", "limit": 20,
                                  "starting_after": f"ord_{rng.randint(1, orders):010d}"}

        def by_status(rng):
            return "/v1/orders", {"status": rng.choice(STATUSES), "limit": 20}

        shapes = {
            "GET /v1/orders/{id}": get_order,
            "list status=X limit=20 (1/11 of all orders match)": by_status,
            "list customer_id=X limit=20": by_customer,
            "list customer_id=X status=PAID,SHIPPED": by_customer_status,
            "list merchant_id=X created in one day": by_merchant_window,
            "list status=PAID amount 500-510 starting_after=X": by_status_amount_cursor,
        }
        import requests

        from benchmarks import cputime

        session = requests.Session()
        rng = random.Random(1)
        _measure(session, base, shapes, 20, rng)  # warm-up
        load_start = cputime.load_average()
        results = _measure(session, base, shapes, requests_per_shape, rng,
                           api_pid=proc.pid, pg_pid=cluster.pid())
        log("api bench: throughput ...")
        runs = []
        for n in processes:
            while len(procs) < n:
                procs.append(_start_api(url, parent, len(procs), rate_limit, webhooks=False,
                                        tree=api_tree)[0])
            bases = [base] + [_base_of(p) for p in procs[1:n]]
            for k in threads:
                runs.append(_throughput(bases, orders, k, [p.pid for p in procs[:n]],
                                        cluster.pid()))
                log(f"api bench: {n} process(es), {k} clients: {runs[-1].qps:,.0f} "
                    "requests/s")
        log("api bench: webhooks ...")
        latencies = _webhooks(url, base, webhooks, log) if webhooks else []
        return ApiBench(orders, fill_seconds, results, threads, runs, latencies, rate_limit,
                        load_start, cputime.load_average())
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if api_tree is not None:
            _stamp(url, head_revision())
        if db_dir is None:
            cluster.destroy()
        else:
            cluster.stop()


def _base_of(proc: subprocess.Popen) -> str:
    """The URL of an API process started with ``--listen ADDR`` (its argv is a list of str)."""
    args = [str(a) for a in proc.args]  # type: ignore[union-attr]
    return f"http://{args[args.index('--listen') + 1]}"
