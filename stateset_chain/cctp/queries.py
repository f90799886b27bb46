"""cctp queries at ``/stateset.cctp.v1.Query/<Method>`` (protobuf request/response).

Roles                              -> owner, pending owner, attester manager, pauser, controller
LocalDomain                        -> domain (NotFound if genesis set none)
Attester(attester hex)             -> the enabled attester (NotFound if not enabled;
                                      InvalidAttesterKey if not a key)
Attesters                          -> every enabled attester, by increasing address
SignatureThreshold                 -> threshold (0: not set)
TokenPair(remote_domain, token)    -> the linked pair (NotFound if none; InvalidBytes32 if the
                                      token is not 32 bytes)
TokenPairs                         -> every pair, by (domain, token)
RemoteTokenMessenger(domain_id)    -> its address (NotFound if none)
RemoteTokenMessengers              -> every one, by domain
PerMessageBurnLimit(denom)         -> the limit (NotFound if none; sdk InvalidCoins over 128 bytes)
PerMessageBurnLimits               -> every limit
MaxMessageBodySize                 -> size, is_set
BurningAndMintingPaused            -> paused
SendingAndReceivingMessagesPaused  -> paused
UsedNonce(source_domain, nonce)    -> used
NextAvailableNonce                 -> the nonce the next outbound message gets
LocalMessageVersion, BurnMessageVersion -> 0 (CCTP v1)
"""

from __future__ import annotations

from collections.abc import Callable

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.attestation import (
    ethereum_address,
    format_attester_key,
    parse_attester_key,
)
from stateset_chain.cctp.codec import require_bytes32
from stateset_chain.cctp.keys import BURN_MESSAGE_VERSION, MESSAGE_VERSION
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.errors import InvalidCoins, NotFound
from stateset_chain.module import QueryRoute

from stateset.cctp.v1 import query_pb2 as q

SERVICE = "/stateset.cctp.v1.Query/"


def roles(keeper: CctpKeeper, ctx: Context, req: q.QueryRolesRequest) -> q.QueryRolesResponse:
    s = ctx.store
    return q.QueryRolesResponse(
        owner=keeper.owner(s),
        pending_owner=keeper.pending_owner(s),
        attester_manager=keeper.attester_manager(s),
        pauser=keeper.pauser(s),
        token_controller=keeper.token_controller(s),
    )


def local_domain(
    keeper: CctpKeeper, ctx: Context, req: q.QueryLocalDomainRequest
) -> q.QueryLocalDomainResponse:
    domain = keeper.local_domain(ctx.store)
    if domain is None:
        raise NotFound("local domain is not set")
    return q.QueryLocalDomainResponse(domain_id=domain)


def _attester(eth_address: bytes, pubkey: bytes) -> q.Attester:
    return q.Attester(attester=format_attester_key(pubkey), address=eth_address)


def attester(
    keeper: CctpKeeper, ctx: Context, req: q.QueryAttesterRequest
) -> q.QueryAttesterResponse:
    eth_address = ethereum_address(parse_attester_key(req.attester))
    pubkey = keeper.attester_key(ctx.store, eth_address)
    if pubkey is None:
        raise NotFound(f"attester {req.attester} is not enabled")
    return q.QueryAttesterResponse(attester=_attester(eth_address, pubkey))


def attesters(
    keeper: CctpKeeper, ctx: Context, req: q.QueryAttestersRequest
) -> q.QueryAttestersResponse:
    return q.QueryAttestersResponse(
        attesters=[_attester(a, k) for a, k in keeper.all_attesters(ctx.store)]
    )


def signature_threshold(
    keeper: CctpKeeper, ctx: Context, req: q.QuerySignatureThresholdRequest
) -> q.QuerySignatureThresholdResponse:
    return q.QuerySignatureThresholdResponse(amount=keeper.signature_threshold(ctx.store))


def token_pair(
    keeper: CctpKeeper, ctx: Context, req: q.QueryTokenPairRequest
) -> q.QueryTokenPairResponse:
    token = require_bytes32(req.remote_token, "remote token")
    local = keeper.token_pair(ctx.store, req.remote_domain, token)
    if local is None:
        raise NotFound(f"no token pair for domain {req.remote_domain} 0x{token.hex()}")
    return q.QueryTokenPairResponse(
        pair=q.TokenPair(remote_domain=req.remote_domain, remote_token=token, local_token=local)
    )


def token_pairs(
    keeper: CctpKeeper, ctx: Context, req: q.QueryTokenPairsRequest
) -> q.QueryTokenPairsResponse:
    return q.QueryTokenPairsResponse(
        token_pairs=[
            q.TokenPair(remote_domain=d, remote_token=t, local_token=local)
            for (d, t), local in keeper.all_token_pairs(ctx.store)
        ]
    )


def remote_token_messenger(
    keeper: CctpKeeper, ctx: Context, req: q.QueryRemoteTokenMessengerRequest
) -> q.QueryRemoteTokenMessengerResponse:
    found = keeper.remote_token_messenger(ctx.store, req.domain_id)
    if found is None:
        raise NotFound(f"no remote token messenger for domain {req.domain_id}")
    return q.QueryRemoteTokenMessengerResponse(
        remote_token_messenger=q.RemoteTokenMessenger(domain_id=req.domain_id, address=found)
    )


def remote_token_messengers(
    keeper: CctpKeeper, ctx: Context, req: q.QueryRemoteTokenMessengersRequest
) -> q.QueryRemoteTokenMessengersResponse:
    return q.QueryRemoteTokenMessengersResponse(
        remote_token_messengers=[
            q.RemoteTokenMessenger(domain_id=d, address=a)
            for d, a in keeper.all_remote_token_messengers(ctx.store)
        ]
    )


