"""``statesetd``: run a node's application, manage test keys, send transactions, query state.

    statesetd init  --home DIR [--moniker NAME]
    statesetd start --home DIR [--address tcp://127.0.0.1:26658 | unix:///path.sock]
    statesetd gateway [--node URL] [--address 127.0.0.1:9090] [--rest 127.0.0.1:1317]
    statesetd keys  add NAME [--recover] | list | show NAME [--address]    (plaintext test keyring)
                    | destroy-retired-encryption-keys NAME
    statesetd tx    bank send FROM TO AMOUNT | stablecoin issue FROM AMOUNT
                    | stablecoin redeem FROM AMOUNT
                    | orders <message> FROM [--field V ...] | cctp <message> FROM [...]
                    | privacy register-key FROM [--rotate]
    statesetd query account ADDR | balance ADDR [--denom D] | supply [--denom D]
                    | orders get --order-id ID | orders list [--customer A --status PAID ...]
                    | stablecoin <query> | cctp <query> [--field V ...]
                    | privacy encryption-key --address A

Orders carry the customer's personal data sealed (docs/privacy.md): ``tx orders create-order``
and ``batch-create-orders`` take the address in clear and seal it before signing, and ``query
orders get|list`` opens it with the keyring's encryption keys or shows it redacted
(cli/sealing.py).

``tx orders|cctp`` and ``query orders|stablecoin|cctp`` are generated from the modules' protobuf
services (cli/protocmd.py), so every message and query has a command; ``--help`` lists them.

The CLI is an edge: it parses arguments and calls ``stateset_chain.client`` (transactions and
queries through CometBFT's JSON-RPC) or ``App`` + the ABCI server (``start``). A user error (bad
amount, unknown key, unreachable node, refused query) prints one ``error: ...`` line and exits 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from google.protobuf.json_format import MessageToDict

from stateset_chain.cli import protocmd, sealing
from stateset_chain.cli.keyring import DEFAULT_KEYRING_DIR, Keyring
from stateset_chain.client import (
    DEFAULT_GAS,
    DEFAULT_NODE,
    BroadcastResult,
    ClientError,
    NodeClient,
    address_of,
    msg_issue_stablecoin,
    msg_redeem_stablecoin,
    msg_send,
    parse_coin,
    parse_coins,
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


def cmd_start(args: argparse.Namespace) -> int:
    home = Path(args.home)
    if not (home / "data").is_dir():
        raise ClientError(f"{home} is not an app home: run `statesetd init --home {home}` first")
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    from stateset_chain.abci.server import parse_address, run
    from stateset_chain.app import App

    try:
        parse_address(args.address)
    except ValueError as e:
        raise ClientError(f"invalid --address {args.address!r}: {e}") from None
    from stateset_chain.app import IncompatibleState
    from stateset_chain.store.commit import CorruptStore

    try:
        app = App.open(str(home / "data"))
    except (IncompatibleState, CorruptStore) as e:
        raise ClientError(f"cannot start over {home / 'data'}: {e}") from None
    return run(app, args.address)


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


def broadcast_msgs(args: argparse.Namespace, build: Callable[[str], list]) -> int:
    keyring = Keyring(args.keyring_dir)
    wallet = keyring.wallet(args.sender)
    fees = parse_coins(args.fees) if args.fees else None
    client = NodeClient(args.node)
    result = client.send(
        wallet, build(address_of(wallet)), fees=fees, gas=args.gas, memo=args.memo,
        chain_id=args.chain_id,
    )
    if args.wait and result.code == 0:
        result = client.wait_for_tx(result.txhash, timeout=args.wait_timeout)
    return report(result)


def report(result: BroadcastResult) -> int:
    emit(result.to_json())
    return 0 if result.code == 0 else 1


def cmd_bank_send(args: argparse.Namespace) -> int:
    amount = parse_coins(args.amount)
    to = resolve_address(Keyring(args.keyring_dir), args.to)
    return broadcast_msgs(args, lambda sender: [msg_send(sender, to, amount)])


def stablecoin_amount(text: str, denom: str) -> Any:
    """``1000000`` or ``1000000<denom>``; another denom is refused."""
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
    emit(to_dict(NodeClient(args.node).query(path, request, response_cls)))
    return 0


def run_orders_query(args: argparse.Namespace, path: str, request, response_cls) -> int:
    """As run_query; orders' personal data opened for its recipients, else redacted."""
    client = NodeClient(args.node)
    response = client.query(path, request, response_cls)
    emit(sealing.revealed(args, client, response, to_dict(response)))
    return 0


