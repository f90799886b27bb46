"""Oracle genesis: defaults, validation (InvalidGenesis / InvalidParams), and
``init(export(s))`` reproducing the store byte for byte after real traffic."""

from __future__ import annotations

import json

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.oracle import errors, genesis
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.store.kv import MemoryKV
from tests.oracle.helpers import AUTHORITY, FEEDERS, STRANGER, OChain

from stateset.oracle.v1 import tx_pb2 as t
from stateset.oracle.v1.oracle_pb2 import RateSource


def test_an_empty_genesis_has_the_default_params_and_nothing_else():
    c = OChain(params={}, feeders=[])
    p = c.keeper.params(c.store)
    assert list(p.currencies) == ["EUR", "GBP", "JPY", "CAD"]
    assert (p.quorum, p.staleness_seconds, p.max_deviation_bps, p.deviation_confirm_blocks) == (
        1, 3600, 500, 10)
    assert c.keeper.all_feeders(c.store) == [] and list(c.keeper.all_accepted(c.store)) == []


def test_a_genesis_rate_without_a_time_takes_the_genesis_time_and_height():
    c = OChain(extra={"rates": [{"currency": "EUR", "rate": "1.0842"}]})
    r = c.rate("EUR")
    assert (r.height, r.time.seconds * 10**9, r.source) == (
        1, c.block.time_ns, RateSource.RATE_SOURCE_GENESIS)


@pytest.mark.parametrize("extra, match", [
    ({"feeders": [FEEDERS[0], FEEDERS[0]]}, "twice"),
    ({"feeders": ["nope"]}, "feeders"),
    ({"rates": [{"currency": "CHF", "rate": "1.1"}]}, "CHF"),
    ({"rates": [{"currency": "EUR", "rate": "1.10"}]}, "canonical"),
    ({"rates": [{"currency": "EUR", "rate": "1"}, {"currency": "EUR", "rate": "2"}]},
     "duplicate"),
    ({"submissions": [{"feeder": STRANGER, "currency": "EUR", "rate": "1",
                       "time": "2023-11-14T22:13:20Z"}]}, "not a feeder"),
    ({"submissions": [{"feeder": FEEDERS[0], "currency": "EUR", "rate": "1"}]}, "no time"),
    ({"pending": [{"currency": "EUR", "median": "2", "since_height": "3"}]},
     "without an accepted rate"),
    ({"nonsense": 1}, "nonsense"),
])
def test_bad_genesis(extra, match):
    data = {"params": {"authority": AUTHORITY}, "feeders": FEEDERS[:2], **extra}
    with pytest.raises(errors.InvalidGenesis, match=match):
        OChain(params={}, feeders=data["feeders"], extra={k: v for k, v in data.items()
                                                          if k not in ("params", "feeders")})


def test_bad_genesis_params():
    with pytest.raises(errors.InvalidParams):
        OChain(params={"quorum": 0})


def test_export_then_import_reproduces_the_store():
    c = OChain(params={"max_deviation_bps": 100, "quorum": 2})
    c.submit(FEEDERS[0], EUR="1.08", GBP="1.27")
    c.submit(FEEDERS[1], EUR="1.09", GBP="1.28", JPY="0.0067")
    c.end_block()
    c.submit(FEEDERS[2], EUR="1.5")
    c.submit(FEEDERS[3], EUR="1.6")
    c.end_block()  # a refused streak for EUR
    c.deliver(t.MsgOverrideRate(authority=AUTHORITY, currency="CAD", rate="0.72", reason="r"))
    assert c.keeper.pending.has(c.store, "EUR")
    exported = genesis.export_genesis(c.keeper, c.ctx())
    json.dumps(exported)  # plain JSON
    store = MemoryKV()
    from stateset_chain.context import Context

    genesis.init_genesis(OracleKeeper(), Context(store=store, block=c.block), exported)
    assert list(store.iterate(b"", None)) == list(c.store.iterate(b"", None))
