"""The memoized bech32 ``encode``/``decode``/``module_address`` (stateset_chain/fast/address.py)
give what the reference (crypto/address.py) gives, on first use and from the memo, and refuse
what it refuses with the same error (a failure is never kept)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateset_chain import fast
from stateset_chain.crypto import address
from stateset_chain.errors import InvalidAddress

RAW = st.one_of(st.binary(min_size=20, max_size=20), st.binary(min_size=32, max_size=32),
                st.binary(max_size=40))


def outcome(fn, *args):
    try:
        return fn(*args)
    except InvalidAddress as e:
        return ("InvalidAddress", e.log)


def test_the_fast_functions_are_installed_behind_the_reference_names():
    for name in ("encode", "decode", "module_address"):
        assert getattr(address, name).__module__ == "stateset_chain.fast.address"
        assert fast.reference(address, name).__module__ == "stateset_chain.crypto.address"


@given(RAW, st.sampled_from([address.PREFIX, "statesetvalcons", "cosmos"]))
def test_encode_and_decode_match_the_reference(raw, prefix):
    ref_encode = fast.reference(address, "encode")
    ref_decode = fast.reference(address, "decode")
    text = ref_encode(raw, prefix)
    for _ in range(2):  # first use, then from the memo
        assert address.encode(raw, prefix) == text
        assert outcome(address.decode, text, prefix) == outcome(ref_decode, text, prefix)
        assert outcome(address.decode, text) == outcome(ref_decode, text)


@given(st.one_of(st.text(max_size=60), st.sampled_from(["", "stateset1", "STATESET1QQQQ"])))
def test_anything_else_is_refused_alike(text):
    ref_decode = fast.reference(address, "decode")
    assert outcome(address.decode, text) == outcome(ref_decode, text)
    assert outcome(address.decode, text) == outcome(ref_decode, text)  # failures are not kept


def test_a_failure_is_not_kept():
    with pytest.raises(InvalidAddress):
        address.decode("stateset1notanaddress")
    with pytest.raises(InvalidAddress):
        address.decode("stateset1notanaddress")


@given(st.text(min_size=1, max_size=20))
def test_module_address_matches_the_reference(name):
    expected = fast.reference(address, "module_address")(name)
    assert address.module_address(name) == expected == address.module_address(name)
