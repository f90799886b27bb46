"""Test options: ``--run-slow`` enables the soak/load tests marked ``slow`` (off by default);
``--fuzz-examples N`` gives the structure-aware fuzz suite (tests/app/test_fuzz_messages.py) a
longer budget than the default run's."""

import pytest


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
