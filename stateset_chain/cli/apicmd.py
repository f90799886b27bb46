"""``statesetd api``: the Orders REST API service and its keys.

    statesetd api --db URL [--listen 127.0.0.1:8080] [--rpc URL] [--allow-private-webhooks]
                  [--no-webhooks] [--rate 100 --burst 200] [--webhook-max-age 259200]
    statesetd api keys create --db URL [--restricted] [--live] [--name NAME]   (prints the key once)
    statesetd api keys list   --db URL
    statesetd api keys revoke --db URL KEY_ID
    statesetd api openapi                                  (the OpenAPI document, as checked in)

The service migrates the database to the newest revision (the indexer's chain plus the API's
tables) before serving, runs the webhook delivery worker in the same process (unless
``--no-webhooks``) and serves with uvicorn.
"""

from __future__ import annotations

import argparse
import json
import logging

from stateset_chain.client import ClientError


def _db(args: argparse.Namespace) -> str:
    if not args.db:
        raise ClientError("--db URL is required (postgresql://user@host:port/db)")
    return args.db


def _migrate(url: str, attempts: int = 10) -> None:
    """Migrate to head; retried, since the indexer may be migrating the same database at once
    (the loser of that race fails on a table the winner just created, then finds it at head)."""
    import time

    from stateset_chain.readside.db import DatabaseError, migrate

    for attempt in range(attempts):
        try:
            migrate(url)
            return
        except DatabaseError as e:
            if attempt == attempts - 1:
                raise ClientError(str(e)) from None
            time.sleep(1.0)


def cmd_api(args: argparse.Namespace) -> int:
    import uvicorn

    from stateset_chain.api.app import ApiConfig, create_app
    from stateset_chain.webhooks.backoff import RetryPolicy
    from stateset_chain.webhooks.delivery import DeliveryConfig

    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    url = _db(args)
    _migrate(url)
    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit():
        raise ClientError(f"--listen must be HOST:PORT, not {args.listen!r}")
    config = ApiConfig(
        db_url=url, rpc_url=args.rpc, rate=args.rate, burst=args.burst,
        run_worker=not args.no_webhooks, fast_get_order=not args.no_fast_get_order,
        delivery=DeliveryConfig(
            allow_private=args.allow_private_webhooks, timeout=args.webhook_timeout,
            policy=RetryPolicy(max_age=args.webhook_max_age),
        ),
    )
    uvicorn.run(create_app(config), host=host, port=int(port), log_level=args.log_level,
                access_log=False)
    return 0


def cmd_keys_create(args: argparse.Namespace) -> int:
    from stateset_chain.api.keys import create_key
    from stateset_chain.readside.db import connect

    url = _db(args)
    _migrate(url)
    with connect(url, autocommit=True) as conn:
        key, secret = create_key(
            conn, kind="restricted" if args.restricted else "secret", livemode=args.live,
            name=args.name,
        )
    print(json.dumps({"id": key.id, "kind": key.kind, "livemode": key.livemode,
                      "name": key.name, "key": secret}, indent=2))
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    from stateset_chain.api.keys import list_keys
    from stateset_chain.readside.db import connect

    with connect(_db(args), autocommit=True) as conn:
        print(json.dumps(list_keys(conn), indent=2))
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    from stateset_chain.api.keys import revoke_key
    from stateset_chain.readside.db import connect

    with connect(_db(args), autocommit=True) as conn:
        if not revoke_key(conn, args.key_id):
            raise ClientError(f"no live key {args.key_id}")
    print(json.dumps({"id": args.key_id, "revoked": True}))
    return 0


def openapi_document() -> dict:
    from stateset_chain.api.app import ApiConfig, create_app

    return create_app(ApiConfig(db_url="postgresql://openapi/none", run_worker=False)).openapi()


def cmd_openapi(args: argparse.Namespace) -> int:
    print(json.dumps(openapi_document(), indent=2, sort_keys=True))
    return 0


def add_api(sub) -> None:
    p = sub.add_parser("api", help="serve the Orders REST API + webhooks over the indexer's DB")
    p.add_argument("--db", help="PostgreSQL URL of the indexer's database")
    p.add_argument("--listen", default="127.0.0.1:8080", help="HOST:PORT (default %(default)s)")
    p.add_argument("--rpc", help="CometBFT RPC of the node, for /health (height, sync status)")
    p.add_argument("--allow-private-webhooks", action="store_true",
                   help="allow webhook URLs on loopback/private addresses (localnet, tests)")
    p.add_argument("--no-webhooks", action="store_true", help="do not run the delivery worker")
    p.add_argument("--no-fast-get-order", action="store_true",
                   help="answer get order through its FastAPI route only (benchmarks: A/B)")
    p.add_argument("--rate", type=float, default=100.0, help="requests/s per key")
    p.add_argument("--burst", type=int, default=200, help="burst per key")
    p.add_argument("--webhook-max-age", type=float, default=3 * 24 * 3600.0,
                   help="seconds a delivery is retried before it fails (default 3 days)")
    p.add_argument("--webhook-timeout", type=float, default=10.0, help="seconds per attempt")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(func=cmd_api)
    api = p.add_subparsers(dest="api_command", metavar="COMMAND")

    keys = api.add_parser("keys", help="API keys").add_subparsers(
        dest="api_keys_command", required=True, metavar="COMMAND"
    )
    k = keys.add_parser("create", help="create a key (sk_test_ by default); printed once")
    k.add_argument("--db")
    k.add_argument("--restricted", action="store_true", help="a read-only rk_ key")
    k.add_argument("--live", action="store_true", help="a live-mode key (sk_live_ / rk_live_)")
    k.add_argument("--name", default="")
    k.set_defaults(func=cmd_keys_create)
    k = keys.add_parser("list", help="list keys (hints only)")
    k.add_argument("--db")
    k.set_defaults(func=cmd_keys_list)
    k = keys.add_parser("revoke", help="revoke a key by id")
    k.add_argument("--db")
    k.add_argument("key_id")
    k.set_defaults(func=cmd_keys_revoke)

    o = api.add_parser("openapi", help="print the OpenAPI document")
    o.set_defaults(func=cmd_openapi)
