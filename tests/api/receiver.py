"""A real webhook receiver on loopback that checks Standard Webhooks signatures by hand.

The check is written here from the specification (HMAC-SHA256 over ``id.timestamp.body`` with
the base64-decoded secret, each ``v1,<b64>`` of the header compared), not with the sender's
library, so a wrong signing scheme fails the tests. ``mode`` says how it answers: ``"ok"``
(204), ``"error"`` (500), ``"gone"`` (410); ``down()`` closes the socket (connection refused).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expected_signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


@dataclass
class Received:
    id: str
    timestamp: str
    signatures: list[str]
    body: bytes
    answered: int
    at: float

    def valid_for(self, secret: str) -> bool:
        want = expected_signature(secret, self.id, self.timestamp, self.body)
        return any(hmac.compare_digest(want, s) for s in self.signatures)

    @property
    def event(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.mode = "ok"
        self.delay = 0.0  # seconds before answering
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def up(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                code = {"ok": 204, "error": 500, "gone": 410}[receiver.mode]
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.received.append(Received(
                        self.headers.get("webhook-id", ""),
                        self.headers.get("webhook-timestamp", ""),
                        self.headers.get("webhook-signature", "").split(" "),
                        body, code, time.time(),
                    ))
                self.send_response(code)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def delivered_ids(self) -> set[str]:
        return {r.id for r in self.snapshot() if 200 <= r.answered < 300}

    def wait_for(self, predicate, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"receiver: condition not met in {timeout}s")
