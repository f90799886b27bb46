"""FinalizeBlock serializes each tx result itself (then parses the response once): the fields it
writes by hand must be what protobuf writes, and refuse what protobuf refuses."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.results import _RESULT_GAS_USED, _RESULT_GAS_WANTED
from stateset_chain.protowire import encode_int64_field

from tendermint.abci import types_pb2 as abci


@pytest.mark.parametrize("value", [0, 1, 127, 128, 200_000, 2**21, 2**35, 2**63 - 1, -1, -(2**63)])
def test_gas_fields_are_protobufs_int64(value):
    assert encode_int64_field(_RESULT_GAS_WANTED, value) == abci.ExecTxResult(
        gas_wanted=value
    ).SerializeToString()
    assert encode_int64_field(_RESULT_GAS_USED, value) == abci.ExecTxResult(
        gas_used=value
    ).SerializeToString()


@pytest.mark.parametrize("value", [2**63, 2**64 - 1, -(2**63) - 1])
def test_gas_out_of_int64_range_is_refused_as_protobuf_refuses_it(value):
    with pytest.raises(ValueError, match="Value out of range"):
        abci.ExecTxResult(gas_wanted=value)
    with pytest.raises(ValueError, match="Value out of range"):
        encode_int64_field(_RESULT_GAS_WANTED, value)
