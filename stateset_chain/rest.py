"""The REST (LCD) face of the gateway: the Cosmos SDK routes and JSON, as grpc-gateway does.

Routes come from one source, the ``google.api.http`` options of the query services' protobuf
descriptors (the SDK's, as cosmpy ships them, and ours in ``proto/stateset``), read at startup:
``get: "/cosmos/bank/v1beta1/balances/{address}/by_denom"`` on ``cosmos.bank.v1beta1.Query.Balance``
becomes a GET route whose ``{address}`` and query parameters (``?denom=uusdc``, dotted for nested
fields: ``pagination.limit=10``, repeated by repeating: ``events=a&events=b``) fill the request
message; a POST with ``body: "*"`` reads the request from the JSON body. Each route calls the very
handler the gRPC face calls (``Gateway.invoke``), so REST and gRPC cannot disagree.

Answers are proto3 JSON the way the SDK's gateway writes it: field names as in the proto
(``tx_response``, ``gas_used``), 64-bit integers as strings, enums by name, bytes base64, ``Any``
with ``@type``, every field present (unset messages and empty bytes as ``null``). Errors carry
the gRPC status as grpc-gateway does: HTTP status from the code (NotFound 404, InvalidArgument
400, Unimplemented 501, Unavailable 503) and the body
``{"code": <gRPC code>, "message": "...", "details": []}``. A route no service declares
(staking, distribution, gov, mint, ...: modules this chain does not have) answers
``501 {"code": 12, "message": "Not Implemented", "details": []}``, as an SDK chain without the
module does, so explorers can tell "no such module" from "broken".

``GET /openapi.json`` serves the OpenAPI 3 document built from the same routes and descriptors
(checked in as ``docs/openapi.json``; ``python -m stateset_chain.rest > docs/openapi.json``
regenerates it).

    statesetd gateway --node http://127.0.0.1:26657 --address 127.0.0.1:9090 --rest 127.0.0.1:1317
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import grpc
from google.api import annotations_pb2
from google.protobuf import json_format, message_factory, symbol_database
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor
from google.protobuf.message import Message
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.client import ClientError
from stateset_chain.gateway import HEIGHT_HEADER, Gateway, GatewayError, parse_height

from cosmos.auth.v1beta1 import auth_pb2
from cosmos.auth.v1beta1 import query_pb2 as auth_query
from cosmos.bank.v1beta1 import query_pb2 as bank_query
from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from cosmos.base.tendermint.v1beta1 import query_pb2 as tm_query
from cosmos.consensus.v1 import query_pb2 as consensus_query
from cosmos.crypto.ed25519 import keys_pb2 as ed25519_keys
from cosmos.crypto.secp256k1 import keys_pb2 as secp256k1_keys
from cosmos.tx.v1beta1 import service_pb2 as tx_service
from cosmos.upgrade.v1beta1 import query_pb2 as upgrade_query
from stateset.auth.v1 import query_pb2 as stateset_auth_query
from stateset.cctp.v1 import query_pb2 as cctp_query
from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.compliance.v1 import query_pb2 as compliance_query
from stateset.compliance.v1 import tx_pb2 as compliance_tx
from stateset.conditional.v1 import query_pb2 as conditional_query
from stateset.conditional.v1 import tx_pb2 as conditional_tx
from stateset.crosschain.v1 import query_pb2 as crosschain_query
from stateset.crosschain.v1 import tx_pb2 as crosschain_tx
from stateset.inventory.v1 import query_pb2 as inventory_query
from stateset.inventory.v1 import tx_pb2 as inventory_tx
from stateset.oracle.v1 import query_pb2 as oracle_query
from stateset.oracle.v1 import tx_pb2 as oracle_tx
from stateset.orders.v1 import query_pb2 as orders_query
from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.privacy.v1 import query_pb2 as privacy_query
from stateset.privacy.v1 import tx_pb2 as privacy_tx
from stateset.stablecoin.v1 import query_pb2 as stablecoin_query
from stateset.stablecoin.v1 import tx_pb2 as stablecoin_tx
from stateset.subscriptions.v1 import query_pb2 as subscriptions_query
from stateset.subscriptions.v1 import tx_pb2 as subscriptions_tx

# The files whose services the REST face serves, in the order their routes are listed.
SERVED: tuple[ModuleType, ...] = (
    auth_query, bank_query, tm_query, tx_service, consensus_query,
    stateset_auth_query, orders_query, cctp_query, crosschain_query, stablecoin_query,
    privacy_query, upgrade_query, subscriptions_query, inventory_query, conditional_query,
    oracle_query, compliance_query,
)
# Imported so that Any values (accounts, keys, messages in txs) print with their fields.
_ANY_TYPES = (
    auth_pb2, bank_tx, ed25519_keys, secp256k1_keys, cctp_tx, crosschain_tx, orders_tx,
    privacy_tx, stablecoin_tx, subscriptions_tx, inventory_tx, conditional_tx, oracle_tx,
    compliance_tx,
)

NOT_IMPLEMENTED = grpc.StatusCode.UNIMPLEMENTED
OPENAPI_PATH = "/openapi.json"

# grpc-gateway's runtime.HTTPStatusFromCode.
HTTP_STATUS: dict[grpc.StatusCode, int] = {
    grpc.StatusCode.OK: 200,
    grpc.StatusCode.CANCELLED: 408,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DATA_LOSS: 500,
}


# -- routes from the descriptors ----------------------------------------------------------------


@dataclass(frozen=True)
class RestRoute:
    """One HTTP binding of one gRPC method."""

    verb: str  # "GET" or "POST" (the verbs the served services use)
    template: str  # "/cosmos/bank/v1beta1/balances/{address}/by_denom"
    method: MethodDescriptor
    body: str  # "" (none), "*" (the whole request) or a request field name

    @property
    def grpc_path(self) -> str:
        return f"/{self.method.containing_service.full_name}/{self.method.name}"

    @property
    def path_fields(self) -> list[str]:
        """The request fields bound in the path (``address``; dotted for nested fields)."""
        return [m.group(1) for m in _VARIABLE.finditer(self.template)]

    @property
    def starlette_path(self) -> str:
        """``{denom=**}`` -> ``{denom:path}``, dots in names -> ``__`` (Starlette's syntax)."""

        def convert(m: re.Match) -> str:
            name = m.group(1).replace(".", "__")
            return "{" + name + (":path" if m.group(2) == "**" else "") + "}"

        return _VARIABLE.sub(convert, self.template)

    def sort_key(self) -> tuple[int, ...]:
        # Literal segments before variables at the same depth (``txs/block/{height}`` before
        # ``txs/{hash}``, ``blocks/latest`` before ``blocks/{height}``), as grpc-gateway matches.
        return tuple(
            (2 if "**" in s else 1) if s.startswith("{") else 0
            for s in self.template.strip("/").split("/")
        )


_VARIABLE = re.compile(r"\{([A-Za-z0-9_.]+)(?:=([^}]*))?\}")
_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "delete": "DELETE", "patch": "PATCH"}


