"""``--json PATH`` writes every figure of a benchmark part machine-readably, with the same run's
single-core secp256k1 verify rate (so each figure can be read as a ratio to it)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks import report

ROOT = Path(__file__).resolve().parents[2]  # the checkout: benchmarks/ is not in the package


def test_abci_part_writes_its_figures_and_the_verify_rate(tmp_path):
    out = tmp_path / "abci.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "abci", "--requests", "300",
         "--burst", "50", "--repeats", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text())
    assert doc["part"] == "abci" and doc["secp256k1_verify_per_cpu_s"] > 100
    patterns = doc["result"]["patterns"]
    assert [p["burst"] for p in patterns] == [50, 1]
    assert all(p["cpu_us"] and p["requests"] > 0 for p in patterns)


@dataclass
class _Row:
    size: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.size / self.seconds


def test_jsonable_keeps_fields_and_properties_and_flattens_tuple_keys():
    data = report.jsonable({("a", "b"): [_Row(10, 2.0)], "n": None})
    assert data == {"a/b": [{"size": 10, "seconds": 2.0, "rate": 5.0}], "n": None}
