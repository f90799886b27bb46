#!/usr/bin/env bash
# Installs everything the project needs into the work tree: a virtualenv in .venv with the
# package and its dev tools, the compiled protobufs, and a pinned CometBFT in .bin.
# Safe to run again: every step is skipped when its result is already there. Each step says what
# it does and how long it took (on stderr); when nothing was to do, one line says so.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

COMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.25}"
PY="${PYTHON:-python3}"

# Milliseconds since the epoch (bash 5's EPOCHREALTIME; whole seconds on older shells).
now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t="${EPOCHREALTIME/[.,]/}"
    echo $((t / 1000))
  else
    echo $(($(date +%s) * 1000))
  fi
}
setup_start=$(now_ms)
did=0
step_start=0
# step "what" ["hint"]: announce a step (with how long the first run takes); done_step "result".
step() {
  did=1
  step_start=$(now_ms)
  echo "setup: $1${2:+ ($2)} ..." >&2
}
done_step() {
  local ms=$(($(now_ms) - step_start))
  printf 'setup:   %s in %d.%01d s\n' "$1" $((ms / 1000)) $((ms % 1000 / 100)) >&2
}

if [ ! -x .venv/bin/python ]; then
  step "creating the virtualenv .venv with $("$PY" --version 2>&1)"
  "$PY" -m venv .venv
  done_step "created .venv"
fi

stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  step "installing the package and its dev tools from pyproject.toml into .venv" \
    "first run: about a minute"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
  done_step "installed $(.venv/bin/python -m pip list --disable-pip-version-check 2>/dev/null | tail -n +3 | wc -l | tr -d ' ') packages"
fi

if ! bash scripts/gen_proto.sh --check; then
  step "compiling proto/ into stateset_chain/pb with grpcio-tools"
  bash scripts/gen_proto.sh
  done_step "compiled $(find proto/stateset -name '*.proto' | wc -l | tr -d ' ') proto files"
fi

# The compiled core of the storage path (native/: Rust + PyO3, built by maturin from source).
# Rebuilt when its sources change; needs a Rust toolchain (rustup's default location is searched).
native_stamp=".venv/.native-$(cat native/Cargo.toml native/pyproject.toml native/src/*.rs \
  | sha256sum | cut -c1-16)"
if [ ! -f "$native_stamp" ]; then
  export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
  command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required to build native/" >&2; exit 1; }
  echo "setup: building native/ (maturin, release) ..." >&2
  .venv/bin/python -m pip install -q 'maturin>=1.5,<2'
  (cd native && VIRTUAL_ENV="$root/.venv" "$root/.venv/bin/maturin" develop --release --quiet)
  rm -f .venv/.native-*
  touch "$native_stamp"
fi

# The ICS23 verifier the proof tests use (tests/ics23: the ics23 crate's own verifier, so no
# code of ours judges our proofs). Rebuilt when its sources change.
ics23_stamp="tests/ics23/target/.built-$(cat tests/ics23/Cargo.toml tests/ics23/Cargo.lock \
  tests/ics23/src/*.rs | sha256sum | cut -c1-16)"
if [ ! -f "$ics23_stamp" ] || [ ! -x tests/ics23/target/release/ics23-verify ]; then
  export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
  step "building the ICS23 verifier for the tests (cargo, tests/ics23)" "first run: about a minute"
  cargo build --release --locked --quiet --manifest-path tests/ics23/Cargo.toml
  rm -f tests/ics23/target/.built-*
  touch "$ics23_stamp"
  done_step "built tests/ics23/target/release/ics23-verify"
fi

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
  step "building cometbft $COMETBFT_VERSION into .bin with $(go version | cut -d' ' -f3) (go install)" \
    "first run: 1-3 minutes, downloads its modules"
  GOBIN="$root/.bin" go install "github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}"
  done_step "built .bin/cometbft $(.bin/cometbft version)"
fi

if [ "$did" = 0 ]; then
  ms=$(($(now_ms) - setup_start))
  printf 'setup: up to date (.venv, protos, cometbft %s) in %d.%01d s\n' \
    "$COMETBFT_VERSION" $((ms / 1000)) $((ms % 1000 / 100)) >&2
else
  ms=$(($(now_ms) - setup_start))
  printf 'setup: done in %d.%01d s\n' $((ms / 1000)) $((ms % 1000 / 100)) >&2
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
