"""``statesetd``: run a node's application, manage test keys, send transactions, query state.

    statesetd init  --home DIR [--moniker NAME]
    statesetd start --home DIR [--address tcp://127.0.0.1:26658 | unix:///path.sock]
                    [--metrics 127.0.0.1:26659] [--snapshot-interval N --snapshot-keep K]
                    [--keep-versions V]
    statesetd gateway [--node URL] [--address 127.0.0.1:9090] [--rest 127.0.0.1:1317]
    statesetd indexer [--rpc URL] [--db URL] | indexer migrate | indexer rebuild  (docs/indexer.md)
    statesetd api --db URL [--listen 127.0.0.1:8080] | api keys create --db URL  (cli/apicmd.py)
    statesetd keys  add NAME [--recover] | add-demo | list | show NAME [--address]  (test keyring)
                    | destroy-retired-encryption-keys NAME
    statesetd tx    bank send FROM TO AMOUNT | stablecoin issue FROM AMOUNT
                    | stablecoin redeem FROM AMOUNT
                    | orders <message> FROM [--field V ...] | cctp <message> FROM [...]
                    | privacy register-key FROM [--rotate]
    statesetd query account ADDR | balance ADDR [--denom D] | supply [--denom D] | tx HASH
                    | orders get --order-id ID | orders list [--customer A --status PAID ...]
                    | stablecoin <query> | cctp <query> [--field V ...]
                    | privacy encryption-key --address A

Orders carry the customer's personal data sealed (docs/privacy.md): ``tx orders create-order``
and ``batch-create-orders`` take the address in clear and seal it before signing, and ``query
orders get|list`` opens it with the keyring's encryption keys or shows it redacted
(cli/sealing.py).

``tx orders|cctp`` and ``query orders|stablecoin|cctp`` are generated from the modules' protobuf
services (cli/protocmd.py), so every message and query has a command; ``--help`` lists them.

A tx command works as the Cosmos SDK's CLI does, with two defaults chosen for this chain:

- ``--gas auto`` (the default here; the SDK's is 200000): the tx is simulated first and its gas
  limit is the gas used times ``--gas-adjustment`` (default 1.3), so a batch of any size gets the
  gas it needs instead of running out and losing its fee; ``--gas N`` sets a fixed limit. The fee
  is gas x 0.025 uusdc unless ``--fees`` is given.
- it waits until the tx is in a block (``--no-wait``: broadcast only, and the output says so)
  and prints what the tx did (``summary``: the order id, total and denom of each created order,
  the payment id of a payment, the new status) with the messages' decoded ``responses``.

Amounts are written one way everywhere: a coin in base units (``40000000ussusd``) or a display
amount (``40.00ssUSD``, ``12.5usdc``: a decimal with at most 6 places and a display denom, USDC or
ssUSD in any case). Wherever an address is expected, a key name works too (``--customer bob``).

The CLI is an edge: it parses arguments and calls ``stateset_chain.client`` (transactions and
queries through CometBFT's JSON-RPC) or ``App`` + the ABCI server (``start``). A user error (bad
amount, unknown key, unreachable node, refused query) prints one ``error: ...`` line and exits 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from google.protobuf.json_format import MessageToDict

from stateset_chain.cli import oraclecmd, protocmd, sealing, txresult
from stateset_chain.cli.keyring import DEFAULT_KEYRING_DIR, Keyring
from stateset_chain.client import (
    AMOUNT_HELP,
    DEFAULT_GAS,
    DEFAULT_NODE,
    BroadcastResult,
    ClientError,
    NodeClient,
    address_of,
    default_fee,
    msg_issue_stablecoin,
    msg_redeem_stablecoin,
    msg_send,
    parse_coin,
    parse_coins,
    sign_tx,
)
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.crypto import address as bech32_address
from stateset_chain.errors import InvalidAddress

DEFAULT_ABCI_ADDRESS = "tcp://127.0.0.1:26658"


def emit(value: Any) -> None:
    print(json.dumps(value, indent=2))


def to_dict(message) -> dict:
    return MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


# --- init / start --------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    home = Path(args.home)
    (home / "data").mkdir(parents=True, exist_ok=True)
    config = home / "app.json"
    if not config.exists():
        config.write_text(json.dumps({"moniker": args.moniker}, indent=2) + "\n")
    emit({"home": str(home.resolve()), "data": str((home / "data").resolve())})
    return 0


DEFAULT_KEEP_VERSIONS = 100  # heights a node answers queries at (store/versions.py)


def keep_versions(text: str) -> int:
    """``--keep-versions``: a non-negative integer (0: keep every version)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"--keep-versions takes 0 (keep all) or a positive integer, got {text!r}"
        )
    return value


