"""``python -m stateset_chain.bench {inprocess,commit,localnet,all}``: see stateset_chain.bench."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
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


def _log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m stateset_chain.bench",
        description="Benchmarks of the stateset chain; each prints a markdown section on stdout "
        "(progress goes to stderr).",
    )
    sub = parser.add_subparsers(dest="part", required=True, metavar="PART")

    p = sub.add_parser("inprocess", help="FinalizeBlock+Commit throughput of signed MsgSends")
    p.add_argument("--accounts", type=int, default=100_000, help="funded accounts (%(default)s)")
    p.add_argument("--blocks", type=_ints, default=[1_000, 2_000, 5_000],
                   help="block sizes in txs, comma-separated (1000,2000,5000)")
    p.add_argument("--repeats", type=int, default=3, help="blocks per size (%(default)s)")
    p.add_argument("--cpu", type=int, default=-1,
                   help="pin the process to this CPU; -1 (default) does not pin")
    p.add_argument("--no-profile", dest="profile", action="store_false",
                   help="skip the cProfile block")

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

    p = sub.add_parser("all", help="every part with its defaults, each in its own process")
    p.add_argument("--quick", action="store_true",
                   help="small sizes: a smoke run of the whole command (under a minute)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.part == "all":
        return _run_all(args.quick)
    from stateset_chain.bench import report

    started = time.monotonic()
    load_before = os.getloadavg()[0]
    if args.part == "inprocess":
        from stateset_chain.bench import inprocess

        r = inprocess.run(args.accounts, args.blocks, args.repeats, args.profile, args.cpu, _log)
        text = "### In-process throughput\n\n" + r.markdown()
        if args.profile:
            text += "\n" + r.profile_markdown()
    elif args.part == "commit":
        from stateset_chain.bench import commit

        r = commit.run(args.sizes, args.block, args.repeats, _log)
        text = "### Commit time against state size\n\n" + r.markdown()
    else:
        from stateset_chain.bench import network

        kinds = [k.strip() for k in args.apps.split(",") if k.strip()]
        unknown = sorted(set(kinds) - set(network.KINDS))
        if unknown:
            _log(f"unknown app(s) {unknown}; choose from {network.KINDS}")
            return 2
        r = network.run(args.validators, kinds, args.txs, args.senders, args.duration,
                        args.poll, log=_log)
        text = "### Localnet end to end\n\n" + r.markdown()
    command = "python -m stateset_chain.bench " + " ".join(
        argv if argv is not None else sys.argv[1:])
    print(text)
    print(f"Machine: {report.machine()}. Command: `{command}` "
          f"({time.monotonic() - started:.0f} s). Load average (1 min; other processes "
          f"included) {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end.\n", flush=True)
    return 0


def _run_all(quick: bool) -> int:
    if quick:
        parts = [
            ["inprocess", "--accounts", "5000", "--blocks", "1000,2000", "--repeats", "1"],
            ["commit", "--sizes", "10000,100000", "--repeats", "1"],
            ["localnet", "--validators", "1", "--txs", "300", "--duration", "20"],
        ]
    else:
        parts = [["inprocess"], ["commit"], ["localnet"]]
    status = 0
    for part in parts:
        # One process per part: each reports its own peak RSS, and pinning stays local.
        done = subprocess.run([sys.executable, "-m", "stateset_chain.bench", *part],
                              cwd=str(Path(__file__).resolve().parents[2]), env=dict(os.environ))
        status = status or done.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
