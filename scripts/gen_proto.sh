#!/usr/bin/env bash
# Compiles proto/stateset/** into stateset_chain/pb/ with grpcio-tools. cosmpy provides the
# generated cosmos.* modules at run time; proto/third_party only lets protoc resolve imports.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out=stateset_chain/pb
srcs=$(find proto/stateset -name '*.proto' | sort)
hash=$(cat $srcs | sha256sum | cut -c1-16)
up_to_date() { [ -f "$out/.gen-$hash" ] && [ -d "$out/stateset" ]; }
if [ "${1:-}" = "--check" ]; then  # exit 0 when the compiled modules match proto/, else 1
  up_to_date
  exit
fi
up_to_date && exit 0
rm -rf "$out/stateset" "$out"/.gen-*
.venv/bin/python -m grpc_tools.protoc -I proto -I proto/third_party \
  --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" $srcs
find "$out/stateset" -type d -exec touch {}/__init__.py \;
touch "$out/.gen-$hash"
