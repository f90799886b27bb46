"""From one decoded ``Request`` to one ``Response``: the lock, the app call and the failure policy.

No sockets here; ``server`` feeds this from its connections. The policy when the app raises:

- ``check_tx`` and ``query`` touch no consensus state, so a bug there costs one answer: the
  response carries code 1, codespace ``undefined``, log ``internal error: <ExcType>`` (the
  Cosmos SDK's answer to an unregistered error) and the traceback goes to the log.
- the snapshot methods answer "no snapshot" (empty list, REJECT, empty chunk, ABORT).
- any other method (info, init_chain, prepare/process_proposal, extend/verify_vote,
  finalize_block, commit) may have left state half-written, so there is no safe answer:
  ``ApplicationCrashed`` is raised and the server stops the process. A ``Response.exception``
  is never sent: CometBFT kills itself on one anyway, without telling us why.

A method that returns something other than its response type is treated as raising.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path; sorts before it)

from stateset_chain.abci.application import BaseApplication
from stateset_chain.protowire import encode_varint

from tendermint.abci import types_pb2 as abci

log = logging.getLogger("stateset.abci")

INTERNAL_ERROR_CODE = 1
INTERNAL_ERROR_CODESPACE = "undefined"

# Request oneof name -> response class. The names are also the BaseApplication method names and
# the Response oneof names.
APP_METHODS: dict[str, type] = {
    "info": abci.ResponseInfo,
    "init_chain": abci.ResponseInitChain,
    "query": abci.ResponseQuery,
    "check_tx": abci.ResponseCheckTx,
    "commit": abci.ResponseCommit,
    "list_snapshots": abci.ResponseListSnapshots,
    "offer_snapshot": abci.ResponseOfferSnapshot,
    "load_snapshot_chunk": abci.ResponseLoadSnapshotChunk,
    "apply_snapshot_chunk": abci.ResponseApplySnapshotChunk,
    "prepare_proposal": abci.ResponsePrepareProposal,
    "process_proposal": abci.ResponseProcessProposal,
    "extend_vote": abci.ResponseExtendVote,
    "verify_vote_extension": abci.ResponseVerifyVoteExtension,
    "finalize_block": abci.ResponseFinalizeBlock,
}


def _internal_error(exc: BaseException) -> dict:
    return {
        "code": INTERNAL_ERROR_CODE,
        "codespace": INTERNAL_ERROR_CODESPACE,
        "log": f"internal error: {type(exc).__name__}",
    }


# Methods whose failure is answered instead of crashing: method -> fallback response builder.
FALLBACKS: dict[str, Callable[[BaseException], object]] = {
    "check_tx": lambda exc: abci.ResponseCheckTx(**_internal_error(exc)),
    "query": lambda exc: abci.ResponseQuery(**_internal_error(exc)),
    "list_snapshots": lambda exc: abci.ResponseListSnapshots(),
    "offer_snapshot": lambda exc: abci.ResponseOfferSnapshot(
        result=abci.ResponseOfferSnapshot.REJECT
    ),
    "load_snapshot_chunk": lambda exc: abci.ResponseLoadSnapshotChunk(),
    "apply_snapshot_chunk": lambda exc: abci.ResponseApplySnapshotChunk(
        result=abci.ResponseApplySnapshotChunk.ABORT
    ),
}


# ``Response`` is a oneof of one message per method: its bytes are the field's tag, the length
# and the answer's own bytes, which ``respond`` writes directly.
_RESPONSE_TAGS: dict[str, bytes] = {
    name: encode_varint(abci.Response.DESCRIPTOR.fields_by_name[name].number << 3 | 2)
    for name in APP_METHODS
}
_FLUSH_RESPONSE = abci.Response(flush=abci.ResponseFlush()).SerializeToString(
    deterministic=True
)
# The first byte of a serialized ``Request`` whose method is one of these (all field numbers
# below 16, so one-byte tags): what a burst of the query connection's traffic starts with.
_QUERY_TAG, *_NO_APP_TAGS = (
    abci.Request.DESCRIPTOR.fields_by_name[name].number << 3 | 2
    for name in ("query", "flush", "echo")
)


class UnknownRequest(ValueError):
    """A ``Request`` with no (or an unknown) method set: the connection is out of sync."""


class ApplicationCrashed(RuntimeError):
    """The app raised in a method whose failure leaves state unknown; the node must stop."""

    def __init__(self, method: str, cause: BaseException) -> None:
        super().__init__(f"application raised in {method}: {type(cause).__name__}: {cause}")
        self.method = method
        self.cause = cause


class Halted(RuntimeError):
    """The dispatcher refuses calls after a crash: the app's state is not to be trusted."""


