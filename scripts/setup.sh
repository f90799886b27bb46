#!/usr/bin/env bash
# Installs everything the project needs into the work tree: a virtualenv in .venv with the
# package and its dev tools, the compiled protobufs, and a pinned CometBFT in .bin.
# Safe to run again: every step is skipped when its result is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

COMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.25}"
PY="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi

bash scripts/gen_proto.sh

# PostgreSQL (the indexer's database; tests and the localnet start throwaway clusters of it).
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing PostgreSQL (apt-get install postgresql) ..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "setup: PostgreSQL is required (initdb, pg_ctl): install the postgresql package" >&2
    exit 1
  fi
fi

# Chromium (Debian's package): the dashboard test drives it headless through Playwright.
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing chromium (apt-get install chromium) ..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium not found: the dashboard browser test will be skipped" >&2
  fi
fi

mkdir -p .bin
have=""
[ -x .bin/cometbft ] && have="v$(.bin/cometbft version 2>/dev/null || true)"
if [ "$have" != "$COMETBFT_VERSION" ]; then
  command -v go >/dev/null || { echo "setup: Go is required to build CometBFT" >&2; exit 1; }
  echo "setup: building cometbft $COMETBFT_VERSION (go install) ..." >&2
  GOBIN="$root/.bin" go install "github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}"
fi