def routes_of(files: Iterable[ModuleType] = SERVED) -> list[RestRoute]:
    """Every ``google.api.http`` binding (main and additional) of the files' services."""
    out: list[RestRoute] = []
    for module in files:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                options = method.GetOptions()
                if not options.HasExtension(annotations_pb2.http):
                    continue
                rule = options.Extensions[annotations_pb2.http]
                for binding in (rule, *rule.additional_bindings):
                    kind = binding.WhichOneof("pattern")
                    if kind not in _VERBS:
                        continue
                    out.append(
                        RestRoute(_VERBS[kind], getattr(binding, kind), method, binding.body)
                    )
    return sorted(out, key=RestRoute.sort_key)


def _message_class(descriptor: Descriptor) -> type[Message]:
    return message_factory.GetMessageClass(descriptor)


# -- requests: path, query string and body into the request message -----------------------------


def build_request(
    route: RestRoute,
    path_params: dict[str, str],
    query: Sequence[tuple[str, str]],
    body: bytes,
) -> Message:
    """The request message for ``route``; a value that does not fit raises GatewayError
    (INVALID_ARGUMENT). Unknown query parameters are ignored, as grpc-gateway ignores them."""
    request = _message_class(route.method.input_type)()
    try:
        if route.body == "*":
            json_format.Parse(body or b"{}", request)
        elif route.body:
            field = getattr(request, route.body)
            json_format.Parse(body or b"{}", field)
        values: dict[str, list[str]] = {}
        if route.body != "*":
            for key, value in query:
                values.setdefault(key, []).append(value)
        for name, value in path_params.items():
            values[name.replace("__", ".")] = [value]
        extra = _nested_dict(request.DESCRIPTOR, values)
        if extra:
            parsed = type(request)()
            json_format.ParseDict(extra, parsed, ignore_unknown_fields=True)
            request.MergeFrom(parsed)
    except (json_format.ParseError, ValueError, TypeError) as e:
        raise GatewayError(grpc.StatusCode.INVALID_ARGUMENT, str(e)) from None
    return request


