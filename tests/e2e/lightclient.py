"""A minimal light client for the end-to-end proof test: it trusts only the genesis validator set
and checks everything else it is told by CometBFT's RPC.

- ``verify_commit(rpc, height, trusted)``: fetches the signed header of ``height`` (``/commit``)
  and the validator set (``/validators``); checks that the set hashes to the header's
  ``validators_hash`` and is the trusted one, that the header hashes to the commit's block id,
  and that validators holding more than 2/3 of the power signed that block id (ed25519 over the
  canonical vote sign bytes). Returns the verified header.

Encodings follow CometBFT v0.38 (``types/block.go`` Header.Hash, ``types/canonical.go``,
``types/vote.go`` VoteSignBytes, ``crypto/merkle`` HashFromByteSlices, ``types/validator_set.go``).
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from google.protobuf import wrappers_pb2
from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401  (cosmpy protos on sys.path)
from stateset_chain.crypto.hashes import sha256

from tendermint.crypto import keys_pb2
from tendermint.types import types_pb2, validator_pb2
from tendermint.version import types_pb2 as version_pb2

PRECOMMIT = 2  # SignedMsgType
BLOCK_ID_FLAG_COMMIT = 2

Rpc = Callable[..., dict[str, Any]]


class LightClientError(AssertionError):
    pass


def merkle_root(items: list[bytes]) -> bytes:
    """``merkle.HashFromByteSlices`` (RFC 6962: leaves 0x00, inner nodes 0x01)."""
    if not items:
        return sha256(b"")
    if len(items) == 1:
        return sha256(b"\x00" + items[0])
    k = 1
    while k * 2 < len(items):
        k *= 2
    return sha256(b"\x01" + merkle_root(items[:k]) + merkle_root(items[k:]))


def _hex(text: str) -> bytes:
    return bytes.fromhex(text or "")


def _timestamp(rfc3339: str) -> Timestamp:
    ts = Timestamp()
    ts.FromJsonString(rfc3339)
    return ts


def _block_id(j: dict) -> types_pb2.BlockID:
    block_id = types_pb2.BlockID(hash=_hex(j["hash"]))
    block_id.part_set_header.SetInParent()  # gogoproto non-nullable: always encoded
    block_id.part_set_header.total = int(j["parts"]["total"])
    block_id.part_set_header.hash = _hex(j["parts"]["hash"])
    return block_id


def header_hash(h: dict) -> bytes:
    def b(v: bytes) -> bytes:
        return wrappers_pb2.BytesValue(value=v).SerializeToString()

    version = version_pb2.Consensus(block=int(h["version"]["block"]),
                                    app=int(h["version"].get("app", 0)))
    fields = [
        version.SerializeToString(),
        wrappers_pb2.StringValue(value=h["chain_id"]).SerializeToString(),
        wrappers_pb2.Int64Value(value=int(h["height"])).SerializeToString(),
        _timestamp(h["time"]).SerializeToString(),
        _block_id(h["last_block_id"]).SerializeToString(),
        b(_hex(h["last_commit_hash"])), b(_hex(h["data_hash"])),
        b(_hex(h["validators_hash"])), b(_hex(h["next_validators_hash"])),
        b(_hex(h["consensus_hash"])), b(_hex(h["app_hash"])),
        b(_hex(h["last_results_hash"])), b(_hex(h["evidence_hash"])),
        b(_hex(h["proposer_address"])),
    ]
    return merkle_root(fields)


@dataclass(frozen=True)
class Validator:
    address: bytes
    pub_key: bytes  # ed25519, 32 bytes
    power: int


def validator_set_hash(validators: list[Validator]) -> bytes:
    """The hash of the set in CometBFT's order (power descending, then address)."""
    ordered = sorted(validators, key=lambda v: (-v.power, v.address))
    return merkle_root([
        validator_pb2.SimpleValidator(
            pub_key=keys_pb2.PublicKey(ed25519=v.pub_key), voting_power=v.power
        ).SerializeToString()
        for v in ordered
    ])


