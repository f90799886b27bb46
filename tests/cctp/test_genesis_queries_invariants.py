"""Genesis (validation and an exact round trip), every query, and the invariants."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp import genesis, invariants
from stateset_chain.cctp.attestation import ethereum_address, parse_attester_key
from stateset_chain.cctp.errors import InvalidAttesterKey, InvalidBytes32, InvalidGenesis
from stateset_chain.cctp.keys import MODULE_ACCOUNT, STORE_PREFIX
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.coins import Coin
from stateset_chain.errors import InvalidCoins, InvariantBroken, NotFound
from stateset_chain.store.kv import MemoryKV
from tests.bank.helpers import ALICE, new_ctx
from tests.cctp.helpers import (
    CONTROLLER,
    ETH_TOKEN_MESSENGER,
    ETH_USDC,
    KEYS,
    LOCAL_DOMAIN,
    MANAGER,
    NEW_OWNER,
    OWNER,
    PAUSER,
    base_genesis,
    inbound_message,
    new_env,
    pubhex,
    sign,
)

from stateset.cctp.v1 import query_pb2 as q
from stateset.cctp.v1 import tx_pb2 as tx


def cctp_state(store) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in store.iterate() if k.startswith(STORE_PREFIX)]


def busy_env():
    env = new_env()
    raw = inbound_message(nonce=41)
    env.deliver(tx.MsgReceiveMessage(signer=ALICE, message=raw, attestation=sign(raw, KEYS[:2])))
    env.deliver(
        tx.MsgDepositForBurn(
            signer=ALICE,
            amount="5",
            destination_domain=0,
            mint_recipient=b"\x01" * 32,
            burn_token="uusdc",
        )
    )
    env.deliver(tx.MsgUpdateOwner(signer=OWNER, new_owner=NEW_OWNER))
    env.deliver(tx.MsgPauseBurningAndMinting(signer=PAUSER))
    return env


def test_export_then_init_reproduces_the_state_byte_for_byte():
    env = busy_env()
    exported = genesis.export_genesis(env.keeper, env.ctx)
    assert exported["local_domain"] == LOCAL_DOMAIN
    assert exported["pending_owner"] == NEW_OWNER
    assert exported["used_nonces"] == [{"source_domain": 0, "nonce": "41"}]
    assert exported["next_available_nonce"] == "1"
    assert exported["burning_and_minting_paused"] is True
    assert exported["attesters"] == sorted(exported["attesters"], key=_address_of)
    fresh = new_ctx(MemoryKV())
    genesis.init_genesis(CctpKeeper(env.bank), fresh, exported)
    assert cctp_state(fresh.store) == cctp_state(env.ctx.store)
    assert genesis.export_genesis(CctpKeeper(env.bank), fresh) == exported


def _address_of(key: str) -> bytes:
    return ethereum_address(parse_attester_key(key))


def test_empty_genesis_leaves_the_module_unconfigured():
    env = new_env({})
    assert env.keeper.local_domain(env.ctx.store) is None
    exported = genesis.export_genesis(env.keeper, env.ctx)
    assert "local_domain" not in exported and "max_message_body_size" not in exported
    assert exported["signature_threshold"] == 0 and exported["attesters"] == []
    with pytest.raises(NotFound):
        env.query("LocalDomain", q.QueryLocalDomainRequest())


@pytest.mark.parametrize(
    "overrides",
    [
        dict(local_domain=-1),
        dict(local_domain=2**32),
        dict(local_domain=True),
        dict(local_domain="07"),
        dict(signature_threshold=4),
        dict(signature_threshold=0),
        dict(attesters=[], signature_threshold=1),
        dict(attesters=[pubhex(KEYS[0]), pubhex(KEYS[0])], signature_threshold=1),
        dict(attesters=["0x1234"], signature_threshold=1),
        dict(owner="not-an-address"),
        dict(pauser=ALICE.upper()),
        dict(token_pairs=[{"remote_domain": 0, "remote_token": "00" * 32, "local_token": "stake"}]),
        dict(token_pairs=[{"remote_domain": 0, "remote_token": "00" * 31, "local_token": "uusdc"}]),
        dict(
            token_pairs=[
                {"remote_domain": 0, "remote_token": "0x" + "ab" * 32, "local_token": "uusdc"}
            ]
            * 2
        ),
        dict(remote_token_messengers=[{"domain_id": 1, "address": "zz"}]),
        dict(remote_token_messengers=[{"domain_id": 1, "address": "00" * 32}] * 2),
        dict(per_message_burn_limits=[{"denom": "ussusd", "amount": "1"}]),
        dict(per_message_burn_limits=[{"denom": "uusdc", "amount": "-1"}]),
        dict(max_message_body_size="8k"),
        dict(burning_and_minting_paused="yes"),
        dict(used_nonces=[{"source_domain": 0, "nonce": "1"}] * 2),
        dict(next_available_nonce=str(2**64)),
        dict(remote_token_messengers=[{"address": "00" * 32}]),
    ],
)
def test_invalid_genesis_is_refused(overrides):
    keeper = CctpKeeper(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidGenesis):
        genesis.init_genesis(keeper, new_ctx(MemoryKV()), base_genesis(**overrides))


def test_queries_answer_every_piece_of_state():
    env = busy_env()
    roles = env.query("Roles", q.QueryRolesRequest())
    assert (roles.owner, roles.pending_owner, roles.attester_manager) == (OWNER, NEW_OWNER, MANAGER)
    assert (roles.pauser, roles.token_controller) == (PAUSER, CONTROLLER)
    assert env.query("LocalDomain", q.QueryLocalDomainRequest()).domain_id == LOCAL_DOMAIN
    attesters = env.query("Attesters", q.QueryAttestersRequest()).attesters
    assert [a.attester for a in attesters] == sorted((pubhex(k) for k in KEYS[:3]), key=_address_of)
    one = env.query("Attester", q.QueryAttesterRequest(attester=pubhex(KEYS[1]))).attester
    assert one.address == _address_of(pubhex(KEYS[1]))
    with pytest.raises(NotFound):
        env.query("Attester", q.QueryAttesterRequest(attester=pubhex(KEYS[4])))
    with pytest.raises(InvalidAttesterKey):
        env.query("Attester", q.QueryAttesterRequest(attester="0x12"))
    assert env.query("SignatureThreshold", q.QuerySignatureThresholdRequest()).amount == 2
    pair = env.query(
        "TokenPair", q.QueryTokenPairRequest(remote_domain=0, remote_token=ETH_USDC)
    ).pair
    assert (pair.remote_domain, pair.remote_token, pair.local_token) == (0, ETH_USDC, "uusdc")
    with pytest.raises(NotFound):
        env.query("TokenPair", q.QueryTokenPairRequest(remote_domain=9, remote_token=ETH_USDC))
    with pytest.raises(InvalidBytes32):
        env.query("TokenPair", q.QueryTokenPairRequest(remote_domain=0, remote_token=b"x"))
    assert len(env.query("TokenPairs", q.QueryTokenPairsRequest()).token_pairs) == 1
    rtm = env.query(
        "RemoteTokenMessenger", q.QueryRemoteTokenMessengerRequest(domain_id=0)
    ).remote_token_messenger
    assert rtm.address == ETH_TOKEN_MESSENGER
    with pytest.raises(NotFound):
        env.query("RemoteTokenMessenger", q.QueryRemoteTokenMessengerRequest(domain_id=9))
    assert (
        len(
            env.query(
                "RemoteTokenMessengers", q.QueryRemoteTokenMessengersRequest()
            ).remote_token_messengers
        )
        == 1
    )
    limit = env.query("PerMessageBurnLimit", q.QueryPerMessageBurnLimitRequest(denom="uusdc"))
    assert limit.burn_limit.amount == "1000000000000"
    with pytest.raises(NotFound):
        env.query("PerMessageBurnLimit", q.QueryPerMessageBurnLimitRequest(denom="stake"))
    with pytest.raises(InvalidCoins):  # over the SDK's longest denom
        env.query("PerMessageBurnLimit", q.QueryPerMessageBurnLimitRequest(denom="u" * 129))
    assert len(env.query("PerMessageBurnLimits", q.QueryPerMessageBurnLimitsRequest()).burn_limits)
    size = env.query("MaxMessageBodySize", q.QueryMaxMessageBodySizeRequest())
    assert (size.amount, size.is_set) == (8192, True)
    assert env.query("BurningAndMintingPaused", q.QueryBurningAndMintingPausedRequest()).paused
    assert not env.query(
        "SendingAndReceivingMessagesPaused", q.QuerySendingAndReceivingMessagesPausedRequest()
    ).paused
    assert env.query("UsedNonce", q.QueryUsedNonceRequest(source_domain=0, nonce=41)).used
    assert not env.query("UsedNonce", q.QueryUsedNonceRequest(source_domain=0, nonce=42)).used
    assert env.query("NextAvailableNonce", q.QueryNextAvailableNonceRequest()).nonce == 1
    assert env.query("LocalMessageVersion", q.QueryLocalMessageVersionRequest()).version == 0
    assert env.query("BurnMessageVersion", q.QueryBurnMessageVersionRequest()).version == 0


def test_every_query_route_is_under_the_cctp_service():
    env = new_env()
    paths = [r.path for r in env.module.queries]
    assert len(paths) == len(set(paths)) == 18
    assert all(p.startswith("/stateset.cctp.v1.Query/") for p in paths)


def run_invariants(env):
    for inv in env.module.invariants:
        inv(env.ctx)


def test_invariants_hold_after_activity():
    run_invariants(busy_env())


def test_invariant_catches_an_attester_count_mismatch():
    env = new_env()
    env.keeper.enable_attester(env.ctx.store, b"\x01" * 20, b"\x04" + b"\x02" * 64)
    with pytest.raises(InvariantBroken):
        invariants.attesters_consistent(env.keeper, env.ctx)


def test_invariant_catches_a_threshold_above_the_attesters():
    env = new_env()
    env.keeper.set_signature_threshold(env.ctx.store, 4)
    with pytest.raises(InvariantBroken):
        invariants.attesters_consistent(env.keeper, env.ctx)


def test_invariant_catches_coins_left_in_the_module_account():
    env = new_env()
    env.bank.send_to_module(env.ctx, ALICE, MODULE_ACCOUNT, [Coin("uusdc", 1)])
    with pytest.raises(InvariantBroken):
        invariants.module_account_empty(env.keeper, env.ctx)


def test_invariant_catches_a_pair_minting_another_denom():
    env = new_env()
    CctpKeeper.token_pairs.set(env.ctx.store, (5, b"\x05" * 32), "ussusd")
    with pytest.raises(InvariantBroken):
        invariants.token_pairs_local(env.keeper, env.ctx)
