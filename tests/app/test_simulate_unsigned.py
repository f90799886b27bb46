"""Simulate accepts the unsigned transactions wallets estimate gas with, and the estimate covers
the signed transaction: cosmjs (SIGN_MODE_UNSPECIFIED, an empty signature, an empty fee, the
public key) and Keplr (SIGN_MODE_LEGACY_AMINO_JSON, 64 zero bytes, no public key for an account
that never sent). A real transaction in those forms is still refused."""

from __future__ import annotations

import pytest

from stateset_chain.client import msg_send
from stateset_chain.coins import USDC, Coin
from tests.chain import Chain, address

from cosmos.crypto.secp256k1 import keys_pb2
from cosmos.tx.signing.v1beta1 import signing_pb2
from cosmos.tx.v1beta1 import service_pb2, tx_pb2

SIMULATE = "/cosmos.tx.v1beta1.Service/Simulate"


@pytest.fixture
def chain() -> Chain:
    return Chain.start()


def unsigned(chain: Chain, w, *, mode, signature: bytes, with_pubkey: bool, fee=None) -> bytes:
    """The tx a wallet simulates: the signed one's body, its own signer info, fee and signature."""
    signed = tx_pb2.TxRaw.FromString(chain.send(w, address(chain.wallets[1]), 9, sequence=0))
    auth = tx_pb2.AuthInfo.FromString(signed.auth_info_bytes)
    info = auth.signer_infos[0]
    if not with_pubkey:
        info.ClearField("public_key")
    else:
        info.public_key.Pack(
            keys_pb2.PubKey(key=w.public_key().public_key_bytes), type_url_prefix="/"
        )
    info.mode_info.single.mode = mode
    auth.fee.CopyFrom(fee if fee is not None else tx_pb2.Fee())
    return tx_pb2.TxRaw(
        body_bytes=signed.body_bytes, auth_info_bytes=auth.SerializeToString(),
        signatures=[signature],
    ).SerializeToString()


def simulated_gas(chain: Chain, raw: bytes) -> int:
    res = chain.query(SIMULATE, service_pb2.SimulateRequest(tx_bytes=raw))
    assert res.code == 0, res.log
    return service_pb2.SimulateResponse.FromString(res.value).gas_info.gas_used


def gas_of_the_signed_send(chain: Chain, w) -> int:
    result = chain.block([chain.send(w, address(chain.wallets[1]), 9, sequence=0)]).tx_results[0]
    assert result.code == 0, result.log
    return result.gas_used


FORMS = {
    "cosmjs": dict(mode=signing_pb2.SIGN_MODE_UNSPECIFIED, signature=b"", with_pubkey=True),
    "keplr": dict(mode=signing_pb2.SIGN_MODE_LEGACY_AMINO_JSON, signature=bytes(64),
                  with_pubkey=False),
    "direct, empty signature": dict(mode=signing_pb2.SIGN_MODE_DIRECT, signature=b"",
                                    with_pubkey=True),
}


@pytest.mark.parametrize("form", FORMS)
def test_unsigned_forms_simulate_and_cover_the_signed_tx(chain, form):
    w = chain.wallets[0]  # has never sent: no public key on its account yet
    before = chain.core.store.last_app_hash
    estimate = simulated_gas(chain, unsigned(chain, w, **FORMS[form]))
    assert chain.core.store.last_app_hash == before  # simulation changed nothing
    assert chain.query_account(address(w)).sequence == 0
    used = gas_of_the_signed_send(chain, w)
    assert used <= estimate, (form, used, estimate)
    assert estimate - used < used // 5  # and not wildly above it


def test_simulation_charges_the_missing_signature_and_fee():
    chain = Chain.start()
    w = chain.wallets[0]
    empty = simulated_gas(chain, unsigned(chain, w, **FORMS["cosmjs"]))
    zeros = simulated_gas(chain, unsigned(chain, w, **{**FORMS["cosmjs"], "signature": bytes(64)}))
    # a 64-byte signature costs 64 more bytes of tx size; an empty one is charged a full one's
    # simulated size (the SDK's 112 bytes), so it estimates higher
    assert empty > zeros
    fee = tx_pb2.Fee(gas_limit=200_000)
    fee.amount.add(denom=USDC, amount="5000")
    with_fee = simulated_gas(chain, unsigned(chain, w, **FORMS["cosmjs"], fee=fee))
    # the empty fee's simulated transfer costs what paying does, plus one balance read
    assert with_fee <= empty < with_fee + 1500


def test_an_unknown_account_cannot_simulate():
    chain = Chain.start()
    stranger = chain.wallets[3].__class__.generate(prefix="stateset")
    raw = chain.sign(stranger, [msg_send(address(stranger), address(chain.wallets[1]),
                                         [Coin(USDC, 1)])], account_number=0, sequence=0)
    res = chain.query(SIMULATE, service_pb2.SimulateRequest(tx_bytes=raw))
    assert (res.codespace, res.code) == ("sdk", 9), res.log


@pytest.mark.parametrize("form", ["cosmjs", "keplr"])
def test_the_unsigned_forms_are_refused_in_a_block(chain, form):
    raw = unsigned(chain, chain.wallets[0], **FORMS[form], fee=_fee())
    result = chain.block([raw]).tx_results[0]
    assert result.code != 0
    assert (result.codespace, result.code) in {("auth", 2), ("sdk", 8), ("sdk", 4)}, result.log


def _fee() -> tx_pb2.Fee:
    fee = tx_pb2.Fee(gas_limit=200_000)
    fee.amount.add(denom=USDC, amount="5000")
    return fee
