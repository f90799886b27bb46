"""A local network of 1 or 4 validators on loopback: CometBFT nodes, each with its own app process.

    python -m stateset_chain.localnet start [--validators 1|4] [--dir localnet/run]
    python -m stateset_chain.localnet status | logs | stop | reset

Layout of ``dir`` (default ``localnet/run``):

    localnet.json                  chain id and each node's ports (what status/stop read)
    chain.json                     Keplr's ChainInfo for node0 (``keplr_chain_info``)
    node{i}/config/, node{i}/data/ CometBFT home: config.toml, the ONE genesis.json, keys, blocks
    node{i}/app/data/              the app's LevelDB state (``statesetd start --home node{i}/app``)
    node{i}/app.sock               the ABCI socket CometBFT connects to (``proxy_app``)
    logs/node{i}-cometbft.log, logs/node{i}-app.log
    pids/node{i}-cometbft.pid, pids/node{i}-app.pid
    postgres/                      node 0's read side: a PostgreSQL cluster (data/, postgres.log)
    logs/node0-indexer.log, logs/node0-api.log   ``statesetd indexer`` and ``statesetd api``

The read side (``start`` from the command line; ``Localnet(readside=True)`` from Python): a
PostgreSQL cluster of its own on 127.0.0.1 (base + 10: 26666), ``statesetd indexer`` following
node 0 into it (metrics on base + 11), and ``statesetd api`` on base + 12 when this version of
statesetd has that command. ``status`` shows their URLs and the indexed height; ``stop`` and
``reset`` cover them. Each app serves its Prometheus metrics on base + 100*i + 3 (26659).

Ports: node i uses p2p ``26656 + 100*i`` and RPC ``26657 + 100*i`` on 127.0.0.1 (node0's RPC is
the CLI's default ``http://127.0.0.1:26657``), and its gateway gRPC ``9090 + 100*i`` and REST
``1317 + 100*i`` (started after the node, stopped before it); prometheus and pprof stay off.
``base_port=0`` picks free ports instead (tests).

Config generation is pure file work (``generate``), so a test can check it without running
anything; ``Localnet`` then starts the apps first (each waits on its socket), then the nodes, and
returns once every node has committed block 1 and every gateway listens. The e2e tests drive it
from Python: ``Localnet(dir, validators=4, env_per_app=...)``, ``start()``, ``kill_app(i, sig)``,
``start_app(i)``, ``height(i)``, ``app_hash(i, height)``, ``stop()``.

Every node's genesis.json is the same file content: chain id ``stateset-localnet-1`` and an
``app_state`` funding the TEST-ONLY demo accounts of ``localnet/accounts.json``
(``build_app_state`` is the one place that shapes it), and a block gas limit
(``consensus_params.block.max_gas = DEFAULT_BLOCK_MAX_GAS``, see docs/security.md).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import requests

from stateset_chain.app import DEFAULT_BLOCK_MAX_GAS
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.crypto.address import module_address
from stateset_chain.stablecoin.keys import RESERVE_ACCOUNT as RESERVE

REPO_ROOT = Path(__file__).resolve().parents[1]
COMETBFT = Path(os.environ.get("COMETBFT_BIN", REPO_ROOT / ".bin" / "cometbft"))
ACCOUNTS_FILE = REPO_ROOT / "localnet" / "accounts.json"
DEFAULT_DIR = REPO_ROOT / "localnet" / "run"
CHAIN_ID = "stateset-localnet-1"
BASE_PORT = 26656
PORT_STRIDE = 100
LAYOUT_FILE = "localnet.json"
CHAIN_INFO_FILE = "chain.json"  # Keplr's ChainInfo for node0 (keplr_chain_info)
MAX_UNIX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, 104 on macOS

# Loopback timeouts: fast, but with room for 4 Python apps sharing 2 cores.
CONSENSUS = {
    "consensus.timeout_propose": "1s",
    "consensus.timeout_propose_delta": "200ms",
    "consensus.timeout_prevote": "300ms",
    "consensus.timeout_prevote_delta": "200ms",
    "consensus.timeout_precommit": "300ms",
    "consensus.timeout_precommit_delta": "200ms",
    "consensus.timeout_commit": "500ms",
    "consensus.create_empty_blocks": True,
}


class LocalnetError(RuntimeError):
    """The localnet could not be set up, started or stopped; the message says where to look."""


# --- genesis -------------------------------------------------------------------------------


def load_demo_accounts(path: Path = ACCOUNTS_FILE) -> list[dict]:
    return json.loads(Path(path).read_text())["accounts"]


def build_app_state(accounts: Sequence[Mapping[str, Any]]) -> dict:
    """The genesis ``app_state``: every demo account exists and holds its initial balances.

    ``accounts``: ``[{"address": "stateset1...", "balances": [{"denom", "amount"}, ...]}]``.
    Every ussusd handed out is backed by the same amount of uusdc in the stablecoin reserve (the
    stablecoin module's invariant). Balances are listed by address and coins by denom, so the
    JSON is canonical.
    """
    holdings = [
        {
            "address": a["address"],
            "balances": [(c["denom"], int(c["amount"])) for c in a["balances"]],
        }
        for a in accounts
    ]
    backing = sum(n for a in holdings for d, n in a["balances"] if d == SSUSD)
    if backing:
        holdings.append({"address": module_address(RESERVE), "balances": [(USDC, backing)]})
    ordered = sorted(holdings, key=lambda a: a["address"])
    return {
        "auth": {"accounts": [{"address": a["address"]} for a in ordered]},
        "bank": {
            "balances": [
                {
                    "address": a["address"],
                    "coins": [
                        {"denom": d, "amount": str(n)} for d, n in sorted(a["balances"]) if n
                    ],
                }
                for a in ordered
            ],
            "denoms": [USDC, SSUSD],
            "denom_metadata": denom_metadata(),
        },
        "stablecoin": {},
        "orders": build_orders_genesis(accounts[0]["address"]) if accounts else {},
        "cctp": build_cctp_genesis(accounts[0]["address"], localnet_attester_keys())
        if accounts else {},
    }


# CCTP on the localnet: a domain Circle has not assigned, Ethereum (domain 0) as the linked remote
# chain with Circle's real TokenMessenger and USDC addresses there, and TEST-ONLY attesters whose
# private keys are public (sha256 of a fixed phrase): tests and demos sign messages with them.
LOCALNET_CCTP_DOMAIN = 100
ETHEREUM_DOMAIN = 0
ETHEREUM_TOKEN_MESSENGER = "0x000000000000000000000000bd3fa81b58ba92a82136038b25adec7066af3155"
ETHEREUM_USDC = "0x000000000000000000000000a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"


def localnet_attester_keys(n: int = 2) -> list[bytes]:
    """TEST-ONLY attester keys of the localnet (never use them anywhere else)."""
    return [hashlib.sha256(f"stateset-localnet TEST ONLY attester {i}".encode()).digest()
            for i in range(n)]


def build_cctp_genesis(admin: str, attester_keys: Sequence[bytes]) -> dict:
    from coincurve import PrivateKey

    pubkeys = [
        "0x" + PrivateKey(k).public_key.format(compressed=False).hex() for k in attester_keys
    ]
    return {
        "local_domain": LOCALNET_CCTP_DOMAIN,
        "owner": admin, "attester_manager": admin, "pauser": admin, "token_controller": admin,
        "attesters": pubkeys,
        "signature_threshold": len(pubkeys),
        "remote_token_messengers": [
            {"domain_id": ETHEREUM_DOMAIN, "address": ETHEREUM_TOKEN_MESSENGER}
        ],
        "token_pairs": [
            {"remote_domain": ETHEREUM_DOMAIN, "remote_token": ETHEREUM_USDC, "local_token": USDC}
        ],
        "per_message_burn_limits": [{"denom": USDC, "amount": "1000000000000"}],
        "max_message_body_size": "8192",
    }


# The localnet is a working shop out of the box: sales tax by US state (the statewide base rate,
# in basis points, rounded half up; local surcharges left out) and VAT/GST of a few countries, and
# two shipping methods. DEMO figures for trying the chain, not tax advice.
LOCALNET_US_STATE_TAX_BPS = {
    "AK": 0, "AL": 400, "AR": 650, "AZ": 560, "CA": 725, "CO": 290, "CT": 635, "DC": 600,
    "DE": 0, "FL": 600, "GA": 400, "HI": 400, "IA": 600, "ID": 600, "IL": 625, "IN": 700,
    "KS": 650, "KY": 600, "LA": 500, "MA": 625, "MD": 600, "ME": 550, "MI": 600, "MN": 688,
    "MO": 423, "MS": 700, "MT": 0, "NC": 475, "ND": 500, "NE": 550, "NH": 0, "NJ": 663,
    "NM": 488, "NV": 685, "NY": 400, "OH": 575, "OK": 450, "OR": 0, "PA": 600, "RI": 700,
    "SC": 600, "SD": 420, "TN": 700, "TX": 625, "UT": 485, "VA": 530, "VT": 600, "WA": 650,
    "WI": 500, "WV": 600, "WY": 400,
}
LOCALNET_COUNTRY_TAX_BPS = {
    "AU": 1000, "CA": 500, "DE": 1900, "FR": 2000, "GB": 2000, "JP": 1000, "NL": 2100,
}
LOCALNET_SHIPPING_FEES = {"standard": 5_000_000, "express": 15_000_000}  # base units: $5, $15


def build_orders_genesis(admin: str) -> dict:
    """Orders params for the localnet: the first demo account is authority, arbiter and platform
    (taking a 1% platform fee at settlement; see stateset_chain/orders/SPEC.md), with the tax
    rates and shipping methods above, so an order shipped to ``US``/``CA`` by ``express`` works
    without changing params."""
    params = {"authority": admin, "arbiter": admin, "platform_address": admin}
    tax_rates = [
        {"country": "US", "region": state, "rate_bps": bps}
        for state, bps in sorted(LOCALNET_US_STATE_TAX_BPS.items())
    ] + [
        {"country": country, "region": "", "rate_bps": bps}
        for country, bps in sorted(LOCALNET_COUNTRY_TAX_BPS.items())
    ]
    shipping = [
        {"method": method, "fee": str(fee)} for method, fee in LOCALNET_SHIPPING_FEES.items()
    ]
    return {"params": {
        **params, "platform_fee_bps": 100, "tax_rates": tax_rates, "shipping_rates": shipping,
    }}


# The two denoms as wallets show them: 6 decimals, display units USDC and ssUSD (the bank's
# denom metadata in genesis, served at /cosmos/bank/v1beta1/denoms_metadata; Keplr's currencies).
DISPLAY = {USDC: ("usdc", "USDC", "USD Coin"), SSUSD: ("ssusd", "ssUSD", "StateSet USD")}
DECIMALS = 6


def denom_metadata() -> list[dict]:
    """``cosmos.bank.v1beta1.Metadata`` of each denom, as the bank genesis takes it."""
    out = []
    for base, (display, symbol, name) in sorted(DISPLAY.items()):
        out.append({
            "description": f"{name}, in millionths ({base})",
            "denom_units": [
                {"denom": base, "exponent": 0, "aliases": [f"micro{display}"]},
                {"denom": display, "exponent": DECIMALS, "aliases": [symbol]},
            ],
            "base": base, "display": display, "name": name, "symbol": symbol,
        })
    return out


# Keplr's gas price steps per fee denom (base units per gas): low is the chain's default minimum
# (0.01, auth's min_gas_price), average the statesetd/cosmpy default (0.025).
GAS_PRICE_STEP = {"low": 0.01, "average": 0.025, "high": 0.04}


def keplr_chain_info(chain_id: str, node: NodeLayout) -> dict:
    """Keplr's ``ChainInfo`` for ``node`` (``window.keplr.experimentalSuggestChain(info)``);
    also the fields a chain-registry ``chain.json`` needs for a local chain."""
    currencies = [
        {"coinDenom": DISPLAY[d][1], "coinMinimalDenom": d, "coinDecimals": DECIMALS}
        for d in DISPLAY
    ]
    prefix = "stateset"
    return {
        "chainId": chain_id,
        "chainName": "StateSet localnet",
        "rpc": node.rpc_url,
        "rest": node.rest_url,
        "bip44": {"coinType": 118},
        "bech32Config": {
            "bech32PrefixAccAddr": prefix,
            "bech32PrefixAccPub": prefix + "pub",
            "bech32PrefixValAddr": prefix + "valoper",
            "bech32PrefixValPub": prefix + "valoperpub",
            "bech32PrefixConsAddr": prefix + "valcons",
            "bech32PrefixConsPub": prefix + "valconspub",
        },
        "currencies": currencies,
        "feeCurrencies": [{**c, "gasPriceStep": dict(GAS_PRICE_STEP)} for c in currencies],
        "stakeCurrency": currencies[0],
        "features": [],
    }


def build_genesis(base: Mapping[str, Any], app_state: Mapping[str, Any], chain_id: str) -> dict:
    """CometBFT's generated genesis (validators, consensus params), our chain id and app state,
    with the block gas limit set (``DEFAULT_BLOCK_MAX_GAS``; CometBFT's default is none)."""
    params = dict(base.get("consensus_params") or {})
    params["block"] = {**(params.get("block") or {}), "max_gas": str(DEFAULT_BLOCK_MAX_GAS)}
    return {**base, "chain_id": chain_id, "consensus_params": params, "app_state": app_state}


# --- config.toml ---------------------------------------------------------------------------


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    raise TypeError(f"unsupported config value {value!r}")


def set_config(path: Path, values: Mapping[str, object]) -> None:
    """Set existing keys of config.toml (``"proxy_app"``, ``"rpc.laddr"``), keeping comments.

    Raises KeyError for a key the file does not have, so a typo cannot pass silently.
    """
    wanted = dict(values)
    lines = Path(path).read_text().splitlines(keepends=True)
    section = ""
    for i, line in enumerate(lines):
        header = re.match(r"^\[([^\]]+)\]\s*$", line)
        if header:
            section = header.group(1)
            continue
        match = re.match(r"^([A-Za-z0-9_\-]+)\s*=", line)
        if not match:
            continue
        key = f"{section}.{match.group(1)}" if section else match.group(1)
        if key in wanted:
            lines[i] = f"{match.group(1)} = {_toml_value(wanted.pop(key))}\n"
    if wanted:
        raise KeyError(f"not in {path}: {sorted(wanted)}")
    Path(path).write_text("".join(lines))


def read_config(path: Path) -> dict[str, str]:
    """``{"section.key": raw value}`` of a config.toml (enough for checks and tests)."""
    values: dict[str, str] = {}
    section = ""
    for line in Path(path).read_text().splitlines():
        header = re.match(r"^\[([^\]]+)\]\s*$", line)
        if header:
            section = header.group(1)
            continue
        match = re.match(r"^([A-Za-z0-9_\-]+)\s*=\s*(.*)$", line)
        if match:
            key = f"{section}.{match.group(1)}" if section else match.group(1)
            raw = match.group(2).strip()
            values[key] = json.loads(raw) if raw.startswith('"') else raw
    return values


# --- layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeLayout:
    index: int
    home: str  # CometBFT home (absolute)
    node_id: str
    p2p: int
    rpc: int
    abci: str  # proxy_app: unix:///.../app.sock, or tcp://127.0.0.1:PORT if the path is too long
    grpc: int = 0  # the gRPC gateway for wallets (statesetd gateway); 0 = none
    rest: int = 0  # the same gateway's REST (LCD) face; 0 = none
    metrics: int = 0  # the app's Prometheus /metrics (statesetd start --metrics); 0 = none
    validator: bool = True  # False: a node added later (``Localnet.add_statesync_node``)

    @property
    def name(self) -> str:
        return f"node{self.index}"

    @property
    def app_home(self) -> str:
        return str(Path(self.home) / "app")

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc}"

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.rest}" if self.rest else ""

    @property
    def p2p_address(self) -> str:
        return f"{self.node_id}@127.0.0.1:{self.p2p}"


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports free right now (held open together, so no duplicates)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]


