"""Cosmos SDK gRPC services for wallets (port 9090 by convention), served over CometBFT RPC.

cosmpy's ``LedgerClient`` (and most Cosmos tooling) talks gRPC, not CometBFT's JSON-RPC. This
edge translates and holds no state of its own, so it can run beside any node:

- ``cosmos.tx.v1beta1.Service``: BroadcastTx -> CometBFT ``broadcast_tx_sync``; GetTx ->
  ``/tx`` plus ``/block`` (for the time); Simulate -> the app (``abci_query`` of the same path);
- ``cosmos.consensus.v1.Query/Params`` -> ``/consensus_params``;
- ``cosmos.base.tendermint.v1beta1.Service``: GetLatestBlock -> ``/block``, GetNodeInfo ->
  ``/status``;
- any other ``/cosmos.*`` or ``/stateset.*`` method -> the app's query route of the same path,
  request and response bytes passed through (Account, Balance, orders, cctp, ...).

    statesetd gateway --node http://127.0.0.1:26657 --address 127.0.0.1:9090

Errors map to gRPC codes: an unknown route is UNIMPLEMENTED, "not found" answers (a tx not yet in
a block, an unknown account) are NOT_FOUND with the app's log as details (cosmpy polls GetTx until
the details stop saying "not found"), other refusals INVALID_ARGUMENT, an unreachable node
UNAVAILABLE.
"""

from __future__ import annotations

import base64
import logging
from concurrent import futures
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.client import ClientError, NodeClient

from cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci
from cosmos.base.tendermint.v1beta1 import query_pb2 as tm_query
from cosmos.consensus.v1 import query_pb2 as consensus_query
from cosmos.tx.v1beta1 import service_pb2, tx_pb2
from tendermint.abci import types_pb2 as abci
from tendermint.types import params_pb2

log = logging.getLogger("stateset.gateway")

DEFAULT_GRPC_ADDRESS = "127.0.0.1:9090"
SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"
NOT_FOUND_CODE = 38  # the SDK's ErrNotFound


class GatewayError(Exception):
    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


class Gateway:
    """The translation itself, one method per gRPC method; no sockets (tests call it directly)."""

    def __init__(self, node: NodeClient) -> None:
        self.node = node

    # -- tx service ------------------------------------------------------------------------

    def broadcast_tx(self, req: service_pb2.BroadcastTxRequest) -> service_pb2.BroadcastTxResponse:
        if req.mode == service_pb2.BROADCAST_MODE_BLOCK:
            raise GatewayError(
                grpc.StatusCode.INVALID_ARGUMENT, "BROADCAST_MODE_BLOCK is not supported"
            )
        result = self.node.broadcast(bytes(req.tx_bytes))
        return service_pb2.BroadcastTxResponse(
            tx_response=sdk_abci.TxResponse(
                txhash=result.txhash, code=result.code, codespace=result.codespace,
                raw_log=result.log,
            )
        )

    def get_tx(self, req: service_pb2.GetTxRequest) -> service_pb2.GetTxResponse:
        try:
            raw_hash = bytes.fromhex(req.hash)
        except ValueError:
            raise GatewayError(
                grpc.StatusCode.INVALID_ARGUMENT, f"invalid tx hash {req.hash!r}"
            ) from None
        try:
            found = self.node.rpc("tx", hash=base64.b64encode(raw_hash).decode())
        except ClientError as e:
            if "not found" in str(e):
                raise GatewayError(grpc.StatusCode.NOT_FOUND, f"tx not found: {req.hash}") from None
            raise
        height = int(found["height"])
        result = found["tx_result"]
        tx_bytes = base64.b64decode(found["tx"])
        tx = _tx_of(tx_bytes)
        block = self.node.rpc("block", height=str(height))["block"]
        events = [_event(e) for e in result.get("events", [])]
        response = sdk_abci.TxResponse(
            height=height, txhash=found["hash"], codespace=result.get("codespace", ""),
            code=int(result.get("code", 0)),
            data=base64.b64decode(result.get("data") or "").hex().upper(),
            raw_log=result.get("log", ""), gas_wanted=int(result.get("gas_wanted", 0)),
            gas_used=int(result.get("gas_used", 0)), timestamp=block["header"]["time"],
            events=events,
        )
        if tx is not None:
            response.tx.Pack(tx, type_url_prefix="/")
        return service_pb2.GetTxResponse(tx=tx, tx_response=response)

    def simulate(self, data: bytes) -> bytes:
        return self.query(SIMULATE_PATH, data)

    # -- CometBFT-backed queries -----------------------------------------------------------

    def consensus_params(self, _req) -> consensus_query.QueryParamsResponse:
        try:
            reply = self.node.rpc("consensus_params")
        except ClientError as e:
            # CometBFT reads the params at its block store's height, whose state may not be
            # saved yet ("could not find consensus params for height #H"): those of H - 1 hold.
            if "could not find consensus params" not in str(e):
                raise
            reply = self.node.rpc("consensus_params", height=str(self.node.height() - 1))
        params = reply["consensus_params"]
        block = params["block"]
        return consensus_query.QueryParamsResponse(
            params=params_pb2.ConsensusParams(
                block=params_pb2.BlockParams(
                    max_bytes=int(block["max_bytes"]), max_gas=int(block["max_gas"])
                )
            )
        )

    def latest_block(self, _req) -> tm_query.GetLatestBlockResponse:
        block = self.node.rpc("block")["block"]
        header = block["header"]
        response = tm_query.GetLatestBlockResponse()
        h = response.block.header
        h.chain_id = header["chain_id"]
        h.height = int(header["height"])
        h.time.CopyFrom(_timestamp(header["time"]))
        h.app_hash = bytes.fromhex(header["app_hash"])
        h.proposer_address = bytes.fromhex(header["proposer_address"])
        response.block.data.txs.extend(base64.b64decode(t) for t in block["data"]["txs"] or [])
        return response

    def node_info(self, _req) -> tm_query.GetNodeInfoResponse:
        status = self.node.rpc("status")
        info = status["node_info"]
        response = tm_query.GetNodeInfoResponse()
        response.default_node_info.network = info["network"]
        response.default_node_info.moniker = info["moniker"]
        response.default_node_info.version = info["version"]
        response.application_version.name = "stateset-chain"
        response.application_version.app_name = "statesetd"
        response.application_version.version = "1"
        response.application_version.cosmos_sdk_version = "v0.50.0-compatible"
        return response

    # -- everything else: the app's own routes ----------------------------------------------

    def query(self, path: str, data: bytes) -> bytes:
        res = self.node.rpc("abci_query", path=path, data=data.hex())["response"]
        code = int(res.get("code", 0))
        if code == 0:
            return base64.b64decode(res.get("value") or "")
        text = res.get("log", "") or f"code {code}"
        if res.get("codespace") == "sdk" and code == 6:  # ErrUnknownRequest: no such route
            raise GatewayError(grpc.StatusCode.UNIMPLEMENTED, text)
        if code == NOT_FOUND_CODE or "not found" in text:
            raise GatewayError(grpc.StatusCode.NOT_FOUND, text)
        raise GatewayError(grpc.StatusCode.INVALID_ARGUMENT, text)


