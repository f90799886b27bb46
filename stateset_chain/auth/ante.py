"""The ante chain: what every transaction must pass before its messages run.

An explicit ordered list of small steps, in the Cosmos SDK's order (``x/auth/ante.NewAnteHandler``)
and with its error codes and log texts. Each step is ``step(ctx, tx, st)``: ``ctx`` is the tx's
context (gas-metered ante branch), ``tx`` the ``DecodedTx`` (parsed once, never re-parsed), and
``st`` the per-tx ``AnteState`` that carries the params and the signer accounts between steps, so
params are read once and each signer's account is read once and written once.

 1. set_up_context             gas limit > 0 (sdk 41), <= 2^63-1 (sdk 18); loads params
 2. reject_extension_options   no critical extension options (sdk 31)
 3. validate_basic             signatures present (sdk 15); one per signer and one signer info
                               per signature (sdk 4); every signer SIGN_MODE_DIRECT (auth 2;
                               in simulation any single-signer mode)
 4. check_timeout_height       block height <= timeout height, if set (sdk 30)
 5. validate_memo              memo <= max_memo_characters bytes (sdk 12)
 6. consume_tx_size_gas        raw size <= max_tx_bytes (sdk 21); gas size * cost_per_byte
                               (simulation: + a full signature's size per empty signature,
                               + a public key's size per signer info without one)
 7. load_signer_accounts       every signer has an account (sdk 9)
 8. validate_messages          each message's stateless validation (its route's error), only
                               now: an unknown signer's messages are never validated
 9. check_fee                  fee denoms accepted (auth 3); fee >= ceil(gas * min_gas_price)
                               in one fee denom (sdk 13)
10. deduct_fee                 no fee granter (auth 8); payer -> fee_collector (sdk 5)
                               (simulation with no fee: 1 base unit, for the transfer's gas)
11. set_pubkey                 signer-info key hashes to the signer (sdk 8); stored on first use
                               (simulation: a new account may omit it; a placeholder is set)
12. validate_sig_count         signatures <= tx_sig_limit (sdk 14)
13. consume_sig_gas            sig_verify_cost_secp256k1 per signature
14. verify_signatures          sequence matches (sdk 32); SIGN_MODE_DIRECT signature (sdk 4),
                               answered from the verified-signature cache when it verified
                               before (crypto/sigcache.py: a pure function of its key)
15. increment_sequence         every signer's sequence + 1 (the one account write)

The minimum gas price is a consensus param, applied the same way in CheckTx and FinalizeBlock.
In simulation (``ctx.is_simulate``) the zero-gas, fee-minimum and signature checks are skipped,
as in the SDK, so the unsigned forms wallets simulate with pass: cosmjs sends SIGN_MODE_UNSPECIFIED,
an empty signature and an empty fee; Keplr SIGN_MODE_LEGACY_AMINO_JSON, 64 zero bytes and no
public key. The gas of the signature the real tx will carry is charged as the SDK charges it, so
an estimate covers the signed tx: the signature check's cost always, for an empty signature the
size of a full one (``SIMULATED_SIGNATURE_BYTES``), and for an empty fee the fee transfer. All
writes happen on the ante branch: if a step fails the app discards it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import stateset_chain.pb  # noqa: F401
from stateset_chain.auth.errors import (
    FeeDenomNotAccepted,
    FeeGrantsUnsupported,
    InvalidGasLimit,
    UnsupportedSignMode,
)
from stateset_chain.auth.expected import BankKeeper
from stateset_chain.auth.keys import FEE_COLLECTOR
from stateset_chain.auth.params import DEFAULT_PARAMS, Params
from stateset_chain.auth.state import (
    AuthKeeper,
    account_pubkey,
    address_bytes,
    set_account_pubkey,
)
from stateset_chain.auth.tx import MULTI_SIGNER, DecodedTx, validate_msgs
from stateset_chain.coins import Coin, format_coins
from stateset_chain.context import Context
from stateset_chain.crypto.address import pubkey_to_address_bytes
from stateset_chain.crypto.sigcache import VERIFIED
from stateset_chain.errors import (
    InsufficientFee,
    InvalidPubKey,
    MemoTooLarge,
    NoSignatures,
    TooManySignatures,
    TxTimeoutHeight,
    TxTooLarge,
    Unauthorized,
    UnknownAddress,
    UnknownExtensionOptions,
    WrongSequence,
)
from stateset_chain.protowire import (
    LENGTH_DELIMITED,
    VARINT,
    encode_bytes_field,
    encode_string_field,
    encode_uint_field,
    tag,
)

from cosmos.auth.v1beta1 import auth_pb2
from cosmos.tx.signing.v1beta1 import signing_pb2

# The SDK's simulated signature size (ConsumeTxSizeGasDecorator): an amino StdSignature of a
# secp256k1 key (40 bytes) and a 64-byte signature (66 bytes), plus 6.
SIMULATED_SIGNATURE_BYTES = 40 + 66 + 6
# What a signer info's public key adds to the signed tx (Any of a secp256k1 PubKey: 2 + 31 type
# URL bytes, 2 + 35 value bytes, 2 for the field): charged when a wallet simulates without it.
SIMULATED_PUBKEY_BYTES = 72
# The placeholder key a simulated new account gets, so its account write costs what storing the
# real key will (the SDK's simSecp256k1Pubkey plays the same part).
SIMULATED_PUBKEY = b"\x02" + bytes(32)
SIGN_MODE_DIRECT = signing_pb2.SIGN_MODE_DIRECT


@dataclass(slots=True)
class AnteState:
    """What one tx's steps share: loaded once, used by several steps."""

    auth: AuthKeeper
    bank: BankKeeper
    params: Params = DEFAULT_PARAMS
    signer_bytes: list[bytes] = field(default_factory=list)
    accounts: list[auth_pb2.BaseAccount] = field(default_factory=list)
    pubkeys: list[bytes] = field(default_factory=list)  # the key each signature is checked with


