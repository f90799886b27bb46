"""``python -m benchmarks {inprocess,commit,abci,localnet,orders,import,cctp,indexer,api,
statesync,versions,all}``: see benchmarks. ``--json PATH`` (any part) also writes every figure to
PATH."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


def _ints(text: str) -> list[int]:
    try:
        values = [int(x.replace("_", "")) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}") from None
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


# The figure. Importing the orders takes ~6 of the part's ~7 minutes on the 2-core
# reference machine (docs/benchmarks.md); ``--orders 200000`` takes ~1.5 minutes.
ORDERS_DEFAULT = 1_000_000
ORDERS_CHUNK = 10_000  # orders per import commit (orders_data.IMPORT_CHUNK; see the import part)


def _log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of the stateset chain; each prints a markdown section on stdout "
        "(progress goes to stderr).",
    )
    sub = parser.add_subparsers(dest="part", required=True, metavar="PART")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", metavar="PATH", default=None,
                        help="also write every figure, machine-readably, to PATH (with the same "
                        "run's single-core secp256k1 verify rate)")
    real_add = sub.add_parser

    def add_parser(name: str, **kw) -> argparse.ArgumentParser:
        return real_add(name, parents=[common], **kw)

    sub.add_parser = add_parser  # type: ignore[method-assign]

    p = sub.add_parser("inprocess", help="FinalizeBlock+Commit throughput of signed MsgSends")
    p.add_argument("--accounts", type=int, default=100_000, help="funded accounts (%(default)s)")
    p.add_argument("--blocks", type=_ints, default=[1_000, 2_000, 5_000],
                   help="block sizes in txs, comma-separated (1000,2000,5000)")
    p.add_argument("--repeats", type=int, default=3, help="blocks per size (%(default)s)")
    p.add_argument("--cpu", type=int, default=-1,
                   help="pin the process to this CPU; -1 (default) does not pin")
    p.add_argument("--no-profile", dest="profile", action="store_false",
                   help="skip the cProfile block")
    p.add_argument("--modes", default="cold,warm",
                   help="cold (the block verifies its signatures) and/or warm (CheckTx did), "
                   "comma-separated (%(default)s)")

    p = sub.add_parser("abci", help="the ABCI server's CPU per request with a no-op app")
    p.add_argument("--requests", type=int, default=50_000,
                   help="pipelined CheckTx requests per repeat (%(default)s)")
    p.add_argument("--burst", type=int, default=100, help="requests per Flush (%(default)s)")
    p.add_argument("--repeats", type=int, default=3, help="(%(default)s)")

    p = sub.add_parser("commit", help="CommitStore stage+commit time against state size")
    p.add_argument("--sizes", type=_ints, default=[10_000, 100_000, 1_000_000],
                   help="state sizes in keys (10000,100000,1000000)")
    p.add_argument("--block", type=int, default=10_000, help="changed keys per block (%(default)s)")
    p.add_argument("--repeats", type=int, default=3, help="blocks per size (%(default)s)")

    p = sub.add_parser("localnet", help="1 and 4 validators end to end, ours vs kvstore")
    p.add_argument("--validators", type=_ints, default=[1, 4], help="(1,4)")
    p.add_argument("--apps", default="stateset,kvstore",
                   help="which apps, comma-separated (%(default)s)")
    p.add_argument("--txs", type=int, default=10_000, help="txs per run (%(default)s)")
    p.add_argument("--senders", type=int, default=20,
                   help="sender accounts = client threads (%(default)s)")
    p.add_argument("--duration", type=float, default=60.0,
                   help="stop broadcasting after this many seconds (%(default)s)")
    p.add_argument("--poll", type=float, default=0.05, help="height poll interval, s")
    p.add_argument("--gas", type=int, default=100_000,
                   help="gas each transfer asks for (%(default)s); a block holds the genesis "
                   "max_gas / gas of them")
    p.add_argument("--keep-versions", type=int, default=None,
                   help="our apps' --keep-versions (default: statesetd's own default)")
    p.add_argument("--rate", type=float, default=0.0,
                   help="broadcasts per second, all senders together (default 0: flood)")
    p.add_argument("--dir", default=None,
                   help="put the localnets under this directory (default: the system's temp)")

    p = sub.add_parser("orders", help="MsgCreateOrder/MsgPayOrder throughput with many orders; "
                       "ListOrders latency at a small and a large order count")
    p.add_argument("--orders", type=int, default=ORDERS_DEFAULT,
                   help="existing orders for the transactions and the large query run "
                   "(%(default)s)")
    p.add_argument("--small", type=int, default=1_000,
                   help="orders for the small query run (%(default)s)")
    p.add_argument("--blocks", type=_ints, default=[1_000, 5_000],
                   help="block sizes in txs, comma-separated (1000,5000)")
    p.add_argument("--repeats", type=int, default=3, help="blocks per size and kind (%(default)s)")
    p.add_argument("--accounts", type=int, default=10_000,
                   help="funded signing accounts (%(default)s)")
    p.add_argument("--chunk", type=int, default=ORDERS_CHUNK,
                   help="orders per import commit (%(default)s)")
    p.add_argument("--reps", type=int, default=20,
                   help="queries per filter shape and limit, each from another anchor order "
                   "(%(default)s)")
    p.add_argument("--cpu", type=int, default=-1,
                   help="pin the process to this CPU; -1 (default) does not pin")
    p.add_argument("--no-profile", dest="profile", action="store_false",
                   help="skip the cProfile blocks")
    p.add_argument("--keep", type=Path, default=None, metavar="DIR",
                   help="keep the large import in DIR (made on the first run) and run on a "
                   "copy of it: the import is paid once across runs")

    p = sub.add_parser("import", help="peak memory of importing --orders orders (the orders "
                       "part's setup alone), by phase; --tracemalloc for Python's allocations")
    p.add_argument("--orders", type=int, default=ORDERS_DEFAULT, help="orders (%(default)s)")
    p.add_argument("--chunk", type=int, default=ORDERS_CHUNK,
                   help="orders per import commit (%(default)s)")
    p.add_argument("--accounts", type=int, default=10_000,
                   help="funded signing accounts, as in the orders part (%(default)s)")
    p.add_argument("--tracemalloc", action="store_true",
                   help="trace Python allocations (~2x slower; use a smaller --orders)")
    p.add_argument("--genesis", action="store_true",
                   help="the orders in a genesis file, through InitChain (streamed; --chunk "
                   "orders per part written through) and block 1: the node's path")
    p.add_argument("--held", action="store_true",
                   help="with --genesis: hold the whole genesis in memory until block 1 "
                   "(the path before streaming), for comparison")
    p.add_argument("--orders-file", action="store_true",
                   help="with --genesis: the orders in a file beside the genesis, named in it "
                   "by its SHA-256 (as statesetd export writes a large book)")

    p = sub.add_parser("cctp", help="MsgReceiveMessage (2 attester signatures) throughput")
    p.add_argument("--blocks", type=_ints, default=[1_000, 5_000],
                   help="block sizes in txs, comma-separated (1000,5000)")
    p.add_argument("--repeats", type=int, default=3, help="blocks per size (%(default)s)")
    p.add_argument("--accounts", type=int, default=10_000,
                   help="funded relayer accounts (%(default)s)")
    p.add_argument("--cpu", type=int, default=-1,
                   help="pin the process to this CPU; -1 (default) does not pin")
    p.add_argument("--no-profile", dest="profile", action="store_false",
                   help="skip the cProfile block")

    p = sub.add_parser("indexer", help="indexer catch-up ingest rate over a chain of many "
                       "orders, and follow lag under load (localnet + PostgreSQL)")
    p.add_argument("--orders", type=int, default=100_000, help="orders created (%(default)s)")
    p.add_argument("--paid", type=int, default=50_000, help="of them paid (%(default)s)")
    p.add_argument("--batch", type=int, default=100, help="orders per batch tx (%(default)s)")
    p.add_argument("--flows", type=int, default=0,
                   help="order flows of every kind after the batches (%(default)s)")
    p.add_argument("--follow", type=float, default=60.0,
                   help="seconds of order-flow load at the tip (%(default)s; 0 = none)")
    p.add_argument("--sends", type=float, default=60.0,
                   help="seconds of the localnet benchmark's MsgSend load at the tip "
                   "(%(default)s; 0 = none)")
    p.add_argument("--senders", type=int, default=20, help="MsgSend senders (%(default)s)")
    p.add_argument("--blocks-per-tx", type=int, default=100,
                   help="the indexer's --batch: blocks per catch-up transaction (%(default)s)")
    p.add_argument("--chain", type=Path, default=None,
                   help="build the chain in this folder and keep it, or reuse the one there")
    p.add_argument("--profile", action="store_true", help="sample the catch-up with py-spy")
    p.add_argument("--base-tree", type=Path, default=None,
                   help="also catch up with the indexer of this checkout (an export of another "
                   "commit, run with this virtualenv), alternating with this tree's")
    p.add_argument("--rounds", type=int, default=1,
                   help="catch-up runs of each tree (%(default)s)")
    p.add_argument("--node-profile", action="store_true",
                   help="CometBFT's CPU profile (Go pprof) over this tree's first catch-up")

    p = sub.add_parser("api", help="Orders API latency (get, filtered lists) over PostgreSQL "
                       "holding --orders orders; webhook delivery latency")
    p.add_argument("--orders", type=int, default=1_000_000, help="orders (%(default)s)")
    p.add_argument("--requests", type=int, default=500, help="requests per shape (%(default)s)")
    p.add_argument("--threads", default="1,2,8",
                   help="client processes of the get-order throughput runs, one run per count "
                        "(%(default)s)")
    p.add_argument("--webhooks", type=int, default=200, help="webhook events (%(default)s)")
    p.add_argument("--processes", default="1,2",
                   help="API process counts for the throughput runs (%(default)s)")
    p.add_argument("--no-rate-limit", dest="rate_limit", action="store_false",
                   help="run the API with --rate 0 (no rate-limit statement per request)")
    p.add_argument("--db-dir", type=Path, default=None,
                   help="keep the PostgreSQL cluster in this folder and reuse its orders on "
                        "the next run with the same --orders")
    p.add_argument("--api-tree", type=Path, default=None,
                   help="serve the API from this checkout (an export of an older commit, run "
                        "with this virtualenv) over the same database: back-to-back runs")

    p = sub.add_parser("statesync", help="snapshot creation and restore time and size with "
                       "--orders orders")
    p.add_argument("--orders", type=int, default=100_000, help="orders (%(default)s)")
    p.add_argument("--chunk", type=int, default=ORDERS_CHUNK,
                   help="orders per import commit (%(default)s)")

    p = sub.add_parser("versions", help="the cost of keeping V versions per block (time, disk) "
                       "and reads at past heights against the latest")
    p.add_argument("--keys", type=int, default=200_000, help="state keys (%(default)s)")
    p.add_argument("--block", type=int, default=2_000, help="keys changed per block (%(default)s)")
    p.add_argument("--blocks", type=int, default=60, help="blocks per setting (%(default)s)")
    p.add_argument("--keep", type=lambda t: [int(x) for x in t.split(",")], default=[1, 10, 100],
                   help="keep-versions settings, comma-separated; 0 = all (1,10,100)")
    p.add_argument("--reads", type=int, default=2_000, help="keys read per height (%(default)s)")

    p = sub.add_parser("all", help="every part with its defaults, each in its own process")
    p.add_argument("--quick", action="store_true",
                   help="small sizes: a smoke run of the whole command (under a minute)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.part == "all":
        return _run_all(args.quick, args.json)
    from benchmarks import report

    started = time.monotonic()
    load_before = os.getloadavg()[0]
    revision = report.revision()  # at the start: others may commit while a long part runs
    result: object
    if args.part == "inprocess":
        from benchmarks import inprocess

        modes = [m.strip() for m in args.modes.split(",") if m.strip()]
        if not modes or set(modes) - {"cold", "warm"}:
            _log(f"--modes takes cold and/or warm, got {args.modes!r}")
            return 2
        ip = result = inprocess.run(args.accounts, args.blocks, args.repeats, args.profile,
                                    args.cpu, _log, modes)
        text = "### In-process throughput\n\n" + ip.markdown()
        if args.profile:
            text += "\n" + ip.profile_markdown()
    elif args.part == "commit":
        from benchmarks import commit

        result = commit.run(args.sizes, args.block, args.repeats, _log)
        text = "### Commit time against state size\n\n" + result.markdown()
    elif args.part == "abci":
        from benchmarks import abci_edge

        result = abci_edge.run(args.requests, args.burst, args.repeats, _log)
        text = "### ABCI edge\n\n" + result.markdown()
    elif args.part == "orders":
        from benchmarks import orders

        od = result = orders.run(args.orders, args.small, args.blocks, args.repeats, args.accounts,
                        args.chunk, args.reps, args.profile, args.cpu, _log, args.keep)
        text = "### Orders\n\n" + od.markdown()
        if args.profile:
            text += "\n" + od.profile_markdown()
    elif args.part == "import":
        from benchmarks import orders_import

        if args.genesis:
            result = orders_import.run_genesis(args.orders, args.chunk, args.accounts,
                                               args.held, _log, args.orders_file)
        else:
            result = orders_import.run(args.orders, args.chunk, args.accounts, args.tracemalloc,
                                       _log)
        text = "### Importing orders: peak memory\n\n" + result.markdown()
    elif args.part == "cctp":
        from benchmarks import cctp

        cc = result = cctp.run(
            args.blocks, args.repeats, args.accounts, args.profile, args.cpu, _log)
        text = "### CCTP MsgReceiveMessage\n\n" + cc.markdown()
        if args.profile:
            text += "\n" + cc.profile_markdown()
    elif args.part == "indexer":
        from benchmarks import indexer

        ix = result = indexer.run(
            args.orders, args.paid, args.batch, args.follow, _log, chain_dir=args.chain,
            sends=args.sends, senders=args.senders, blocks_per_tx=args.blocks_per_tx,
            profile=args.profile, flows=args.flows, base_tree=args.base_tree,
            rounds=args.rounds, node_profile=args.node_profile)
        text = "### Indexer\n\n" + ix.markdown()
    elif args.part == "statesync":
        from benchmarks import statesync

        result = statesync.run(args.orders, args.chunk, _log)
        text = "### State sync snapshots\n\n" + result.markdown()
    elif args.part == "versions":
        from benchmarks import versions

        result = versions.run(args.keys, args.block, args.blocks, args.keep, args.reads, _log)
        text = "### Past versions: keep-versions cost and reads at past heights\n\n" + (
            result.markdown())
    elif args.part == "api":
        from benchmarks import api

        result = api.run(
            args.orders, args.requests,
            tuple(int(n) for n in args.threads.split(",") if n.strip()), args.webhooks, _log,
            processes=tuple(int(n) for n in args.processes.split(",") if n.strip()),
            rate_limit=args.rate_limit, db_dir=args.db_dir, api_tree=args.api_tree)
        text = "### Orders API and webhooks\n\n" + result.markdown()
    else:
        from benchmarks import network

        kinds = [k.strip() for k in args.apps.split(",") if k.strip()]
        unknown = sorted(set(kinds) - set(network.KINDS))
        if unknown:
            _log(f"unknown app(s) {unknown}; choose from {network.KINDS}")
            return 2
        options = network.Options(args.gas, args.keep_versions, args.dir, args.rate)
        result = network.run(args.validators, kinds, args.txs, args.senders, args.duration,
                             args.poll, log=_log, options=options)
        text = "### Localnet end to end\n\n" + result.markdown()
    command = "python -m benchmarks " + " ".join(
        argv if argv is not None else sys.argv[1:])
    print(text)
    print(f"Machine: {report.machine()}. Commit {revision} (plus any uncommitted changes), "
          f"{time.strftime('%Y-%m-%d', time.gmtime())}. Command: `{command}` "
          f"({time.monotonic() - started:.0f} s). Load average (1 min; other processes "
          f"included) {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end.\n", flush=True)
    if args.json:
        rate = report.secp256k1_verify_rate()
        _log(f"single-core secp256k1 verify rate: {rate:,.0f}/s")
        doc = {
            "part": args.part, "command": command, "revision": revision,
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": report.machine(), "elapsed_s": time.monotonic() - started,
            "load_average_1min": [load_before, os.getloadavg()[0]],
            "secp256k1_verify_per_cpu_s": rate, "result": report.jsonable(result),
        }
        Path(args.json).write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return 0


def _run_all(quick: bool, json_path: str | None = None) -> int:
    if quick:
        parts = [
            ["inprocess", "--accounts", "5000", "--blocks", "1000,2000", "--repeats", "1"],
            ["commit", "--sizes", "10000,100000", "--repeats", "1"],
            ["abci", "--requests", "5000", "--repeats", "1"],
            ["localnet", "--validators", "1", "--txs", "300", "--duration", "20"],
            ["orders", "--orders", "20000", "--blocks", "500", "--repeats", "1", "--accounts",
             "1000", "--reps", "3", "--no-profile"],
            ["cctp", "--blocks", "500", "--repeats", "1", "--accounts", "1000", "--no-profile"],
            ["indexer", "--orders", "2000", "--paid", "1000", "--follow", "10", "--sends", "10"],
            ["api", "--orders", "20000", "--requests", "50", "--threads", "4", "--webhooks", "30"],
            ["statesync", "--orders", "20000"],
            ["versions", "--keys", "20000", "--blocks", "8", "--keep", "1,4", "--reads", "200"],
        ]
    else:
        parts = [["inprocess"], ["commit"], ["abci"], ["localnet"], ["orders"], ["cctp"],
                 ["indexer"], ["api"], ["statesync"], ["versions"]]
    status = 0
    docs = {}
    with tempfile.TemporaryDirectory(prefix="stateset-bench-json-") as tmp:
        for part in parts:
            # One process per part: each reports its own peak RSS, and pinning stays local.
            extra = ["--json", str(Path(tmp) / f"{part[0]}.json")] if json_path else []
            done = subprocess.run([sys.executable, "-m", "benchmarks", *part, *extra],
                                  cwd=str(Path(__file__).resolve().parents[1]),
                                  env=dict(os.environ))
            status = status or done.returncode
            if extra and Path(extra[1]).exists():
                docs[part[0]] = json.loads(Path(extra[1]).read_text())
    if json_path:
        Path(json_path).write_text(json.dumps({"parts": docs}, indent=1, sort_keys=True) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
