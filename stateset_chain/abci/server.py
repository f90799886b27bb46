"""The ABCI socket server CometBFT v0.38 connects to (``proxy_app`` in config.toml).

CometBFT opens four connections (query, snapshot, mempool, consensus), each a stream of
uvarint-framed ``Request``s answered by ``Response``s in the same order; there are no request
ids, so a reordered or missing answer makes CometBFT stop. CometBFT buffers requests and pushes
them when it sends a Flush (explicitly for synchronous calls, every 20 ms for mempool CheckTx),
so a read brings bursts like ``CheckTx, CheckTx, ..., Flush``.

Design:

- one asyncio event loop; one reader coroutine per connection, reading frames and answering
  them strictly one after another, so each connection's answers are FIFO;
- a read brings a **burst** (every complete frame available): the whole burst goes to the app's
  worker thread in ONE hand-off (``answer_burst``), which runs its requests in order and returns
  their framed answers, written at once; the socket is drained when a Flush was among them. The
  per-request edge is then a protobuf parse, the call and one serialization (no ``CopyFrom``,
  no coroutine or thread hop per request: docs/benchmarks.md, "ABCI edge");
- every app call runs on ONE worker thread under ONE lock (``Dispatcher``, taken per request,
  so a long CheckTx burst lets other connections in between its requests): connections are
  concurrent with each other but the app sees one call at a time, like the Go server's
  ``appMtx``. CheckTx can therefore never interleave with Commit. The event loop keeps reading
  while the app works. The one exception: a query the app answers from its last committed state
  (``query_needs_lock`` False) runs on a second worker thread without the lock, so a query
  never waits for (or delays) FinalizeBlock, Commit or CheckTx (a burst goes there when every
  request in it is such a query, Flush or Echo: the query connection's traffic);
- an undecodable request or a broken frame closes that connection only (and is logged);
- the app raising in a consensus method stops the server: ``serve_forever`` raises
  ``ApplicationCrashed`` and ``run`` exits the process with status 70, which makes CometBFT
  stop too. Restarting both replays the missing blocks through the handshake.

Addresses: ``tcp://HOST:PORT`` (port 0 picks a free one, see ``ABCIServer.address``) or
``unix:///path/to/app.sock``.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import importlib
import logging
import os
import signal
import stat
import sys
import threading
from dataclasses import dataclass

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path; sorts before it)
from google.protobuf.message import DecodeError

from stateset_chain.abci.application import BaseApplication
from stateset_chain.abci.dispatch import (
    ApplicationCrashed,
    Dispatcher,
    Halted,
    UnknownRequest,
)
from stateset_chain.abci.framing import FrameDecoder, FramingError
from stateset_chain.protowire import encode_varint

from tendermint.abci import types_pb2 as abci

log = logging.getLogger("stateset.abci")

READ_CHUNK = 256 * 1024
WRITE_HIGH_WATER = 4 * 1024 * 1024  # drain before a Flush if this much is unsent
EXIT_APP_CRASHED = 70  # EX_SOFTWARE


@dataclass(frozen=True)
class Address:
    scheme: str  # "tcp" or "unix"
    host: str = ""
    port: int = 0
    path: str = ""

    def __str__(self) -> str:
        if self.scheme == "unix":
            return f"unix://{self.path}"
        return f"tcp://{self.host}:{self.port}"


def parse_address(address: str) -> Address:
    """``tcp://127.0.0.1:26658`` or ``unix:///abs/path.sock`` (CometBFT's proxy_app syntax)."""
    if address.startswith("unix://"):
        path = address[len("unix://") :]
        if not path:
            raise ValueError(f"unix address without a path: {address!r}")
        return Address("unix", path=path)
    if address.startswith("tcp://"):
        host, sep, port = address[len("tcp://") :].rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError(f"tcp address must be tcp://HOST:PORT: {address!r}")
        return Address("tcp", host=host.strip("[]"), port=int(port))
    raise ValueError(f"address must start with tcp:// or unix://: {address!r}")


