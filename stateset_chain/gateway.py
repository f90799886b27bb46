"""The Cosmos SDK services wallets and explorers use, over CometBFT RPC: one set of handlers with
two faces, gRPC (port 9090 by convention, this module) and REST (port 1317, ``rest.py``).

cosmpy's ``LedgerClient``, cosmjs, Keplr and explorers talk gRPC or the SDK's REST routes, not
CometBFT's JSON-RPC. This edge translates and holds no state of its own, so it can run beside any
node. ``Gateway.invoke(method, request) -> response`` is the one implementation:

- ``cosmos.tx.v1beta1.Service``: BroadcastTx -> ``broadcast_tx_sync`` (``_async`` for ASYNC);
  GetTx -> ``/tx`` plus ``/block`` (for the time); GetTxsEvent -> ``/tx_search`` (``query`` or
  the ``events`` joined with AND; ``page``/``limit``, or the legacy ``pagination``);
  GetBlockWithTxs -> ``/block``; TxDecode/TxEncode (TxRaw bytes <-> Tx, no node); Simulate ->
  the app (``abci_query`` of the same path);
- ``cosmos.base.tendermint.v1beta1.Service``: GetNodeInfo, GetSyncing -> ``/status``;
  GetLatestBlock, GetBlockByHeight -> ``/block``; GetLatestValidatorSet,
  GetValidatorSetByHeight -> ``/validators``; ABCIQuery -> ``/abci_query``;
- ``cosmos.consensus.v1.Query/Params`` -> ``/consensus_params``;
- any other ``/cosmos.*`` or ``/stateset.*`` method -> the app's query route of the same path,
  request and response bytes passed through (Account, Balance, orders, cctp, ...). A module the
  chain does not have (staking, gov, ...) answers UNIMPLEMENTED, as on an SDK chain without it.

    statesetd gateway --node http://127.0.0.1:26657 --address 127.0.0.1:9090 --rest 127.0.0.1:1317

Heights: an app query is answered at the height of the request's ``x-cosmos-block-height``
metadata (gRPC) or header (REST), as on an SDK node (absent: the latest), and the answer carries
the height it was read at in the same metadata/header. A malformed value is INVALID_ARGUMENT; a
height the node does not keep, or a latest-only list at a past height, is INVALID_ARGUMENT with
the app's log (docs/proofs.md).

Errors are gRPC status codes (REST maps them to HTTP as grpc-gateway does): an unknown route is
UNIMPLEMENTED; "not found" answers (a tx not yet in a block, an unknown account) are NOT_FOUND
with the app's message as details (cosmpy polls GetTx until the details stop saying "not
found"); a query over its read budget RESOURCE_EXHAUSTED; the app's internal error INTERNAL;
other refusals INVALID_ARGUMENT; an unreachable node UNAVAILABLE. Inputs the gateway reads itself
(a GetTx hash: 64 hex digits) are checked before any call to the node.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from concurrent import futures
from typing import Any

import grpc
from google.protobuf.message import DecodeError, Message
from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.app import APP_VERSION
from stateset_chain.client import ClientError, NodeClient
from stateset_chain.crypto import address
from stateset_chain.timefmt import parse_iso8601, timestamp

from cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci
from cosmos.base.query.v1beta1 import pagination_pb2
from cosmos.base.tendermint.v1beta1 import query_pb2 as tm_query
from cosmos.base.tendermint.v1beta1 import types_pb2 as sdk_types
from cosmos.consensus.v1 import query_pb2 as consensus_query
from cosmos.crypto.ed25519 import keys_pb2 as ed25519
from cosmos.tx.v1beta1 import service_pb2, tx_pb2
from tendermint.abci import types_pb2 as abci
from tendermint.types import block_pb2, params_pb2
from tendermint.types import types_pb2 as tm_types

log = logging.getLogger("stateset.gateway")

DEFAULT_GRPC_ADDRESS = "127.0.0.1:9090"
HEIGHT_HEADER = "x-cosmos-block-height"  # the SDK's gRPC metadata / REST header for a height
SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"
TX_SERVICE = "/cosmos.tx.v1beta1.Service/"
TM_SERVICE = "/cosmos.base.tendermint.v1beta1.Service/"
NOT_FOUND_CODE = 38  # the SDK's ErrNotFound
KEY_NOT_FOUND_CODE = 22  # the SDK's ErrKeyNotFound: what a gRPC NotFound becomes over ABCI
VALCONS_PREFIX = address.PREFIX + "valcons"
COSMOS_SDK_API = "v0.50.0"
DEFAULT_TXS_LIMIT = 100  # the SDK's default page size for GetTxsEvent
MAX_TXS_LIMIT = 100  # CometBFT's tx_search per_page maximum
# baseapp's ABCI form of a gRPC status error: "rpc error: code = NotFound desc = <message>: ..."
_RPC_ERROR = re.compile(r"^rpc error: code = (\w+) desc = (.*?)(: [a-z ]+)?$", re.S)


class GatewayError(Exception):
    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


def invalid(details: str) -> GatewayError:
    return GatewayError(grpc.StatusCode.INVALID_ARGUMENT, details)


Handler = Callable[[Any], Message]


class Gateway:
    """The translation itself: ``invoke(path, request)``; no sockets (tests call it directly)."""

    def __init__(self, node: NodeClient) -> None:
        self.node = node
        # gRPC method path -> (request class, handler); the rest goes to the app's query routes.
        self.methods: dict[str, tuple[type[Message], Handler]] = {
            TX_SERVICE + "BroadcastTx": (service_pb2.BroadcastTxRequest, self.broadcast_tx),
            TX_SERVICE + "GetTx": (service_pb2.GetTxRequest, self.get_tx),
            TX_SERVICE + "GetTxsEvent": (service_pb2.GetTxsEventRequest, self.get_txs_event),
            TX_SERVICE + "GetBlockWithTxs": (
                service_pb2.GetBlockWithTxsRequest, self.get_block_with_txs
            ),
            TX_SERVICE + "TxDecode": (service_pb2.TxDecodeRequest, self.tx_decode),
            TX_SERVICE + "TxEncode": (service_pb2.TxEncodeRequest, self.tx_encode),
            TM_SERVICE + "GetNodeInfo": (tm_query.GetNodeInfoRequest, self.node_info),
            TM_SERVICE + "GetSyncing": (tm_query.GetSyncingRequest, self.syncing),
            TM_SERVICE + "GetLatestBlock": (tm_query.GetLatestBlockRequest, self.latest_block),
            TM_SERVICE + "GetBlockByHeight": (
                tm_query.GetBlockByHeightRequest, self.block_by_height
            ),
            TM_SERVICE + "GetLatestValidatorSet": (
                tm_query.GetLatestValidatorSetRequest, self.latest_validator_set
            ),
            TM_SERVICE + "GetValidatorSetByHeight": (
                tm_query.GetValidatorSetByHeightRequest, self.validator_set_by_height
            ),
            TM_SERVICE + "ABCIQuery": (tm_query.ABCIQueryRequest, self.abci_query),
            "/cosmos.consensus.v1.Query/Params": (
                consensus_query.QueryParamsRequest, self.consensus_params
            ),
        }

    def invoke(self, path: str, request: Message, response_cls: type[Message]) -> Message:
        """Answers gRPC method ``path`` (``/pkg.Service/Method``) for ``request``."""
        return self.invoke_at(path, request, response_cls)[0]

    def invoke_at(
        self, path: str, request: Message, response_cls: type[Message], height: int = 0
    ) -> tuple[Message, int | None]:
        """``invoke`` at a block height (0: the latest), as the SDK's ``x-cosmos-block-height``;
        with the height the app answered at (None for the methods CometBFT answers, which take
        their heights from their requests)."""
        special = self.methods.get(path)
        if special is not None:
            return special[1](request), None
        raw, answered = self.query_at(path, request.SerializeToString(), height)
        try:
            return response_cls.FromString(raw), answered
        except DecodeError:
            raise GatewayError(grpc.StatusCode.INTERNAL, f"undecodable answer for {path}") from None

    # -- tx service ------------------------------------------------------------------------

    def broadcast_tx(self, req: service_pb2.BroadcastTxRequest) -> service_pb2.BroadcastTxResponse:
        if req.mode == service_pb2.BROADCAST_MODE_BLOCK:
            raise invalid("BROADCAST_MODE_BLOCK is not supported: use BROADCAST_MODE_SYNC")
        if not req.tx_bytes:
            raise invalid("invalid empty tx")
        if req.mode == service_pb2.BROADCAST_MODE_ASYNC:
            r = self.node.rpc(
                "broadcast_tx_async", tx=base64.b64encode(bytes(req.tx_bytes)).decode()
            )
            response = sdk_abci.TxResponse(txhash=r["hash"])
        else:
            result = self.node.broadcast(bytes(req.tx_bytes))
            response = sdk_abci.TxResponse(
                txhash=result.txhash, code=result.code, codespace=result.codespace,
                raw_log=result.log,
            )
        return service_pb2.BroadcastTxResponse(tx_response=response)

    def get_tx(self, req: service_pb2.GetTxRequest) -> service_pb2.GetTxResponse:
        if len(req.hash) != 64:  # sha256: 32 bytes; checked before any work or node call
            raise GatewayError(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"invalid tx hash: {len(req.hash)} characters, a tx hash is 64 hex digits",
            )
        try:
            raw_hash = bytes.fromhex(req.hash)
        except ValueError:
            raise invalid(f"invalid tx hash {req.hash!r}") from None
        try:
            found = self.node.rpc("tx", hash=base64.b64encode(raw_hash).decode())
        except ClientError as e:
            if "not found" in str(e):
                raise GatewayError(grpc.StatusCode.NOT_FOUND, f"tx not found: {req.hash}") from None
            raise
        tx, response = self._tx_response(found, _BlockTimes(self.node))
        return service_pb2.GetTxResponse(tx=tx, tx_response=response)

    def get_txs_event(self, req: service_pb2.GetTxsEventRequest) -> service_pb2.GetTxsEventResponse:
        query = req.query or " AND ".join(req.events)
        if not query.strip():
            raise invalid("query cannot be empty")
        page, limit = req.page, req.limit
        if not page and not limit and req.HasField("pagination"):  # the deprecated form
            limit = req.pagination.limit
            page = req.pagination.offset // limit + 1 if limit else 1
        limit = min(limit or DEFAULT_TXS_LIMIT, MAX_TXS_LIMIT)
        page = page or 1
        order = "desc" if req.order_by == service_pb2.ORDER_BY_DESC else "asc"
        try:
            found = self.node.rpc(
                "tx_search", query=query, prove=False, page=str(page), per_page=str(limit),
                order_by=order,
            )
        except ClientError as e:
            raise invalid(str(e)) from None
        times = _BlockTimes(self.node)
        response = service_pb2.GetTxsEventResponse(total=int(found.get("total_count", 0)))
        for item in found.get("txs", []):
            tx, tx_response = self._tx_response(item, times)
            response.txs.append(tx if tx is not None else tx_pb2.Tx())
            response.tx_responses.append(tx_response)
        response.pagination.total = response.total
        return response

    def _tx_response(
        self, found: dict[str, Any], times: _BlockTimes
    ) -> tuple[tx_pb2.Tx | None, sdk_abci.TxResponse]:
        height = int(found["height"])
        result = found["tx_result"]
        tx = _tx_of(base64.b64decode(found["tx"]))
        response = sdk_abci.TxResponse(
            height=height, txhash=found["hash"], codespace=result.get("codespace", ""),
            code=int(result.get("code", 0)),
            data=base64.b64decode(result.get("data") or "").hex().upper(),
            raw_log=result.get("log", ""), gas_wanted=int(result.get("gas_wanted", 0)),
            gas_used=int(result.get("gas_used", 0)), timestamp=times.get(height),
            events=[_event(e) for e in result.get("events", [])],
        )
        if tx is not None:
            response.tx.Pack(tx, type_url_prefix="/")
        return tx, response

    def get_block_with_txs(
        self, req: service_pb2.GetBlockWithTxsRequest
    ) -> service_pb2.GetBlockWithTxsResponse:
        block_id, block, _ = self._block(req.height)
        response = service_pb2.GetBlockWithTxsResponse(block_id=block_id, block=block)
        for raw in block.data.txs:
            tx = _tx_of(raw)
            response.txs.append(tx if tx is not None else tx_pb2.Tx())
        response.pagination.total = len(block.data.txs)
        return response

    def tx_decode(self, req: service_pb2.TxDecodeRequest) -> service_pb2.TxDecodeResponse:
        tx = _tx_of(bytes(req.tx_bytes)) if req.tx_bytes else None
        if tx is None:
            raise invalid("tx bytes are not a cosmos.tx.v1beta1.TxRaw")
        return service_pb2.TxDecodeResponse(tx=tx)

    def tx_encode(self, req: service_pb2.TxEncodeRequest) -> service_pb2.TxEncodeResponse:
        if not req.HasField("tx"):
            raise invalid("invalid empty tx")
        raw = tx_pb2.TxRaw(
            body_bytes=req.tx.body.SerializeToString(deterministic=True),
            auth_info_bytes=req.tx.auth_info.SerializeToString(deterministic=True),
            signatures=list(req.tx.signatures),
        )
        return service_pb2.TxEncodeResponse(tx_bytes=raw.SerializeToString(deterministic=True))

    def simulate(self, data: bytes) -> bytes:
        return self.query(SIMULATE_PATH, data)

    # -- tendermint service ----------------------------------------------------------------

    def node_info(self, _req) -> tm_query.GetNodeInfoResponse:
        info = self.node.rpc("status")["node_info"]
        response = tm_query.GetNodeInfoResponse()
        n = response.default_node_info
        protocol = info.get("protocol_version", {})
        n.protocol_version.p2p = int(protocol.get("p2p", 0))
        n.protocol_version.block = int(protocol.get("block", 0))
        n.protocol_version.app = int(protocol.get("app", 0))
        n.default_node_id = info.get("id", "")
        n.listen_addr = info.get("listen_addr", "")
        n.network = info["network"]
        n.version = info["version"]
        n.channels = bytes.fromhex(info.get("channels", ""))
        n.moniker = info["moniker"]
        n.other.tx_index = info.get("other", {}).get("tx_index", "")
        n.other.rpc_address = info.get("other", {}).get("rpc_address", "")
        v = response.application_version
        v.name = "stateset-chain"
        v.app_name = "statesetd"
        v.version = str(APP_VERSION)
        # Not an SDK binary: the SDK API level its services follow. A bare version, because
        # clients parse it (cosmpy's query_node_info reads it as a PEP 440 version).
        v.cosmos_sdk_version = COSMOS_SDK_API
        return response

    def syncing(self, _req) -> tm_query.GetSyncingResponse:
        catching_up = bool(self.node.rpc("status")["sync_info"]["catching_up"])
        return tm_query.GetSyncingResponse(syncing=catching_up)

    def latest_block(self, _req) -> tm_query.GetLatestBlockResponse:
        block_id, block, sdk_block = self._block(0)
        return tm_query.GetLatestBlockResponse(
            block_id=block_id, block=block, sdk_block=sdk_block
        )

    def block_by_height(self, req: tm_query.GetBlockByHeightRequest):
        if req.height <= 0:
            raise invalid("height must be greater than 0")
        block_id, block, sdk_block = self._block(req.height)
        return tm_query.GetBlockByHeightResponse(
            block_id=block_id, block=block, sdk_block=sdk_block
        )

    def _block(self, height: int) -> tuple[tm_types.BlockID, block_pb2.Block, sdk_types.Block]:
        params = {"height": str(height)} if height else {}
        try:
            found = self.node.rpc("block", **params)
        except ClientError as e:
            raise invalid(str(e)) from None
        return _block_of(found)

    def latest_validator_set(self, req: tm_query.GetLatestValidatorSetRequest):
        return self._validators(0, req.pagination, tm_query.GetLatestValidatorSetResponse)

    def validator_set_by_height(self, req: tm_query.GetValidatorSetByHeightRequest):
        if req.height <= 0:
            raise invalid("height must be greater than 0")
        return self._validators(
            req.height, req.pagination, tm_query.GetValidatorSetByHeightResponse
        )

    def _validators(self, height: int, page: pagination_pb2.PageRequest, response_cls):
        params: dict[str, str] = {"height": str(height)} if height else {}
        if page.limit:
            params["per_page"] = str(page.limit)
            params["page"] = str(page.offset // page.limit + 1)
        try:
            found = self.node.rpc("validators", **params)
        except ClientError as e:
            raise invalid(str(e)) from None
        response = response_cls(block_height=int(found["block_height"]))
        for v in found["validators"]:
            out = response.validators.add(
                address=address.encode(bytes.fromhex(v["address"]), VALCONS_PREFIX),
                voting_power=int(v["voting_power"]),
                proposer_priority=int(v["proposer_priority"]),
            )
            out.pub_key.Pack(
                ed25519.PubKey(key=base64.b64decode(v["pub_key"]["value"])),
                type_url_prefix="/",
            )
        response.pagination.total = int(found.get("total", len(response.validators)))
        return response

    def abci_query(self, req: tm_query.ABCIQueryRequest) -> tm_query.ABCIQueryResponse:
        res = self.node.rpc(
            "abci_query", path=req.path, data=bytes(req.data).hex(), height=str(req.height),
            prove=req.prove,
        )["response"]
        return tm_query.ABCIQueryResponse(
            code=int(res.get("code", 0)), log=res.get("log", ""), info=res.get("info", ""),
            index=int(res.get("index", 0)), key=base64.b64decode(res.get("key") or ""),
            value=base64.b64decode(res.get("value") or ""), height=int(res.get("height", 0)),
            codespace=res.get("codespace", ""),
        )

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

    # -- everything else: the app's own routes ----------------------------------------------

    def query(self, path: str, data: bytes) -> bytes:
        return self.query_at(path, data)[0]

    def query_at(self, path: str, data: bytes, height: int = 0) -> tuple[bytes, int]:
        """The app's answer to query route ``path`` at ``height`` (0: latest) and the height it
        was read at; a height the node does not keep is INVALID_ARGUMENT with the app's log."""
        params = {"height": str(height)} if height else {}
        res = self.node.rpc("abci_query", path=path, data=data.hex(), **params)["response"]
        code = int(res.get("code", 0))
        if code == 0:
            return base64.b64decode(res.get("value") or ""), int(res.get("height", 0))
        text = res.get("log", "") or f"code {code}"
        codespace = res.get("codespace", "")
        if codespace == "sdk" and code == 6:  # ErrUnknownRequest: no such route
            raise GatewayError(grpc.StatusCode.UNIMPLEMENTED, text)
        status = _RPC_ERROR.match(text)
        if status is not None:  # a gRPC status the app's query returned: give it back as such
            raise GatewayError(_status_code(status.group(1)), status.group(2))
        if codespace == "query" and code == 2:  # QueryBudgetExceeded
            raise GatewayError(grpc.StatusCode.RESOURCE_EXHAUSTED, text)
        if codespace == "undefined":  # the app's internal error: not the caller's fault
            raise GatewayError(grpc.StatusCode.INTERNAL, text)
        if code in (NOT_FOUND_CODE, KEY_NOT_FOUND_CODE) or "not found" in text:
            raise GatewayError(grpc.StatusCode.NOT_FOUND, text)
        raise GatewayError(grpc.StatusCode.INVALID_ARGUMENT, text)


