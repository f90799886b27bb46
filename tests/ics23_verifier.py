"""Checks ICS23 proofs with the ``ics23`` Rust crate's own verifier (tests/ics23, built by
scripts/setup.sh): none of the chain's code takes part in the verdict."""

from __future__ import annotations

import subprocess
from pathlib import Path

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.store.proofs import PROOF_SPEC

from cosmos.ics23.v1 import proofs_pb2 as ics23

CRATE = Path(__file__).parent / "ics23"
BINARY = CRATE / "target" / "release" / "ics23-verify"


def _binary() -> Path:
    if not BINARY.exists():  # setup.sh builds it; build it here when a test runs first
        manifest = str(CRATE / "Cargo.toml")
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "--manifest-path", manifest], check=True
        )
    return BINARY


def run(lines: list[str]) -> list[str]:
    """One verdict per line: ``ok``, ``fail`` or ``error <why>``."""
    done = subprocess.run(
        [str(_binary())], input="\n".join(lines) + "\n", capture_output=True, text=True,
        check=True, timeout=120,
    )
    return done.stdout.splitlines()


def spec_hex(spec: ics23.ProofSpec = PROOF_SPEC) -> str:
    return spec.SerializeToString(deterministic=True).hex()


def member_line(root: bytes, key: bytes, value: bytes, proof: bytes, spec: str = "") -> str:
    return f"member {spec or spec_hex()} {root.hex()} {key.hex()} {value.hex()} {proof.hex()}"


def nonmember_line(root: bytes, key: bytes, proof: bytes, spec: str = "") -> str:
    return f"nonmember {spec or spec_hex()} {root.hex()} {key.hex()} {proof.hex()}"


def verify_membership(root: bytes, key: bytes, value: bytes, proof: bytes) -> bool:
    return run([member_line(root, key, value, proof)]) == ["ok"]


def verify_non_membership(root: bytes, key: bytes, proof: bytes) -> bool:
    return run([nonmember_line(root, key, proof)]) == ["ok"]


def spec_is_the_crates_smt_spec(spec: ics23.ProofSpec = PROOF_SPEC) -> bool:
    return run([f"spec-is-smt {spec_hex(spec)}"]) == ["ok"]
