"""The ante chain over a real bank: cosmpy-signed txs pass; each failure has the SDK's class, code
and log, and a failing ante leaves the committed store untouched once its branch is dropped."""

from __future__ import annotations

import pytest
from google.protobuf.any_pb2 import Any as PbAny

import stateset_chain.pb  # noqa: F401
from stateset_chain.auth.ante import ANTE_STEPS, sign_doc_bytes
from stateset_chain.auth.errors import (
    FeeDenomNotAccepted,
    FeeGrantsUnsupported,
    InvalidGasLimit,
    UnsupportedSignMode,
)
from stateset_chain.auth.state import account_pubkey
from stateset_chain.client import msg_send, sign_tx
from stateset_chain.coins import Coin
from stateset_chain.crypto.address import module_address
from stateset_chain.crypto.secp256k1 import N
from stateset_chain.errors import (
    ChainError,
    InsufficientFee,
    InsufficientFunds,
    InvalidPubKey,
    MemoTooLarge,
    NoSignatures,
    OutOfGas,
    TooManySignatures,
    TxTimeoutHeight,
    TxTooLarge,
    Unauthorized,
    UnknownAddress,
    UnknownExtensionOptions,
    WrongSequence,
)
from stateset_chain.store.kv import Branch
from tests.auth.helpers import (
    ALICE,
    BOB,
    CAROL,
    CHAIN_ID,
    FEE,
    GAS,
    HEIGHT,
    addr,
    build_tx,
    new_chain,
    send_msg,
    signed,
    wallet,
)

from cosmos.tx.v1beta1 import tx_pb2

FEE_COLLECTOR = module_address("fee_collector")


@pytest.fixture
def chain():
    return new_chain(
        {
            addr(ALICE): {"uusdc": 1_000_000, "ussusd": 1_000_000},
            addr(BOB): {"uusdc": 500_000},
            addr(CAROL): {"uusdc": 10},
        }
    )


def number(chain, w) -> int:
    return chain.account(w).account_number


def rejected(chain, raw: bytes, cls: type[ChainError], code: int, **ctx_args) -> ChainError:
    """Runs decode + ante on a branch, expects ``cls`` with ``code``, drops the branch and checks
    that the committed store did not change."""
    before = list(chain.store.iterate())
    with pytest.raises(cls) as e:
        chain.run(raw, **ctx_args)
    assert e.value.code == code
    assert list(chain.store.iterate()) == before
    return e.value


# -- accepted -------------------------------------------------------------------------------


def test_a_tx_signed_by_client_sign_tx_is_accepted_unchanged(chain):
    raw = sign_tx(
        ALICE,
        [send_msg(ALICE)],
        chain_id=CHAIN_ID,
        account_number=number(chain, ALICE),
        sequence=0,
        fees=[FEE],
    )
    ctx, branch, tx = chain.run(raw)
    account = chain.account(ALICE, branch)
    assert account.sequence == 1
    assert account_pubkey(account) == ALICE.public_key().public_key_bytes
    assert chain.balance(FEE_COLLECTOR, store=branch) == 2_000
    assert chain.balance(addr(ALICE), store=branch) == 1_000_000 - 2_000
    assert chain.account(FEE_COLLECTOR, branch) is not None  # the module account exists
    # size gas + one signature's gas, plus store access
    assert ctx.gas.consumed >= 10 * len(raw) + 1000
    assert ctx.gas.consumed <= tx.gas_limit


def test_the_ante_emits_the_sdk_tx_events(chain):
    ctx, _, _ = chain.run(signed([(ALICE, number(chain, ALICE), 0)]))
    tx_events = [
        {a.key: a.value for a in e.attributes} for e in ctx.events.events if e.type == "tx"
    ]
    assert {"fee": "2000uusdc", "fee_payer": addr(ALICE)} in tx_events
    assert {"acc_seq": f"{addr(ALICE)}/0"} in tx_events