def _nested_dict(descriptor: Descriptor, values: dict[str, list[str]]) -> dict[str, Any]:
    """``{"pagination.limit": ["10"]}`` -> ``{"pagination": {"limit": "10"}}``, with each value
    typed for json_format (bools and repeated fields); unknown names are dropped."""
    out: dict[str, Any] = {}
    for dotted, raw in values.items():
        parts = dotted.split(".")
        desc, target = descriptor, out
        field = None
        for i, part in enumerate(parts):
            field = desc.fields_by_name.get(part) if desc is not None else None
            if field is None:
                break
            if i < len(parts) - 1:
                if field.message_type is None or _is_repeated(field):
                    field = None
                    break
                target = target.setdefault(part, {})
                desc = field.message_type
        if field is None:
            continue
        converted = [_scalar(field, v) for v in raw]
        target[parts[-1]] = converted if _is_repeated(field) else converted[-1]
    return out


def _is_repeated(field: FieldDescriptor) -> bool:
    return field.label == FieldDescriptor.LABEL_REPEATED


def _scalar(field: FieldDescriptor, value: str) -> Any:
    if field.type == FieldDescriptor.TYPE_BOOL:
        if value.lower() in ("true", "1"):
            return True
        if value.lower() in ("false", "0", ""):
            return False
        raise ValueError(f"{field.name}: {value!r} is not a bool")
    if field.type == FieldDescriptor.TYPE_ENUM and value.lstrip("-").isdigit():
        return int(value)
    return value


# -- responses ---------------------------------------------------------------------------------


def to_json(message: Message) -> dict[str, Any]:
    """Proto3 JSON as the SDK's gateway writes it (gogoproto's jsonpb with ``OrigName`` and
    ``EmitDefaults``): proto field names, every field present, and an unset message or empty
    bytes as ``null`` (``"pub_key": null``, ``"next_key": null``), so a client may read
    ``pagination.total`` without checking that ``pagination`` exists."""
    out = json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    _emit_nulls(message, out)
    return out


def _emit_nulls(message: Message, out: dict[str, Any]) -> None:
    full_name = message.DESCRIPTOR.full_name
    if full_name == "google.protobuf.Any":
        inner = _unpacked(message)
        if inner is not None and inner.DESCRIPTOR.full_name not in _WELL_KNOWN:
            _emit_nulls(inner, out)
        return
    if full_name in _WELL_KNOWN:
        return
    for field in message.DESCRIPTOR.fields:
        name = field.name
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            continue
        if _is_repeated(field):
            if field.message_type is not None:
                for item, item_out in zip(getattr(message, name), out.get(name, []), strict=False):
                    if isinstance(item_out, dict):
                        _emit_nulls(item, item_out)
            continue
        if field.message_type is not None:
            if not message.HasField(name):
                out[name] = None
            elif isinstance(out.get(name), dict):
                _emit_nulls(getattr(message, name), out[name])
        elif field.type == FieldDescriptor.TYPE_BYTES and not getattr(message, name):
            if field.containing_oneof is None:
                out[name] = None


