#!/usr/bin/env bash
# The whole test suite, including the end-to-end tests against real CometBFT nodes.
# Installs what it needs first. Extra arguments go to pytest (e.g. -k bank, --run-slow).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
.venv/bin/ruff check stateset_chain benchmarks localnet tests
.venv/bin/python -m mypy stateset_chain benchmarks localnet
exec .venv/bin/python -m pytest -q "$@"