# -- the steps, in order --------------------------------------------------------------------


def set_up_context(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    if tx.gas_limit == 0 and not ctx.is_simulate:
        raise InvalidGasLimit("must provide positive gas")
    st.params = st.auth.params(ctx.store)


def reject_extension_options(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    if tx.extension_options:
        raise UnknownExtensionOptions()


def validate_basic(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    n_sigs = len(tx.signatures)
    if n_sigs == 0:
        raise NoSignatures()
    if n_sigs != len(tx.signers):
        raise Unauthorized(f"wrong number of signers; expected {len(tx.signers)}, got {n_sigs}")
    if len(tx.signer_infos) != n_sigs:
        raise Unauthorized(
            f"wrong number of signer infos; expected {n_sigs}, got {len(tx.signer_infos)}"
        )
    for i, info in enumerate(tx.signer_infos):
        if ctx.is_simulate and info.mode >= 0:  # unsigned: any single-signer mode
            continue
        if info.mode != SIGN_MODE_DIRECT:
            raise UnsupportedSignMode(
                f"signer {i}: only SIGN_MODE_DIRECT is supported, got {_mode_name(info.mode)}"
            )


def check_timeout_height(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    if tx.timeout_height and ctx.block.height > tx.timeout_height:
        raise TxTimeoutHeight(
            f"block height: {ctx.block.height}, timeout height: {tx.timeout_height}"
        )


def validate_memo(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    if not tx.memo:
        return
    length = len(tx.memo.encode())  # the SDK counts bytes (Go's len(string))
    if length > st.params.max_memo_characters:
        raise MemoTooLarge(
            f"maximum number of characters is {st.params.max_memo_characters} "
            f"but received {length} characters"
        )


def consume_tx_size_gas(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    if tx.raw_len > st.params.max_tx_bytes:
        raise TxTooLarge(
            f"tx size {tx.raw_len} bytes exceeds max_tx_bytes {st.params.max_tx_bytes}"
        )
    ctx.gas.consume(st.params.tx_size_cost_per_byte * tx.raw_len, "txSize")
    if ctx.is_simulate:  # the signatures (and keys) the signed tx will carry
        for i in range(len(tx.signers)):
            if i >= len(tx.signatures) or not tx.signatures[i]:
                missing = SIMULATED_SIGNATURE_BYTES
            elif i < len(tx.signer_infos) and tx.signer_infos[i].pubkey is None:
                missing = SIMULATED_PUBKEY_BYTES
            else:
                continue
            ctx.gas.consume(st.params.tx_size_cost_per_byte * missing, "txSize")


def load_signer_accounts(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    for signer in tx.signers:
        raw = address_bytes(signer)
        account = st.auth.accounts.get(ctx.store, raw)
        if account is None:
            raise UnknownAddress(f"account {signer} does not exist")
        st.signer_bytes.append(raw)
        st.accounts.append(account)


def validate_messages(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    validate_msgs(tx)


def check_fee(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    params = st.params
    for coin in tx.fee:
        if coin.denom not in params.fee_denoms:
            raise FeeDenomNotAccepted(
                f"fee denom {coin.denom} is not accepted; pay fees in one of: "
                + ", ".join(params.fee_denoms)
            )
    if ctx.is_simulate:
        return
    required = params.required_fee(tx.gas_limit)
    if required and not any(coin.amount >= required for coin in tx.fee):
        raise InsufficientFee(
            f"insufficient fees; got: {format_coins(tx.fee)} required: "
            + ",".join(f"{required}{denom}" for denom in params.fee_denoms)
        )


def deduct_fee(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    if tx.fee_granter:
        raise FeeGrantsUnsupported()
    if tx.fee:
        st.bank.send_to_module(ctx, tx.payer, FEE_COLLECTOR, tx.fee)
    elif ctx.is_simulate:
        _move_simulated_fee(ctx, tx, st)
    _emit_tx_event(ctx, ("fee", format_coins(tx.fee)), ("fee_payer", tx.payer))


def _move_simulated_fee(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    """Wallets simulate with an empty fee, but the signed tx pays one: move one base unit of the
    first fee denom the payer holds (on the simulation's throwaway branch) so the estimate
    includes the fee transfer's reads and writes."""
    for denom in st.params.fee_denoms:
        if st.bank.balance(ctx.store, tx.payer, denom) > 0:
            st.bank.send_to_module(ctx, tx.payer, FEE_COLLECTOR, [Coin(denom, 1)])
            return


def set_pubkey(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    for i, (info, account) in enumerate(zip(tx.signer_infos, st.accounts, strict=True)):
        stored = account_pubkey(account)
        given = info.pubkey
        if given is not None and given != stored:
            if pubkey_to_address_bytes(given) != st.signer_bytes[i]:
                raise InvalidPubKey(
                    f"pubKey does not match signer address {tx.signers[i]} with signer index: {i}"
                )
            if stored is None:
                set_account_pubkey(account, given)
                stored = given
        if stored is None and ctx.is_simulate:  # a new account simulating without its key
            set_account_pubkey(account, SIMULATED_PUBKEY)
            stored = SIMULATED_PUBKEY
        if stored is None:
            raise InvalidPubKey("pubkey on account is not set")
        st.pubkeys.append(stored)
        _emit_tx_event(ctx, ("acc_seq", f"{tx.signers[i]}/{info.sequence}"))


def validate_sig_count(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    if len(tx.signatures) > st.params.tx_sig_limit:
        raise TooManySignatures(
            f"signatures: {len(tx.signatures)}, limit: {st.params.tx_sig_limit}"
        )


def consume_sig_gas(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    cost = st.params.sig_verify_cost_secp256k1
    for _ in tx.signatures:
        ctx.gas.consume(cost, "ante verify: secp256k1")


def verify_signatures(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    chain_id = ctx.block.chain_id
    prefix = sign_doc_prefix(tx.body_bytes, tx.auth_info_bytes, chain_id)
    for i, account in enumerate(st.accounts):
        sequence = tx.signer_infos[i].sequence
        if sequence != account.sequence:
            raise WrongSequence(
                f"account sequence mismatch, expected {account.sequence}, got {sequence}"
            )
        if ctx.is_simulate:
            continue
        sign_bytes = prefix + encode_uint_field(_SIGN_DOC_ACCOUNT_NUMBER, account.account_number)
        if not VERIFIED.verify(st.pubkeys[i], sign_bytes, tx.signatures[i]):
            raise Unauthorized(
                f"signature verification failed; please verify account number "
                f"({account.account_number}), sequence ({account.sequence}) "
                f"and chain-id ({chain_id})"
            )


def increment_sequence(ctx: Context, tx: DecodedTx, st: AnteState) -> None:
    for raw, account in zip(st.signer_bytes, st.accounts, strict=True):
        account.sequence += 1
        st.auth.accounts.set(ctx.store, raw, account)


Step = Callable[[Context, DecodedTx, AnteState], None]

STEPS: tuple[Step, ...] = (
    set_up_context,
    reject_extension_options,
    validate_basic,
    check_timeout_height,
    validate_memo,
    consume_tx_size_gas,
    load_signer_accounts,
    validate_messages,
    check_fee,
    deduct_fee,
    set_pubkey,
    validate_sig_count,
    consume_sig_gas,
    verify_signatures,
    increment_sequence,
)

ANTE_STEPS: tuple[str, ...] = tuple(step.__name__ for step in STEPS)


def make_ante(auth: AuthKeeper, bank: BankKeeper) -> Callable[[Context, DecodedTx], None]:
    """The app's ante handler: runs every step in order; the first failure raises."""

    def ante(ctx: Context, tx: DecodedTx) -> None:
        st = AnteState(auth, bank)
        for step in STEPS:
            step(ctx, tx, st)

    return ante


def make_ante_reads(auth: AuthKeeper, bank: BankKeeper) -> Callable[[DecodedTx], list[bytes]]:
    """The store keys the ante chain reads for a tx (its signers' accounts, the payer's balance
    of each fee coin), which a block reads ahead (``TxPipeline.reads``); raises InvalidAddress
    for a tx the ante chain will refuse."""

    def reads(tx: DecodedTx) -> list[bytes]:
        keys = [auth.account_key(signer) for signer in tx.signers]
        keys += [bank.balance_key(tx.payer, coin.denom) for coin in tx.fee]
        return keys

    return reads


# -- SignDoc --------------------------------------------------------------------------------


def sign_doc_bytes(
    body_bytes: bytes, auth_info_bytes: bytes, chain_id: str, account_number: int
) -> bytes:
    """``cosmos.tx.v1beta1.SignDoc{body_bytes, auth_info_bytes, chain_id, account_number}``
    serialized as protobuf does (fields in order, defaults omitted): the bytes a SIGN_MODE_DIRECT
    signer signs. Hand-encoded because it runs for every signature."""
    return sign_doc_prefix(body_bytes, auth_info_bytes, chain_id) + encode_uint_field(
        _SIGN_DOC_ACCOUNT_NUMBER, account_number
    )


# SignDoc's field tags: 1 body_bytes, 2 auth_info_bytes, 3 chain_id (length-delimited), 4
# account_number (varint).
_SIGN_DOC_BODY = tag(1, LENGTH_DELIMITED)
_SIGN_DOC_AUTH_INFO = tag(2, LENGTH_DELIMITED)
_SIGN_DOC_CHAIN_ID = tag(3, LENGTH_DELIMITED)
_SIGN_DOC_ACCOUNT_NUMBER = tag(4, VARINT)


def sign_doc_prefix(body_bytes: bytes, auth_info_bytes: bytes, chain_id: str) -> bytes:
    return (
        encode_bytes_field(_SIGN_DOC_BODY, body_bytes)
        + encode_bytes_field(_SIGN_DOC_AUTH_INFO, auth_info_bytes)
        + encode_string_field(_SIGN_DOC_CHAIN_ID, chain_id)
    )


# -- helpers --------------------------------------------------------------------------------


def _emit_tx_event(ctx: Context, *attributes: tuple[str, str]) -> None:
    """The SDK's ante ``tx`` events (``tx.fee``, ``tx.fee_payer``, ``tx.acc_seq``) that
    explorers and wallets search by (every attribute indexed)."""
    ctx.events.emit_pending("tx", list(attributes))


def _mode_name(mode: int) -> str:
    if mode < 0:
        return "multisig" if mode == MULTI_SIGNER else "no mode info"
    try:
        return signing_pb2.SignMode.Name(mode)
    except ValueError:
        return str(mode)
