"""The gateway's consensus params survive CometBFT's race between its block store and its state
store: when the params of the newest height are not saved yet, those of the height below are
asked for (seen as a failing cosmpy LedgerClient call under load)."""

from __future__ import annotations

from stateset_chain.client import ClientError, NodeClient
from stateset_chain.gateway import Gateway

PARAMS = {"consensus_params": {"block": {"max_bytes": "22020096", "max_gas": "100000000"}}}


class RacingNode(NodeClient):
    """CometBFT's JSON-RPC answers as a node just past a commit does (no HTTP involved)."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:1")
        self.calls: list[tuple[str, dict]] = []

    def rpc(self, method: str, **params):
        self.calls.append((method, params))
        if method == "status":
            return {"sync_info": {"latest_block_height": "160"}}
        if method == "consensus_params" and "height" not in params:
            raise ClientError("consensus_params: Internal error could not find consensus params "
                              "for height #160: value retrieved from db is empty")
        return PARAMS


def test_consensus_params_fall_back_to_the_height_below():
    node = RacingNode()
    response = Gateway(node).consensus_params(None)
    assert response.params.block.max_gas == 100_000_000
    assert node.calls[-1] == ("consensus_params", {"height": "159"})
