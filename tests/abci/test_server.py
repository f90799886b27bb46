"""The socket server over TCP and unix sockets: ordering, flushing, concurrency, failures."""

from __future__ import annotations

import socket
import threading
import time

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path)
import pytest

from stateset_chain.abci.dispatch import ApplicationCrashed
from stateset_chain.abci.server import ABCIServer, parse_address
from tests.abci.client import FLUSH, ABCIClient, check_tx
from tests.abci.kv_app import KVApp

from tendermint.abci import types_pb2 as abci


class ToyApp(KVApp):
    """KVApp whose CheckTx echoes the tx, raises on b"boom", and records overlapping calls."""

    def __init__(self) -> None:
        super().__init__()
        self.active = 0
        self.max_active = 0
        self._count_lock = threading.Lock()

    def _enter(self) -> None:
        with self._count_lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)

    def _leave(self) -> None:
        with self._count_lock:
            self.active -= 1

    def check_tx(self, req):
        self._enter()
        try:
            time.sleep(0.001)  # widen the window in which an overlapping call would be seen
            if req.tx == b"boom":
                raise ValueError("boom")
            return abci.ResponseCheckTx(code=0, data=req.tx)
        finally:
            self._leave()

    def finalize_block(self, req):
        if b"crash" in req.txs:
            raise RuntimeError("state machine bug")
        return super().finalize_block(req)


@pytest.fixture(params=["tcp", "unix"])
def address(request, tmp_path):
    if request.param == "tcp":
        return "tcp://127.0.0.1:0"
    return f"unix://{tmp_path}/app.sock"


@pytest.fixture
def app():
    return ToyApp()


@pytest.fixture
def server(app, address):
    handle = ABCIServer(app, address).start_in_thread()
    yield handle
    handle.stop()


@pytest.fixture
def client(server):
    c = ABCIClient(server.address)
    yield c
    c.close()


def test_parse_address_accepts_cometbft_proxy_app_forms():
    assert parse_address("tcp://127.0.0.1:26658").port == 26658
    assert parse_address("unix:///tmp/app.sock").path == "/tmp/app.sock"
    for bad in ("127.0.0.1:26658", "tcp://nohost", "unix://", "http://x:1"):
        with pytest.raises(ValueError):
            parse_address(bad)


def test_pipelined_check_txs_then_flush_are_answered_in_order(client):
    txs = [f"tx-{i}".encode() for i in range(200)]
    client.send(*[check_tx(tx) for tx in txs], FLUSH)
    responses = client.recv(len(txs) + 1)
    assert [r.check_tx.data for r in responses[:-1]] == txs
    assert responses[-1].WhichOneof("value") == "flush"


def test_a_burst_is_answered_up_to_a_bad_request_then_the_connection_closes(client):
    """One read holding good requests, an undecodable one and more good ones: the answers before
    the bad one arrive, in order, and nothing after it."""
    from stateset_chain.abci.framing import encode_frame

    good = [encode_frame(check_tx(f"tx{i}".encode()).SerializeToString()) for i in range(3)]
    client.send_raw(b"".join(good) + encode_frame(b"\xff\xff\xff") + good[0])
    answers = client.recv(3)
    assert [a.check_tx.data for a in answers] == [b"tx0", b"tx1", b"tx2"]
    assert client.is_closed_by_peer()


def test_echo_and_flush(client):
    client.send(abci.Request(echo=abci.RequestEcho(message="hello")), FLUSH)
    echo, flush = client.recv(2)
    assert echo.echo.message == "hello"
    assert flush.WhichOneof("value") == "flush"


def test_check_tx_exception_answers_code_1_and_connection_stays_usable(client):
    client.send(check_tx(b"before"), check_tx(b"boom"), check_tx(b"after"), FLUSH)
    before, boom, after, _ = client.recv(4)
    assert (boom.check_tx.code, boom.check_tx.codespace) == (1, "undefined")
    assert boom.check_tx.log == "internal error: ValueError"
    assert (before.check_tx.data, after.check_tx.data) == (b"before", b"after")
    assert client.call(check_tx(b"later")).check_tx.data == b"later"


