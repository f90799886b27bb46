"""Verifying Circle's attestation of a message.

Sources: circlefin/evm-cctp-contracts ``src/roles/Attestable.sol``
(``_verifyAttestationSignatures``) and circlefin/noble-cctp ``x/cctp/keeper/attestation.go``.
The rules, in the order checked:

1. ``len(attestation) == 65 * threshold`` (threshold > 0; the keeper refuses 0 before this);
2. the digest is ``keccak256(message)``, the raw bytes with no EIP-191 prefix;
3. each 65-byte signature is ``r(32) || s(32) || v(1)`` with ``v`` 27 or 28 and ``s <= n/2``
   (the EVM's OpenZeppelin ``ECDSA.recover`` rules; noble-cctp also takes v 0/1 and high s, which
   lets one signature be written two ways: we do not);
4. the signer recovered from signature i has an Ethereum address (``keccak256(X || Y)[12:]``)
   strictly greater than signature i-1's, as 20-byte big-endian numbers (so no signer twice);
5. every signer is an enabled attester.

Attesters are configured by public key (``04 || X || Y``) and compared by address.

A recovery costs ~60 µs of libsecp256k1. The signer recovered from ``(digest, signature)`` is a
pure function of that pair, so successful recoveries are kept in a bounded cache, and
``prerecover`` (run by the app before a block's transactions: ``Module.prepare_block``) recovers a
block's unseen attestation signatures on worker threads. Neither can change a result: a miss
recovers inline, and rules 1-5 are checked on every call as before.
"""

from __future__ import annotations

from collections.abc import Callable

from coincurve import PublicKey

from stateset_chain.cache import BoundedCache
from stateset_chain.cctp.codec import keccak256
from stateset_chain.cctp.errors import (
    DuplicateSigner,
    HighSValue,
    InvalidAttesterKey,
    InvalidSignatureV,
    NotAttester,
    SignaturesOutOfOrder,
    UnrecoverableSignature,
    WrongAttestationLength,
)
from stateset_chain.crypto.sigcache import run_batched

SIGNATURE_LENGTH = 65
PUBKEY_LENGTH = 65  # uncompressed: 0x04 || X(32) || Y(32)

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HALF_N = SECP256K1_N // 2  # 0x7FFF...5D576E7357A4501DDFE92F46681B20A0, OpenZeppelin's bound


def ethereum_address(pubkey: bytes) -> bytes:
    """The 20-byte Ethereum address of an uncompressed public key ``04 || X || Y``."""
    return keccak256(pubkey[1:])[12:]


def parse_attester_key(text: str) -> bytes:
    """The 65-byte public key written as hex (``0x`` optional, any case); it must be a point."""
    body = text[2:] if text[:2] in ("0x", "0X") else text
    try:
        raw = bytes.fromhex(body)
    except ValueError:
        raise InvalidAttesterKey(f"{text!r} is not hex") from None
    if len(raw) != PUBKEY_LENGTH or raw[0] != 4:
        raise InvalidAttesterKey(f"{text!r} is not 04 || X || Y (65 bytes)")
    try:
        PublicKey(raw)
    except ValueError:
        raise InvalidAttesterKey(f"{text!r} is not a point on secp256k1") from None
    return raw


def format_attester_key(pubkey: bytes) -> str:
    """The canonical spelling used in events, queries and genesis export: ``0x04...``."""
    return "0x" + pubkey.hex()


_recovered: BoundedCache[tuple[bytes, bytes], bytes] = BoundedCache(1 << 15)


def recover_signer(digest: bytes, signature: bytes) -> bytes:
    """The Ethereum address that made ``signature`` (65 bytes) over the 32-byte ``digest``."""
    v = signature[64]
    if v not in (27, 28):
        raise InvalidSignatureV(f"v is {v}")
    if int.from_bytes(signature[32:64], "big") > HALF_N:
        raise HighSValue()
    hit = _recovered.get((digest, signature))
    if hit is not None:
        return hit
    try:
        signer = _recover(digest, signature)
    except (ValueError, TypeError) as e:
        raise UnrecoverableSignature(str(e)) from None
    return _recovered.put((digest, signature), signer)


def _recover(digest: bytes, signature: bytes) -> bytes:
    key = PublicKey.from_signature_and_message(
        signature[:64] + bytes([signature[64] - 27]), digest, hasher=None
    )
    return ethereum_address(key.format(compressed=False))


def _recover_batch(pairs: list[tuple[bytes, bytes]]) -> list[tuple[tuple[bytes, bytes], bytes]]:
    out = []
    for digest, signature in pairs:
        try:
            out.append(((digest, signature), _recover(digest, signature)))
        except (ValueError, TypeError):
            continue  # the handler meets it again and raises the rule's error
    return out


def prerecover(attested: list[tuple[bytes, bytes]]) -> int:
    """Recovers, on worker threads, the signers of ``(message, attestation)`` pairs not known yet
    (only speed depends on it); returns how many signatures were recovered."""
    pairs = []
    for message, attestation in attested:
        if not attestation or len(attestation) % SIGNATURE_LENGTH:
            continue
        digest = keccak256(message)
        for i in range(0, len(attestation), SIGNATURE_LENGTH):
            signature = attestation[i : i + SIGNATURE_LENGTH]
            if signature[64] in (27, 28) and (digest, signature) not in _recovered:
                pairs.append((digest, signature))
    unseen = list(dict.fromkeys(pairs))
    for pair, signer in run_batched(_recover_batch, unseen):
        _recovered.put(pair, signer)
    return len(unseen)


def verify_attestation(
    message: bytes, attestation: bytes, threshold: int, is_attester: Callable[[bytes], bool]
) -> list[bytes]:
    """The signer addresses, in order, if ``attestation`` is ``threshold`` valid signatures of
    ``message`` by distinct enabled attesters; raises the first broken rule otherwise."""
    if threshold <= 0 or len(attestation) != SIGNATURE_LENGTH * threshold:
        raise WrongAttestationLength(f"{len(attestation)} bytes for threshold {threshold}")
    digest = keccak256(message)
    signers: list[bytes] = []
    previous = bytes(20)  # every address is > 0 (the zero address has no known key)
    for i in range(threshold):
        signature = attestation[i * SIGNATURE_LENGTH : (i + 1) * SIGNATURE_LENGTH]
        signer = recover_signer(digest, signature)
        if signers and signer == previous:
            raise DuplicateSigner(f"signature {i} repeats 0x{signer.hex()}")
        if signer <= previous:
            raise SignaturesOutOfOrder(
                f"signature {i} by 0x{signer.hex()} after 0x{previous.hex()}"
            )
        if not is_attester(signer):
            raise NotAttester(f"signature {i} by 0x{signer.hex()}")
        signers.append(signer)
        previous = signer
    return signers
