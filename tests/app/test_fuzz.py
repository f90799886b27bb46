"""Whatever bytes arrive, CheckTx and FinalizeBlock answer (never raise), FinalizeBlock returns
one result per tx, and nothing but valid transactions changes state."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.chain import Chain, address

from tendermint.abci import types_pb2 as abci


@pytest.fixture(scope="module")
def chain() -> Chain:
    return Chain.start()


@pytest.fixture(scope="module")
def valid(chain) -> bytes:
    return chain.send(chain.wallets[0], address(chain.wallets[1]), 1, sequence=0)


def mutate(data: bytes, draw) -> bytes:
    kind = draw(st.sampled_from(["flip", "truncate", "insert", "splice"]))
    if kind == "flip" and data:
        i = draw(st.integers(0, len(data) - 1))
        return data[:i] + bytes([data[i] ^ (1 << draw(st.integers(0, 7)))]) + data[i + 1 :]
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "insert":
        i = draw(st.integers(0, len(data)))
        return data[:i] + draw(st.binary(min_size=1, max_size=12)) + data[i:]
    i, j = sorted(draw(st.lists(st.integers(0, len(data)), min_size=2, max_size=2)))
    return data[:i] + data[j:]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_bytes_get_an_answer_and_change_nothing(chain, valid, data):
    txs = [
        mutate(valid, data.draw) if data.draw(st.booleans()) else data.draw(st.binary(max_size=300))
        for _ in range(data.draw(st.integers(1, 4)))
    ]
    txs = [t for t in txs if t != valid]
    for tx in txs:
        res = chain.app.check_tx(abci.RequestCheckTx(tx=tx))
        assert isinstance(res.code, int)
    before = chain.core.store.last_app_hash
    res = chain.finalize(txs)
    assert len(res.tx_results) == len(txs)
    changed = [r for r in res.tx_results if r.code == 0]
    chain.commit()
    if not changed:
        assert chain.core.store.last_app_hash == before
