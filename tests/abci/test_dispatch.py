"""The failure policy: mempool/query bugs become code-1 answers; consensus bugs stop the node."""

from __future__ import annotations

import logging

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path)
import pytest

from stateset_chain.abci.application import BaseApplication
from stateset_chain.abci.dispatch import (
    APP_METHODS,
    ApplicationCrashed,
    Dispatcher,
    Halted,
    UnknownRequest,
    method_of,
)

from tendermint.abci import types_pb2 as abci


class BrokenApp(BaseApplication):
    def check_tx(self, req):
        raise ValueError("bug in the ante chain")

    def query(self, req):
        raise KeyError("bug in a query handler")

    def finalize_block(self, req):
        raise ZeroDivisionError("bug in a message handler")

    def commit(self, req):
        return None  # forgot to return the response

    def list_snapshots(self, req):
        raise OSError("snapshot dir unreadable")


def test_every_request_method_except_echo_and_flush_is_an_app_method():
    request_methods = {f.name for f in abci.Request.DESCRIPTOR.oneofs_by_name["value"].fields}
    assert set(APP_METHODS) == request_methods - {"echo", "flush"}
    for method in APP_METHODS:
        assert callable(getattr(BaseApplication, method))


def test_check_tx_exception_becomes_code_1_undefined_answer(caplog):
    dispatcher = Dispatcher(BrokenApp())
    with caplog.at_level(logging.ERROR, logger="stateset.abci"):
        res = dispatcher.handle(abci.Request(check_tx=abci.RequestCheckTx(tx=b"x")))
    assert res.WhichOneof("value") == "check_tx"
    assert (res.check_tx.code, res.check_tx.codespace) == (1, "undefined")
    assert res.check_tx.log == "internal error: ValueError"
    assert any(r.exc_info for r in caplog.records)  # the traceback is logged
    assert dispatcher.crashed is None


def test_query_exception_becomes_code_1_undefined_answer():
    res = Dispatcher(BrokenApp()).handle(abci.Request(query=abci.RequestQuery(path="/x")))
    assert (res.query.code, res.query.codespace) == (1, "undefined")
    assert res.query.log == "internal error: KeyError"


def test_snapshot_exception_answers_no_snapshots():
    res = Dispatcher(BrokenApp()).handle(abci.Request(list_snapshots=abci.RequestListSnapshots()))
    assert res.WhichOneof("value") == "list_snapshots"
    assert len(res.list_snapshots.snapshots) == 0


def test_finalize_block_exception_crashes_and_halts_every_later_call():
    dispatcher = Dispatcher(BrokenApp())
    with pytest.raises(ApplicationCrashed) as info:
        dispatcher.handle(abci.Request(finalize_block=abci.RequestFinalizeBlock(height=1)))
    assert info.value.method == "finalize_block"
    assert isinstance(info.value.cause, ZeroDivisionError)
    with pytest.raises(Halted):
        dispatcher.handle(abci.Request(info=abci.RequestInfo()))


def test_wrong_return_type_in_a_consensus_method_is_a_crash():
    with pytest.raises(ApplicationCrashed) as info:
        Dispatcher(BrokenApp()).handle(abci.Request(commit=abci.RequestCommit()))
    assert isinstance(info.value.cause, TypeError)


def test_answer_is_wrapped_in_the_response_field_of_the_same_method():
    dispatcher = Dispatcher(BaseApplication())
    for method in APP_METHODS:
        request = abci.Request()
        getattr(request, method).SetInParent()
        assert dispatcher.handle(request).WhichOneof("value") == method


def test_echo_and_flush_are_answered_without_the_app():
    dispatcher = Dispatcher(BrokenApp())
    echo = dispatcher.handle(abci.Request(echo=abci.RequestEcho(message="hello")))
    assert echo.echo.message == "hello"
    assert dispatcher.handle(abci.Request(flush=abci.RequestFlush())).HasField("flush")


def test_request_without_a_method_is_unknown():
    with pytest.raises(UnknownRequest):
        method_of(abci.Request())


def test_respond_gives_the_bytes_of_the_wrapped_response_for_every_method():
    """The server's path writes the app's answer straight into the Response's field: the bytes
    are exactly those of ``handle``'s Response."""
    dispatcher = Dispatcher(BaseApplication())
    requests = [abci.Request(echo=abci.RequestEcho(message="hi")),
                abci.Request(flush=abci.RequestFlush()),
                abci.Request(check_tx=abci.RequestCheckTx(tx=b"a=1"))]
    for method in APP_METHODS:
        request = abci.Request()
        getattr(request, method).SetInParent()
        requests.append(request)
    for request in requests:
        raw = dispatcher.respond(request.SerializeToString())
        assert raw == dispatcher.handle(request).SerializeToString()
        assert abci.Response.FromString(raw).WhichOneof("value") == request.WhichOneof("value")
