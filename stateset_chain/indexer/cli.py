"""``statesetd indexer``: follow a node into PostgreSQL; ``migrate`` and ``rebuild`` alone.

    statesetd indexer --rpc URL --db URL [--metrics 127.0.0.1:9464] [--batch N] [--no-progress]
    statesetd indexer migrate --db URL
    statesetd indexer rebuild --db URL
"""

from __future__ import annotations

import argparse
import os

DEFAULT_DB = os.environ.get("STATESET_INDEXER_DB", "postgresql://postgres@127.0.0.1:5432/stateset")


def add_parser(sub) -> None:
    from stateset_chain.client import DEFAULT_NODE

    p = sub.add_parser("indexer", help="follow a node into PostgreSQL (read side)")
    p.add_argument("--rpc", default=DEFAULT_NODE, help="CometBFT RPC (default %(default)s)")
    p.add_argument("--db", default=DEFAULT_DB, help="PostgreSQL URL (default %(default)s)")
    p.add_argument("--metrics", default="", help="serve Prometheus /metrics on HOST:PORT")
    p.add_argument("--batch", type=int, default=100, help="max blocks per catch-up transaction")
    p.add_argument("--stop-at", type=int, default=0, help="exit once this height is written")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(func=cmd_indexer)
    isub = p.add_subparsers(dest="indexer_command", metavar="COMMAND")
    m = isub.add_parser("migrate", help="bring the schema to the newest revision and exit")
    m.add_argument("--db", default=DEFAULT_DB)
    m.set_defaults(func=cmd_migrate)
    r = isub.add_parser("rebuild", help="rebuild the typed views from the raw events and exit")
    r.add_argument("--db", default=DEFAULT_DB)
    r.set_defaults(func=cmd_rebuild)


def cmd_migrate(args: argparse.Namespace) -> int:
    from stateset_chain.client import ClientError
    from stateset_chain.readside import db

    try:
        db.migrate(args.db)
        print(f"schema at revision {db.current_revision(args.db)}")
    except db.DatabaseError as e:
        raise ClientError(str(e)) from None
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from stateset_chain.client import ClientError
    from stateset_chain.indexer.views import rebuild
    from stateset_chain.readside import db

    try:
        db.migrate(args.db)
        with db.connect(args.db) as conn:
            n = rebuild(conn)
        print(f"typed views rebuilt from {n} events")
    except db.DatabaseError as e:
        raise ClientError(str(e)) from None
    return 0


def cmd_indexer(args: argparse.Namespace) -> int:
    import logging

    from stateset_chain.client import ClientError
    from stateset_chain.indexer.ingest import IndexerError, run
    from stateset_chain.readside import db

    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    try:
        return run(
            args.rpc, args.db, metrics=args.metrics, batch=args.batch,
            progress=not args.no_progress, stop_at=args.stop_at,
        )
    except (IndexerError, db.DatabaseError) as e:
        raise ClientError(str(e)) from None