def genesis_dir(given: str, home: Path) -> str | None:
    """``--genesis-dir``, or else the CometBFT ``config/`` beside or inside the app home that
    holds a ``genesis.json`` (as ``statesetd export`` looks for it): where InitChain reads a list
    the genesis names as a file of its own (stateset_chain/genesisjson.py)."""
    if given:
        return given
    for config in (home.parent / "config", home / "config"):
        if (config / "genesis.json").is_file():
            return str(config)
    return None


def cmd_start(args: argparse.Namespace) -> int:
    home = Path(args.home)
    if not (home / "data").is_dir():
        raise ClientError(f"{home} is not an app home: run `statesetd init --home {home}` first")
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    from stateset_chain.abci.adapter import AbciApp
    from stateset_chain.abci.server import parse_address, run

    try:
        parse_address(args.address)
    except ValueError as e:
        raise ClientError(f"invalid --address {args.address!r}: {e}") from None
    from stateset_chain.app import IncompatibleState
    from stateset_chain.store.commit import CorruptStore

    try:
        from stateset_chain.wiring import open_app

        core = open_app(str(home / "data"), keep_versions=args.keep_versions)
    except (IncompatibleState, CorruptStore) as e:
        raise ClientError(f"cannot start over {home / 'data'}: {e}") from None
    core.genesis_dir = genesis_dir(args.genesis_dir, home)
    app = AbciApp(core)
    from stateset_chain.statesync.application import StateSyncApplication
    from stateset_chain.statesync.snapshots import SnapshotStore

    if args.snapshot_interval < 0 or args.snapshot_keep < 1:
        raise ClientError("--snapshot-interval must be >= 0 and --snapshot-keep >= 1")
    served = StateSyncApplication(
        app, SnapshotStore(home / "data" / "snapshots"),
        interval=args.snapshot_interval, keep=args.snapshot_keep,
    )
    if args.metrics:
        from stateset_chain.abci.metrics import AppMetrics, MeteredApplication

        metrics = AppMetrics()
        try:
            metrics.serve(args.metrics)
        except (OSError, ValueError) as e:
            raise ClientError(f"cannot serve metrics on {args.metrics!r}: {e}") from None
        return run(MeteredApplication(served, metrics), args.address)  # type: ignore[arg-type]
    return run(served, args.address)  # type: ignore[arg-type]


def cmd_gateway(args: argparse.Namespace) -> int:
    """The gRPC face (and with ``--rest`` the REST face) of the gateway, one process."""
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    from stateset_chain.abci.server import parse_address
    from stateset_chain.client import NodeClient
    from stateset_chain.gateway import Gateway, serve_gateway

    gateway = Gateway(NodeClient(args.node))
    rest = None
    if args.rest:
        try:
            rest = parse_address("tcp://" + args.rest.removeprefix("tcp://"))
        except ValueError as e:
            raise ClientError(f"invalid --rest {args.rest!r}: {e}") from None
    try:
        server = serve_gateway(gateway, args.address)
    except OSError as e:
        raise ClientError(str(e)) from None
    try:
        if rest is not None:
            from stateset_chain.rest import serve_rest

            serve_rest(gateway, rest.host, rest.port, cors=args.cors)  # until SIGTERM/SIGINT
        else:
            server.wait_for_termination()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop(2)
    return 0