def test_two_sequential_txs_from_one_account_pass_on_the_same_branch(chain):
    n = number(chain, ALICE)
    _, branch, _ = chain.run(signed([(ALICE, n, 0)]))
    _, branch2, _ = chain.run(signed([(ALICE, n, 1)]), store=branch)
    assert chain.account(ALICE, branch2).sequence == 2
    assert chain.balance(FEE_COLLECTOR, store=branch2) == 4_000
    # replaying the first tx on top fails: its sequence is used
    e = rejected(chain, signed([(ALICE, n, 0)]), WrongSequence, 32, store=branch2)
    assert e.log == ("account sequence mismatch, expected 2, got 0: incorrect account sequence")


def test_the_fee_may_be_paid_in_ussusd(chain):
    _, branch, _ = chain.run(signed([(ALICE, number(chain, ALICE), 0)], fee=[Coin("ussusd", 2000)]))
    assert chain.balance(FEE_COLLECTOR, "ussusd", store=branch) == 2000


def test_the_minimum_fee_is_rounded_up_exactly(chain):
    """200_001 gas at 0.01 needs ceil(2000.01) = 2001."""
    n = number(chain, ALICE)
    e = rejected(
        chain, signed([(ALICE, n, 0)], gas=200_001, fee=[Coin("uusdc", 2000)]), InsufficientFee, 13
    )
    assert e.log == (
        "insufficient fees; got: 2000uusdc required: 2001uusdc,2001ussusd: insufficient fee"
    )
    chain.run(signed([(ALICE, n, 0)], gas=200_001, fee=[Coin("uusdc", 2001)]))


def test_several_signers_each_sign_and_each_sequence_increments(chain):
    msgs = [send_msg(ALICE), msg_send(addr(BOB), addr(CAROL), [Coin("uusdc", 5)])]
    raw = signed([(ALICE, number(chain, ALICE), 0), (BOB, number(chain, BOB), 0)], msgs)
    _, branch, tx = chain.run(raw)
    assert tx.signers == [addr(ALICE), addr(BOB)]
    assert chain.account(ALICE, branch).sequence == 1
    assert chain.account(BOB, branch).sequence == 1
    assert chain.balance(addr(ALICE), store=branch) == 1_000_000 - 2_000  # first signer pays


def test_a_fee_payer_that_is_not_a_message_signer_signs_and_pays(chain):
    raw = signed(
        [(ALICE, number(chain, ALICE), 0), (BOB, number(chain, BOB), 0)],
        [send_msg(ALICE)],
        payer=addr(BOB),
    )
    _, branch, _ = chain.run(raw)
    assert chain.balance(addr(BOB), store=branch) == 500_000 - 2_000
    assert chain.balance(addr(ALICE), store=branch) == 1_000_000
    assert chain.account(BOB, branch).sequence == 1


def test_a_known_public_key_may_be_omitted(chain):
    n = number(chain, ALICE)
    _, branch, _ = chain.run(signed([(ALICE, n, 0)]))
    raw = build_tx([(ALICE, n, 1)])
    auth = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    auth.signer_infos[0].ClearField("public_key")
    raw = resign(raw, auth, [(ALICE, n)])
    _, branch2, _ = chain.run(raw, store=branch)
    assert chain.account(ALICE, branch2).sequence == 2


def test_a_tx_is_accepted_up_to_and_including_its_timeout_height(chain):
    chain.run(signed([(ALICE, number(chain, ALICE), 0)], timeout_height=HEIGHT))


def test_simulation_skips_the_signature_and_fee_minimum(chain):
    raw = signed([(ALICE, number(chain, ALICE), 0)], sign_with=[BOB], fee=[])
    _, branch, _ = chain.run(raw, simulate=True)
    assert chain.account(ALICE, branch).sequence == 1


# -- rejected -------------------------------------------------------------------------------


def test_random_bytes_are_rejected_before_the_ante(chain):
    rejected(chain, b"\x13\x37 not a tx", ChainError, 2)


