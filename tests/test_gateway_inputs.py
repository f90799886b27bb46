"""The gateway's own inputs and error mapping (hole 10: every query input gets a clear error).
The node is a recording stand-in here: these tests are about the translation, not CometBFT (the
real gateway process runs against a localnet in tests/e2e/test_network.py)."""

from __future__ import annotations

import base64

import grpc
import pytest

from stateset_chain.gateway import Gateway, GatewayError

from cosmos.tx.v1beta1 import service_pb2


class RecordingNode:
    def __init__(self, response: dict | None = None) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.response = response or {}

    def rpc(self, method: str, **params):
        self.calls.append((method, params))
        return {"response": self.response}


@pytest.mark.parametrize("bad", ["", "ab", "z" * 64, "0" * 63, "0" * 4_000_000])
def test_a_malformed_tx_hash_is_invalid_argument_and_never_reaches_the_node(bad):
    node = RecordingNode()
    with pytest.raises(GatewayError) as refused:
        Gateway(node).get_tx(service_pb2.GetTxRequest(hash=bad))  # type: ignore[arg-type]
    assert refused.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert node.calls == []


@pytest.mark.parametrize(
    ("codespace", "code", "status"),
    [
        ("query", 2, grpc.StatusCode.RESOURCE_EXHAUSTED),
        ("undefined", 1, grpc.StatusCode.INTERNAL),
        ("sdk", 18, grpc.StatusCode.INVALID_ARGUMENT),
        ("sdk", 7, grpc.StatusCode.INVALID_ARGUMENT),  # InvalidAddress
        ("query", 4, grpc.StatusCode.INVALID_ARGUMENT),  # InvalidPagination
        ("query", 5, grpc.StatusCode.INVALID_ARGUMENT),  # QueryFieldTooLong
        ("orders", 47, grpc.StatusCode.INVALID_ARGUMENT),  # UnknownStatus
        ("sdk", 38, grpc.StatusCode.NOT_FOUND),
        ("sdk", 6, grpc.StatusCode.UNIMPLEMENTED),
    ],
)
def test_app_query_errors_map_to_their_grpc_codes(codespace, code, status):
    node = RecordingNode({"code": code, "codespace": codespace, "log": "why"})
    with pytest.raises(GatewayError) as refused:
        Gateway(node).query("/stateset.orders.v1.Query/Orders", b"")  # type: ignore[arg-type]
    assert refused.value.code == status


def test_a_successful_query_passes_the_bytes_through():
    node = RecordingNode({"code": 0, "value": base64.b64encode(b"\x01\x02").decode()})
    assert Gateway(node).query("/x", b"\x03") == b"\x01\x02"  # type: ignore[arg-type]
    assert node.calls == [("abci_query", {"path": "/x", "data": "03"})]


def test_a_height_goes_to_the_node_and_the_answer_tells_its_height():
    node = RecordingNode({"code": 0, "value": "", "height": "7"})
    raw, height = Gateway(node).query_at("/x", b"", 7)  # type: ignore[arg-type]
    assert (raw, height) == (b"", 7)
    assert node.calls == [("abci_query", {"path": "/x", "data": "", "height": "7"})]


@pytest.mark.parametrize("bad", ["-1", "abc", "1.5", " 3", "9" * 20, str(1 << 63)])
def test_a_malformed_block_height_header_is_invalid_argument(bad):
    from stateset_chain.gateway import parse_height

    with pytest.raises(GatewayError) as refused:
        parse_height(bad)
    assert refused.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "x-cosmos-block-height" in refused.value.details
    assert parse_height(None) == parse_height("") == 0 and parse_height("42") == 42