# --- keys ----------------------------------------------------------------------------------


def cmd_keys_add(args: argparse.Namespace) -> int:
    mnemonic = sys.stdin.read() if args.recover else None
    key, words = Keyring(args.keyring_dir).add(args.name, mnemonic)
    out = key.to_json()
    if not args.recover:
        out["mnemonic"] = words  # shown once; write it down (test keyring: it is plaintext anyway)
    emit(out)
    return 0


def cmd_keys_add_demo(args: argparse.Namespace) -> int:
    """The localnet's TEST-ONLY demo accounts (alice, bob, carol, dave) into the keyring; a name
    already there is left as it is."""
    from stateset_chain.cli.keyring import KeyExists
    from stateset_chain.localnet import load_demo_accounts

    keyring = Keyring(args.keyring_dir)
    out = []
    for account in load_demo_accounts():
        try:
            key, _ = keyring.add(account["name"], account["mnemonic"])
            out.append({**key.to_json(), "added": True})
        except KeyExists:
            out.append({**keyring.show(account["name"]).to_json(), "added": False})
    emit(out)
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    emit([k.to_json() for k in Keyring(args.keyring_dir).list()])
    return 0


def cmd_keys_show(args: argparse.Namespace) -> int:
    key = Keyring(args.keyring_dir).show(args.name)
    if args.address:
        print(key.address)
    else:
        emit(key.to_json())
    return 0


# --- tx ------------------------------------------------------------------------------------


def resolve_address(keyring: Keyring, name_or_address: str) -> str:
    """A bech32 address as given, or the address of a key in the keyring."""
    if name_or_address.startswith(bech32_address.PREFIX + "1"):
        try:
            return bech32_address.validate(name_or_address)
        except InvalidAddress as e:
            raise ClientError(f"invalid address {name_or_address!r}: {e.log}") from None
    return keyring.show(name_or_address).address


def resolver(args: argparse.Namespace) -> Callable[[str], str]:
    """How this command turns a key name (or an address) into an address."""
    keyring = Keyring(args.keyring_dir)
    return lambda text: resolve_address(keyring, text)


AUTO = "auto"
DEFAULT_GAS_ADJUSTMENT = "1.3"


def gas_setting(text: str) -> str:
    """``--gas``: ``auto`` or a positive integer."""
    if text != AUTO and not (text.isdigit() and int(text) > 0):
        raise argparse.ArgumentTypeError(f"--gas takes 'auto' or a positive integer, got {text!r}")
    return text