GRPC_BASE_PORT = 9090  # the Cosmos SDK's gRPC port; node i: 9090 + 100*i
REST_BASE_PORT = 1317  # the Cosmos SDK's REST (LCD) port; node i: 1317 + 100*i
PORTS_PER_NODE = 5


def plan_ports(validators: int, base_port: int) -> list[tuple[int, int, int, int, int]]:
    """``(p2p, rpc, abci_tcp, grpc, rest)`` per node: ``base + 100*i + (0, 1, 2)``,
    ``9090 + 100*i`` and ``1317 + 100*i`` (the last two shifted like base when base is not the
    default); free ports if base is 0."""
    n = PORTS_PER_NODE
    if base_port == 0:
        ports = free_ports(n * validators)
        return [tuple(ports[n * i : n * i + n]) for i in range(validators)]  # type: ignore[misc]
    shift = base_port - BASE_PORT
    return [
        (p, p + 1, p + 2, GRPC_BASE_PORT + shift + PORT_STRIDE * i,
         REST_BASE_PORT + shift + PORT_STRIDE * i)
        for i, p in enumerate(base_port + PORT_STRIDE * i for i in range(validators))
    ]


METRICS_OFFSET = 3  # node i's app metrics: base + 100*i + 3 (26659 for node 0)
# The read side of node 0 (PostgreSQL, the indexer's metrics, the Orders API): base + 10, 11, 12.
READSIDE_OFFSETS = {"postgres": 10, "indexer_metrics": 11, "api": 12}