def _unpacked(packed: Any) -> Message | None:
    try:
        descriptor = symbol_database.Default().pool.FindMessageTypeByName(
            packed.type_url.split("/")[-1]
        )
    except KeyError:
        return None
    inner = _message_class(descriptor)()
    inner.ParseFromString(packed.value)
    return inner


def error_body(code: grpc.StatusCode, message: str) -> dict[str, Any]:
    return {"code": code.value[0], "message": message, "details": []}


def error_response(code: grpc.StatusCode, message: str) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=HTTP_STATUS.get(code, 500))


def _endpoint(gateway: Gateway, route: RestRoute):
    response_cls = _message_class(route.method.output_type)

    async def endpoint(request: Request) -> Response:
        body = await request.body() if route.verb != "GET" else b""

        def call() -> tuple[Message, int | None]:
            height = parse_height(request.headers.get(HEIGHT_HEADER))
            msg = build_request(
                route, dict(request.path_params), list(request.query_params.multi_items()), body
            )
            return gateway.invoke_at(route.grpc_path, msg, response_cls, height)

        try:
            answer, height = await run_in_threadpool(call)
        except GatewayError as e:
            return error_response(e.code, e.details)
        except ClientError as e:
            return error_response(grpc.StatusCode.UNAVAILABLE, str(e))
        headers = {HEIGHT_HEADER: str(height)} if height is not None else None
        return JSONResponse(to_json(answer), headers=headers)

    endpoint.__name__ = route.method.full_name.replace(".", "_")
    return endpoint


async def _not_implemented(request: Request) -> Response:
    return error_response(NOT_IMPLEMENTED, "Not Implemented")


def make_app(gateway: Gateway, cors: bool = False) -> Starlette:
    """The Starlette application: every route of ``routes_of()``, ``/openapi.json``, and the
    SDK's 501 for anything else. ``cors``: allow any origin (a local wallet UI), as the SDK's
    ``enabled-unsafe-cors``."""
    document = openapi()

    async def serve_openapi(request: Request) -> Response:
        return JSONResponse(document)

    table: list[Route] = [Route(OPENAPI_PATH, serve_openapi, methods=["GET"])]
    table += [
        Route(r.starlette_path, _endpoint(gateway, r), methods=[r.verb]) for r in routes_of()
    ]
    table.append(
        Route("/{rest:path}", _not_implemented, methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    )
    middleware = (
        [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"],
                    expose_headers=[HEIGHT_HEADER])]
        if cors else []
    )
    return Starlette(routes=table, middleware=middleware)


# -- OpenAPI -------------------------------------------------------------------------------------

_INT64 = {
    FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT64,
    FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64,
}
_INT32 = {
    FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_SINT32,
    FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_SFIXED32,
}
_UNSIGNED = {FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED64}
_WELL_KNOWN: dict[str, dict[str, Any]] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string", "example": "1.5s"},
    "google.protobuf.Any": {
        "type": "object",
        "properties": {"@type": {"type": "string"}},
        "additionalProperties": True,
    },
}