def gas_adjustment(text: str) -> Fraction:
    try:
        value = Fraction(Decimal(text))
    except (ArithmeticError, ValueError):
        raise argparse.ArgumentTypeError(f"--gas-adjustment takes a number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("--gas-adjustment must be at least 1")
    return value


def broadcast_msgs(args: argparse.Namespace, build: Callable[[str], list]) -> int:
    keyring = Keyring(args.keyring_dir)
    wallet = keyring.wallet(args.sender)
    sender = address_of(wallet)
    msgs = build(sender)
    fees = parse_coins(args.fees) if args.fees else None
    client = NodeClient(args.node)
    account = client.account(sender)
    chain_id = args.chain_id or client.chain_id()

    def signed(gas: int) -> bytes:
        return sign_tx(
            wallet, msgs, chain_id=chain_id, account_number=account.account_number,
            sequence=account.sequence, fees=fees if fees is not None else [default_fee(gas)],
            gas=gas, memo=args.memo,
        )

    simulated = None
    if args.gas == AUTO:
        # Simulated with a fee like the final one (its transfer costs gas too); simulation has no
        # gas limit. Raises with the tx's own error if the tx would fail.
        try:
            simulated = client.simulate(signed(DEFAULT_GAS))
        except ClientError as e:
            raise ClientError(f"the tx would fail (simulated, nothing sent): {e}") from None
        gas = math.ceil(simulated * args.gas_adjustment)
    else:
        gas = int(args.gas)
    result = client.broadcast(signed(gas))
    if result.code != 0:
        return report(result, msgs, {"included": False, "note": "refused by CheckTx"})
    if args.no_wait:
        return report(result, msgs, {
            "included": False,
            "note": "broadcast only (--no-wait): not waited for inclusion; see "
            f"`statesetd query tx {result.txhash}`",
        })
    result = client.wait_for_tx(result.txhash, timeout=args.wait_timeout)
    extra: dict[str, Any] = {"included": True}
    if simulated is not None:
        extra["gas_simulated"] = simulated
    return report(result, msgs, extra, order_denom(client))


def order_denom(client: NodeClient) -> Callable[[str], str]:
    """An order's denom from the chain (the summary of a refund names it)."""
    from stateset.orders.v1 import query_pb2 as orders_query

    def denom_of(order_id: str) -> str:
        response = client.query(
            "/stateset.orders.v1.Query/Order", orders_query.QueryOrderRequest(order_id=order_id),
            orders_query.QueryOrderResponse,
        )
        return response.order.denom

    return denom_of


def report(
    result: BroadcastResult, msgs: Sequence = (), extra: dict | None = None,
    denom_of: Callable[[str], str] | None = None,
) -> int:
    out = {**result.to_json(), **(extra or {})}
    if result.code == 0 and result.data:
        responses = txresult.decode_responses(result.data)
        out["summary"] = txresult.summarize(msgs, responses, denom_of)
        out["responses"] = [txresult.response_json(r) for r in responses]
    elif result.code != 0 and result.height:
        out["summary"] = [f"failed in block {result.height}: {result.log}"]
    emit(out)
    return 0 if result.code == 0 else 1


def cmd_query_tx(args: argparse.Namespace) -> int:
    """A committed tx by hash: its result and what it did."""
    import base64

    from cosmos.tx.v1beta1 import tx_pb2

    client = NodeClient(args.node)
    result = client.wait_for_tx(args.hash, timeout=0, poll=0)
    raw = client.rpc("tx", hash=base64.b64encode(bytes.fromhex(args.hash)).decode())["tx"]
    body = tx_pb2.TxBody.FromString(tx_pb2.TxRaw.FromString(base64.b64decode(raw)).body_bytes)
    msgs = []
    for packed in body.messages:
        from google.protobuf import symbol_database

        try:
            cls = symbol_database.Default().GetSymbol(packed.type_url.rsplit("/", 1)[-1])
        except KeyError:
            continue
        msg = cls()
        packed.Unpack(msg)
        msgs.append(msg)
    return report(result, msgs, {"included": True}, order_denom(client))


def cmd_bank_send(args: argparse.Namespace) -> int:
    amount = parse_coins(args.amount)
    to = resolve_address(Keyring(args.keyring_dir), args.to)
    return broadcast_msgs(args, lambda sender: [msg_send(sender, to, amount)])


def stablecoin_amount(text: str, denom: str) -> Any:
    """``1000000`` (base units), ``1000000<denom>`` or a display amount (``1.00USDC``); another
    denom is refused."""
    coin = parse_coin(text if not text.isdigit() else text + denom)
    if coin.denom != denom:
        raise ClientError(f"amount must be in {denom}, got {coin.denom}")
    if coin.amount == 0:
        raise ClientError("amount must be positive")
    return coin


def cmd_stablecoin_issue(args: argparse.Namespace) -> int:
    amount = stablecoin_amount(args.amount, USDC)
    return broadcast_msgs(args, lambda sender: [msg_issue_stablecoin(sender, amount)])


def cmd_stablecoin_redeem(args: argparse.Namespace) -> int:
    amount = stablecoin_amount(args.amount, SSUSD)
    return broadcast_msgs(args, lambda sender: [msg_redeem_stablecoin(sender, amount)])


# --- query ---------------------------------------------------------------------------------


def cmd_query_account(args: argparse.Namespace) -> int:
    address = resolve_address(Keyring(args.keyring_dir), args.address)
    emit(to_dict(NodeClient(args.node).account(address)))
    return 0


def cmd_query_balance(args: argparse.Namespace) -> int:
    address = resolve_address(Keyring(args.keyring_dir), args.address)
    client = NodeClient(args.node)
    if args.denom:
        emit({"denom": args.denom, "amount": str(client.balance(address, args.denom))})
    else:
        emit(to_dict(client.all_balances(address)))
    return 0


def cmd_query_supply(args: argparse.Namespace) -> int:
    client = NodeClient(args.node)
    emit(to_dict(client.supply_of(args.denom) if args.denom else client.total_supply()))
    return 0


def run_query(args: argparse.Namespace, path: str, request, response_cls) -> int:
    out = to_dict(NodeClient(args.node).query(path, request, response_cls))
    if out.get("has_more") and out.get("orders"):  # ListOrders: the next page's cursor
        out["next_starting_after"] = out["orders"][-1]["id"]
    emit(out)
    return 0


def run_orders_query(args: argparse.Namespace, path: str, request, response_cls) -> int:
    """As run_query; orders' personal data opened for its recipients, else redacted."""
    client = NodeClient(args.node)
    response = client.query(path, request, response_cls)
    out = sealing.revealed(args, client, response, to_dict(response))
    if out.get("has_more") and out.get("orders"):  # ListOrders: the next page's cursor
        out["next_starting_after"] = out["orders"][-1]["id"]
    emit(out)
    return 0


def cmd_keys_destroy_retired(args: argparse.Namespace) -> int:
    destroyed = Keyring(args.keyring_dir).destroy_retired_encryption_keys(args.name)
    emit({"name": args.name, "destroyed": destroyed})
    return 0


def current_orders_params(args: argparse.Namespace) -> dict:
    """The chain's orders params as JSON (update-params merges the given fields over them)."""
    from stateset.orders.v1 import query_pb2 as orders_query

    response = NodeClient(args.node).query(
        "/stateset.orders.v1.Query/Params", orders_query.QueryParamsRequest(),
        orders_query.QueryParamsResponse,
    )
    return to_dict(response.params)


# --- the parser ----------------------------------------------------------------------------


def _keyring_flags() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--keyring-dir", default=str(DEFAULT_KEYRING_DIR),
        help="test keyring folder: keys stored UNENCRYPTED (default %(default)s)",
    )
    return p


