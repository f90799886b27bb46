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
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  touch "$stamp"
fi

bash scripts/gen_proto.sh

# The compiled core of the storage path (native/: Rust + PyO3, built by maturin from source).
# Rebuilt when its sources change; needs a Rust toolchain (rustup's default location is searched).
native_stamp=".venv/.native-$(cat native/Cargo.toml native/pyproject.toml native/src/*.rs \
  | sha256sum | cut -c1-16)"
if [ ! -f "$native_stamp" ]; then
  export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
  command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required to build native/" >&2; exit 1; }
  echo "setup: building native/ (maturin, release) ..." >&2
  .venv/bin/pip install -q 'maturin>=1.5,<2'
  (cd native && VIRTUAL_ENV="$root/.venv" "$root/.venv/bin/maturin" develop --release --quiet)
  rm -f .venv/.native-*
  touch "$native_stamp"
fi

mkdir -p .bin
have=""
[ -x .bin/cometbft ] && have="v$(.bin/cometbft version 2>/dev/null || true)"
if [ "$have" != "$COMETBFT_VERSION" ]; then
  command -v go >/dev/null || { echo "setup: Go is required to build CometBFT" >&2; exit 1; }
  echo "setup: building cometbft $COMETBFT_VERSION (go install) ..." >&2
  GOBIN="$root/.bin" go install "github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}"
fi

# cosmjs for the end-to-end tests that drive the localnet from Node (tests/js, pinned by its
# package-lock.json); skipped when npm is not installed (those tests then say so and skip).
if command -v npm >/dev/null; then
  js_stamp="tests/js/node_modules/.installed-$(sha256sum tests/js/package-lock.json | cut -c1-16)"
  if [ ! -f "$js_stamp" ]; then
    echo "setup: installing cosmjs for the tests (npm ci in tests/js) ..." >&2
    (cd tests/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$js_stamp"
  fi
fi
