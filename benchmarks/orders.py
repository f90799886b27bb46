"""Orders: signed MsgCreateOrder and MsgPayOrder throughput with many existing orders, and
ListOrders latency at a small and a large order count.

1. Two checks before anything is timed: the fast signer gives cosmpy's bytes for orders messages
   (``txs.check_matches_cosmpy``), and the chunked import writes exactly what the orders genesis
   writes (``orders_data.check_import_matches_genesis``).
2. For the small and then the large order count: the standard app on LevelDB, InitChain funding
   the benchmark accounts (and the escrow funder), block 1, then the ``OrderBook`` imported
   (``orders_data.import_orders``, untimed). Every ListOrders shape of ``SHAPES`` runs through
   ``App.query`` (decode, listing, encode), ``reps`` times with different filter values, at
   limit 20, at limit 100, and as page 2 (limit 20, ``starting_after`` = page 1's last order).
   A first pass counts what each query reads from the committed store (and warms the caches);
   the second is timed.
3. At the large order count only, blocks of pre-signed transactions, each block from distinct
   senders (the benchmark accounts, in turn):
   - creates: ``MsgCreateOrder`` of 2 items (US/CA address, 7.25% tax, standard shipping, a
     client order id), creator = customer = the signer, one of the 100 merchants;
   - pays: ``MsgPayOrder`` of the full total, by the order's customer, of the book's pay-target
     orders (CREATED orders spread evenly over the whole existing state);
   each block's FinalizeBlock and Commit timed; every result must have code 0. Afterwards the
   order count and the PAID count are checked through the Orders query. One more 1,000-tx block
   of each kind runs under cProfile.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf.message import Message

import stateset_chain.pb  # noqa: F401
from benchmarks import report, txs
from benchmarks.chain import (
    TIMING_HEADERS,
    BenchChain,
    BlockTiming,
    Profile,
    log_block,
    profile_block,
    timing_row,
)
from benchmarks.orders_data import (
    IMPORT_CHUNK,
    MERCHANTS,
    NS,
    SHIP_TO,
    OrderBook,
    app_state,
    check_import_matches_genesis,
    import_orders,
    price_text,
)
from stateset_chain.timefmt import format_iso8601

from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin
from stateset.orders.v1 import query_pb2 as q
from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import LineItem, OrderStatus
from tendermint.abci import types_pb2 as abci

CHAIN_ID = "stateset-bench-orders-1"
TARGET_CREATES = 10_000
TARGET_PAYS = 8_000
ORDERS_PATH = "/stateset.orders.v1.Query/Orders"
PROFILE_BLOCK = 1_000
WINDOW_S = 300  # created-range filters: anchor ± 5 minutes (~600 orders at one per second)
AMOUNT_SPAN = 5_000_000  # amount-range filters: anchor's total ± 5.00

# --- ListOrders shapes ---------------------------------------------------------------------

Filter = Callable[[OrderBook, int], dict]


def _customer(book: OrderBook, seq: int) -> dict:
    return {"customer": book.customer(seq)}


def _merchant(book: OrderBook, seq: int) -> dict:
    return {"merchant": book.merchant(seq)}


def _status(book: OrderBook, seq: int) -> dict:
    return {"status": book.status(seq)}


def _created(book: OrderBook, seq: int) -> dict:
    t = book.created_ns(seq)
    return {"created_after": format_iso8601(t - WINDOW_S * NS),
            "created_before": format_iso8601(t + WINDOW_S * NS)}


def _amount(book: OrderBook, seq: int) -> dict:
    total = book.order(seq).total
    return {"amount_min": str(max(0, total - AMOUNT_SPAN)), "amount_max": str(total + AMOUNT_SPAN)}


def _all(*parts: Filter) -> Filter:
    def combined(book: OrderBook, seq: int) -> dict:
        fields: dict = {}
        for part in parts:
            fields.update(part(book, seq))
        return fields
    return combined


# Each filter takes its value from an "anchor" order, so every query has at least one match.
SHAPES: list[tuple[str, Filter]] = [
    ("no filter", _all()),
    ("customer", _customer),
    ("merchant", _merchant),
    ("status", _status),
    ("created range (10 min)", _created),
    ("amount range (± 5.00)", _amount),
    ("customer + status", _all(_customer, _status)),
    ("merchant + status", _all(_merchant, _status)),
    ("merchant + created range", _all(_merchant, _created)),
    ("status + amount range", _all(_status, _amount)),
    ("created + amount range", _all(_created, _amount)),
    ("merchant + amount range", _all(_merchant, _amount)),
    ("merchant + status + amount range", _all(_merchant, _status, _amount)),
    ("merchant + status + created + amount", _all(_merchant, _status, _created, _amount)),
    ("all five filters", _all(_customer, _merchant, _status, _created, _amount)),
]
# (label, limit, with a cursor): the cursor is ``starting_after`` = the first order of the page
# without it, so the page still has matches when the filter matches few orders.
VARIANTS = [("20", 20, False), ("100", 100, False), ("20, cursor", 20, True)]


@dataclass
class QueryStats:
    matches: float  # median total_count
    returned: float  # median orders in the page
    reads: float  # median store reads (gets + iterated entries)
    cpu_us: float  # median main-thread CPU per query
    wall_us: float  # median wall clock per query


@dataclass
class SizeQueries:
    orders: int
    import_s: float
    stats: dict[tuple[str, str], QueryStats] = field(default_factory=dict)


@dataclass
class OrdersResult:
    orders: int
    small: int
    accounts: int
    pinning: str
    setup: dict[str, float]
    creates: list[BlockTiming] = field(default_factory=list)
    pays: list[BlockTiming] = field(default_factory=list)
    queries: list[SizeQueries] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    reps: int = 0
    peak_rss_mib: float = 0.0

    def markdown(self) -> str:
        rows = []
        for label, blocks, target in (("MsgCreateOrder", self.creates, TARGET_CREATES),
                                      ("MsgPayOrder", self.pays, TARGET_PAYS)):
            for size in sorted({b.size for b in blocks}):
                runs = [b for b in blocks if b.size == size]
                best = max(b.tps for b in runs)
                rows.append([label, size, *timing_row(runs),
                             f"{target:,}: " + ("met" if best >= target else "missed")])
        t = report.table(["tx", "txs/block", *TIMING_HEADERS, "target tx/s (best block)"], rows)
        setup = ", ".join(f"{k} {v:.1f} s" for k, v in self.setup.items())
        out = (
            f"FinalizeBlock + Commit with {self.orders:,} existing orders, "
            f"{self.accounts:,} funded signing accounts, LevelDB ({self.pinning}).\n\n{t}\n\n"
            f"Setup (untimed): {setup}. Peak RSS: {self.peak_rss_mib:,.0f} MiB.\n\n"
            "Checks: " + "; ".join(self.checks) + ".\n"
        )
        return out + "\n" + self.queries_markdown()

    def queries_markdown(self) -> str:
        small, large = self.queries[0], self.queries[-1]
        rows = []
        for name, _ in SHAPES:
            for variant, _, _ in VARIANTS:
                a, b = small.stats[(name, variant)], large.stats[(name, variant)]
                rows.append([name, variant, f"{a.matches:,.0f} ({a.returned:,.0f})",
                             f"{b.matches:,.0f} ({b.returned:,.0f})", a.reads, b.reads,
                             a.cpu_us, b.cpu_us, b.cpu_us / a.cpu_us if a.cpu_us else 0.0,
                             a.wall_us, b.wall_us, verdict(a, b)])
        n1, n2 = f"{small.orders:,}", f"{large.orders:,}"
        t = report.table(
            ["filters", "limit", f"matches (page) @{n1}", f"matches (page) @{n2}",
             f"store reads @{n1}", f"store reads @{n2}", f"CPU µs @{n1}", f"CPU µs @{n2}",
             "CPU ×", f"wall µs @{n1}", f"wall µs @{n2}", "cost at both sizes"],
            rows,
        )
        return (
            f"ListOrders (`{ORDERS_PATH}` through `App.query`) at {n1} and {n2} orders, "
            f"{self.reps} anchor orders per row; medians; store reads = gets + index entries "
            f"iterated.\n\n{t}\n\nImport (untimed above): {n1} orders {small.import_s:.1f} s, "
            f"{n2} orders {large.import_s:.1f} s.\n"
        )

    def profile_markdown(self) -> str:
        return "\n".join(p.markdown() for p in self.profiles)


def verdict(small: QueryStats, large: QueryStats) -> str:
    """Whether a query shape costs the same at both sizes, judged by store reads (which do not
    depend on the machine's load): "same" within 1.5x; "page-bound" when the larger size
    reads more only because its page holds more orders (at most 2.5 more reads per extra order
    on the page: an index entry and the order; what a query reads whatever its page, such as
    counters, is the same at both sizes); else how much more it reads."""
    if large.reads <= 1.5 * small.reads:
        return "same"
    extra_orders = large.returned - small.returned
    if extra_orders > 0 and large.reads - small.reads <= 2.5 * extra_orders + 10:
        return "page-bound (fuller page)"
    return f"grows (reads × {large.reads / small.reads:,.0f})"


# --- transactions --------------------------------------------------------------------------


class _Signer:
    """Pre-signs blocks of orders transactions from the benchmark accounts."""

    def __init__(self, chain: BenchChain, accounts: list[txs.BenchAccount], book: OrderBook):
        self.chain = chain
        self.accounts = accounts
        self.book = book
        self.numbers = chain.account_numbers([a.address for a in accounts])
        self.sequences = [0] * len(accounts)
        self.cursor = 0
        self.next_target = 0
        self.created = 0

    def _sign(self, i: int, msg: Message) -> bytes:
        raw = txs.sign_tx(self.accounts[i], [msg], chain_id=self.chain.chain_id,
                          account_number=self.numbers[i], sequence=self.sequences[i])
        self.sequences[i] += 1
        return raw

    def creates(self, size: int) -> list[bytes]:
        """``size`` MsgCreateOrder from ``size`` distinct signers (the next ones in turn)."""
        n = len(self.accounts)
        if size > n:
            raise ValueError(f"a block of {size} txs needs at least {size} accounts, have {n}")
        block = []
        for _ in range(size):
            i, self.cursor = self.cursor, (self.cursor + 1) % n
            me = self.accounts[i].address
            k = self.created
            self.created += 1
            block.append(self._sign(i, orders_tx.MsgCreateOrder(
                creator=me, customer=me, merchant=self.book.merchant_addresses[k % MERCHANTS],
                items=[LineItem(sku=f"SKU-{k % 5000:04d}", name="Widget", quantity=1 + k % 3,
                                unit_price=price_text(5_000_000 + (k % 19_500) * 10_000)),
                       LineItem(sku=f"SKU-{(k + 7) % 5000:04d}", name="Gadget", quantity=1,
                                unit_price="24.99")],
                shipping_address=SHIP_TO, shipping_method="standard",
                currency="usdc" if k % 4 == 0 else "ssusd",
            )))
        return block

    def pays(self, size: int) -> list[bytes]:
        """``size`` MsgPayOrder of the next pay-target orders, each by its customer."""
        seqs = self.book.target_seqs[self.next_target:self.next_target + size]
        if len(seqs) < size:
            raise ValueError("not enough pay-target orders: raise OrderBook.targets")
        block = []
        for j, seq in enumerate(seqs, start=self.next_target):
            i = j % len(self.accounts)
            order = self.book.order(seq)
            assert order.customer == self.accounts[i].address
            block.append(self._sign(i, orders_tx.MsgPayOrder(
                payer=order.customer, order_id=order.id,
                amount=PbCoin(denom=order.denom, amount=str(order.total)))))
        self.next_target += size
        return block


def _count(chain: BenchChain, **filters) -> int:
    res = chain.app.query(abci.RequestQuery(
        path=ORDERS_PATH, data=q.QueryOrdersRequest(limit=1, **filters).SerializeToString()))
    if res.code != 0:
        raise AssertionError(f"Orders query failed: {res.codespace}/{res.code} {res.log}")
    return q.QueryOrdersResponse.FromString(res.value).total_count


def _run_txs(chain: BenchChain, signer: _Signer, blocks: list[int], repeats: int,
             profile_size: int, result: OrdersResult, log) -> None:
    paid_before = _count(chain, status=OrderStatus.ORDER_STATUS_PAID)
    t = time.perf_counter()
    create_plan = [signer.creates(size) for size in blocks for _ in range(repeats)]
    pay_plan = [signer.pays(size) for size in blocks for _ in range(repeats)]
    profile_plan = [("MsgCreateOrder", signer.creates(profile_size)),
                    ("MsgPayOrder", signer.pays(profile_size))] if profile_size else []
    result.setup["pre-signing"] = time.perf_counter() - t
    for raw in create_plan:
        timing = chain.block(raw)
        result.creates.append(timing)
        log_block(log, "orders", "create", timing)
    for raw in pay_plan:
        timing = chain.block(raw)
        result.pays.append(timing)
        log_block(log, "orders", "pay   ", timing)
    for label, raw in profile_plan:
        result.profiles.append(profile_block(chain, raw, label))
    created = sum(len(b) for b in create_plan) + profile_size
    paid = sum(len(b) for b in pay_plan) + profile_size
    count = _count(chain)
    paid_after = _count(chain, status=OrderStatus.ORDER_STATUS_PAID)
    if count != result.orders + created or paid_after - paid_before != paid:
        raise AssertionError(
            f"after the blocks: {count:,} orders (expected {result.orders + created:,}), "
            f"{paid_after - paid_before:,} more PAID (expected {paid:,})")
    result.checks.append(
        f"every tx code 0; afterwards the Orders query counts {count:,} orders "
        f"(= {result.orders:,} + {created:,} created) and {paid:,} more PAID")


# --- queries -------------------------------------------------------------------------------


class _ReadCounter:
    """Counts committed-store reads (gets and iterated entries) by wrapping the store view's
    instance methods while active."""

    def __init__(self, chain: BenchChain) -> None:
        self.state = chain.store.state
        self.reads = 0

    def __enter__(self) -> _ReadCounter:
        get, iterate = self.state.get, self.state.iterate

        def counted_get(key):
            self.reads += 1
            return get(key)

        def counted_iterate(*args, **kwargs):
            for entry in iterate(*args, **kwargs):
                self.reads += 1
                yield entry

        self.state.get = counted_get  # type: ignore[method-assign]
        self.state.iterate = counted_iterate  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc) -> None:
        del self.state.get
        del self.state.iterate


def _anchors(book: OrderBook, reps: int) -> list[int]:
    """``reps`` orders spread over the middle 40% of the book, none of them a pay target."""
    lo, hi = int(book.n * 0.3) + 1, int(book.n * 0.7)
    seqs = []
    for r in range(reps):
        seq = lo + (r * (hi - lo)) // max(1, reps)
        while book.is_target(seq):
            seq += 1
        seqs.append(seq)
    return seqs


def _query(chain: BenchChain, fields: dict) -> tuple[q.QueryOrdersResponse, float, float]:
    req = abci.RequestQuery(path=ORDERS_PATH,
                            data=q.QueryOrdersRequest(**fields).SerializeToString())
    c0, t0 = time.thread_time(), time.perf_counter()
    res = chain.app.query(req)
    wall, cpu = time.perf_counter() - t0, time.thread_time() - c0
    if res.code != 0:
        raise AssertionError(f"Orders query {fields} failed: {res.codespace}/{res.code} {res.log}")
    return q.QueryOrdersResponse.FromString(res.value), cpu, wall


def measure_queries(chain: BenchChain, book: OrderBook, reps: int, log) -> dict:
    stats = {}
    anchors = _anchors(book, reps)
    for name, shape in SHAPES:
        for variant, limit, cursor in VARIANTS:
            queries = []
            for seq in anchors:
                fields = {**shape(book, seq), "limit": limit}
                if cursor:
                    first, _, _ = _query(chain, fields)
                    if first.orders:
                        fields["starting_after"] = first.orders[0].id
                queries.append(fields)
            matches: list[float] = []
            returned: list[float] = []
            reads: list[float] = []
            for fields in queries:
                with _ReadCounter(chain) as counter:
                    res, _, _ = _query(chain, fields)
                reads.append(counter.reads)
                matches.append(res.total_count)
                returned.append(len(res.orders))
            cpus: list[float] = []
            walls: list[float] = []
            for fields in queries:  # timed after the counting pass, which warmed the caches
                _, cpu, wall = _query(chain, fields)
                cpus.append(cpu * 1e6)
                walls.append(wall * 1e6)
            stats[(name, variant)] = QueryStats(
                report.median(matches), report.median(returned), report.median(reads),
                report.median(cpus), report.median(walls))
        log(f"orders: @{book.n:,} {name}: "
            + ", ".join(f"limit {v} {stats[(name, v)].cpu_us:,.0f} µs CPU "
                        f"({stats[(name, v)].reads:,.0f} reads)" for v, _, _ in VARIANTS))
    return stats


def _kept_import(keep: Path, book: OrderBook, accounts: list[txs.BenchAccount], chunk: int,
                 log) -> float:
    """The import of ``book`` kept in ``keep`` (made now if missing); its import seconds."""
    meta = keep / "bench.json"
    wanted = {"orders": book.n, "targets": book.targets, "accounts": len(accounts),
              "chain_id": CHAIN_ID}
    if meta.is_file():
        found = json.loads(meta.read_text())
        if {k: found.get(k) for k in wanted} != wanted:
            raise ValueError(f"{keep} holds another import ({found}); wanted {wanted}")
        return float(found["import_s"])
    if keep.exists() and any(keep.iterdir()):
        raise ValueError(f"{keep} is not empty and holds no kept import (no bench.json)")
    chain = BenchChain(keep, app_state(accounts), CHAIN_ID)
    try:
        log(f"orders: importing {book.n:,} orders into {keep} (kept) ...")
        t = time.perf_counter()
        import_orders(chain, book, chunk, log)
        import_s = time.perf_counter() - t
    finally:
        chain.close()
    meta.write_text(json.dumps({**wanted, "chunk": chunk, "import_s": import_s}) + "\n")
    return import_s


# --- the part ------------------------------------------------------------------------------


def run(
    orders: int = 1_000_000,
    small: int = 1_000,
    blocks: list[int] | None = None,
    repeats: int = 3,
    n_accounts: int = 10_000,
    chunk: int = IMPORT_CHUNK,
    reps: int = 20,
    profile: bool = True,
    cpu: int = -1,
    log=print,
    keep: Path | None = None,
) -> OrdersResult:
    """``keep``: a directory holding the large import (made there on the first run, with a
    ``bench.json`` naming what it holds); each run works on a copy of it, so the import is paid
    once across runs (its recorded seconds are reported)."""
    blocks = blocks or [1_000, 5_000]
    if max(blocks) > n_accounts:
        raise ValueError(f"blocks of {max(blocks)} txs need as many accounts (have {n_accounts})")
    profile_size = min(PROFILE_BLOCK, n_accounts) if profile else 0
    pinning = report.pin_to_one_cpu(cpu)
    setup: dict[str, float] = {}
    t = time.perf_counter()
    txs.check_matches_cosmpy()
    check_import_matches_genesis()
    setup["checks"] = time.perf_counter() - t
    t = time.perf_counter()
    accounts = txs.accounts(n_accounts)
    setup["key derivation"] = time.perf_counter() - t
    targets = sum(blocks) * repeats + profile_size
    result = OrdersResult(orders, small, n_accounts, pinning, setup, reps=reps)
    result.checks.append("fast signer = cosmpy byte for byte (MsgSend; MsgCreateOrder + "
                         "MsgPayOrder); import = orders genesis byte for byte at 2,000 orders, "
                         "invariants hold")
    for n in (small, orders):
        book = OrderBook(n, targets=targets if n == orders else 0,
                         payers=[a.address for a in accounts], chain_id=CHAIN_ID)
        with tempfile.TemporaryDirectory(prefix="stateset-bench-orders-") as tmp:
            if n == orders and keep is not None:
                t = time.perf_counter()
                import_s = _kept_import(keep, book, accounts, chunk, log)
                t = time.perf_counter()
                shutil.copytree(keep / "state", Path(tmp) / "state")
                setup[f"copy of the kept import @{n:,}"] = time.perf_counter() - t
                chain = BenchChain.reopen(Path(tmp), CHAIN_ID)
                log(f"orders: {n:,} orders imported in {import_s:.0f} s (kept in {keep})")
            else:
                t = time.perf_counter()
                chain = BenchChain(Path(tmp), app_state(accounts), CHAIN_ID)
                setup[f"genesis @{n:,}"] = time.perf_counter() - t
            try:
                if n == orders and keep is not None:
                    sizes = SizeQueries(n, import_s)
                else:
                    log(f"orders: importing {n:,} orders into {tmp} ...")
                    t = time.perf_counter()
                    import_orders(chain, book, chunk, log)
                    sizes = SizeQueries(n, time.perf_counter() - t)
                sizes.stats = measure_queries(chain, book, reps, log)
                result.queries.append(sizes)
                if n == orders:
                    _run_txs(chain, _Signer(chain, accounts, book), blocks, repeats,
                             profile_size, result, log)
            finally:
                chain.close()
    result.peak_rss_mib = report.peak_rss_mib()
    return result