def _node_flags() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--node", default=DEFAULT_NODE, help="CometBFT RPC (default %(default)s)")
    return p


def _tx_flags() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--fees", help="e.g. 5000uusdc or 0.005USDC (default: gas x 0.025 uusdc)")
    p.add_argument(
        "--gas", type=gas_setting, default=AUTO,
        help="gas limit, or 'auto': simulate and use the gas used x --gas-adjustment "
        "(default %(default)s)",
    )
    p.add_argument(
        "--gas-adjustment", type=gas_adjustment, default=gas_adjustment(DEFAULT_GAS_ADJUSTMENT),
        help=f"multiplier of the simulated gas with --gas auto (default {DEFAULT_GAS_ADJUSTMENT})",
    )
    p.add_argument("--memo", default="")
    p.add_argument("--chain-id", help="default: the node's chain id (from /status)")
    p.add_argument(
        "--no-wait", action="store_true",
        help="broadcast only: do not wait for the tx to be in a block (the default is to wait)",
    )
    p.add_argument("--wait", action="store_true", help=argparse.SUPPRESS)  # the default now
    p.add_argument("--wait-timeout", type=float, default=30.0, help=argparse.SUPPRESS)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="statesetd", description="stateset-chain node application and client."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    keyring, node, tx = _keyring_flags(), _node_flags(), _tx_flags()

    p = sub.add_parser("init", help="create an application home folder")
    p.add_argument("--home", required=True)
    p.add_argument("--moniker", default="node")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("start", help="run the application for CometBFT (ABCI socket server)")
    p.add_argument("--home", required=True)
    p.add_argument("--address", default=DEFAULT_ABCI_ADDRESS, help="tcp://HOST:PORT or unix:///PATH")
    p.add_argument("--metrics", default="",
                   help="serve Prometheus /metrics on HOST:PORT (off by default)")
    p.add_argument("--snapshot-interval", type=int, default=0, metavar="N",
                   help="take a state-sync snapshot every N heights (0: none; docs/statesync.md)")
    p.add_argument("--snapshot-keep", type=int, default=2, metavar="K",
                   help="keep the K newest snapshots (default %(default)s)")
    p.add_argument(
        "--keep-versions", type=keep_versions, default=DEFAULT_KEEP_VERSIONS, metavar="V",
        help="versions of the state kept for queries and proofs at past heights; 0 keeps all, "
        "1 the latest only (default %(default)s; docs/proofs.md)",
    )
    p.add_argument(
        "--genesis-dir", default="", metavar="DIR",
        help="the directory of the genesis file, where a list the genesis names as a file of its "
        "own is read (default: the config/ beside or inside --home holding genesis.json)",
    )
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(func=cmd_start)

    p = sub.add_parser(
        "gateway", help="serve the Cosmos SDK gRPC services (cosmpy LedgerClient) for a node"
    )
    p.add_argument("--node", default=DEFAULT_NODE, help="CometBFT RPC (default %(default)s)")
    p.add_argument("--address", default="127.0.0.1:9090", help="gRPC listen address")
    p.add_argument(
        "--rest", default="", metavar="HOST:PORT",
        help="also serve the Cosmos SDK REST (LCD) routes there (e.g. 127.0.0.1:1317)",
    )
    p.add_argument("--cors", action="store_true", help="REST: allow any browser origin")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(func=cmd_gateway)

    from stateset_chain.cli.apicmd import add_api
    from stateset_chain.cli.exportcmd import add_export
    from stateset_chain.indexer import cli as indexer_cli

    indexer_cli.add_parser(sub)
    add_api(sub)
    add_export(sub)
    _add_keys(sub, keyring)
    _add_tx(sub, [keyring, node, tx])
    _add_query(sub, [keyring, node])
    return parser