def test_message_over_one_megabyte_round_trips(client):
    big = bytes(range(256)) * 6000
    assert client.call(check_tx(big)).check_tx.data == big


def test_four_concurrent_connections_each_get_their_own_answers_and_app_sees_one_call_at_a_time(
    server, app
):
    names = ["query", "snapshot", "mempool", "consensus"]
    clients = [ABCIClient(server.address) for _ in names]
    errors: list[BaseException] = []

    def hammer(c: ABCIClient, name: str) -> None:
        try:
            for round_ in range(5):
                txs = [f"{name}-{round_}-{i}".encode() for i in range(20)]
                c.send(*[check_tx(tx) for tx in txs], FLUSH)
                assert [r.check_tx.data for r in c.recv(21)[:-1]] == txs
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    threads = [
        threading.Thread(target=hammer, args=pair) for pair in zip(clients, names, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for c in clients:
        c.close()
    assert errors == []
    assert app.max_active == 1


def test_consensus_flow_info_finalize_commit_query(client):
    info = client.call(abci.Request(info=abci.RequestInfo()))
    assert info.info.last_block_height == 0
    fin = client.call(
        abci.Request(finalize_block=abci.RequestFinalizeBlock(height=1, txs=[b"k=v", b"junk"]))
    )
    assert [r.code for r in fin.finalize_block.tx_results] == [0, 1]
    client.call(abci.Request(commit=abci.RequestCommit()))
    info = client.call(abci.Request(info=abci.RequestInfo()))
    assert info.info.last_block_height == 1
    assert info.info.last_block_app_hash == fin.finalize_block.app_hash
    assert client.call(abci.Request(query=abci.RequestQuery(data=b"k"))).query.value == b"v"


def test_undecodable_request_closes_only_that_connection(server, client):
    other = ABCIClient(server.address)
    client.send_raw(b"\x03\xff\xff\xff")  # a 3-byte body that is not a protobuf Request
    assert client.is_closed_by_peer()
    assert other.call(check_tx(b"still here")).check_tx.data == b"still here"
    other.close()


def test_request_with_no_method_closes_the_connection(client):
    client.send_raw(b"\x00")  # an empty Request
    assert client.is_closed_by_peer()


def test_consensus_exception_stops_the_server_without_answering(server, client):
    client.send(abci.Request(finalize_block=abci.RequestFinalizeBlock(txs=[b"crash"])), FLUSH)
    assert client.is_closed_by_peer()  # no exception response, just gone
    server.thread.join(10)
    assert not server.thread.is_alive()
    assert isinstance(server.error, ApplicationCrashed)
    assert server.error.method == "finalize_block"


def test_stop_closes_open_connections(server, client):
    assert client.call(check_tx(b"x")).check_tx.data == b"x"
    server.stop()
    assert client.is_closed_by_peer()
    assert not server.thread.is_alive()


def test_stale_unix_socket_is_replaced_and_removed_on_stop(tmp_path):
    path = tmp_path / "app.sock"
    with socket.socket(socket.AF_UNIX) as stale:  # a leftover from a crashed run
        stale.bind(str(path))
    handle = ABCIServer(ToyApp(), f"unix://{path}").start_in_thread()
    with ABCIClient(handle.address) as client:
        assert client.call(check_tx(b"x")).check_tx.data == b"x"
    handle.stop()
    assert not path.exists()


def test_unix_address_of_a_regular_file_is_refused_and_the_file_kept(tmp_path):
    path = tmp_path / "state.db"
    path.write_text("precious")
    with pytest.raises(RuntimeError):
        ABCIServer(ToyApp(), f"unix://{path}").start_in_thread()
    assert path.read_text() == "precious"


def test_start_in_thread_raises_when_the_address_is_taken():
    first = ABCIServer(ToyApp(), "tcp://127.0.0.1:0").start_in_thread()
    try:
        with pytest.raises(RuntimeError) as info:
            ABCIServer(ToyApp(), str(first.address)).start_in_thread()
        assert isinstance(info.value.__cause__, OSError)
    finally:
        first.stop()