def plan_metrics_ports(validators: int, base_port: int) -> list[int]:
    if base_port == 0:
        return free_ports(validators)
    return [base_port + PORT_STRIDE * i + METRICS_OFFSET for i in range(validators)]


def plan_readside_ports(base_port: int) -> dict[str, int]:
    if base_port == 0:
        return dict(zip(READSIDE_OFFSETS, free_ports(len(READSIDE_OFFSETS)), strict=True))
    return {name: base_port + offset for name, offset in READSIDE_OFFSETS.items()}


def abci_address(home: Path, tcp_port: int) -> str:
    sock = Path(home) / "app.sock"
    if len(str(sock)) <= MAX_UNIX_SOCKET_PATH:
        return f"unix://{sock}"
    return f"tcp://127.0.0.1:{tcp_port}"


def node_config(node: NodeLayout, peers: Sequence[NodeLayout]) -> dict[str, object]:
    """The config.toml values that make node ``node`` one validator of the loopback net."""
    return {
        "proxy_app": node.abci,
        "moniker": node.name,
        "rpc.laddr": f"tcp://127.0.0.1:{node.rpc}",
        "rpc.pprof_laddr": "",
        "p2p.laddr": f"tcp://127.0.0.1:{node.p2p}",
        "p2p.external_address": f"127.0.0.1:{node.p2p}",
        "p2p.persistent_peers": ",".join(p.p2p_address for p in peers if p.index != node.index),
        "p2p.addr_book_strict": False,
        "p2p.allow_duplicate_ip": True,
        "instrumentation.prometheus": False,
        "tx_index.indexer": "kv",
        **CONSENSUS,
    }