def test_a_truncated_tx_is_rejected(chain):
    raw = signed([(ALICE, number(chain, ALICE), 0)])
    rejected(chain, raw[:-10], ChainError, 2)


def test_wrong_chain_id_fails_signature_verification(chain):
    n = number(chain, ALICE)
    e = rejected(chain, signed([(ALICE, n, 0)], chain_id="other-chain"), Unauthorized, 4)
    assert e.log == (
        f"signature verification failed; please verify account number ({n}), sequence (0) "
        f"and chain-id ({CHAIN_ID}): unauthorized"
    )


def test_a_wrong_account_number_fails_signature_verification(chain):
    rejected(chain, signed([(ALICE, number(chain, ALICE) + 1, 0)]), Unauthorized, 4)


def test_a_signature_by_another_key_fails(chain):
    """Alice's public key advertised, Bob's key signs."""
    raw = signed([(ALICE, number(chain, ALICE), 0)], sign_with=[BOB])
    rejected(chain, raw, Unauthorized, 4)


def test_a_failing_late_step_wrote_to_its_branch_but_the_store_is_untouched(chain):
    """The fee moved on the ante branch before verification failed; dropping the branch
    undoes it."""
    raw = signed([(ALICE, number(chain, ALICE), 0)], sign_with=[BOB])
    branch = Branch(chain.store)
    tx = chain.decode(raw)
    with pytest.raises(Unauthorized):
        chain.ante(branch, tx)
    assert branch.changes()  # the fee had been deducted on the branch
    assert chain.balance(FEE_COLLECTOR) == 0
    assert chain.account(ALICE).sequence == 0


def test_a_high_s_signature_is_rejected(chain):
    raw = build_tx([(ALICE, number(chain, ALICE), 0)])
    sig = raw.signatures[0]
    s = int.from_bytes(sig[32:], "big")
    raw.signatures[0] = sig[:32] + (N - s).to_bytes(32, "big")
    rejected(chain, raw.SerializeToString(), Unauthorized, 4)


def test_a_wrong_sequence_is_rejected(chain):
    e = rejected(chain, signed([(ALICE, number(chain, ALICE), 3)]), WrongSequence, 32)
    assert e.log == "account sequence mismatch, expected 0, got 3: incorrect account sequence"


def test_a_public_key_not_matching_the_signer_is_rejected(chain):
    raw = signed([(ALICE, number(chain, ALICE), 0)], pubkeys=[BOB], sign_with=[BOB])
    e = rejected(chain, raw, InvalidPubKey, 8)
    assert e.log == (
        f"pubKey does not match signer address {addr(ALICE)} with signer index: 0: invalid pubkey"
    )


def test_an_omitted_public_key_of_a_new_account_is_rejected(chain):
    n = number(chain, ALICE)
    raw = build_tx([(ALICE, n, 0)])
    auth = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    auth.signer_infos[0].ClearField("public_key")
    e = rejected(chain, resign(raw, auth, [(ALICE, n)]), InvalidPubKey, 8)
    assert "pubkey on account is not set" in e.log


def test_an_insufficient_fee_is_rejected(chain):
    e = rejected(
        chain,
        signed([(ALICE, number(chain, ALICE), 0)], fee=[Coin("uusdc", 1999)]),
        InsufficientFee,
        13,
    )
    assert "required: 2000uusdc" in e.log


def test_no_fee_is_an_insufficient_fee(chain):
    rejected(chain, signed([(ALICE, number(chain, ALICE), 0)], fee=[]), InsufficientFee, 13)


def test_a_fee_in_another_denom_is_rejected(chain):
    raw = signed([(ALICE, number(chain, ALICE), 0)], fee=[Coin("uatom", 5000)])
    e = rejected(chain, raw, FeeDenomNotAccepted, 3)
    assert e.codespace == "auth"
    assert "uatom" in e.log


def test_a_payer_without_the_fee_is_insufficient_funds(chain):
    raw = signed([(CAROL, number(chain, CAROL), 0)], [send_msg(CAROL, amount=1)])
    e = rejected(chain, raw, InsufficientFunds, 5)
    assert e.codespace == "sdk"


