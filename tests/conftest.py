"""Test options: ``--run-slow`` enables the soak/load tests marked ``slow`` (off by default)."""

import pytest


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", help="run tests marked slow (soak/load)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
