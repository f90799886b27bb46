"""The import-memory benchmark at a tiny size: it labels every phase of the import, and the
orders state it leaves does not depend on how many orders go into one commit."""

from __future__ import annotations

from benchmarks import orders_import
from benchmarks.network import NetResult, NetworkResult

PHASES = {"orders into the branch", "stage (tree update)", "commit: building the batch",
          "commit: LevelDB write"}


def test_the_import_benchmark_reports_each_phase_and_the_same_state_for_any_chunk():
    one = orders_import.run(300, 300, n_accounts=4, log=lambda *a: None)
    three = orders_import.run(300, 100, n_accounts=4, trace=True, log=lambda *a: None)
    assert PHASES <= set(one.phase_peak_rss_mib) and PHASES <= set(three.phase_peak_rss_mib)
    assert three.height == one.height + 2  # one commit per chunk
    assert one.app_hash == three.app_hash  # the orders state is the chunks' union
    # statm and ru_maxrss count pages slightly differently: within a few MiB
    assert max(one.phase_peak_rss_mib.values()) > one.rss_before_mib > 0
    assert one.peak_rss_mib + 8 >= max(one.phase_peak_rss_mib.values())
    assert three.top_allocations and PHASES <= set(three.phase_traced_peak_mib)
    assert not one.top_allocations
    assert "peak RSS" in three.markdown() and "tracemalloc" in three.markdown()


def test_the_genesis_import_benchmark_streams_or_holds_the_same_genesis():
    streamed = orders_import.run_genesis(120, 25, n_accounts=4, log=lambda *a: None)
    held = orders_import.run_genesis(120, 25, n_accounts=4, held=True, log=lambda *a: None)
    in_file = orders_import.run_genesis(
        120, 25, n_accounts=4, log=lambda *a: None, orders_file=True
    )
    assert streamed.app_hash == held.app_hash == in_file.app_hash
    assert streamed.height == held.height == in_file.height == 1
    assert streamed.genesis_mib > 0.1 and "InitChain" in streamed.phase_peak_rss_mib
    assert "streamed" in streamed.markdown() and "held in memory" in held.markdown()
    # the orders in their own file: the document is small, the file holds what it lost
    assert in_file.genesis_mib < 0.1 < in_file.orders_file_mib
    assert in_file.genesis_mib + in_file.orders_file_mib >= streamed.genesis_mib
    assert "named by its SHA-256" in in_file.markdown()


def _run(kind: str, validators: int, committed: int, elapsed: float) -> NetResult:
    return NetResult(kind, validators, committed, 0, committed, 0, elapsed, [0.5] * committed,
                     3, committed // 3)


def test_the_localnet_result_gives_ours_against_kvstore_per_validator_count():
    result = NetworkResult([_run("stateset", 1, 800, 1.0), _run("kvstore", 1, 1000, 1.0),
                            _run("stateset", 4, 300, 2.0)], "settings")
    assert result.ratios == {1: 0.8}  # 4 validators: no kvstore run to compare with
    assert "stateset / kvstore committed tx/s = 80%" in result.markdown()