def parse_height(text: str | None) -> int:
    """The ``x-cosmos-block-height`` metadata (gRPC) or header (REST): absent = 0, the latest."""
    if text is None or text == "":
        return 0
    if not text.isdigit() or len(text) > 19 or int(text) >= 1 << 63:
        raise invalid(
            f"invalid {HEIGHT_HEADER} {text[:40]!r}: a block height is a non-negative integer"
        )
    return int(text)


def _status_code(name: str) -> grpc.StatusCode:
    wanted = re.sub(r"(?<!^)([A-Z])", r"_\1", name).upper()  # NotFound -> NOT_FOUND
    for code in grpc.StatusCode:
        if code.name == wanted:
            return code
    return grpc.StatusCode.UNKNOWN


class _BlockTimes:
    """Block times by height, fetched once per request (a page of txs shares blocks)."""

    def __init__(self, node: NodeClient) -> None:
        self.node = node
        self.times: dict[int, str] = {}

    def get(self, height: int) -> str:
        if height not in self.times:
            header = self.node.rpc("header", height=str(height))["header"]
            self.times[height] = header["time"]
        return self.times[height]


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


def _hex(text: str | None) -> bytes:
    return bytes.fromhex(text or "")


def _block_id(found: dict[str, Any]) -> tm_types.BlockID:
    parts = found.get("parts") or found.get("part_set_header") or {}
    return tm_types.BlockID(
        hash=_hex(found.get("hash")),
        part_set_header=tm_types.PartSetHeader(
            total=int(parts.get("total", 0)), hash=_hex(parts.get("hash"))
        ),
    )