def _node_ids_from_testnet(config_toml: Path, validators: int) -> list[str]:
    """``cometbft testnet`` lists every node as ``ID@host:port`` in persistent_peers, in order."""
    peers = read_config(config_toml)["p2p.persistent_peers"]
    ids = [p.split("@", 1)[0] for p in peers.split(",") if p]
    if len(ids) != validators:
        raise LocalnetError(f"unexpected persistent_peers from cometbft testnet: {peers!r}")
    return ids


def generate(
    directory: Path,
    validators: int = 4,
    base_port: int = BASE_PORT,
    accounts: Sequence[Mapping[str, Any]] | None = None,
    chain_id: str = CHAIN_ID,
) -> list[NodeLayout]:
    """Create every node's CometBFT home and app home under ``directory`` (which must not exist)."""
    directory = Path(directory).resolve()
    if directory.exists() and any(directory.iterdir()):
        raise LocalnetError(f"{directory} already exists: run `reset` first")
    if not COMETBFT.exists():
        raise LocalnetError(f"no cometbft at {COMETBFT}: run bash scripts/setup.sh")
    _run([
        str(COMETBFT), "testnet", "--v", str(validators), "--o", str(directory),
        "--starting-ip-address", "127.0.0.1", "--node-dir-prefix", "node",
    ])
    homes = [directory / f"node{i}" for i in range(validators)]
    ids = _node_ids_from_testnet(homes[0] / "config" / "config.toml", validators)
    metrics = plan_metrics_ports(validators, base_port)
    nodes = [
        NodeLayout(
            i, str(home), ids[i], p2p, rpc, abci_address(home, abci_tcp), grpc, rest, metrics[i]
        )
        for i, (home, (p2p, rpc, abci_tcp, grpc, rest)) in enumerate(
            zip(homes, plan_ports(validators, base_port), strict=True)
        )
    ]
    base = json.loads((homes[0] / "config" / "genesis.json").read_text())
    app_state = build_app_state(load_demo_accounts() if accounts is None else accounts)
    genesis = json.dumps(build_genesis(base, app_state, chain_id), indent=2) + "\n"
    for node in nodes:
        set_config(Path(node.home) / "config" / "config.toml", node_config(node, nodes))
        (Path(node.home) / "config" / "genesis.json").write_text(genesis)
        (Path(node.app_home) / "data").mkdir(parents=True)
    (directory / "logs").mkdir()
    (directory / "pids").mkdir()
    layout = {
        "chain_id": chain_id, "nodes": [asdict(n) for n in nodes],
        "readside": plan_readside_ports(base_port),
    }
    (directory / LAYOUT_FILE).write_text(json.dumps(layout, indent=2) + "\n")
    chain_info = keplr_chain_info(chain_id, nodes[0])
    (directory / CHAIN_INFO_FILE).write_text(json.dumps(chain_info, indent=2) + "\n")
    return nodes


def load_readside_ports(directory: Path) -> dict[str, int]:
    """Node 0's read-side ports (``{}`` for a localnet generated before the read side)."""
    path = Path(directory) / LAYOUT_FILE
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text()).get("readside", {}))


def load_layout(directory: Path) -> list[NodeLayout]:
    path = Path(directory) / LAYOUT_FILE
    if not path.exists():
        raise LocalnetError(f"no localnet in {directory} (no {LAYOUT_FILE}): run `start` first")
    return [NodeLayout(**n) for n in json.loads(path.read_text())["nodes"]]


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise LocalnetError(f"{' '.join(cmd)} failed: {done.stderr.strip() or done.stdout.strip()}")


