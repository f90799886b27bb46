"""decode_tx: cosmpy transactions decode once into DecodedTx; malformed ones fail with the SDK's
codes (2 parse error, 6 unknown message type, 18 invalid request, ...)."""

from __future__ import annotations

import hashlib

import pytest
from google.protobuf.any_pb2 import Any as PbAny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.auth.errors import TimeoutTimestampUnsupported, UnorderedTxUnsupported
from stateset_chain.auth.tx import MULTI_SIGNER, DecodedTx, decode_tx
from stateset_chain.client import msg_send, sign_tx
from stateset_chain.coins import Coin
from stateset_chain.errors import (
    ChainError,
    InsufficientFee,
    InvalidAddress,
    InvalidCoins,
    InvalidPubKey,
    InvalidRequest,
    TxDecodeError,
    UnknownRequest,
)
from tests.auth.helpers import ALICE, BOB, CAROL, CHAIN_ID, FEE, GAS, addr, build_tx, new_chain

from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin
from cosmos.crypto.ed25519 import keys_pb2 as ed25519
from cosmos.tx.v1beta1 import tx_pb2

CHAIN = new_chain()


def decode(raw: bytes) -> DecodedTx:
    """``decode_tx`` itself (the unit under test) over the app's routes, messages validated."""
    return decode_tx(raw, CHAIN.routes)


def rebuild(raw: tx_pb2.TxRaw, body=None, auth_info=None) -> bytes:
    """The same TxRaw with a modified body / auth info (signatures no longer match: decode only)."""
    return tx_pb2.TxRaw(
        body_bytes=body.SerializeToString() if body is not None else raw.body_bytes,
        auth_info_bytes=(
            auth_info.SerializeToString() if auth_info is not None else raw.auth_info_bytes
        ),
        signatures=raw.signatures,
    ).SerializeToString()


def parts(raw: tx_pb2.TxRaw) -> tuple[tx_pb2.TxBody, tx_pb2.AuthInfo]:
    return tx_pb2.TxBody.FromString(raw.body_bytes), tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)


def test_a_cosmpy_tx_decodes_into_every_field():
    msg = msg_send(addr(ALICE), addr(BOB), [Coin("uusdc", 7)])
    raw = sign_tx(
        ALICE, [msg], chain_id=CHAIN_ID, account_number=0, sequence=4, fees=[FEE], memo="hi"
    )
    tx = decode(raw)
    parsed = tx_pb2.TxRaw.FromString(raw)
    assert tx.raw_len == len(raw)
    assert tx.hash == hashlib.sha256(raw).digest()
    assert tx.body_bytes == parsed.body_bytes and tx.auth_info_bytes == parsed.auth_info_bytes
    assert tx.signatures == list(parsed.signatures) and len(tx.signatures[0]) == 64
    assert tx.msgs == [msg]
    assert [r.type_url for r in tx.routes] == ["/cosmos.bank.v1beta1.MsgSend"]
    assert tx.signers == [addr(ALICE)]
    assert tx.payer == addr(ALICE)
    assert tx.fee == [FEE]
    assert tx.gas_limit == 200_000
    assert tx.memo == "hi"
    assert tx.timeout_height == 0
    (info,) = tx.signer_infos
    assert info.sequence == 4 and info.mode == 1  # SIGN_MODE_DIRECT
    assert info.pubkey == ALICE.public_key().public_key_bytes
    with pytest.raises(AttributeError):
        tx.memo = "changed"  # frozen


def test_signers_are_deduplicated_in_first_appearance_order_and_the_payer_is_appended():
    msgs = [
        msg_send(addr(BOB), addr(ALICE), [Coin("uusdc", 1)]),
        msg_send(addr(ALICE), addr(BOB), [Coin("uusdc", 1)]),
        msg_send(addr(BOB), addr(CAROL), [Coin("uusdc", 1)]),
    ]
    raw = build_tx([(BOB, 1, 0), (ALICE, 0, 0), (CAROL, 2, 0)], msgs, payer=addr(CAROL))
    tx = decode(raw.SerializeToString())
    assert tx.signers == [addr(BOB), addr(ALICE), addr(CAROL)]
    assert tx.payer == addr(CAROL)


