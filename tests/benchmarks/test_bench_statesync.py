"""The state-sync benchmark at a tiny size: it runs, restores the source's app hash and state
(its own checks), and reports consistent figures."""

from __future__ import annotations

from benchmarks import statesync


def test_the_statesync_benchmark_restores_what_it_snapshotted():
    result = statesync.run(300, 100, lambda *a: None)
    assert result.chunks == 1 and result.items > 300
    assert result.state_keys > result.items  # the node-local indexes are not in the snapshot
    assert result.restored_local_keys == result.state_keys - result.items
    assert 0 < result.disk_mib < result.raw_mib
    assert len(result.checks) == 2
    assert "restore total" in result.markdown()