def _group(sub, name: str, help: str):
    p = sub.add_parser(name, help=help)
    return p.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")


def _add_keys(sub, keyring: argparse.ArgumentParser) -> None:
    keys = _group(sub, "keys", "manage the plaintext TEST keyring")
    p = keys.add_parser("add", parents=[keyring], help="create a key (or --recover one)")
    p.add_argument("name")
    p.add_argument("--recover", action="store_true", help="read a BIP39 mnemonic from stdin")
    p.set_defaults(func=cmd_keys_add)
    p = keys.add_parser(
        "add-demo", parents=[keyring],
        help="add the localnet's TEST-ONLY demo keys (alice, bob, carol, dave; public mnemonics)",
    )
    p.set_defaults(func=cmd_keys_add_demo)
    p = keys.add_parser("list", parents=[keyring], help="list keys")
    p.set_defaults(func=cmd_keys_list)
    p = keys.add_parser("show", parents=[keyring], help="show a key")
    p.add_argument("name")
    p.add_argument("--address", action="store_true", help="print only the address")
    p.set_defaults(func=cmd_keys_show)
    p = keys.add_parser(
        "destroy-retired-encryption-keys", parents=[keyring],
        help="delete every X25519 key of NAME but the newest (erasure, docs/privacy.md)",
    )
    p.add_argument("name")
    p.set_defaults(func=cmd_keys_destroy_retired)


