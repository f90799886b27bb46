"""API and webhook test fixtures: a migrated database per test (the session's throwaway cluster,
tests/conftest.py) and the API served by uvicorn on a loopback port."""

from __future__ import annotations

import psycopg
import pytest


@pytest.fixture
def db_url(migrated_url) -> str:
    """A database of its own, migrated (the indexer's schema plus the API's tables)."""
    return migrated_url


@pytest.fixture
def conn(db_url):
    with psycopg.connect(db_url, autocommit=True) as c:
        yield c


class ApiServer:
    """``create_app`` served by uvicorn on a free loopback port, in a thread (real HTTP)."""

    def __init__(self, config) -> None:
        import socket
        import threading

        import uvicorn

        from stateset_chain.api.app import create_app

        self.app = create_app(config)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False,
        ))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        import time

        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("api server did not start")
            time.sleep(0.02)
        import requests

        self.http = requests.Session()
        self.url = f"http://127.0.0.1:{self.port}"

    def get(self, path: str, **kw):
        return self.http.get(self.url + path, **kw)

    def post(self, path: str, **kw):
        return self.http.post(self.url + path, **kw)

    def delete(self, path: str, **kw):
        return self.http.delete(self.url + path, **kw)

    def put(self, path: str, **kw):
        return self.http.put(self.url + path, **kw)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(20)
        self.http.close()


@pytest.fixture
def api(db_url):
    from stateset_chain.api.app import ApiConfig

    server = ApiServer(ApiConfig(db_url=db_url, run_worker=False))
    yield server
    server.stop()