def _tx_of(tx_bytes: bytes) -> tx_pb2.Tx | None:
    try:
        raw = tx_pb2.TxRaw.FromString(tx_bytes)
        return tx_pb2.Tx(
            body=tx_pb2.TxBody.FromString(raw.body_bytes),
            auth_info=tx_pb2.AuthInfo.FromString(raw.auth_info_bytes),
            signatures=list(raw.signatures),
        )
    except Exception:  # noqa: BLE001  (a committed but undecodable tx: report without it)
        return None


def _event(e: dict[str, Any]) -> abci.Event:
    return abci.Event(
        type=e["type"],
        attributes=[
            abci.EventAttribute(
                key=a["key"], value=a.get("value") or "", index=bool(a.get("index"))
            )
            for a in e.get("attributes", [])
        ],
    )


def _timestamp(rfc3339: str) -> Timestamp:
    ts = Timestamp()
    ts.FromJsonString(_trim_nanos(rfc3339))
    return ts


def _trim_nanos(text: str) -> str:
    # CometBFT prints up to 9 fractional digits; protobuf accepts at most 9 as well, but no 'Z'-less
    if "." in text:
        head, frac = text.split(".", 1)
        digits = "".join(ch for ch in frac if ch.isdigit())
        return f"{head}.{digits[:9]}Z"
    return text


# -- the gRPC edge ----------------------------------------------------------------------------


def _unary(fn, request_cls=None):
    """A unary handler around ``fn(request) -> message | bytes``; ``request_cls=None`` passes the
    request bytes through untouched (the app's own query routes parse them)."""

    def handler(request, context):
        try:
            response = fn(request)
        except GatewayError as e:
            context.abort(e.code, e.details)
        except ClientError as e:
            context.abort(grpc.StatusCode.UNAVAILABLE, str(e))
        if isinstance(response, bytes):
            return response
        return response.SerializeToString()

    return grpc.unary_unary_rpc_method_handler(
        handler,
        request_deserializer=request_cls.FromString if request_cls is not None else None,
        response_serializer=None,
    )


class _Handler(grpc.GenericRpcHandler):
    def __init__(self, gateway: Gateway) -> None:
        g = gateway
        tx_service = "/cosmos.tx.v1beta1.Service/"
        self.special = {
            tx_service + "BroadcastTx": _unary(g.broadcast_tx, service_pb2.BroadcastTxRequest),
            tx_service + "GetTx": _unary(g.get_tx, service_pb2.GetTxRequest),
            SIMULATE_PATH: _unary(g.simulate),
            "/cosmos.consensus.v1.Query/Params": _unary(g.consensus_params),
            "/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock": _unary(g.latest_block),
            "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo": _unary(g.node_info),
        }
        self.gateway = gateway

    def service(self, handler_call_details):
        path = handler_call_details.method
        if path in self.special:
            return self.special[path]
        if path.startswith(("/cosmos.", "/stateset.")):
            return _unary(lambda data, path=path: self.gateway.query(path, data))
        return None


def serve(node_url: str, address: str = DEFAULT_GRPC_ADDRESS, workers: int = 8) -> grpc.Server:
    """Starts the gateway (returns the running server; ``server.stop(grace)`` ends it)."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers))
    server.add_generic_rpc_handlers((_Handler(Gateway(NodeClient(node_url))),))
    if server.add_insecure_port(address) == 0:
        raise OSError(f"cannot listen on {address}")
    server.start()
    log.info("gRPC gateway on %s for %s", address, node_url)
    return server

