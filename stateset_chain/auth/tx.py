"""Decoding a Cosmos SDK transaction (``cosmos.tx.v1beta1.TxRaw``), once, into ``DecodedTx``.

A wallet (cosmpy, or any Cosmos SDK client) sends ``TxRaw{body_bytes, auth_info_bytes,
signatures}``. Signatures cover the raw ``body_bytes`` and ``auth_info_bytes`` (SIGN_MODE_DIRECT),
so those bytes are kept as received and never re-encoded. ``decode_tx`` parses everything the
ante chain and the handlers need, checks what can be checked without state, and returns a frozen
``DecodedTx``; nothing downstream parses protobuf again.

Rules, following the SDK's decoder (``x/tx/decode``) and ``Tx.ValidateBasic``:

First, before any message is decoded (so an oversized or overlong tx costs almost nothing):

- the raw size is at most ``limits.max_tx_bytes`` (auth param)          -> sdk 21 TxTooLarge
- the gas limit is at most 2^63-1                                       -> sdk 18 InvalidRequest
  and at most the block's ``max_gas`` when one is set                   -> sdk 41 InvalidGasLimit
- at least one message                                                  -> sdk 18 InvalidRequest
  and at most ``limits.max_msgs`` (256)                                 -> auth 5 TooManyMessages

Then:

- ``TxRaw`` must be canonical (ADR-027) with no unknown fields            -> sdk 2 TxDecodeError
- ``AuthInfo`` (and everything in it) may carry no unknown field          -> sdk 2
- ``TxBody`` may carry unknown *non-critical* fields (number has bit 11, i.e. ``& 1024``), no
  critical ones                                                           -> sdk 2
- messages: every type URL must have a route                              -> sdk 6 UnknownRequest
  and parse without unknown fields (stricter than the SDK, which allows non-critical ones there)
- unordered txs are not supported                           -> auth 6 UnorderedTxUnsupported
- nor ``timeout_timestamp``                                 -> auth 7 TimeoutTimestampUnsupported
- each message passes its route's ``validate`` (stateless ValidateBasic)  -> the route's error
  (``validate=False`` leaves this to the ante step ``validate_messages``, which the app runs once
  the signers' accounts are known to exist: an unknown signer costs no message validation)
- fee coins valid (positive, sorted, unique)                              -> sdk 13 InsufficientFee
- fee payer, if set, a canonical address                                  -> sdk 7 InvalidAddress
- public keys are ``/cosmos.crypto.secp256k1.PubKey`` or omitted          -> sdk 8 InvalidPubKey

Signers are the messages' signers, deduplicated in first-appearance order, then the fee payer if
set and not already among them (the SDK's ``GetSigners``). The payer is ``fee.payer`` or else the
first signer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from google.protobuf import unknown_fields
from google.protobuf.message import DecodeError, Message

import stateset_chain.pb  # noqa: F401
from stateset_chain import delivery
from stateset_chain.auth.errors import (
    InvalidGasLimit,
    TimeoutTimestampUnsupported,
    TooManyMessages,
    UnorderedTxUnsupported,
)
from stateset_chain.auth.state import pubkey_from_any_value
from stateset_chain.coins import Coin, coins_from_proto
from stateset_chain.crypto import address
from stateset_chain.crypto.hashes import sha256
from stateset_chain.crypto.secp256k1 import PUBKEY_TYPE_URL
from stateset_chain.errors import (
    InsufficientFee,
    InvalidAddress,
    InvalidCoins,
    InvalidPubKey,
    InvalidRequest,
    TxDecodeError,
    TxTooLarge,
    UnknownRequest,
)
from stateset_chain.module import MsgRoute

from cosmos.tx.v1beta1 import tx_pb2

MULTI_SIGNER = -1  # SignerInfo.mode when the signer uses ModeInfo.multi (not supported)
NO_MODE = -2  # SignerInfo.mode when mode_info is missing
_NON_CRITICAL_BIT = 1 << 10  # ADR-020: body field numbers with bit 11 set may be ignored

# _REPEATED_NOTE: upb's repeated fields (and UnknownFieldSet) have no __iter__, so ``for x in
# msg.field`` and ``list(msg.field)`` go through __getitem__ until an IndexError is raised and
# formatted (about half the cost of a short loop); slicing (``msg.field[:]``) builds the list in C.


# Both are immutable NamedTuples rather than frozen dataclasses: one of each is built per
# transaction, and a frozen dataclass's __init__ (object.__setattr__ per field) costs ~2 µs more.


class SignerInfo(NamedTuple):
    """One ``AuthInfo.signer_infos`` entry, parsed."""

    pubkey: bytes | None  # compressed secp256k1 key as sent (length unchecked), None if omitted
    sequence: int
    mode: int  # a cosmos.tx.signing.v1beta1.SignMode, or MULTI_SIGNER / NO_MODE


class DecodedTx(NamedTuple):
    raw_len: int
    hash: bytes  # sha256(raw): CometBFT's tx hash
    body_bytes: bytes
    auth_info_bytes: bytes
    signatures: list[bytes]
    msgs: list[Message]
    routes: list[MsgRoute]
    # parsed[i]: what routes[i].validate returned for msgs[i], handed to its handler; filled when
    # the messages are validated (by decode_tx, or by validate_msgs for a deferred validation)
    parsed: list[Any]
    signers: list[str]  # bech32, deduplicated, first appearance first; fee payer last if added
    signer_infos: list[SignerInfo]
    gas_limit: int
    fee: list[Coin]
    payer: str
    memo: str
    timeout_height: int
    fee_granter: str = ""
    extension_options: int = 0  # number of (critical) extension options in the body


MAX_GAS_WANTED = (1 << 63) - 1
MAX_MSGS_PER_TX = 256


class TxLimits(NamedTuple):
    """What a tx may weigh, checked before any of its messages is decoded (0: no limit)."""

    max_tx_bytes: int = 0  # auth param max_tx_bytes
    max_gas: int = 0  # the block's consensus max_gas
    max_msgs: int = MAX_MSGS_PER_TX


NO_LIMITS = TxLimits()


def decode_tx(
    raw: bytes,
    routes: Mapping[str, MsgRoute],
    limits: TxLimits = NO_LIMITS,
    validate: bool = True,
) -> DecodedTx:
    """Parse and statelessly validate ``raw``; raises a ChainError (see the module docstring)."""
    if not isinstance(raw, bytes | bytearray):
        raise TxDecodeError(f"tx must be bytes, got {type(raw).__name__}")
    raw = bytes(raw)
    if limits.max_tx_bytes and len(raw) > limits.max_tx_bytes:
        raise TxTooLarge(f"tx size {len(raw)} bytes exceeds max_tx_bytes {limits.max_tx_bytes}")
    tx_raw = _parse(tx_pb2.TxRaw, raw, "TxRaw")
    canonical = tx_raw.SerializeToString(deterministic=True)
    if unknown_fields.UnknownFieldSet(tx_raw) or canonical != raw:
        raise TxDecodeError("TxRaw is not in canonical form (ADR-027) or has unknown fields")
    body_bytes, auth_info_bytes = tx_raw.body_bytes, tx_raw.auth_info_bytes
    auth_info = _parse(tx_pb2.AuthInfo, auth_info_bytes, "AuthInfo")
    fee = auth_info.fee
    if fee.gas_limit > MAX_GAS_WANTED:  # results carry gas as int64 (the SDK's MaxGasWanted)
        raise InvalidRequest(f"invalid gas supplied; {fee.gas_limit} > {MAX_GAS_WANTED}")
    if limits.max_gas and fee.gas_limit > limits.max_gas:
        raise InvalidGasLimit(
            f"tx gas limit {fee.gas_limit} exceeds the block gas limit {limits.max_gas}"
        )
    body = _parse(tx_pb2.TxBody, body_bytes, "TxBody")  # messages stay packed Any bytes
    n_msgs = len(body.messages)
    if not n_msgs:
        raise InvalidRequest("must contain at least one message")
    if n_msgs > limits.max_msgs:
        raise TooManyMessages(f"{n_msgs} messages; a tx may carry at most {limits.max_msgs}")
    _reject_critical_unknown_fields(body)
    _reject_any_unknown_fields(auth_info, "AuthInfo")
    if auth_info.HasField("tip"):
        raise TxDecodeError("tips are not supported")
    if body.unordered:
        raise UnorderedTxUnsupported()
    if body.HasField("timeout_timestamp"):
        raise TimeoutTimestampUnsupported()

    msgs, msg_routes, parsed, signers = _decode_msgs(body, routes, validate)
    payer = fee.payer
    if payer:
        try:
            address.require_address(payer, "fee payer")
        except InvalidAddress as e:  # the SDK's wording
            raise InvalidAddress(f"Invalid fee payer address ({payer}): {e.detail}") from None
        if payer not in signers:
            signers.append(payer)
    if not signers:
        raise InvalidRequest("tx has no signers")
    return DecodedTx(
        raw_len=len(raw),
        hash=sha256(raw),
        body_bytes=body_bytes,
        auth_info_bytes=auth_info_bytes,
        signatures=tx_raw.signatures[:],  # a list (see _REPEATED_NOTE)
        msgs=msgs,
        routes=msg_routes,
        parsed=parsed,
        signers=signers,
        signer_infos=[_signer_info(si) for si in auth_info.signer_infos[:]],
        gas_limit=fee.gas_limit,
        fee=_fee_coins(fee),
        payer=payer or signers[0],
        memo=body.memo,
        timeout_height=body.timeout_height,
        fee_granter=fee.granter,
        extension_options=len(body.extension_options),
    )


def _decode_msgs(
    body: tx_pb2.TxBody, routes: Mapping[str, MsgRoute], validate: bool
) -> tuple[list[Message], list[MsgRoute], list[Any], list[str]]:
    messages = body.messages[:]
    msgs: list[Message] = []
    msg_routes: list[MsgRoute] = []
    parsed: list[Any] = []
    signers: list[str] = []
    for packed in messages:
        type_url = packed.type_url
        route = routes.get(type_url)
        if route is None:
            raise UnknownRequest(f"unrecognized message type: {type_url}")
        msg = _parse(route.msg_cls, packed.value, type_url)
        _reject_any_unknown_fields(msg, type_url)
        parsed.append(route.validate(msg) if validate else None)
        for signer in route.signers(msg):
            if signer not in signers:
                signers.append(signer)
        msgs.append(msg)
        msg_routes.append(route)
    return msgs, msg_routes, parsed, signers


def validate_msgs(tx: DecodedTx) -> None:
    """Every message's stateless validation (the ``validate`` ``decode_tx`` may defer), keeping
    what each parsed in ``tx.parsed`` for its handler (filled only when every message passed)."""
    tx.parsed[:] = delivery.validate_msgs(tx.msgs, tx.routes)


def _signer_info(si: tx_pb2.SignerInfo) -> SignerInfo:
    mode_info = si.mode_info
    kind = mode_info.WhichOneof("sum")
    if kind == "single":
        mode = mode_info.single.mode
    else:
        mode = MULTI_SIGNER if kind == "multi" else NO_MODE
    return SignerInfo(pubkey=_pubkey(si), sequence=si.sequence, mode=mode)


def _pubkey(si: tx_pb2.SignerInfo) -> bytes | None:
    if not si.HasField("public_key"):
        return None
    any_key = si.public_key
    if any_key.type_url != PUBKEY_TYPE_URL:
        raise InvalidPubKey(f"unsupported public key type {any_key.type_url!r}")
    value = any_key.value
    try:
        key = pubkey_from_any_value(value)
    except DecodeError as e:
        raise TxDecodeError(f"cannot decode {PUBKEY_TYPE_URL}: {e}") from None
    if len(value) != len(key) + 2:  # anything beyond field 1: unknown fields
        raise TxDecodeError(f"unknown field in {PUBKEY_TYPE_URL}")
    return key


def _fee_coins(fee: tx_pb2.Fee) -> list[Coin]:
    try:
        return coins_from_proto(fee.amount[:])  # parsed coins are cached (see coins.py)
    except InvalidCoins as e:
        raise InsufficientFee(f"invalid fee amount: {e.detail}") from None


def _parse(cls: type[Message], data: bytes, what: str):
    msg = cls()
    try:
        msg.ParseFromString(data)
    except DecodeError as e:
        raise TxDecodeError(f"cannot decode {what}: {e}") from None
    return msg


def _reject_critical_unknown_fields(body: tx_pb2.TxBody) -> None:
    unknown = unknown_fields.UnknownFieldSet(body)
    if not unknown:  # the usual case (see _REPEATED_NOTE: iterating even an empty set costs)
        return
    for field in unknown:
        if not field.field_number & _NON_CRITICAL_BIT:
            raise TxDecodeError(f"unknown critical field {field.field_number} in TxBody")


def _reject_any_unknown_fields(msg: Message, what: str) -> None:
    """Unknown fields anywhere inside ``msg`` (nested included): they would count towards the
    encoded size, so the size drops iff dropping them removed something."""
    size = msg.ByteSize()
    msg.DiscardUnknownFields()
    if msg.ByteSize() != size:
        raise TxDecodeError(f"unknown field in {what}")