def test_a_signer_without_an_account_is_unknown_address(chain):
    stranger = wallet(9)
    raw = signed([(stranger, 0, 0)], [send_msg(stranger)])
    e = rejected(chain, raw, UnknownAddress, 9)
    assert e.log == f"account {addr(stranger)} does not exist: unknown address"


def test_a_fee_granter_is_refused(chain):
    raw = build_tx([(ALICE, number(chain, ALICE), 0)])
    auth = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    auth.fee.granter = addr(BOB)
    e = rejected(
        chain, resign(raw, auth, [(ALICE, number(chain, ALICE))]), FeeGrantsUnsupported, 8
    )
    assert e.codespace == "auth"


def test_an_unknown_message_type_is_rejected(chain):
    raw = build_tx([(ALICE, number(chain, ALICE), 0)])
    body = tx_pb2.TxBody.FromString(raw.body_bytes)
    body.messages.append(PbAny(type_url="/stateset.nope.v1.MsgNope", value=b""))
    raw.body_bytes = body.SerializeToString()
    e = rejected(chain, raw.SerializeToString(), ChainError, 6)
    assert "unrecognized message type: /stateset.nope.v1.MsgNope" in e.log


def test_an_oversize_memo_is_rejected(chain):
    n = number(chain, ALICE)
    chain.run(signed([(ALICE, n, 0)], memo="x" * 256))
    e = rejected(chain, signed([(ALICE, n, 0)], memo="x" * 257), MemoTooLarge, 12)
    assert e.log == (
        "maximum number of characters is 256 but received 257 characters: memo too large"
    )


def test_the_memo_limit_counts_utf8_bytes(chain):
    rejected(chain, signed([(ALICE, number(chain, ALICE), 0)], memo="é" * 129), MemoTooLarge, 12)


def test_a_tx_larger_than_max_tx_bytes_is_rejected():
    chain = new_chain(auth_data={"params": {"max_tx_bytes": "400"}})
    n = number(chain, ALICE)
    small = signed([(ALICE, n, 0)])
    assert len(small) < 400
    chain.run(small)
    big = signed([(ALICE, n, 0)], memo="m" * 200)
    e = rejected(chain, big, TxTooLarge, 21)
    assert f"tx size {len(big)} bytes exceeds max_tx_bytes 400" in e.log


def test_a_timed_out_tx_is_rejected(chain):
    raw = signed([(ALICE, number(chain, ALICE), 0)], timeout_height=HEIGHT - 1)
    e = rejected(chain, raw, TxTimeoutHeight, 30)
    assert e.log == f"block height: {HEIGHT}, timeout height: {HEIGHT - 1}: tx timeout height"


def test_zero_gas_is_rejected(chain):
    e = rejected(
        chain, signed([(ALICE, number(chain, ALICE), 0)], gas=0, fee=[]), InvalidGasLimit, 41
    )
    assert (e.codespace, e.log) == ("sdk", "must provide positive gas: invalid gas limit")


def test_gas_too_small_for_the_tx_size_is_out_of_gas(chain):
    e = rejected(
        chain,
        signed([(ALICE, number(chain, ALICE), 0)], gas=2000, fee=[Coin("uusdc", 20)]),
        OutOfGas,
        11,
    )
    assert "out of gas in location: txSize; gasWanted: 2000" in e.log


def test_more_signatures_than_the_limit_are_rejected():
    chain = new_chain(
        {addr(ALICE): {"uusdc": 10**6}, addr(BOB): {"uusdc": 10**6}},
        auth_data={"params": {"tx_sig_limit": "1"}},
    )
    msgs = [send_msg(ALICE), msg_send(addr(BOB), addr(ALICE), [Coin("uusdc", 1)])]
    raw = signed([(ALICE, number(chain, ALICE), 0), (BOB, number(chain, BOB), 0)], msgs)
    e = rejected(chain, raw, TooManySignatures, 14)
    assert "signatures: 2, limit: 1" in e.log


