"""scripts/setup.sh on an installed work tree: every step is skipped and one line says so (the
steps' own progress lines are shown on a first run; see the README)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_setup_on_an_installed_tree_says_it_is_up_to_date():
    done = subprocess.run(
        ["bash", "scripts/setup.sh"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("setup: up to date (.venv, protos, cometbft v0.38.")
    assert line.endswith(" s")


def test_gen_proto_check_reports_whether_the_compiled_modules_match():
    check = subprocess.run(["bash", "scripts/gen_proto.sh", "--check"], cwd=ROOT, timeout=60)
    assert check.returncode == 0