def method_of(request: abci.Request) -> str:
    """The oneof name of a decoded request, e.g. ``"check_tx"``."""
    method = request.WhichOneof("value")
    if method is None:
        raise UnknownRequest("request has no method set")
    if method not in APP_METHODS and method not in ("echo", "flush"):
        raise UnknownRequest(f"unknown request method {method!r}")
    return method


def answer_locally(request: abci.Request) -> abci.Response | None:
    """Echo and Flush need no app (and no lock); None for every other method."""
    method = request.WhichOneof("value")
    if method == "echo":
        return abci.Response(echo=abci.ResponseEcho(message=request.echo.message))
    if method == "flush":
        return abci.Response(flush=abci.ResponseFlush())
    return None


class Dispatcher:
    """Calls the app for one request at a time under ``lock`` (CometBFT's ``appMtx``), except
    queries the app serves from its committed state (``BaseApplication.query_needs_lock``).

    ``lock`` may be shared with other edges (a gRPC query server) that call the same app.
    """

    def __init__(self, app: BaseApplication, lock: threading.Lock | None = None) -> None:
        self.app = app
        self.lock = lock if lock is not None else threading.Lock()
        self.crashed: ApplicationCrashed | None = None

    def is_lock_free(self, request: abci.Request) -> bool:
        """A query the app answers from its committed state (``query_needs_lock`` False)."""
        return request.WhichOneof("value") == "query" and not self.app.query_needs_lock(
            request.query
        )

    def is_lock_free_burst(self, payloads: list[bytes]) -> bool:
        """Every request of a burst is a lock-free query, a Flush or an Echo (the query
        connection's traffic), so the whole burst may run beside the consensus calls."""
        for payload in payloads:
            tag = payload[0] if payload else -1
            if tag in _NO_APP_TAGS:
                continue
            if tag != _QUERY_TAG:
                return False
            try:
                request = abci.Request.FromString(payload)
            except Exception:  # a bad request: the app's thread reports it and closes
                return False
            if not self.is_lock_free(request):
                return False
        return True

    def handle(self, request: abci.Request) -> abci.Response:
        """Answer one request; raises ``ApplicationCrashed`` or, once crashed, ``Halted``.
        A lock-free query (``is_lock_free``) runs without the lock."""
        local = answer_locally(request)
        if local is not None:
            return local
        method = method_of(request)
        response = abci.Response()
        getattr(response, method).CopyFrom(self._answer(method, request))
        return response

    def respond(self, payload: bytes) -> bytes:
        """The serialized ``Response`` to one serialized ``Request`` (the server's path: the
        app's answer is serialized once, into the Response's field, with no copy). Raises
        ``DecodeError`` or ``UnknownRequest`` for a bad request, and what ``handle`` raises."""
        request = abci.Request.FromString(payload)
        method = method_of(request)
        if method == "flush":
            return _FLUSH_RESPONSE
        if method == "echo":
            return abci.Response(echo=abci.ResponseEcho(message=request.echo.message)) \
                .SerializeToString(deterministic=True)
        body = self._answer(method, request).SerializeToString(deterministic=True)
        return _RESPONSE_TAGS[method] + encode_varint(len(body)) + body

    def _answer(self, method: str, request: abci.Request):
        guard = contextlib.nullcontext() if self.is_lock_free(request) else self.lock
        with guard:
            if self.crashed is not None:
                raise Halted("application crashed earlier; refusing further calls")
            try:
                return self._call(method, request)
            except Exception as exc:
                return self._recover(method, exc)

    def _call(self, method: str, request: abci.Request):
        result = getattr(self.app, method)(getattr(request, method))
        expected = APP_METHODS[method]
        if not isinstance(result, expected):
            raise TypeError(f"{method} returned {type(result).__name__}, not {expected.__name__}")
        return result

    def _recover(self, method: str, exc: Exception):
        fallback = FALLBACKS.get(method)
        if fallback is None:
            log.critical("application raised in %s; stopping", method, exc_info=exc)
            self.crashed = ApplicationCrashed(method, exc)
            raise self.crashed from exc
        log.error("%s failed: internal error: %s", method, type(exc).__name__, exc_info=exc)
        return fallback(exc)