def test_a_payer_that_already_signs_is_not_repeated():
    raw = build_tx([(ALICE, 0, 0)], payer=addr(ALICE))
    tx = decode(raw.SerializeToString())
    assert tx.signers == [addr(ALICE)] and tx.payer == addr(ALICE)


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xff\xff\xff", b"\x0a\x05abc", bytes(range(7, 60)), b"\x08"],
    ids=["garbage", "truncated-length", "random", "truncated-varint"],
)
def test_random_bytes_are_a_parse_error(raw):
    with pytest.raises(TxDecodeError) as e:
        decode(raw)
    assert (e.value.codespace, e.value.code) == ("sdk", 2)


def test_a_truncated_tx_is_a_parse_error():
    raw = build_tx([(ALICE, 0, 0)]).SerializeToString()
    for cut in (1, len(raw) // 2, len(raw) - 1):
        with pytest.raises(ChainError) as e:
            decode(raw[:cut])
        assert e.value.code in (2, 18)  # a cut on a field boundary can leave no messages


def test_the_empty_tx_has_no_messages():
    with pytest.raises(InvalidRequest, match="must contain at least one message"):
        decode(b"")


def test_unknown_fields_in_txraw_are_rejected():
    raw = build_tx([(ALICE, 0, 0)]).SerializeToString()
    with pytest.raises(TxDecodeError):
        decode(raw + b"\x20\x01")  # field 4, varint


def test_a_non_canonical_txraw_is_rejected():
    """ADR-027: fields in ascending order; the same fields reordered are refused."""
    raw = build_tx([(ALICE, 0, 0)])
    body = tx_pb2.TxRaw(body_bytes=raw.body_bytes).SerializeToString()
    rest = tx_pb2.TxRaw(
        auth_info_bytes=raw.auth_info_bytes, signatures=raw.signatures
    ).SerializeToString()
    assert decode(body + rest).raw_len == len(body + rest)
    with pytest.raises(TxDecodeError, match="canonical"):
        decode(rest + body)


def test_unknown_critical_body_fields_are_rejected_but_non_critical_ones_allowed():
    raw = build_tx([(ALICE, 0, 0)])
    critical = raw.body_bytes + b"\xb8\x06\x01"  # field 103, varint
    non_critical = raw.body_bytes + b"\x88\x40\x01"  # field 1025 (bit 11 set), varint
    with pytest.raises(TxDecodeError, match="unknown critical field 103"):
        decode(
            tx_pb2.TxRaw(
                body_bytes=critical, auth_info_bytes=raw.auth_info_bytes, signatures=raw.signatures
            ).SerializeToString()
        )
    tx = decode(
        tx_pb2.TxRaw(
            body_bytes=non_critical, auth_info_bytes=raw.auth_info_bytes, signatures=raw.signatures
        ).SerializeToString()
    )
    assert tx.body_bytes == non_critical  # kept as received: the signature covers these bytes


def test_unknown_fields_anywhere_in_auth_info_are_rejected():
    raw = build_tx([(ALICE, 0, 0)])
    _, auth = parts(raw)
    fee = auth.fee.SerializeToString() + b"\x30\x01"  # Fee field 6: unknown
    bad_auth = b"".join(
        [
            b"\x0a" + bytes([len(s)]) + s
            for s in (si.SerializeToString() for si in auth.signer_infos)
        ]
        + [b"\x12" + bytes([len(fee)]) + fee]
    )
    with pytest.raises(TxDecodeError, match="unknown field in AuthInfo"):
        decode(
            tx_pb2.TxRaw(
                body_bytes=raw.body_bytes, auth_info_bytes=bad_auth, signatures=raw.signatures
            ).SerializeToString()
        )


def test_unknown_fields_in_a_message_are_rejected():
    raw = build_tx([(ALICE, 0, 0)])
    body, _ = parts(raw)
    body.messages[0].value += b"\x20\x01"
    with pytest.raises(TxDecodeError, match="MsgSend"):
        decode(rebuild(raw, body=body))


def test_an_unknown_message_type_is_unknown_request():
    raw = build_tx([(ALICE, 0, 0)])
    body, _ = parts(raw)
    body.messages.append(PbAny(type_url="/cosmos.gov.v1.MsgVote", value=b""))
    with pytest.raises(UnknownRequest) as e:
        decode(rebuild(raw, body=body))
    assert (e.value.codespace, e.value.code) == ("sdk", 6)
    assert e.value.log == "unrecognized message type: /cosmos.gov.v1.MsgVote: unknown request"


def test_each_message_is_validated_statelessly():
    bad_addr = msg_send(addr(ALICE), "cosmos1notours", [Coin("uusdc", 1)])
    with pytest.raises(InvalidAddress):
        decode(build_tx([(ALICE, 0, 0)], [bad_addr]).SerializeToString())
    zero = msg_send(addr(ALICE), addr(BOB), [])
    with pytest.raises(InvalidCoins):
        decode(build_tx([(ALICE, 0, 0)], [zero]).SerializeToString())


def test_invalid_fee_coins_are_an_insufficient_fee():
    raw = build_tx([(ALICE, 0, 0)])
    _, auth = parts(raw)
    auth.fee.amount.append(PbCoin(denom="uusdc", amount="0"))
    auth.fee.amount[0].denom = "ussusd"
    with pytest.raises(InsufficientFee, match="invalid fee amount"):
        decode(rebuild(raw, auth_info=auth))
    auth.fee.amount[1].amount = "-5"
    with pytest.raises(InsufficientFee):
        decode(rebuild(raw, auth_info=auth))


def test_a_malformed_fee_payer_is_an_invalid_address():
    raw = build_tx([(ALICE, 0, 0)])
    _, auth = parts(raw)
    auth.fee.payer = addr(BOB).upper()
    with pytest.raises(InvalidAddress, match="Invalid fee payer address"):
        decode(rebuild(raw, auth_info=auth))


def test_only_secp256k1_public_keys_are_supported():
    raw = build_tx([(ALICE, 0, 0)])
    _, auth = parts(raw)
    auth.signer_infos[0].public_key.Pack(ed25519.PubKey(key=b"\x01" * 32), type_url_prefix="/")
    with pytest.raises(InvalidPubKey, match="unsupported public key type"):
        decode(rebuild(raw, auth_info=auth))


def test_an_omitted_public_key_decodes_as_none():
    raw = build_tx([(ALICE, 0, 0)])
    _, auth = parts(raw)
    auth.signer_infos[0].ClearField("public_key")
    assert decode(rebuild(raw, auth_info=auth)).signer_infos[0].pubkey is None


def test_a_multisig_mode_info_is_decoded_as_such():
    raw = build_tx([(ALICE, 0, 0)])
    _, auth = parts(raw)
    auth.signer_infos[0].mode_info.multi.mode_infos.add()
    assert decode(rebuild(raw, auth_info=auth)).signer_infos[0].mode == MULTI_SIGNER


def test_unordered_txs_timeout_timestamps_and_tips_are_refused():
    raw = build_tx([(ALICE, 0, 0)])
    body, auth = parts(raw)
    body.unordered = True
    with pytest.raises(UnorderedTxUnsupported):
        decode(rebuild(raw, body=body))
    body, _ = parts(raw)
    body.timeout_timestamp.seconds = 5
    with pytest.raises(TimeoutTimestampUnsupported):
        decode(rebuild(raw, body=body))
    auth.tip.tipper = addr(ALICE)
    with pytest.raises(TxDecodeError, match="tips"):
        decode(rebuild(raw, auth_info=auth))


def test_the_decoded_fee_is_the_same_object_kind_whether_cached_or_not():
    """The one-coin fee cache returns equal coins for equal input, distinct for distinct."""
    a = decode(build_tx([(ALICE, 0, 0)], fee=[Coin("uusdc", 4321)]).SerializeToString())
    b = decode(build_tx([(ALICE, 0, 1)], fee=[Coin("uusdc", 4321)]).SerializeToString())
    c = decode(build_tx([(ALICE, 0, 2)], fee=[Coin("ussusd", 4321)]).SerializeToString())
    assert a.fee == b.fee == [Coin("uusdc", 4321)]
    assert c.fee == [Coin("ussusd", 4321)]
    two = [Coin("ussusd", 1), Coin("uusdc", 2)]
    assert decode(build_tx([(ALICE, 0, 3)], fee=two).SerializeToString()).fee == two


VALID = build_tx([(ALICE, 0, 0)], gas=GAS).SerializeToString()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_decode_or_fail_with_a_chain_error(raw):
    try:
        decode(raw)
    except ChainError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(VALID) - 1), st.integers(1, 255))
def test_a_corrupted_byte_decodes_or_fails_with_a_chain_error(position, xor):
    raw = bytearray(VALID)
    raw[position] ^= xor
    try:
        decode(bytes(raw))
    except ChainError:
        pass