# --- processes -----------------------------------------------------------------------------


EnvPerApp = Callable[[int], Mapping[str, str]] | Sequence[Mapping[str, str]] | None


def _pid_alive(pid: int, marker: str) -> bool:
    """Whether ``pid`` runs and is one of ours (its command line mentions ``marker``)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return False
        if not text:  # a zombie: exited, not yet reaped
            return False
        return marker in text
    return True


class Localnet:
    """Start, stop and inspect a localnet; see the module docstring."""

    def __init__(
        self,
        directory: str | os.PathLike[str] = DEFAULT_DIR,
        validators: int = 4,
        base_port: int = BASE_PORT,
        env_per_app: EnvPerApp = None,
        accounts: Sequence[Mapping[str, Any]] | None = None,
        start_timeout: float = 90.0,
        python: str = sys.executable,
        app_command: Callable[[NodeLayout], list[str]] | None = None,
        readside: bool = False,
        snapshot_interval: int = 0,
        snapshot_keep: int = 2,
    ) -> None:
        self.dir = Path(directory).resolve()
        # every app takes a state-sync snapshot each ``snapshot_interval`` heights (0: none)
        self.snapshot_interval = snapshot_interval
        self.snapshot_keep = snapshot_keep
        self.readside = readside  # PostgreSQL + indexer (+ the Orders API) for node 0
        self.validators = validators
        self.base_port = base_port
        self.env_per_app = env_per_app
        self.accounts = accounts
        self.start_timeout = start_timeout
        self.python = python
        self.app_command = app_command or self._statesetd_start
        self._procs: dict[str, subprocess.Popen] = {}
        self._nodes: list[NodeLayout] | None = None

    # -- layout ----------------------------------------------------------------------------

    @property
    def nodes(self) -> list[NodeLayout]:
        if self._nodes is None:
            self._nodes = load_layout(self.dir)
        return self._nodes

    @property
    def logs_dir(self) -> Path:
        return self.dir / "logs"

    def generated(self) -> bool:
        return (self.dir / LAYOUT_FILE).exists()

    def generate(self) -> list[NodeLayout]:
        self._nodes = generate(self.dir, self.validators, self.base_port, self.accounts)
        return self._nodes

    def rpc_url(self, i: int) -> str:
        return self.nodes[i].rpc_url

    def log_path(self, i: int, kind: str) -> Path:
        return self.logs_dir / f"node{i}-{kind}.log"

    def _pid_path(self, i: int, kind: str) -> Path:
        return self.dir / "pids" / f"node{i}-{kind}.pid"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Generate (first time), start every app then every node; return at height >= 1."""
        if not self.generated():
            self.generate()
        elif sum(n.validator for n in self.nodes) != self.validators:
            raise LocalnetError(
                f"{self.dir} holds a {len(self.nodes)}-validator localnet: run `reset` first"
            )
        running = [n.name for n in self.nodes if self.running(n.index)]
        if running:
            raise LocalnetError(f"already running: {', '.join(running)} (use stop or reset)")
        try:
            for node in self.nodes:
                self.start_app(node.index, wait=False)
            for node in self.nodes:
                self._wait_app_listening(node.index)
            for node in self.nodes:
                self.start_node(node.index)
            for node in self.nodes:
                self.wait_for_height(node.index, 1, self.start_timeout)
            for node in self.nodes:
                self.start_gateway(node.index)
            for node in self.nodes:
                self._wait_gateway_listening(node.index)
            if self.readside:
                self.start_readside()
        except BaseException:
            self.stop()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM every node, then every app; SIGKILL what has not exited after ``timeout``."""
        for kind in ("api", "indexer", "gateway", "cometbft", "app"):
            targets = [(n.index, kind) for n in self.nodes]
            for i, k in targets:
                self._signal(i, k, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            for i, k in targets:
                if not self._wait_exit(i, k, deadline):
                    self._signal(i, k, signal.SIGKILL)
                    self._wait_exit(i, k, time.monotonic() + timeout)
                self._pid_path(i, k).unlink(missing_ok=True)
        cluster = self.pg_cluster()
        if cluster is not None and cluster.initialized():
            from stateset_chain.readside.pgcluster import PgClusterError

            try:
                cluster.stop()
            except PgClusterError as e:
                print(f"localnet: stopping PostgreSQL: {e}", file=sys.stderr)

    def reset(self) -> None:
        """Stop and delete the localnet directory (only if it is a localnet directory)."""
        if not self.dir.exists():
            return
        if not self.generated():
            raise LocalnetError(f"{self.dir} is not a localnet directory; not deleting it")
        self.stop()
        shutil.rmtree(self.dir)
        self._nodes = None

    # -- single processes ------------------------------------------------------------------

    def app_env(self, i: int) -> dict[str, str]:
        extra: Mapping[str, str] = {}
        if callable(self.env_per_app):
            extra = self.env_per_app(i)
        elif self.env_per_app is not None:
            extra = self.env_per_app[i]
        return {**os.environ, "PYTHONUNBUFFERED": "1", **extra}

    def _statesetd_start(self, node: NodeLayout) -> list[str]:
        metrics = ["--metrics", f"127.0.0.1:{node.metrics}"] if node.metrics else []
        snapshots = []
        if self.snapshot_interval:
            snapshots = ["--snapshot-interval", str(self.snapshot_interval),
                         "--snapshot-keep", str(self.snapshot_keep)]
        return [
            self.python, "-m", "stateset_chain.cli.main", "start",
            "--home", node.app_home, "--address", node.abci, *metrics, *snapshots,
        ]

    # -- a node joining by state sync --------------------------------------------------------

    def add_statesync_node(self, rpc_nodes: Sequence[int] = (0, 1)) -> int:
        """Adds a non-validator node that joins the running net by state sync, and starts it;
        returns its index. Its ``[statesync]`` section names two validators' RPC servers for the
        light client and trusts the latest ``/commit`` of the first (height and block hash), as
        an operator would (docs/statesync.md); it then fetches the validators' snapshots."""
        index = len(self.nodes)
        home = self.dir / f"node{index}"
        _run([str(COMETBFT), "init", "--home", str(home)])
        node_id = subprocess.run(
            [str(COMETBFT), "show-node-id", "--home", str(home)],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        if self.base_port == 0:
            p2p, rpc, abci_tcp = free_ports(3)
        else:
            p2p = self.base_port + PORT_STRIDE * index
            rpc, abci_tcp = p2p + 1, p2p + 2
        node = NodeLayout(index, str(home), node_id, p2p, rpc, abci_address(home, abci_tcp),
                          validator=False)
        validators = [n for n in self.nodes if n.validator]
        shutil.copyfile(Path(validators[0].home) / "config" / "genesis.json",
                        home / "config" / "genesis.json")
        trusted = self.rpc(rpc_nodes[0], "commit")["signed_header"]
        config = {
            **node_config(node, validators),
            "statesync.enable": True,
            "statesync.rpc_servers": ",".join(self.nodes[i].rpc_url for i in rpc_nodes),
            "statesync.trust_height": int(trusted["header"]["height"]),
            "statesync.trust_hash": trusted["commit"]["block_id"]["hash"],
            "statesync.trust_period": "168h0m0s",
            "statesync.discovery_time": "5s",
            "statesync.chunk_request_timeout": "15s",
        }
        set_config(home / "config" / "config.toml", config)
        (Path(node.app_home) / "data").mkdir(parents=True)
        layout = json.loads((self.dir / LAYOUT_FILE).read_text())
        layout["nodes"].append(asdict(node))
        (self.dir / LAYOUT_FILE).write_text(json.dumps(layout, indent=2) + "\n")
        self.nodes.append(node)
        self.start_app(index)
        self.start_node(index)
        return index

    # -- the read side (node 0): PostgreSQL, the indexer, the Orders API ---------------------

    @property
    def readside_ports(self) -> dict[str, int]:
        return load_readside_ports(self.dir)

    def pg_cluster(self):
        """Node 0's PostgreSQL cluster (``dir/postgres``), or None for an old layout."""
        ports = self.readside_ports
        if "postgres" not in ports:
            return None
        from stateset_chain.readside.pgcluster import PgCluster

        return PgCluster(self.dir / "postgres", port=ports["postgres"])

    @property
    def db_url(self) -> str:
        cluster = self.pg_cluster()
        if cluster is None:
            raise LocalnetError(f"{self.dir} has no read side: run `reset` and `start` again")
        return cluster.url

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.readside_ports['api']}"

    @property
    def indexer_metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.readside_ports['indexer_metrics']}/metrics"

    def start_readside(self) -> None:
        """PostgreSQL in ``dir/postgres``, the indexer of node 0 into it, and the Orders API
        (``statesetd api``) when this version of statesetd has it."""
        from stateset_chain.readside.pgcluster import PgClusterError

        cluster = self.pg_cluster()
        if cluster is None:
            raise LocalnetError(f"{self.dir} has no read side ports: run `reset` first")
        try:
            cluster.start()
        except PgClusterError as e:
            raise LocalnetError(f"PostgreSQL did not start: {e}") from None
        ports = self.readside_ports
        node = self.nodes[0]
        cli = [self.python, "-m", "stateset_chain.cli.main"]
        self._spawn(0, "indexer", [
            *cli, "indexer", "--rpc", node.rpc_url, "--db", cluster.url, "--no-progress",
            "--metrics", f"127.0.0.1:{ports['indexer_metrics']}",
        ], self.app_env(0))
        if has_cli_command("api"):
            self._spawn(0, "api", [
                *cli, "api", "--db", cluster.url, "--listen", f"127.0.0.1:{ports['api']}",
                "--rpc", node.rpc_url, "--allow-private-webhooks",
            ], self.app_env(0))

    def start_indexer(self) -> None:
        ports = self.readside_ports
        self._spawn(0, "indexer", [
            self.python, "-m", "stateset_chain.cli.main", "indexer", "--rpc",
            self.nodes[0].rpc_url, "--db", self.db_url, "--no-progress",
            "--metrics", f"127.0.0.1:{ports['indexer_metrics']}",
        ], self.app_env(0))

    def kill_indexer(self, sig: int = signal.SIGKILL) -> None:
        self._signal(0, "indexer", sig)
        self._wait_exit(0, "indexer", time.monotonic() + 10.0)

    def start_app(self, i: int, wait: bool = True) -> None:
        """Start node i's app (``statesetd start``, or ``app_command(node)`` if given)."""
        self._spawn(i, "app", self.app_command(self.nodes[i]), self.app_env(i))
        if wait:
            self._wait_app_listening(i)

    def start_gateway(self, i: int) -> None:
        """Node i's gRPC gateway (``statesetd gateway``) for wallets such as cosmpy."""
        node = self.nodes[i]
        if not node.grpc:
            return
        cmd = [
            self.python, "-m", "stateset_chain.cli.main", "gateway",
            "--node", node.rpc_url, "--address", f"127.0.0.1:{node.grpc}",
        ]
        if node.rest:  # local wallet UIs run in a browser: allow their origin
            cmd += ["--rest", f"127.0.0.1:{node.rest}", "--cors"]
        self._spawn(i, "gateway", cmd, self.app_env(i))

    def start_node(self, i: int) -> None:
        cmd = [str(COMETBFT), "start", "--home", self.nodes[i].home]
        self._spawn(i, "cometbft", cmd, dict(os.environ))

    def kill_app(self, i: int, sig: int = signal.SIGKILL) -> None:
        self._signal(i, "app", sig)
        if sig in (signal.SIGKILL, signal.SIGTERM):
            self._wait_exit(i, "app", time.monotonic() + 10.0)

    def kill_node(self, i: int, sig: int = signal.SIGKILL) -> None:
        self._signal(i, "cometbft", sig)
        if sig in (signal.SIGKILL, signal.SIGTERM):
            self._wait_exit(i, "cometbft", time.monotonic() + 10.0)

    def running(self, i: int, kind: str | None = None) -> bool:
        kinds = [kind] if kind else ["api", "indexer", "gateway", "cometbft", "app"]
        return any(self._pid(i, k) is not None for k in kinds)

    def _spawn(self, i: int, kind: str, cmd: list[str], env: Mapping[str, str]) -> None:
        if self._pid(i, kind) is not None:
            raise LocalnetError(f"node{i} {kind} is already running")
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        self._pid_path(i, kind).parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path(i, kind), "ab") as log:
            proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=dict(env), cwd=str(REPO_ROOT), start_new_session=True,
            )
        self._procs[f"{i}-{kind}"] = proc
        self._pid_path(i, kind).write_text(f"{proc.pid}\n")

    def _pid(self, i: int, kind: str) -> int | None:
        """The pid of node i's ``kind`` process if it is alive, else None."""
        proc = self._procs.get(f"{i}-{kind}")
        if proc is not None:  # started by this process: Popen knows (and reaps it)
            return proc.pid if proc.poll() is None else None
        path = self._pid_path(i, kind)
        try:
            pid = int(path.read_text().strip())
        except (OSError, ValueError):
            return None
        node = self.nodes[i]
        marker = {
            "gateway": f"127.0.0.1:{node.grpc}",
            "indexer": f"127.0.0.1:{self.readside_ports.get('indexer_metrics')}",
            "api": f"127.0.0.1:{self.readside_ports.get('api')}",
        }.get(kind, node.home)
        return pid if _pid_alive(pid, marker) else None

    def _signal(self, i: int, kind: str, sig: int) -> None:
        pid = self._pid(i, kind)
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def _wait_exit(self, i: int, kind: str, deadline: float) -> bool:
        while time.monotonic() < deadline:
            if self._pid(i, kind) is None:
                return True
            time.sleep(0.05)
        return self._pid(i, kind) is None

    def _wait_app_listening(self, i: int, timeout: float = 30.0) -> None:
        node = self.nodes[i]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._pid(i, "app") is None:
                raise self._failure(i, "app", "the app exited during startup")
            if _listening(node.abci):
                return
            time.sleep(0.1)
        raise self._failure(i, "app", f"the app did not listen on {node.abci} in {timeout}s")

    def _wait_gateway_listening(self, i: int, timeout: float = 30.0) -> None:
        """Until node i's gateway accepts connections on its gRPC and REST ports."""
        node = self.nodes[i]
        ports = [p for p in (node.grpc, node.rest) if p]
        deadline = time.monotonic() + timeout
        while ports and time.monotonic() < deadline:
            if self._pid(i, "gateway") is None:
                raise self._failure(i, "gateway", "the gateway exited during startup")
            if all(_listening(f"tcp://127.0.0.1:{p}") for p in ports):
                return
            time.sleep(0.1)
        if ports:
            raise self._failure(
                i, "gateway", f"the gateway did not listen on {ports} in {timeout}s"
            )

    # -- inspection ------------------------------------------------------------------------

    def client(self, i: int):
        from stateset_chain.client import NodeClient

        return NodeClient(self.rpc_url(i))

    def rpc(self, i: int, method: str, **params: Any) -> dict:
        body: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        reply = requests.post(self.rpc_url(i), json=body, timeout=5.0).json()
        if "error" in reply:
            raise LocalnetError(f"node{i} {method}: {reply['error']}")
        return reply["result"]

    def height(self, i: int) -> int:
        return int(self.rpc(i, "status")["sync_info"]["latest_block_height"])

    def app_hash(self, i: int, height: int) -> str:
        """Uppercase hex app hash after executing block ``height`` (header of ``height + 1``,
        else ``/status`` if ``height`` is the latest block)."""
        try:
            header = self.rpc(i, "header", height=str(height + 1))["header"]
            return header["app_hash"].upper()
        except LocalnetError:
            info = self.rpc(i, "status")["sync_info"]
            if int(info["latest_block_height"]) != height:
                raise
            return info["latest_app_hash"].upper()

    def wait_for_height(
        self, i: int, height: int, timeout: float = 60.0, kinds: Sequence[str] = ("cometbft", "app")
    ) -> int:
        """Poll node i until it has committed ``height``; fail fast if one of its ``kinds`` of
        process died (``("cometbft",)`` for a node with a built-in app such as kvstore)."""
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            for kind in kinds:
                if self._pid(i, kind) is None:
                    raise self._failure(i, kind, f"node{i} {kind} exited")
            try:
                current = self.height(i)
                if current >= height:
                    return current
            except (requests.RequestException, LocalnetError, KeyError, ValueError) as e:
                last = e
            time.sleep(0.2)
        raise self._failure(
            i, "cometbft", f"node{i} did not reach height {height} in {timeout}s ({last!r})"
        )

    def status(self) -> list[dict[str, Any]]:
        rows = []
        for n in self.nodes:
            row: dict[str, Any] = {
                "node": n.name, "rpc": n.rpc_url, "grpc": f"127.0.0.1:{n.grpc}" if n.grpc else None,
                "rest": n.rest_url or None,
                "p2p": n.p2p, "abci": n.abci,
                "cometbft_pid": self._pid(n.index, "cometbft"),
                "app_pid": self._pid(n.index, "app"),
                "gateway_pid": self._pid(n.index, "gateway"),
            }
            try:
                info = self.rpc(n.index, "status")["sync_info"]
                row["height"] = int(info["latest_block_height"])
                row["app_hash"] = info["latest_app_hash"]
            except (requests.RequestException, LocalnetError, KeyError, ValueError):
                row["height"], row["app_hash"] = None, None
            rows.append(row)
        return rows

    def readside_status(self) -> dict[str, Any] | None:
        cluster = self.pg_cluster()
        if cluster is None or not cluster.initialized():
            return None
        row: dict[str, Any] = {
            "postgres": cluster.url, "postgres_pid": cluster.pid() if cluster.running() else None,
            "indexer_pid": self._pid(0, "indexer"), "indexer_metrics": self.indexer_metrics_url,
            "api": self.api_url, "api_pid": self._pid(0, "api"), "indexed_height": None,
        }
        if row["postgres_pid"]:
            try:
                import psycopg

                with psycopg.connect(cluster.url, connect_timeout=2) as conn:
                    found = conn.execute("SELECT height FROM watermark").fetchone()
                    row["indexed_height"] = found[0] if found else 0
            except Exception:  # no schema yet, or not reachable
                pass
        return row

    def _failure(self, i: int, kind: str, what: str) -> LocalnetError:
        tail = _tail(self.log_path(i, kind), 25)
        return LocalnetError(
            f"{what}; logs in {self.logs_dir} (node{i}-cometbft.log, node{i}-app.log). "
            f"Last lines of node{i}-{kind}.log:\n{tail}"
        )