def _header_fields(header: dict[str, Any]) -> dict[str, Any]:
    """The header fields the tendermint and the SDK header share (all but proposer_address)."""
    version = header.get("version", {})
    return {
        "chain_id": header["chain_id"],
        "height": int(header["height"]),
        "time": _timestamp(header["time"]),
        "last_block_id": _block_id(header.get("last_block_id", {})),
        **{
            name: _hex(header.get(name))
            for name in (
                "last_commit_hash", "data_hash", "validators_hash", "next_validators_hash",
                "consensus_hash", "app_hash", "last_results_hash", "evidence_hash",
            )
        },
        "_version": (int(version.get("block", 0)), int(version.get("app", 0))),
    }


def _block_of(found: dict[str, Any]) -> tuple[tm_types.BlockID, block_pb2.Block, sdk_types.Block]:
    """CometBFT's ``/block`` JSON as the protobuf ``Block`` and the SDK's ``Block`` (whose header
    names the proposer by its ``valcons`` address)."""
    raw = found["block"]
    header = raw["header"]
    fields = _header_fields(header)
    block_v, app_v = fields.pop("_version")
    proposer = _hex(header.get("proposer_address"))
    commit = _commit(raw.get("last_commit") or {})
    txs = [base64.b64decode(t) for t in raw.get("data", {}).get("txs") or []]
    block = block_pb2.Block(
        header=tm_types.Header(proposer_address=proposer, **fields),
        data=tm_types.Data(txs=txs),
        last_commit=commit,
    )
    block.header.version.block, block.header.version.app = block_v, app_v
    sdk_block = sdk_types.Block(
        header=sdk_types.Header(
            proposer_address=address.encode(proposer, VALCONS_PREFIX) if proposer else "",
            **fields,
        ),
        data=tm_types.Data(txs=txs),
        last_commit=commit,
    )
    sdk_block.header.version.block, sdk_block.header.version.app = block_v, app_v
    return _block_id(found.get("block_id", {})), block, sdk_block