def _ref(full_name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{full_name}"}


class _Schemas:
    def __init__(self) -> None:
        self.schemas: dict[str, dict[str, Any]] = {}

    def message(self, desc: Descriptor) -> dict[str, Any]:
        if desc.full_name in _WELL_KNOWN:
            return dict(_WELL_KNOWN[desc.full_name])
        if desc.full_name not in self.schemas:
            self.schemas[desc.full_name] = {}  # being built: a recursive message $refs itself
            properties = {f.name: self.field(f) for f in desc.fields}
            self.schemas[desc.full_name] = {"type": "object", "properties": properties}
        return _ref(desc.full_name)

    def field(self, f: FieldDescriptor) -> dict[str, Any]:
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            value = f.message_type.fields_by_name["value"]
            return {"type": "object", "additionalProperties": self.single(value)}
        schema = self.single(f)
        return {"type": "array", "items": schema} if _is_repeated(f) else schema

    def single(self, f: FieldDescriptor) -> dict[str, Any]:
        if f.message_type is not None:
            return self.message(f.message_type)
        if f.enum_type is not None:
            return {"type": "string", "enum": [v.name for v in f.enum_type.values]}
        if f.type in _INT64:
            return {"type": "string", "format": "uint64" if f.type in _UNSIGNED else "int64"}
        if f.type in _INT32:
            return {"type": "integer", "format": "int32"}
        if f.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
            return {"type": "number"}
        if f.type == FieldDescriptor.TYPE_BOOL:
            return {"type": "boolean"}
        if f.type == FieldDescriptor.TYPE_BYTES:
            return {"type": "string", "format": "byte"}
        return {"type": "string"}


def _query_parameters(
    desc: Descriptor, skip: set[str], schemas: _Schemas, prefix: str = "", depth: int = 0
) -> list[dict[str, Any]]:
    """The scalar request fields a GET takes as query parameters (dotted below messages)."""
    out: list[dict[str, Any]] = []
    for f in desc.fields:
        name = prefix + f.name
        if name in skip:
            continue
        if f.message_type is not None and f.message_type.full_name not in _WELL_KNOWN:
            if _is_repeated(f) or depth >= 2:
                continue
            out += _query_parameters(f.message_type, skip, schemas, name + ".", depth + 1)
            continue
        out.append({"name": name, "in": "query", "required": False, "schema": schemas.field(f)})
    return out


def openapi(routes: Sequence[RestRoute] | None = None) -> dict[str, Any]:
    """The OpenAPI 3 document of the REST face (deterministic: the same build, the same bytes)."""
    routes = routes_of() if routes is None else routes
    schemas = _Schemas()
    error = {
        "type": "object",
        "properties": {
            "code": {"type": "integer", "format": "int32"},
            "message": {"type": "string"},
            "details": {"type": "array", "items": _WELL_KNOWN["google.protobuf.Any"]},
        },
    }
    paths: dict[str, dict[str, Any]] = {}
    for r in sorted(routes, key=lambda r: (r.template, r.verb)):
        bound = set(r.path_fields)
        operation: dict[str, Any] = {
            "operationId": f"{r.method.full_name}" + ("" if r.template == _main(r) else "_2"),
            "summary": r.grpc_path,
            "tags": [r.method.containing_service.full_name],
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in r.path_fields
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {"schema": schemas.message(r.method.output_type)}
                    },
                },
                "default": {
                    "description": "A gRPC status as JSON",
                    "content": {"application/json": {"schema": _ref("Status")}},
                },
            },
        }
        if r.body:
            target = (
                r.method.input_type if r.body == "*"
                else r.method.input_type.fields_by_name[r.body].message_type
            )
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": schemas.message(target)}},
            }
        else:
            operation["parameters"] += _query_parameters(r.method.input_type, bound, schemas)
        paths.setdefault(r.template, {})[r.verb.lower()] = operation
    schemas.schemas["Status"] = error
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "stateset-chain REST (LCD) API",
            "version": "1",
            "description": (
                "Cosmos SDK REST routes and this chain's modules, from the google.api.http "
                "options of the query services. Errors are gRPC statuses as JSON."
            ),
        },
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.schemas.items()))},
    }


def _main(r: RestRoute) -> str:
    rule = r.method.GetOptions().Extensions[annotations_pb2.http]
    kind = rule.WhichOneof("pattern")
    return getattr(rule, kind) if kind else ""


def openapi_text() -> str:
    return json.dumps(openapi(), indent=1, sort_keys=True) + "\n"


# -- serving -------------------------------------------------------------------------------------


def serve_rest(gateway: Gateway, host: str, port: int, cors: bool = False) -> None:
    """Runs the REST face with uvicorn until SIGINT/SIGTERM (blocks)."""
    import uvicorn

    config = uvicorn.Config(
        make_app(gateway, cors=cors), host=host, port=port, log_level="warning",
        access_log=False,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    sys.stdout.write(openapi_text())
