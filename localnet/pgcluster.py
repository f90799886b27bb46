"""A throwaway PostgreSQL cluster in a folder: for tests, benchmarks and the localnet.

    cluster = PgCluster(Path("localnet/run/postgres"))
    cluster.start()            # initdb on first use, then pg_ctl start on a loopback port
    cluster.url                # postgresql://postgres@127.0.0.1:PORT/stateset
    cluster.restart(); cluster.stop()

The cluster listens on 127.0.0.1 only (and on a unix socket inside its folder), trusts local
connections (it holds test data only) and creates the ``stateset`` database. PostgreSQL refuses
to run as root, so when this process is root the server runs as the ``postgres`` user (which the
Debian package creates) and the folder is handed to it. The binaries are found on PATH, then in
``/usr/lib/postgresql/<version>/bin`` (Debian's layout); ``scripts/setup.sh`` installs them.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

DATABASE = "stateset"
SUPERUSER = "postgres"
STATE_FILE = "cluster.json"


class PgClusterError(RuntimeError):
    """The cluster could not be created, started or stopped; the message says why."""


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise PgClusterError(f"no {name}: install PostgreSQL (bash scripts/setup.sh does)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    """One PostgreSQL cluster in ``directory`` (``data/`` + ``cluster.json`` + ``postgres.log``)."""

    def __init__(self, directory: str | os.PathLike[str], port: int = 0) -> None:
        self.dir = Path(directory).resolve()
        self._port = port

    # -- layout -----------------------------------------------------------------------------

    @property
    def data(self) -> Path:
        return self.dir / "data"

    @property
    def log(self) -> Path:
        return self.dir / "postgres.log"

    @property
    def port(self) -> int:
        state = self.dir / STATE_FILE
        if state.exists():
            return int(json.loads(state.read_text())["port"])
        if not self._port:
            self._port = free_port()
        return self._port

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"

    def url_for(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def initialized(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    # -- lifecycle --------------------------------------------------------------------------

    def init(self) -> None:
        """initdb (once) and remember the port."""
        if self.initialized():
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        self._require_reachable()
        port = self.port
        self.data.mkdir(exist_ok=True)
        self._hand_over(self.dir)
        self._run([
            find_binary("initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
            "--encoding=UTF8", "--locale=C", "-N",
        ])
        conf = self.data / "postgresql.conf"
        with conf.open("a") as f:
            f.write(
                "\n# throwaway cluster (localnet.pgcluster)\n"
                f"listen_addresses = '127.0.0.1'\nport = {port}\n"
                f"unix_socket_directories = '{self.dir}'\n"
                "fsync = on\nmax_connections = 50\nshared_buffers = 64MB\n"
            )
        (self.dir / STATE_FILE).write_text(json.dumps({"port": port}) + "\n")
        self._hand_over(self.dir)

    def start(self, timeout: float = 60.0) -> None:
        """Create on first use, start unless running, create the database; returns when ready."""
        self.init()
        if not self.running():
            self._run([
                find_binary("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                "-t", str(int(timeout)), "start",
            ])
        self._wait_ready(timeout)
        self._create_database(DATABASE)

    def stop(self, mode: str = "fast") -> None:
        if self.initialized() and self.running():
            self._run([find_binary("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def restart(self) -> None:
        self.stop()
        self.start()

    def running(self) -> bool:
        pid = self.pid()
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def create_database(self, name: str) -> str:
        """A fresh database ``name`` (dropped first if it exists); returns its URL."""
        import psycopg

        with psycopg.connect(self.url_for("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists (its disk space goes back)."""
        import psycopg

        with psycopg.connect(self.url_for("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # -- helpers ----------------------------------------------------------------------------

    def _create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url_for("postgres"), autocommit=True) as conn:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            exists = conn.execute(query, (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')

    def _wait_ready(self, timeout: float) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.url_for("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError as e:
                last = e
                time.sleep(0.1)
        raise PgClusterError(f"PostgreSQL in {self.dir} not ready in {timeout}s: {last}")

    def _require_reachable(self) -> None:
        """As root, every parent folder must let the ``postgres`` user through."""
        if os.geteuid() != 0:
            return
        for parent in self.dir.parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:  # no search permission for others
                raise PgClusterError(
                    f"{self.dir}: the postgres user cannot enter {parent} (mode "
                    f"{oct(mode & 0o777)}); put the folder under a path others may traverse"
                )

    def _hand_over(self, path: Path) -> None:
        """As root, the server runs as ``postgres``: give it the folder."""
        if os.geteuid() != 0:
            return
        for root, _dirs, files in os.walk(path):
            shutil.chown(root, SUPERUSER, SUPERUSER)
            for name in files:
                shutil.chown(os.path.join(root, name), SUPERUSER, SUPERUSER)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)

    def _run(self, cmd: list[str]) -> None:
        if os.geteuid() == 0:
            cmd = [find_runuser(), "-u", SUPERUSER, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            tail = ""
            with contextlib.suppress(OSError):
                tail = "".join(self.log.read_text(errors="replace").splitlines(True)[-15:])
            raise PgClusterError(
                f"{' '.join(cmd)} failed: {done.stderr.strip() or done.stdout.strip()}\n{tail}"
            )


def find_runuser() -> str:
    found = shutil.which("runuser") or "/usr/sbin/runuser"
    if not Path(found).exists():
        raise PgClusterError("running as root needs runuser to start PostgreSQL as postgres")
    return found