def _commit(found: dict[str, Any]) -> tm_types.Commit:
    if not found:
        return tm_types.Commit()
    commit = tm_types.Commit(
        height=int(found.get("height", 0)), round=int(found.get("round", 0)),
        block_id=_block_id(found.get("block_id", {})),
    )
    for sig in found.get("signatures") or []:
        out = commit.signatures.add(
            block_id_flag=int(sig.get("block_id_flag", 0)),
            validator_address=_hex(sig.get("validator_address")),
            signature=base64.b64decode(sig.get("signature") or ""),
        )
        if sig.get("timestamp") and not sig["timestamp"].startswith("0001-01-01"):
            out.timestamp.CopyFrom(_timestamp(sig["timestamp"]))
    return commit


def _timestamp(rfc3339: str) -> Timestamp:
    """CometBFT's RFC 3339 time (up to 9 fractional digits), read by the chain's one parser."""
    return timestamp(parse_iso8601(rfc3339, "time"))


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
        self.special = {
            path: _unary(fn, request_cls) for path, (request_cls, fn) in gateway.methods.items()
        }
        self.special[SIMULATE_PATH] = _unary(gateway.simulate)
        self.gateway = gateway

    def service(self, handler_call_details):
        path = handler_call_details.method
        if path in self.special:
            return self.special[path]
        if path.startswith(("/cosmos.", "/stateset.")):
            return _app_query(self.gateway, path)
        return None


