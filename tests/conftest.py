"""Test options: ``--run-slow`` enables the soak/load tests marked ``slow`` (off by default);
``--fuzz-examples N`` gives the structure-aware fuzz suite (tests/app/test_fuzz_messages.py) a
longer budget than the default run's."""

import pytest
from hypothesis import HealthCheck, settings

# No wall-clock deadline for any Hypothesis test: a test asserts behaviour, never speed, and the
# CI machine's 2 cores are often shared (a 200 ms deadline failed tests/fast/test_gas.py at load
# 25). Tests that set their own settings keep them; this is the default profile for the rest.
settings.register_profile(
    "stateset", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("stateset")


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", help="run tests marked slow (soak/load)")
    parser.addoption(
        "--fuzz-examples", type=int, default=None,
        help="examples per message fuzz test (default: a bounded CI budget; see tests/app)",
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


# --- PostgreSQL: one throwaway cluster per test session, a fresh database per test -------------

_db_counter = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def pg_cluster():
    """A real PostgreSQL cluster (initdb into a temporary folder, loopback port), stopped and
    deleted at the end of the session. (Not under pytest's tmp_path: as root the server runs as
    ``postgres``, which cannot enter pytest's private folders.)"""
    import tempfile

    from localnet.pgcluster import PgCluster

    cluster = PgCluster(tempfile.mkdtemp(prefix="stateset-pg-"))
    cluster.start()
    yield cluster
    cluster.destroy()


@pytest.fixture
def pg_url(pg_cluster):
    """The URL of an empty database of its own (no schema yet)."""
    return pg_cluster.create_database(f"test_{next(_db_counter)}")


@pytest.fixture
def migrated_url(pg_url):
    """The URL of a database of its own, migrated to the newest schema."""
    from stateset_chain.readside.db import migrate

    migrate(pg_url)
    return pg_url
