"""A blocking ABCI socket client for tests: writes framed Requests, reads framed Responses."""

from __future__ import annotations

import socket

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path)

from stateset_chain.abci.framing import FrameDecoder, encode_frame
from stateset_chain.abci.server import Address

from tendermint.abci import types_pb2 as abci


class ABCIClient:
    def __init__(self, address: Address, timeout: float = 10.0) -> None:
        if address.scheme == "unix":
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(address.path)
        else:
            self.sock = socket.create_connection((address.host, address.port), timeout=timeout)
        self.decoder = FrameDecoder()
        self.ready: list[bytes] = []

    def send(self, *requests: abci.Request) -> None:
        self.send_raw(b"".join(encode_frame(r.SerializeToString()) for r in requests))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv(self, count: int) -> list[abci.Response]:
        while len(self.ready) < count:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError(f"closed after {len(self.ready)} of {count} responses")
            self.ready += self.decoder.feed(data)
        out, self.ready = self.ready[:count], self.ready[count:]
        return [abci.Response.FromString(p) for p in out]

    def call(self, request: abci.Request) -> abci.Response:
        """One request + Flush, like CometBFT's synchronous calls."""
        self.send(request, FLUSH)
        response, flushed = self.recv(2)
        assert flushed.WhichOneof("value") == "flush"
        return response

    def is_closed_by_peer(self) -> bool:
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> ABCIClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


FLUSH = abci.Request(flush=abci.RequestFlush())


def check_tx(tx: bytes) -> abci.Request:
    return abci.Request(check_tx=abci.RequestCheckTx(tx=tx))