def cmd_keys_destroy_retired(args: argparse.Namespace) -> int:
    destroyed = Keyring(args.keyring_dir).destroy_retired_encryption_keys(args.name)
    emit({"name": args.name, "destroyed": destroyed})
    return 0


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
    p.add_argument("--fees", help="e.g. 5000uusdc (default: gas x 0.025 uusdc)")
    p.add_argument("--gas", type=int, default=DEFAULT_GAS, help="gas limit (default %(default)s)")
    p.add_argument("--memo", default="")
    p.add_argument("--chain-id", help="default: the node's chain id (from /status)")
    p.add_argument("--wait", action="store_true", help="wait until the tx is in a block")
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
    p.add_argument("amount", metavar="AMOUNT", help="e.g. 1000uusdc or 1uusdc,2ussusd")
    p.set_defaults(func=cmd_bank_send)

    stable = _group(tx, "stablecoin", "ssUSD issue and redeem")
    p = stable.add_parser("issue", parents=parents, help="lock uusdc, receive ussusd 1:1")
    p.add_argument("sender", metavar="FROM", help="key name in the keyring")
    p.add_argument("amount", metavar="AMOUNT", help="e.g. 1000000uusdc")
    p.set_defaults(func=cmd_stablecoin_issue)
    p = stable.add_parser("redeem", parents=parents, help="burn ussusd, receive uusdc 1:1")
    p.add_argument("sender", metavar="FROM", help="key name in the keyring")
    p.add_argument("amount", metavar="AMOUNT", help="e.g. 1000000ussusd")
    p.set_defaults(func=cmd_stablecoin_redeem)

    from stateset.cctp.v1 import tx_pb2 as cctp_tx
    from stateset.crosschain.v1 import tx_pb2 as crosschain_tx
    from stateset.orders.v1 import tx_pb2 as orders_tx

    orders = _group(tx, "orders", "order lifecycle messages")
    protocmd.add_tx_commands(orders, orders_tx, parents, broadcast_msgs)
    sealing.add_create_flags(orders, broadcast_msgs)
    sealing.add_privacy_tx(_group(tx, "privacy", "encryption keys for sealed personal data"),
                           parents, broadcast_msgs)
    protocmd.add_tx_commands(_group(tx, "cctp", "Circle CCTP messages"), cctp_tx,
                             parents, broadcast_msgs)
    from stateset.subscriptions.v1 import tx_pb2 as subscriptions_tx

    protocmd.add_tx_commands(_group(tx, "subscriptions", "recurring orders"), subscriptions_tx,
                             parents, broadcast_msgs)
    from stateset.conditional.v1 import tx_pb2 as conditional_tx
    from stateset.inventory.v1 import tx_pb2 as inventory_tx

    protocmd.add_tx_commands(_group(tx, "inventory", "stock per SKU"), inventory_tx,
                             parents, broadcast_msgs)
    protocmd.add_tx_commands(_group(tx, "conditional", "conditional orders"), conditional_tx,
                             parents, broadcast_msgs)
    protocmd.add_tx_commands(
        _group(tx, "crosschain", "unclaimed cross-chain payments: refund or claim"),
        crosschain_tx, parents, broadcast_msgs,
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

    from stateset.cctp.v1 import query_pb2 as cctp_query
    from stateset.crosschain.v1 import query_pb2 as crosschain_query
    from stateset.orders.v1 import query_pb2 as orders_query
    from stateset.privacy.v1 import query_pb2 as privacy_query
    from stateset.stablecoin.v1 import query_pb2 as stablecoin_query

    orders = _group(query, "orders", "orders: get, list (filters), params")
    protocmd.add_query_commands(orders, orders_query, parents, run_orders_query,
                                aliases={"get": "order", "list": "orders"})
    sealing.add_reveal_flags(orders)
    protocmd.add_query_commands(_group(query, "privacy", "registered encryption keys"),
                                privacy_query, parents, run_query)
    protocmd.add_query_commands(_group(query, "stablecoin", "ssUSD params and reserve"),
                                stablecoin_query, parents, run_query)
    protocmd.add_query_commands(_group(query, "cctp", "CCTP state"), cctp_query, parents,
                                run_query)
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
        crosschain_query, parents, run_query,
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