def _add_tx(sub, parents: Sequence[argparse.ArgumentParser]) -> None:
    tx = _group(sub, "tx", "sign and broadcast a transaction")
    bank = _group(tx, "bank", "bank transactions")
    p = bank.add_parser("send", parents=parents, help="send coins")
    p.add_argument("sender", metavar="FROM", help="key name in the keyring")
    p.add_argument("to", metavar="TO", help="address or key name")
    p.add_argument("amount", metavar="AMOUNT", help=AMOUNT_HELP + "; several: 1uusdc,2ussusd")
    p.set_defaults(func=cmd_bank_send)

    stable = _group(tx, "stablecoin", "ssUSD issue and redeem")
    p = stable.add_parser("issue", parents=parents, help="lock uusdc, receive ussusd 1:1")
    p.add_argument("sender", metavar="FROM", help="key name in the keyring")
    p.add_argument("amount", metavar="AMOUNT", help="e.g. 1000000uusdc or 1.00USDC")
    p.set_defaults(func=cmd_stablecoin_issue)
    p = stable.add_parser("redeem", parents=parents, help="burn ussusd, receive uusdc 1:1")
    p.add_argument("sender", metavar="FROM", help="key name in the keyring")
    p.add_argument("amount", metavar="AMOUNT", help="e.g. 1000000ussusd or 1.00ssUSD")
    p.set_defaults(func=cmd_stablecoin_redeem)

    from stateset.cctp.v1 import tx_pb2 as cctp_tx
    from stateset.crosschain.v1 import tx_pb2 as crosschain_tx
    from stateset.orders.v1 import tx_pb2 as orders_tx

    orders = _group(tx, "orders", "order lifecycle messages")
    protocmd.add_tx_commands(orders, orders_tx, parents, broadcast_msgs, resolver,
                             current={"params": current_orders_params})
    sealing.add_create_flags(orders, broadcast_msgs)
    sealing.add_ship_flags(orders, broadcast_msgs)
    sealing.add_privacy_tx(_group(tx, "privacy", "encryption keys for sealed personal data"),
                           parents, broadcast_msgs)
    protocmd.add_tx_commands(_group(tx, "cctp", "Circle CCTP messages"), cctp_tx,
                             parents, broadcast_msgs, resolver)
    from stateset.subscriptions.v1 import tx_pb2 as subscriptions_tx

    protocmd.add_tx_commands(_group(tx, "subscriptions", "recurring orders"), subscriptions_tx,
                             parents, broadcast_msgs, resolver)
    from stateset.conditional.v1 import tx_pb2 as conditional_tx
    from stateset.inventory.v1 import tx_pb2 as inventory_tx

    protocmd.add_tx_commands(_group(tx, "inventory", "stock per SKU"), inventory_tx,
                             parents, broadcast_msgs, resolver)
    protocmd.add_tx_commands(_group(tx, "conditional", "conditional orders"), conditional_tx,
                             parents, broadcast_msgs, resolver)
    protocmd.add_tx_commands(
        _group(tx, "crosschain", "unclaimed cross-chain payments: refund or claim"),
        crosschain_tx, parents, broadcast_msgs, resolver,
    )
    from stateset.compliance.v1 import tx_pb2 as compliance_tx

    protocmd.add_tx_commands(
        _group(tx, "compliance", "sanctions, blocked countries, restricted goods, limits, rules"),
        compliance_tx, parents, broadcast_msgs, resolver,
    )
    from stateset.oracle.v1 import tx_pb2 as oracle_tx

    oracle = _group(tx, "oracle", "exchange rates: feeders submit, the authority governs")
    protocmd.add_tx_commands(oracle, oracle_tx, parents, broadcast_msgs, resolver)
    oraclecmd.add_submit_rates_pairs(oracle, broadcast_msgs)
    from cosmos.upgrade.v1beta1 import tx_pb2 as upgrade_tx

    protocmd.add_tx_commands(  # --plan '{"name": "v12", "height": "1200", "info": "..."}'
        _group(tx, "upgrade", "schedule or cancel a planned upgrade (the authority)"),
        upgrade_tx, parents, broadcast_msgs, resolver,
    )


