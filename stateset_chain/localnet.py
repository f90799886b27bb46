"""The files of a local network of 1 or 4 validators on loopback: genesis, each node's CometBFT
config, the port plan and the layout file. Pure file work, no process is started here: the
supervisor that runs these files (``python -m localnet``, ``scripts/localnet.sh``) lives outside
the package, in the checkout's ``localnet/``.

``generate(dir, validators, base_port, accounts, chain_id, cometbft)`` writes into ``dir``:

    localnet.json                  chain id, each node's ports, node 0's read-side ports
    chain.json                     Keplr's ChainInfo for node0 (``keplr_chain_info``)
    node{i}/config/, node{i}/data/ CometBFT home (``cometbft testnet``, then edited): config.toml,
                                   the ONE genesis.json, keys
    node{i}/app/data/              where the app's LevelDB state goes (``statesetd start --home``)
    logs/, pids/                   empty, for the supervisor

Ports: node i uses p2p ``26656 + 100*i`` and RPC ``26657 + 100*i`` on 127.0.0.1 (node0's RPC is
the CLI's default ``http://127.0.0.1:26657``), an ABCI unix socket ``node{i}/app.sock`` (TCP
``base + 100*i + 2`` when the path is too long), the gateway's gRPC ``9090 + 100*i`` and REST
``1317 + 100*i``, and the app's Prometheus metrics ``base + 100*i + 3``; node 0's read side
(PostgreSQL, the indexer's metrics, the Orders API) ``base + 10, 11, 12``. ``base_port=0`` picks
free ports instead (tests).

Every node's genesis.json is the same file content: the chain id and an ``app_state`` funding the
TEST-ONLY demo accounts of ``localnet_accounts.json`` beside this module (``build_app_state`` is
the one place that shapes it), and a block gas limit (``consensus_params.block.max_gas =
DEFAULT_BLOCK_MAX_GAS``, see docs/security.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from stateset_chain.app import DEFAULT_BLOCK_MAX_GAS
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.crypto.address import module_address
from stateset_chain.stablecoin.keys import RESERVE_ACCOUNT as RESERVE

# The TEST-ONLY demo accounts (public mnemonics): package data, so ``statesetd keys add-demo``
# works from an installed wheel too.
ACCOUNTS_FILE = Path(__file__).with_name("localnet_accounts.json")
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


# The mempool of a localnet that a benchmark floods (docs/benchmarks.md, "Localnet settings", says
# why each value; both apps of a comparison run with the same ones):
# - size: two blocks' worth at the block gas limit (1,000 transfers asking 100,000 gas each). After
#   every block CometBFT rechecks every tx still waiting, so rechecks per committed tx grow with
#   what waits; a full mempool answers "mempool is full" and the sender retries.
# - cache_size: the hashes of txs already seen, so a gossiped copy of a tx (three of them with 4
#   validators) never reaches CheckTx again: a whole 60 s flood at the localnet's peak rate.
# - recheck stays on: the check state (pending sequences) is rebuilt from the committed state by
#   the rechecks after each Commit; without them a sender's next tx would be checked against the
#   committed sequence and refused. A recheck costs the ante's state checks only (the decoded tx
#   and its verified signature are cached).
# - an invalid tx is not kept in the cache, so a sender may send it again once it is valid.
MEMPOOL = {
    "mempool.size": 2_000,
    "mempool.cache_size": 100_000,
    "mempool.recheck": True,
    "mempool.keep-invalid-txs-in-cache": False,
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
        # the first demo account schedules upgrades (a real chain: its governance)
        "upgrade": {"authority": accounts[0]["address"]} if accounts else {},
        # and is the chain and compliance authority (fraud rules off, no lists: as before)
        "compliance": {"params": {"authority": accounts[0]["address"],
                                  "compliance_authority": accounts[0]["address"]}}
        if accounts else {},
        "oracle": build_oracle_genesis(accounts[0]["address"], [a["address"] for a in accounts[:2]])
        if accounts else {},
    }


# Exchange rates on the localnet: USD per unit, demo values (not market data), accepted at the
# genesis time so the shop can price EUR orders from the first block.
LOCALNET_RATES = {"EUR": "1.0842", "GBP": "1.27", "JPY": "0.0067", "CAD": "0.72"}
# A demo session runs for hours without a feeder: the genesis rates stay fresh for 30 days.
LOCALNET_RATE_STALENESS = 30 * 86_400


def build_oracle_genesis(admin: str, feeders: Sequence[str]) -> dict:
    """Oracle genesis for the localnet: the first demo account is the authority, the first two
    are feeders (one submission is a quorum), and EUR, GBP, JPY and CAD have accepted rates
    (``statesetd tx oracle submit-rates alice EUR=1.09`` moves them)."""
    return {
        "params": {
            "authority": admin,
            "currencies": list(LOCALNET_RATES),
            "quorum": 1,
            "staleness_seconds": str(LOCALNET_RATE_STALENESS),
        },
        "feeders": sorted(feeders),
        "rates": [{"currency": c, "rate": r} for c, r in LOCALNET_RATES.items()],
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
        **MEMPOOL,
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
    cometbft: str | os.PathLike[str] = "cometbft",
) -> list[NodeLayout]:
    """Create every node's CometBFT home and app home under ``directory`` (which must not exist).

    ``cometbft``: the CometBFT v0.38 binary (a path, or a name looked up on PATH) whose
    ``testnet`` command makes the validator keys and the base genesis."""
    directory = Path(directory).resolve()
    if directory.exists() and any(directory.iterdir()):
        raise LocalnetError(f"{directory} already exists: run `reset` first")
    binary = shutil.which(str(cometbft))
    if binary is None:
        raise LocalnetError(f"no cometbft binary at {cometbft!s}: install CometBFT v0.38 (in a "
                            "checkout: bash scripts/setup.sh)")
    run_checked([
        binary, "testnet", "--v", str(validators), "--o", str(directory),
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


def run_checked(cmd: list[str]) -> None:
    """Runs ``cmd`` (a CometBFT command), raising LocalnetError with its output if it fails."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise LocalnetError(f"{' '.join(cmd)} failed: {done.stderr.strip() or done.stdout.strip()}")
