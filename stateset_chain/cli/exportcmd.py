"""``statesetd export``: a stopped node's state as the genesis of a chain that continues it.

    statesetd export --home H [--height N] [--genesis FILE] [--output FILE]

``--home`` is the app home (``statesetd start --home``); its database must not be in use by a
running node (LevelDB's lock says so). ``--height`` needs that height kept (the node's
``--keep-versions``; a pruned one is refused and the kept window named).
``--genesis`` is the genesis the node was started from, for its genesis time, validators and
consensus params; by default ``H/../config/genesis.json`` (the localnet puts the app home inside
the CometBFT home) or ``H/config/genesis.json``. The document goes to stdout unless ``--output``;
with ``--output``, a list of the genesis whose JSON reaches ``--max-inline-bytes`` (the orders)
goes to a file beside it, named in the document by its SHA-256 (stateset_chain/genesisjson.py):
copy both into the new chain's ``config/``.
See stateset_chain/export.py for what is exported and docs/operations.md for the procedure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from stateset_chain.client import ClientError
from stateset_chain.genesisjson import FILE_THRESHOLD_BYTES


def _base_genesis(args: argparse.Namespace, home: Path) -> dict:
    if args.genesis:
        candidates = [Path(args.genesis)]
    else:
        candidates = [home.parent / "config" / "genesis.json", home / "config" / "genesis.json"]
    for path in candidates:
        if path.is_file():
            try:
                return json.loads(path.read_text())
            except (OSError, ValueError) as e:
                raise ClientError(f"cannot read the genesis {path}: {e}") from None
    if args.genesis:
        raise ClientError(f"no genesis file at {args.genesis}")
    raise ClientError(
        f"no genesis next to {home} (looked for {', '.join(map(str, candidates))}): "
        "pass --genesis FILE, the genesis the node was started from"
    )


def cmd_export(args: argparse.Namespace) -> int:
    from stateset_chain.app import IncompatibleState
    from stateset_chain.export import ExportError, export_genesis, split_large_lists
    from stateset_chain.store.commit import STORE_FAILURES
    from stateset_chain.wiring import open_app

    home = Path(args.home)
    data = home / "data"
    if not (data / "state").is_dir():
        raise ClientError(f"{home} holds no app state ({data / 'state'} is missing)")
    base = _base_genesis(args, home)
    try:
        app = open_app(str(data), keep_versions=0)  # prunes nothing: export commits nothing
    except IncompatibleState as e:
        raise ClientError(f"cannot export {data}: {e}") from None
    except STORE_FAILURES as e:
        raise ClientError(
            f"cannot open {data / 'state'} (is its node still running? stop it first): {e}"
        ) from None
    try:
        doc = export_genesis(app, base, args.height)
        if args.output:
            output = Path(args.output)
            for path in split_large_lists(app, doc["app_state"], output.parent, output.stem,
                                          args.max_inline_bytes):
                print(f"wrote {path} (named in the genesis by its SHA-256: copy it with the "
                      "genesis)", file=sys.stderr)
    except ExportError as e:
        raise ClientError(str(e)) from None
    finally:
        app.store.close()
    text = json.dumps(doc, indent=2, sort_keys=False) + "\n"
    if args.output:
        output.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


def add_export(sub) -> None:
    p = sub.add_parser(
        "export", help="write the genesis of a chain that continues a stopped node's state"
    )
    p.add_argument("--home", required=True, help="the app home (statesetd start --home)")
    p.add_argument("--height", type=int, default=None,
                   help="the height to export (default: the last committed one)")
    p.add_argument("--genesis", default="",
                   help="the genesis the node was started from (default: next to --home)")
    p.add_argument("--output", default="", help="write here instead of stdout")
    p.add_argument(
        "--max-inline-bytes", type=int, default=FILE_THRESHOLD_BYTES, metavar="N",
        help="with --output: a list of the genesis whose JSON reaches N bytes (the orders) goes "
        "to a file beside it, named by its SHA-256 (default %(default)s)",
    )
    p.set_defaults(func=cmd_export)