def _sfixed64(tag: int, n: int) -> bytes:
    return bytes([tag]) + struct.pack("<q", n) if n else b""


def _field(tag: int, data: bytes) -> bytes:
    return bytes([tag]) + _uvarint(len(data)) + data


def _uvarint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def vote_sign_bytes(chain_id: str, height: int, round_: int, block_id: types_pb2.BlockID,
                    timestamp: Timestamp) -> bytes:
    """``VoteSignBytes``: the length-delimited ``CanonicalVote`` of a precommit."""
    psh = block_id.part_set_header
    canonical_psh = (b"\x08" + _uvarint(psh.total) if psh.total else b"") + (
        _field(0x12, psh.hash) if psh.hash else b""
    )
    canonical_block_id = _field(0x0A, block_id.hash) + _field(0x12, canonical_psh)
    vote = (
        b"\x08" + _uvarint(PRECOMMIT)
        + _sfixed64(0x11, height) + _sfixed64(0x19, round_)
        + _field(0x22, canonical_block_id)
        + _field(0x2A, timestamp.SerializeToString())
        + _field(0x32, chain_id.encode())
    )
    return _uvarint(len(vote)) + vote


def _validators(rpc: Rpc, height: int) -> list[Validator]:
    out = []
    page = 1
    while True:
        res = rpc("validators", height=str(height), page=str(page), per_page="100")
        for v in res["validators"]:
            if v["pub_key"]["type"] != "tendermint/PubKeyEd25519":
                raise LightClientError(f"unexpected key type {v['pub_key']['type']}")
            out.append(Validator(_hex(v["address"]), base64.b64decode(v["pub_key"]["value"]),
                                 int(v["voting_power"])))
        if len(out) >= int(res["total"]):
            return out
        page += 1


def genesis_validators(rpc: Rpc) -> list[Validator]:
    out = []
    for v in rpc("genesis")["genesis"]["validators"]:
        key = base64.b64decode(v["pub_key"]["value"])
        out.append(Validator(_hex(v["address"]), key, int(v["power"])))
    return out


def verify_commit(rpc: Rpc, height: int, trusted: list[Validator]) -> dict:
    """The header of ``height``, verified against ``trusted`` validators (see the module doc)."""
    signed = rpc("commit", height=str(height))["signed_header"]
    header, commit = signed["header"], signed["commit"]
    if int(header["height"]) != height or int(commit["height"]) != height:
        raise LightClientError("the RPC answered another height")
    validators = _validators(rpc, height)
    if validator_set_hash(validators) != _hex(header["validators_hash"]):
        raise LightClientError("the validator set does not hash to the header's validators_hash")
    if validator_set_hash(trusted) != validator_set_hash(validators):
        raise LightClientError("the header's validators are not the trusted set")
    block_id = _block_id(commit["block_id"])
    if header_hash(header) != block_id.hash:
        raise LightClientError("the header does not hash to the commit's block id")
    by_address = {v.address: v for v in validators}
    total = sum(v.power for v in validators)
    signed_power = 0
    for sig in commit["signatures"]:
        if int(sig["block_id_flag"]) != BLOCK_ID_FLAG_COMMIT:
            continue
        v = by_address.get(_hex(sig["validator_address"]))
        if v is None:
            raise LightClientError(f"a signature by unknown validator {sig['validator_address']}")
        message = vote_sign_bytes(header["chain_id"], height, int(commit["round"]), block_id,
                                  _timestamp(sig["timestamp"]))
        try:
            Ed25519PublicKey.from_public_bytes(v.pub_key).verify(
                base64.b64decode(sig["signature"]), message
            )
        except InvalidSignature:
            raise LightClientError(f"bad signature by {sig['validator_address']}") from None
        signed_power += v.power
    if 3 * signed_power <= 2 * total:
        raise LightClientError(f"only {signed_power} of {total} voting power signed")
    return header
