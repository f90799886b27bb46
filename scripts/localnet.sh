#!/usr/bin/env bash
# A local stateset network on loopback: start [--validators 1|4] [--dir DIR], stop, reset, status, logs.
# Installs what it needs first (scripts/setup.sh). See localnet/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
exec .venv/bin/python -m localnet "$@"
