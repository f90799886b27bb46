"""The benchmark's fast signer must produce exactly what cosmpy produces (else the benchmark would
measure transactions no wallet sends)."""

from benchmarks.txs import check_matches_cosmpy


def test_fast_signer_matches_cosmpy_byte_for_byte():
    check_matches_cosmpy()



def test_orders_benchmark_import_equals_genesis_import():
    """The orders benchmark loads its million orders without InitChain; at a small size its
    loader must write exactly what the orders genesis writes."""
    from benchmarks.orders_data import check_import_matches_genesis

    check_import_matches_genesis()