def has_cli_command(name: str) -> bool:
    """Whether ``statesetd NAME`` exists in this version (the Orders API arrives separately)."""
    import argparse as _argparse

    from stateset_chain.cli.main import build_parser

    for action in build_parser()._actions:
        if isinstance(action, _argparse._SubParsersAction):
            return name in action.choices
    return False


def _listening(address: str) -> bool:
    try:
        if address.startswith("unix://"):
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(address[len("unix://"):])
        else:
            host, _, port = address[len("tcp://"):].rpartition(":")
            with socket.create_connection((host, int(port)), timeout=1.0):
                pass
    except OSError:
        return False
    return True


def _tail(path: Path, lines: int) -> str:
    try:
        return "".join(path.read_text(errors="replace").splitlines(True)[-lines:])
    except OSError:
        return "(no log)"


# --- command line --------------------------------------------------------------------------


def _print_status(net: Localnet) -> None:
    for row in net.status():
        height = "-" if row["height"] is None else row["height"]
        app_hash = row["app_hash"] or "-"
        procs = f"cometbft={row['cometbft_pid'] or 'down'} app={row['app_pid'] or 'down'}"
        if row.get("grpc"):
            procs += f" gateway={row['gateway_pid'] or 'down'}"
        grpc = f"  grpc={row['grpc']}" if row.get("grpc") else ""
        rest = f"  rest={row['rest']}" if row.get("rest") else ""
        where = f"rpc={row['rpc']}{grpc}{rest}"
        print(f"{row['node']}  height={height}  app_hash={app_hash}  {where}  {procs}")
    side = net.readside_status()
    if side is not None:
        indexed = "-" if side["indexed_height"] is None else side["indexed_height"]
        print(f"postgres  {side['postgres']}  pid={side['postgres_pid'] or 'down'}")
        print(f"indexer   height={indexed}  metrics={side['indexer_metrics']}  "
              f"pid={side['indexer_pid'] or 'down'}")
        if side["api_pid"] or has_cli_command("api"):
            print(f"api       {side['api']}  pid={side['api_pid'] or 'down'}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="localnet", description="A local stateset network of validators on loopback."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dir", default=str(DEFAULT_DIR), help="default %(default)s")
    p = sub.add_parser("start", parents=[common], help="start (generate on first use)")
    p.add_argument("--validators", type=int, choices=[1, 4], default=4)
    p.add_argument("--base-port", type=int, default=BASE_PORT, help="0 picks free ports")
    p.add_argument("--timeout", type=float, default=90.0, help="seconds to reach height 1")
    p.add_argument("--no-readside", action="store_true",
                   help="without PostgreSQL, the indexer and the API")
    sub.add_parser("stop", parents=[common], help="stop every node and app")
    sub.add_parser("reset", parents=[common], help="stop and delete the directory")
    sub.add_parser("status", parents=[common], help="height and app hash of every node")
    p = sub.add_parser("logs", parents=[common], help="show (or follow) the log files")
    p.add_argument("-n", "--lines", type=int, default=20)
    p.add_argument("-f", "--follow", action="store_true")
    args = parser.parse_args(argv)

    try:
        return _dispatch(args)
    except LocalnetError as e:
        print(f"localnet: {e}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "start":
        net = Localnet(args.dir, args.validators, args.base_port, start_timeout=args.timeout,
                       readside=not args.no_readside)
        net.start()
        print(f"localnet up in {net.dir} (logs: {net.logs_dir})")
        _print_status(net)
        return 0
    net = Localnet(args.dir)
    if args.command == "stop":
        net.stop()
        print("localnet stopped")
    elif args.command == "reset":
        net.reset()
        print(f"localnet reset ({net.dir} deleted)")
    elif args.command == "status":
        _print_status(net)
    elif args.command == "logs":
        files = sorted(str(p) for p in net.logs_dir.glob("*.log"))
        if not files:
            raise LocalnetError(f"no logs in {net.logs_dir}")
        cmd = ["tail", "-n", str(args.lines), *(["-F"] if args.follow else []), *files]
        with contextlib.suppress(KeyboardInterrupt):
            return subprocess.call(cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
