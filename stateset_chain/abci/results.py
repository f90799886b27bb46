"""The state machine's results as ``tendermint.abci`` bytes.

A block's results hold thousands of event attributes, and building each one as a protobuf object
costs more than writing its bytes. So a successful tx's ``ExecTxResult`` is written here field by
field (``abci.events.encode_events_into`` writes the event bytes), and the whole
``ResponseFinalizeBlock`` is parsed once from them. A failed tx's result, rare and small, is
built as a protobuf (the reference the hand-written bytes must equal; tests compare them).
"""

from __future__ import annotations

from collections.abc import Sequence

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.events import encode_events_into, write_events
from stateset_chain.app_types import BlockResult, TxResult
from stateset_chain.protowire import encode_field, encode_int64_field

from tendermint.abci import types_pb2 as abci

# Field tags of the hand-serialized messages (tendermint/abci/types.proto).
_TX_RESULTS = b"\x12"  # ResponseFinalizeBlock.tx_results: field 2, length-delimited
_RESULT_DATA = b"\x12"  # ExecTxResult.data: field 2, length-delimited
_RESULT_GAS_WANTED = b"\x28"  # ExecTxResult.gas_wanted: field 5, varint
_RESULT_GAS_USED = b"\x30"  # ExecTxResult.gas_used: field 6, varint
_RESULT_EVENTS = b"\x3a"  # ExecTxResult.events: field 7, length-delimited


def encode_tx_result(result: TxResult) -> bytes:
    """The ``ExecTxResult`` of ``result``, serialized as protobuf does (``deterministic=True``).
    Raises ``ValueError`` where protobuf would (a gas figure out of int64)."""
    if result.code != 0:
        return tx_result_proto(result).SerializeToString(deterministic=True)
    # ExecTxResult{code: 0, data, gas_wanted, gas_used, events}, in field order.
    out = [
        encode_field(_RESULT_DATA, result.data) if result.data else b"",
        encode_int64_field(_RESULT_GAS_WANTED, result.gas_wanted),
        encode_int64_field(_RESULT_GAS_USED, result.gas_used),
    ]
    for manager, extra in result.events:
        encode_events_into(manager, out, _RESULT_EVENTS, extra)
    return b"".join(out)


def tx_result_proto(result: TxResult) -> abci.ExecTxResult:
    """``result`` as an ``ExecTxResult`` protobuf (the reference encoding)."""
    proto = abci.ExecTxResult(
        code=result.code, codespace=result.codespace, log=result.log, data=result.data,
        gas_wanted=result.gas_wanted, gas_used=result.gas_used,
    )
    for manager, extra in result.events:
        write_events(manager, proto.events, extra)
    return proto


def finalize_block_response(block: BlockResult[bytes]) -> abci.ResponseFinalizeBlock:
    """The response of a block whose tx results are ``encode_tx_result``'s bytes: parsed once."""
    response = abci.ResponseFinalizeBlock.FromString(tx_results_bytes(block.tx_results))
    for events in block.events:
        write_events(events, response.events)
    response.app_hash = block.app_hash
    return response


def tx_results_bytes(results: Sequence[bytes]) -> bytes:
    return b"".join([encode_field(_TX_RESULTS, result) for result in results])
