"""``statesetd indexer migrate|rebuild`` as a user runs them, and the catch-up progress line."""

from __future__ import annotations

import io
import subprocess
import sys

from stateset_chain.indexer.ingest import Progress
from stateset_chain.readside import db


def statesetd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stateset_chain.cli.main", *args],
                          capture_output=True, text=True, timeout=120)


def test_migrate_then_rebuild_an_empty_database(pg_url):
    done = statesetd("indexer", "migrate", "--db", pg_url)
    assert done.returncode == 0, done.stderr
    assert f"schema at revision {db.head_revision()}" in done.stdout
    done = statesetd("indexer", "rebuild", "--db", pg_url)
    assert done.returncode == 0, done.stderr
    assert "rebuilt from 0 events" in done.stdout


def test_migrate_of_an_unreachable_database_is_one_error_line():
    done = statesetd("indexer", "migrate", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert done.returncode == 1
    assert done.stderr.startswith("error: migrating postgresql://nobody@127.0.0.1:1/none failed")


def test_progress_line_shows_height_rate_and_eta():
    out = io.StringIO()
    progress = Progress(True, out)
    progress.samples.append((0.0, 0, 0))  # as if ingest had started at monotonic time 0
    progress.update(100, 1000, 5000)
    line = out.getvalue()
    assert "100/1000" in line and "10.0%" in line
    assert "blocks/s" in line and "events/s" in line and "ETA" in line


def test_progress_is_quiet_at_the_tip_and_when_disabled():
    out = io.StringIO()
    Progress(True, out).update(1000, 1000, 5)
    Progress(False, out).update(1, 1000, 5)
    assert out.getvalue() == ""