def _add_query(sub, parents: Sequence[argparse.ArgumentParser]) -> None:
    query = _group(sub, "query", "query the chain (JSON output)")
    p = query.add_parser("account", parents=parents, help="account number, sequence, pubkey")
    p.add_argument("address", help="address or key name")
    p.set_defaults(func=cmd_query_account)
    p = query.add_parser("balance", parents=parents, help="balances of an address")
    p.add_argument("address", help="address or key name")
    p.add_argument("--denom", help="one denom only")
    p.set_defaults(func=cmd_query_balance)
    p = query.add_parser("supply", parents=parents, help="total supply")
    p.add_argument("--denom", help="one denom only")
    p.set_defaults(func=cmd_query_supply)
    p = query.add_parser("tx", parents=parents, help="a committed tx by hash: result and summary")
    p.add_argument("hash", help="the tx hash (hex)")
    p.set_defaults(func=cmd_query_tx)

    from stateset.cctp.v1 import query_pb2 as cctp_query
    from stateset.crosschain.v1 import query_pb2 as crosschain_query
    from stateset.orders.v1 import query_pb2 as orders_query
    from stateset.privacy.v1 import query_pb2 as privacy_query
    from stateset.stablecoin.v1 import query_pb2 as stablecoin_query

    orders = _group(query, "orders", "orders: get, list (filters), params")
    protocmd.add_query_commands(orders, orders_query, parents, run_orders_query,
                                aliases={"get": "order", "list": "orders"}, resolver=resolver)
    sealing.add_reveal_flags(orders)
    protocmd.add_query_commands(_group(query, "privacy", "registered encryption keys"),
                                privacy_query, parents, run_query, resolver=resolver)
    protocmd.add_query_commands(_group(query, "stablecoin", "ssUSD params and reserve"),
                                stablecoin_query, parents, run_query, resolver=resolver)
    protocmd.add_query_commands(_group(query, "cctp", "CCTP state"), cctp_query, parents,
                                run_query, resolver=resolver)
    from stateset.subscriptions.v1 import query_pb2 as subscriptions_query

    protocmd.add_query_commands(
        _group(query, "subscriptions", "subscriptions: get (with cycles), list, params"),
        subscriptions_query, parents, run_query,
    )
    from stateset.conditional.v1 import query_pb2 as conditional_query
    from stateset.inventory.v1 import query_pb2 as inventory_query

    protocmd.add_query_commands(_group(query, "inventory", "stock of a SKU, low stock"),
                                inventory_query, parents, run_query)
    protocmd.add_query_commands(_group(query, "conditional", "a conditional order"),
                                conditional_query, parents, run_query)
    protocmd.add_query_commands(
        _group(query, "crosschain", "order deposit addresses, unclaimed funds"),
        crosschain_query, parents, run_query, resolver=resolver,
    )
    from stateset.compliance.v1 import query_pb2 as compliance_query

    protocmd.add_query_commands(
        _group(query, "compliance", "sanctions, lists, account limits and volumes, customer risk"),
        compliance_query, parents, run_query, resolver=resolver,
    )
    from stateset.oracle.v1 import query_pb2 as oracle_query

    protocmd.add_query_commands(
        _group(query, "oracle", "exchange rates: a currency's, all, feeders, submissions, params"),
        oracle_query, parents, run_query,
    )
    from cosmos.upgrade.v1beta1 import query_pb2 as upgrade_query

    protocmd.add_query_commands(  # (upgraded-consensus-state is IBC's: not served)
        _group(query, "upgrade", "the pending plan, applied upgrades, module versions"),
        upgrade_query, parents, run_query,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ClientError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
