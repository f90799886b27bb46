"""The localnet's supervisor: starts, stops and inspects the processes of a local network whose
files ``stateset_chain.localnet`` generates (genesis, configs, ports). Tooling of the checkout, not
of the shipped package: it runs the checkout's CometBFT (``.bin/cometbft``, or ``$COMETBFT_BIN``)
and ``python -m stateset_chain.cli.main`` from the checkout.

    python -m localnet start [--validators 1|4] [--dir localnet/run] [--base-port N]
    python -m localnet status | logs | stop | reset

Besides the generated files (see ``stateset_chain.localnet``), ``dir`` holds:

    logs/node{i}-cometbft.log, logs/node{i}-app.log, logs/node{i}-gateway.log
    pids/node{i}-cometbft.pid, pids/node{i}-app.pid, ...
    postgres/                      node 0's read side: a PostgreSQL cluster (data/, postgres.log)
    logs/node0-indexer.log, logs/node0-api.log   ``statesetd indexer`` and ``statesetd api``

The read side (``start`` from the command line; ``Localnet(readside=True)`` from Python): a
PostgreSQL cluster of its own on 127.0.0.1 (base + 10: 26666), ``statesetd indexer`` following
node 0 into it (metrics on base + 11), and ``statesetd api`` on base + 12 when this version of
statesetd has that command. ``status`` shows their URLs and the indexed height; ``stop`` and
``reset`` cover them. Each app serves its Prometheus metrics on base + 100*i + 3 (26659).

``Localnet`` starts the apps first (each waits on its socket), then the nodes, and returns once
every node has committed block 1 and every gateway listens. The e2e tests drive it from Python:
``Localnet(dir, validators=4, env_per_app=...)``, ``start()``, ``kill_app(i, sig)``,
``start_app(i)``, ``height(i)``, ``app_hash(i, height)``, ``stop()``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import requests

from stateset_chain.localnet import (
    BASE_PORT,
    LAYOUT_FILE,
    PORT_STRIDE,
    LocalnetError,
    NodeLayout,
    abci_address,
    free_ports,
    generate,
    load_layout,
    load_readside_ports,
    node_config,
    run_checked,
    set_config,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
COMETBFT = Path(os.environ.get("COMETBFT_BIN", REPO_ROOT / ".bin" / "cometbft"))
DEFAULT_DIR = REPO_ROOT / "localnet" / "run"
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
        self._nodes = generate(
            self.dir, self.validators, self.base_port, self.accounts, cometbft=COMETBFT
        )
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
            from localnet.pgcluster import PgClusterError

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
        run_checked([str(COMETBFT), "init", "--home", str(home)])
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
        from localnet.pgcluster import PgCluster

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
        from localnet.pgcluster import PgClusterError

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
            print(f"api       {side['api']}  pid={side['api_pid'] or 'down'}  "
                  f"dashboard={side['api']}/dashboard")
            print(f"          API key (webhooks, reports): .venv/bin/statesetd api keys create "
                  f"--db {side['postgres']}")


# The command line's localnet serves state-sync snapshots: one every 100 heights (~1-2 minutes).
SNAPSHOT_INTERVAL = 100


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
    p.add_argument("--snapshot-interval", type=int, default=SNAPSHOT_INTERVAL, metavar="N",
                   help="each app takes a state-sync snapshot every N heights, 0 for none "
                   "(default %(default)s; docs/statesync.md)")
    p.add_argument("--snapshot-keep", type=int, default=2, metavar="K",
                   help="snapshots each app keeps (default %(default)s)")
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
                       readside=not args.no_readside, snapshot_interval=args.snapshot_interval,
                       snapshot_keep=args.snapshot_keep)
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