def test_a_missing_signature_is_rejected(chain):
    raw = build_tx([(ALICE, number(chain, ALICE), 0)])
    del raw.signatures[:]
    rejected(chain, raw.SerializeToString(), NoSignatures, 15)


def test_one_signature_for_two_signers_is_rejected(chain):
    msgs = [send_msg(ALICE), msg_send(addr(BOB), addr(CAROL), [Coin("uusdc", 5)])]
    raw = build_tx([(ALICE, number(chain, ALICE), 0), (BOB, number(chain, BOB), 0)], msgs)
    del raw.signatures[1]
    e = rejected(chain, raw.SerializeToString(), Unauthorized, 4)
    assert "wrong number of signers; expected 2, got 1" in e.log


def test_a_sign_mode_other_than_direct_is_rejected(chain):
    n = number(chain, ALICE)
    raw = build_tx([(ALICE, n, 0)])
    auth = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    auth.signer_infos[0].mode_info.single.mode = 127  # SIGN_MODE_LEGACY_AMINO_JSON
    e = rejected(chain, resign(raw, auth, [(ALICE, n)]), UnsupportedSignMode, 2)
    assert "SIGN_MODE_LEGACY_AMINO_JSON" in e.log


def test_critical_extension_options_are_rejected(chain):
    raw = build_tx([(ALICE, number(chain, ALICE), 0)])
    body = tx_pb2.TxBody.FromString(raw.body_bytes)
    body.extension_options.append(PbAny(type_url="/x.Ext", value=b""))
    raw.body_bytes = body.SerializeToString()
    rejected(chain, raw.SerializeToString(), UnknownExtensionOptions, 31)


# -- the chain itself -----------------------------------------------------------------------


def test_the_steps_run_in_the_sdk_order():
    assert ANTE_STEPS == (
        "set_up_context",
        "reject_extension_options",
        "validate_basic",
        "check_timeout_height",
        "validate_memo",
        "consume_tx_size_gas",
        "load_signer_accounts",
        "validate_messages",
        "check_fee",
        "deduct_fee",
        "set_pubkey",
        "validate_sig_count",
        "consume_sig_gas",
        "verify_signatures",
        "increment_sequence",
    )


@pytest.mark.parametrize(
    ("body", "auth", "chain_id", "number"),
    [
        (b"b" * 300, b"a" * 130, "stateset-1", 7),
        (b"b", b"a", "", 0),
        (b"", b"", "c", 2**64 - 1),
        (b"x" * 20000, b"y", "long-chain-id-" * 5, 128),
    ],
)
def test_sign_doc_bytes_equal_the_protobuf_encoding_cosmpy_signs(body, auth, chain_id, number):
    expected = tx_pb2.SignDoc(
        body_bytes=body, auth_info_bytes=auth, chain_id=chain_id, account_number=number
    ).SerializeToString()
    assert sign_doc_bytes(body, auth, chain_id, number) == expected


def resign(raw: tx_pb2.TxRaw, auth: tx_pb2.AuthInfo, signers) -> bytes:
    """``raw`` with a new auth info, re-signed (SIGN_MODE_DIRECT) by ``[(wallet, number)]``."""
    auth_bytes = auth.SerializeToString()
    sigs = [
        w.signer().sign(
            sign_doc_bytes(raw.body_bytes, auth_bytes, CHAIN_ID, n),
            deterministic=True,
            canonicalise=True,
        )
        for w, n in signers
    ]
    return tx_pb2.TxRaw(
        body_bytes=raw.body_bytes, auth_info_bytes=auth_bytes, signatures=sigs
    ).SerializeToString()


def test_gas_limit_is_what_the_app_meters_against(chain):
    """The app's ante phase limits the meter to the tx's gas limit; GAS is the default."""
    ctx, _, tx = chain.run(signed([(ALICE, number(chain, ALICE), 0)]))
    assert tx.gas_limit == GAS
    assert ctx.gas.limit == GAS
