#!/usr/bin/env bash
# The benchmarks (a command, not a test): installs what it needs first, then runs
# `python -m benchmarks` with the arguments given, e.g.
#   scripts/bench.sh all                       # every part (about 15 minutes on 2 cores)
#   scripts/bench.sh all --quick               # a smoke run of every part (under a minute)
#   scripts/bench.sh inprocess --accounts 100000 --blocks 1000,2000,5000
#   scripts/bench.sh commit --sizes 10000,1000000
#   scripts/bench.sh localnet --validators 1,4
# Markdown results go to stdout, progress to stderr. Results live in docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
exec .venv/bin/python -m benchmarks "${@:-all}"
