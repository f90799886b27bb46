"""The benchmark's fast signer must produce exactly what cosmpy produces (else the benchmark would
measure transactions no wallet sends)."""

from stateset_chain.bench.txs import check_matches_cosmpy


def test_fast_signer_matches_cosmpy_byte_for_byte():
    check_matches_cosmpy()

