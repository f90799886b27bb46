"""``statesetd tx oracle submit-rates FROM EUR=1.0842 ...``: pairs become the message's rates in
the chain's canonical text, bad pairs are a clear error before anything is signed, and the
generated commands exist for every oracle message and query."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cli import oraclecmd
from stateset_chain.cli.main import build_parser
from stateset_chain.client import ClientError


@pytest.mark.parametrize("text, rate", [
    ("1.0842", "1.0842"), ("1.20", "1.2"), ("01.5", "1.5"), ("150.000", "150"),
    ("0.0067", "0.0067"), (" 1.27 ", "1.27"), ("000.5", "0.5"),
])
def test_rates_are_written_canonically(text, rate):
    assert oraclecmd.canonical_rate(text) == rate


@pytest.mark.parametrize("pair, match", [
    ("EUR", "CURRENCY=RATE"), ("=1.1", "CURRENCY=RATE"), ("EUR=", "CURRENCY=RATE"),
    ("EUR=0", "positive"), ("EUR=1e3", "canonical"), ("EUR=-1", "canonical"),
    ("EUR=1." + "1" * 19, "canonical"),
])
def test_bad_pairs_are_refused(pair, match):
    with pytest.raises(ClientError, match=match):
        oraclecmd.parse_pair(pair)


def test_submit_rates_builds_one_message_from_json_and_pairs(tmp_path):
    parser = build_parser()
    args = parser.parse_args([
        "tx", "oracle", "submit-rates", "alice", "eur=1.0842", "GBP=1.270",
        "--rates", '[{"currency": "JPY", "rate": "0.0067"}]',
        "--keyring-dir", str(tmp_path),
    ])
    built = []

    def broadcast(args, build):
        built.extend(build("stateset1feeder"))
        return 0

    assert oraclecmd._submit_rates(args, broadcast) == 0
    (msg,) = built
    assert msg.feeder == "stateset1feeder"
    assert [(r.currency, r.rate) for r in msg.rates] == [
        ("JPY", "0.0067"), ("EUR", "1.0842"), ("GBP", "1.27")]


def test_every_oracle_message_and_query_has_a_command():
    parser = build_parser()
    for argv in (["tx", "oracle", "set-feeders", "--help"],
                 ["tx", "oracle", "override-rate", "--help"],
                 ["tx", "oracle", "update-params", "--help"],
                 ["query", "oracle", "rate", "--help"],
                 ["query", "oracle", "submissions", "--help"]):
        with pytest.raises(SystemExit) as done:
            parser.parse_args(argv)
        assert done.value.code == 0
