"""A tiny key=value chain for testing the ABCI edge against a real CometBFT.

Txs are ``key=value`` bytes. FinalizeBlock stages the writes and answers one ``ExecTxResult``
per tx; Commit makes them the committed state. The app hash is sha256 over the sorted state, so
it depends only on the state; Info reports exactly the last commit.
"""

from __future__ import annotations

import hashlib

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path)

from stateset_chain.abci.application import BaseApplication

from tendermint.abci import types_pb2 as abci

BAD_TX = 1


def parse_tx(tx: bytes) -> tuple[bytes, bytes] | None:
    key, sep, value = tx.partition(b"=")
    if not sep or not key:
        return None
    return key, value


def state_hash(state: dict[bytes, bytes]) -> bytes:
    digest = hashlib.sha256()
    for key in sorted(state):
        for part in (key, state[key]):
            digest.update(len(part).to_bytes(4, "big") + part)
    return digest.digest()


class KVApp(BaseApplication):
    def __init__(self) -> None:
        self.state: dict[bytes, bytes] = {}
        self.height = 0
        self.app_hash = b""
        self._staged: tuple[int, dict[bytes, bytes], bytes] | None = None

    def info(self, req: abci.RequestInfo) -> abci.ResponseInfo:
        return abci.ResponseInfo(
            data="kv", last_block_height=self.height, last_block_app_hash=self.app_hash
        )

    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        if parse_tx(req.tx) is None:
            return abci.ResponseCheckTx(code=BAD_TX, codespace="kv", log="want key=value")
        return abci.ResponseCheckTx(code=0, gas_wanted=1)

    def finalize_block(self, req: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        state = dict(self.state)
        results = []
        for tx in req.txs:
            parsed = parse_tx(tx)
            if parsed is None:
                results.append(abci.ExecTxResult(code=BAD_TX, codespace="kv"))
                continue
            state[parsed[0]] = parsed[1]
            results.append(abci.ExecTxResult(code=0))
        app_hash = state_hash(state)
        self._staged = (req.height, state, app_hash)
        return abci.ResponseFinalizeBlock(tx_results=results, app_hash=app_hash)

    def commit(self, req: abci.RequestCommit) -> abci.ResponseCommit:
        assert self._staged is not None, "commit without finalize_block"
        self.height, self.state, self.app_hash = self._staged
        self._staged = None
        return abci.ResponseCommit(retain_height=0)

    def query(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        value = self.state.get(req.data)
        if value is None:
            return abci.ResponseQuery(
                code=BAD_TX, codespace="kv", log="not found", height=self.height
            )
        return abci.ResponseQuery(code=0, key=req.data, value=value, height=self.height)