def _app_query(gateway: Gateway, path: str):
    """An app query route: the request bytes passed through, at the height of the request's
    ``x-cosmos-block-height`` metadata, and the height answered at in the response's metadata
    (as the SDK's gRPC server does)."""

    def handler(request: bytes, context) -> bytes:
        try:
            given = dict(context.invocation_metadata()).get(HEIGHT_HEADER)
            raw, height = gateway.query_at(path, request, parse_height(given))
        except GatewayError as e:
            context.abort(e.code, e.details)
        except ClientError as e:
            context.abort(grpc.StatusCode.UNAVAILABLE, str(e))
        context.send_initial_metadata(((HEIGHT_HEADER, str(height)),))
        return raw

    return grpc.unary_unary_rpc_method_handler(handler)


def serve(node_url: str, address: str = DEFAULT_GRPC_ADDRESS, workers: int = 8) -> grpc.Server:
    """Starts the gRPC face (returns the running server; ``server.stop(grace)`` ends it)."""
    return serve_gateway(Gateway(NodeClient(node_url)), address, workers)


def serve_gateway(gateway: Gateway, address: str, workers: int = 8) -> grpc.Server:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers))
    server.add_generic_rpc_handlers((_Handler(gateway),))
    if server.add_insecure_port(address) == 0:
        raise OSError(f"cannot listen on {address}")
    server.start()
    log.info("gRPC gateway on %s for %s", address, gateway.node.url)
    return server