MAX_DENOM_BYTES = 128  # the SDK's longest denom


def per_message_burn_limit(
    keeper: CctpKeeper, ctx: Context, req: q.QueryPerMessageBurnLimitRequest
) -> q.QueryPerMessageBurnLimitResponse:
    if len(req.denom.encode()) > MAX_DENOM_BYTES:
        raise InvalidCoins(f"denom is {len(req.denom.encode())} bytes, at most {MAX_DENOM_BYTES}")
    limit = keeper.burn_limit(ctx.store, req.denom.lower())
    if limit is None:
        raise NotFound(f"no burn limit for {req.denom!r}")
    return q.QueryPerMessageBurnLimitResponse(
        burn_limit=q.PerMessageBurnLimit(denom=req.denom.lower(), amount=str(limit))
    )


def per_message_burn_limits(
    keeper: CctpKeeper, ctx: Context, req: q.QueryPerMessageBurnLimitsRequest
) -> q.QueryPerMessageBurnLimitsResponse:
    return q.QueryPerMessageBurnLimitsResponse(
        burn_limits=[
            q.PerMessageBurnLimit(denom=d, amount=str(a))
            for d, a in keeper.all_burn_limits(ctx.store)
        ]
    )


def max_message_body_size(
    keeper: CctpKeeper, ctx: Context, req: q.QueryMaxMessageBodySizeRequest
) -> q.QueryMaxMessageBodySizeResponse:
    size = keeper.max_message_body_size(ctx.store)
    return q.QueryMaxMessageBodySizeResponse(amount=size or 0, is_set=size is not None)


def burning_and_minting_paused(
    keeper: CctpKeeper, ctx: Context, req: q.QueryBurningAndMintingPausedRequest
) -> q.QueryBurningAndMintingPausedResponse:
    return q.QueryBurningAndMintingPausedResponse(
        paused=keeper.burning_and_minting_paused(ctx.store)
    )


def sending_and_receiving_messages_paused(
    keeper: CctpKeeper, ctx: Context, req: q.QuerySendingAndReceivingMessagesPausedRequest
) -> q.QuerySendingAndReceivingMessagesPausedResponse:
    return q.QuerySendingAndReceivingMessagesPausedResponse(
        paused=keeper.sending_and_receiving_paused(ctx.store)
    )


def used_nonce(
    keeper: CctpKeeper, ctx: Context, req: q.QueryUsedNonceRequest
) -> q.QueryUsedNonceResponse:
    return q.QueryUsedNonceResponse(
        used=keeper.is_nonce_used(ctx.store, req.source_domain, req.nonce)
    )


def next_available_nonce(
    keeper: CctpKeeper, ctx: Context, req: q.QueryNextAvailableNonceRequest
) -> q.QueryNextAvailableNonceResponse:
    return q.QueryNextAvailableNonceResponse(nonce=keeper.next_available_nonce(ctx.store))


def local_message_version(
    keeper: CctpKeeper, ctx: Context, req: q.QueryLocalMessageVersionRequest
) -> q.QueryLocalMessageVersionResponse:
    return q.QueryLocalMessageVersionResponse(version=MESSAGE_VERSION)


def burn_message_version(
    keeper: CctpKeeper, ctx: Context, req: q.QueryBurnMessageVersionRequest
) -> q.QueryBurnMessageVersionResponse:
    return q.QueryBurnMessageVersionResponse(version=BURN_MESSAGE_VERSION)


_ROUTES: list[tuple[str, type, Callable]] = [
    ("Roles", q.QueryRolesRequest, roles),
    ("LocalDomain", q.QueryLocalDomainRequest, local_domain),
    ("Attester", q.QueryAttesterRequest, attester),
    ("Attesters", q.QueryAttestersRequest, attesters),
    ("SignatureThreshold", q.QuerySignatureThresholdRequest, signature_threshold),
    ("TokenPair", q.QueryTokenPairRequest, token_pair),
    ("TokenPairs", q.QueryTokenPairsRequest, token_pairs),
    ("RemoteTokenMessenger", q.QueryRemoteTokenMessengerRequest, remote_token_messenger),
    ("RemoteTokenMessengers", q.QueryRemoteTokenMessengersRequest, remote_token_messengers),
    ("PerMessageBurnLimit", q.QueryPerMessageBurnLimitRequest, per_message_burn_limit),
    ("PerMessageBurnLimits", q.QueryPerMessageBurnLimitsRequest, per_message_burn_limits),
    ("MaxMessageBodySize", q.QueryMaxMessageBodySizeRequest, max_message_body_size),
    ("BurningAndMintingPaused", q.QueryBurningAndMintingPausedRequest, burning_and_minting_paused),
    (
        "SendingAndReceivingMessagesPaused",
        q.QuerySendingAndReceivingMessagesPausedRequest,
        sending_and_receiving_messages_paused,
    ),
    ("UsedNonce", q.QueryUsedNonceRequest, used_nonce),
    ("NextAvailableNonce", q.QueryNextAvailableNonceRequest, next_available_nonce),
    ("LocalMessageVersion", q.QueryLocalMessageVersionRequest, local_message_version),
    ("BurnMessageVersion", q.QueryBurnMessageVersionRequest, burn_message_version),
]


def routes(keeper: CctpKeeper) -> list[QueryRoute]:
    def bind(fn):
        return lambda ctx, req: fn(keeper, ctx, req)

    return [QueryRoute(SERVICE + name, cls, bind(fn)) for name, cls, fn in _ROUTES]