def _remove_stale_socket(path: str) -> None:
    """A socket file left by a previous run blocks bind(); any other file is left alone."""
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISSOCK(os.stat(path).st_mode):
            os.unlink(path)


class ABCIServer:
    """Serves one ``BaseApplication`` to CometBFT over its socket protocol."""

    def __init__(
        self, app: BaseApplication, address: str, lock: threading.Lock | None = None
    ) -> None:
        self.dispatcher = Dispatcher(app, lock)
        self._requested = parse_address(address)
        self.address: Address = self._requested  # the bound address once serving
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._query_executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._connections: set[asyncio.Task] = set()
        self._next_conn_id = 0
        self.serving = threading.Event()

    # --- lifecycle --------------------------------------------------------------------------

    async def serve_forever(self) -> None:
        """Serve until ``stop()``; raises ``ApplicationCrashed`` if the app crashed."""
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        server = await self._listen()
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="abci-app")
        self._query_executor = concurrent.futures.ThreadPoolExecutor(
            1, thread_name_prefix="abci-query"
        )
        log.info("ABCI server listening on %s", self.address)
        self.serving.set()
        try:
            await self._stopping.wait()
        finally:
            await self._shutdown(server)
        if self.dispatcher.crashed is not None:
            raise self.dispatcher.crashed

    def stop(self) -> None:
        """Stop serving; safe to call from any thread and more than once."""
        loop, stopping = self._loop, self._stopping
        if loop is None or stopping is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # loop closed meanwhile
            loop.call_soon_threadsafe(stopping.set)

    def start_in_thread(self, timeout: float = 10.0) -> ServerThread:
        """Serve on a background thread (for tests and embedding); returns once listening."""
        handle = ServerThread(self)
        handle.thread.start()
        if not self.serving.wait(timeout):
            handle.stop()
            raise RuntimeError("ABCI server did not start in time")
        if handle.error is not None:
            raise RuntimeError(f"ABCI server did not start: {handle.error}") from handle.error
        return handle

    async def _listen(self) -> asyncio.AbstractServer:
        want = self._requested
        if want.scheme == "unix":
            _remove_stale_socket(want.path)
            return await asyncio.start_unix_server(self._on_connect, path=want.path)
        server = await asyncio.start_server(self._on_connect, host=want.host, port=want.port)
        port = server.sockets[0].getsockname()[1]
        self.address = Address("tcp", host=want.host, port=port)
        return server

    async def _shutdown(self, server: asyncio.AbstractServer) -> None:
        server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await server.wait_closed()
        # A call already running finishes (a Commit completes its write); queued ones are dropped.
        assert self._executor is not None and self._query_executor is not None
        await asyncio.to_thread(self._executor.shutdown, wait=True, cancel_futures=True)
        await asyncio.to_thread(self._query_executor.shutdown, wait=True, cancel_futures=True)
        if self.address.scheme == "unix":
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.address.path)
        log.info("ABCI server stopped")

    # --- connections ------------------------------------------------------------------------

    async def _on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        self._next_conn_id += 1
        conn = self._next_conn_id
        log.info("connection %d opened", conn)
        try:
            await self._serve_connection(conn, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            log.info("connection %d lost: %s", conn, exc)
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            log.info("connection %d closed", conn)

    async def _serve_connection(
        self, conn: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        decoder = FrameDecoder()
        while True:
            data = await reader.read(READ_CHUNK)
            if not data:
                return
            try:
                payloads = decoder.feed(data)
            except FramingError as exc:
                log.error("connection %d: bad frame, closing: %s", conn, exc)
                return
            if not payloads:
                continue
            burst = await self._call_app(conn, payloads)
            if burst is None:
                return
            writer.write(burst.responses)
            if burst.flushed or writer.transport.get_write_buffer_size() > WRITE_HIGH_WATER:
                await writer.drain()
            if not burst.keep_open:
                return

    async def _call_app(self, conn: int, payloads: list[bytes]) -> Burst | None:
        """The answers to a burst, from one call on the app's thread; None if the server is
        shutting down."""
        assert self._loop is not None and self._executor is not None
        executor = self._executor
        if self._query_executor is not None and self.dispatcher.is_lock_free_burst(payloads):
            executor = self._query_executor
        try:
            burst = await self._loop.run_in_executor(
                executor, answer_burst, self.dispatcher, conn, payloads
            )
        except (concurrent.futures.CancelledError, RuntimeError) as exc:
            log.info("requests dropped while shutting down: %r", exc)  # executor already closed
            return None
        if burst.crashed:
            self.stop()
        return burst


@dataclass
class Burst:
    """The framed answers to the requests of one read, in order, up to the first one that ends
    the connection (``keep_open`` False: a bad request, or the app crashed: ``crashed``)."""

    responses: bytes
    flushed: bool  # a Flush was among them: the client waits for the socket to drain
    keep_open: bool = True
    crashed: bool = False


def answer_burst(dispatcher: Dispatcher, conn: int, payloads: list[bytes]) -> Burst:
    """Runs the requests of one read in order (on the app's thread: one hand-off per burst, not
    per request) and frames their answers."""
    out: list[bytes] = []
    flushed = False
    for payload in payloads:
        try:
            response = dispatcher.respond(payload)
        except (DecodeError, UnknownRequest) as exc:
            log.error("connection %d: undecodable request, closing: %s", conn, exc)
            return Burst(b"".join(out), True, keep_open=False)
        except ApplicationCrashed:
            return Burst(b"".join(out), True, keep_open=False, crashed=True)
        except Halted:  # another connection's request crashed the app
            return Burst(b"".join(out), True, keep_open=False)
        out.append(encode_varint(len(response)))
        out.append(response)
        flushed = flushed or response == _FLUSH
    return Burst(b"".join(out), flushed)


_FLUSH = abci.Response(flush=abci.ResponseFlush()).SerializeToString(deterministic=True)


class ServerThread:
    """An ``ABCIServer`` running its own event loop on a daemon thread."""

    def __init__(self, server: ABCIServer) -> None:
        self.server = server
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="abci-server", daemon=True)

    @property
    def address(self) -> Address:
        return self.server.address

    def _run(self) -> None:
        try:
            asyncio.run(self.server.serve_forever())
        except BaseException as exc:  # reported through .error, e.g. ApplicationCrashed
            self.error = exc
            self.server.serving.set()  # unblock start_in_thread if we never got going

    def stop(self, timeout: float = 10.0) -> None:
        self.server.stop()
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise RuntimeError("ABCI server thread did not stop")


def run(app: BaseApplication, address: str, lock: threading.Lock | None = None) -> int:
    """Serve in the foreground until SIGTERM/SIGINT (returns 0); exit(70) if the app crashes."""
    server = ABCIServer(app, address, lock)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, server.stop)
        await server.serve_forever()

    try:
        asyncio.run(main())
    except ApplicationCrashed:
        log.critical("stopping the process: the application's state is not to be trusted")
        logging.shutdown()
        # os._exit, not sys.exit: other threads (gRPC, ...) must not keep a corrupt app alive.
        os._exit(EXIT_APP_CRASHED)
    return 0


def _load_app(spec: str) -> BaseApplication:
    """``package.module:factory`` -> ``factory()``."""
    module_name, _, attr = spec.partition(":")
    factory = getattr(importlib.import_module(module_name), attr or "BaseApplication")
    return factory()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve an ABCI 2.0 application to CometBFT.")
    parser.add_argument("--address", default="tcp://127.0.0.1:26658")
    parser.add_argument(
        "--app",
        default="stateset_chain.abci.application:BaseApplication",
        help="module:factory returning the application (default: a no-op chain)",
    )
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    return run(_load_app(args.app), args.address)


if __name__ == "__main__":
    sys.exit(main())
