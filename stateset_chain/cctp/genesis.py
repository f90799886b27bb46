"""cctp genesis JSON, and its inverse. Every field is optional; ``{}`` leaves the module
unconfigured (no local domain: every message out or in refuses with LocalDomainNotSet).

    {"local_domain": 7,                                   # u32: this chain's CCTP domain
     "owner": "stateset1...", "pending_owner": "",         # roles: canonical addresses or ""
     "attester_manager": "stateset1...", "pauser": "stateset1...",
     "token_controller": "stateset1...",
     "attesters": ["0x04<X><Y>", ...],                    # uncompressed public keys, hex
     "signature_threshold": 2,                            # u32: 1..len(attesters), 0 iff none
     "remote_token_messengers": [{"domain_id": 0, "address": "0x<bytes32>"}],
     "token_pairs": [{"remote_domain": 0, "remote_token": "0x<bytes32>", "local_token": "uusdc"}],
     "per_message_burn_limits": [{"denom": "uusdc", "amount": "1000000000000"}],
     "max_message_body_size": "8192",                     # u64 (absent: no limit)
     "burning_and_minting_paused": false,
     "sending_and_receiving_messages_paused": false,
     "used_nonces": [{"source_domain": 0, "nonce": "12"}],  # u64 as decimal strings
     "next_available_nonce": "0"}

bytes32 values are hex, ``0x`` optional. Export writes every field, lists in store order
(attesters by address, domains and nonces ascending), so ``init(export(s))`` reproduces ``s``.
"""

from __future__ import annotations

from stateset_chain.cctp.attestation import (
    ethereum_address,
    format_attester_key,
    parse_attester_key,
)
from stateset_chain.cctp.codec import BYTES32, MAX_UINT32, MAX_UINT64, MAX_UINT256
from stateset_chain.cctp.errors import InvalidGenesis
from stateset_chain.cctp.keys import LOCAL_TOKEN
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.coins import parse_uint
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.errors import ChainError

ROLES = ("owner", "pending_owner", "attester_manager", "pauser", "token_controller")


def init_genesis(keeper: CctpKeeper, ctx: Context, data: dict) -> None:
    try:
        _init(keeper, ctx, data)
    except ChainError as e:
        if isinstance(e, InvalidGenesis):
            raise
        raise InvalidGenesis(e.log) from e
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise InvalidGenesis(f"malformed cctp genesis: {e!r}") from e


def _init(keeper: CctpKeeper, ctx: Context, data: dict) -> None:
    store = ctx.store
    if "local_domain" in data:
        keeper.set_local_domain(store, _uint(data["local_domain"], MAX_UINT32, "local_domain"))
    _init_roles(keeper, ctx, data)
    _init_attesters(keeper, ctx, data)
    for entry in data.get("remote_token_messengers", []):
        domain = _uint(entry["domain_id"], MAX_UINT32, "domain_id")
        if keeper.remote_token_messenger(store, domain) is not None:
            raise InvalidGenesis(f"two remote token messengers for domain {domain}")
        keeper.set_remote_token_messenger(store, domain, _bytes32(entry["address"], "address"))
    for entry in data.get("token_pairs", []):
        domain = _uint(entry["remote_domain"], MAX_UINT32, "remote_domain")
        token = _bytes32(entry["remote_token"], "remote_token")
        if entry["local_token"] != LOCAL_TOKEN:
            raise InvalidGenesis(f"local token {entry['local_token']!r} is not {LOCAL_TOKEN}")
        if keeper.token_pair(store, domain, token) is not None:
            raise InvalidGenesis(f"token pair {domain}/0x{token.hex()} listed twice")
        keeper.link_token_pair(store, domain, token, LOCAL_TOKEN)
    for entry in data.get("per_message_burn_limits", []):
        if entry["denom"] != LOCAL_TOKEN:
            raise InvalidGenesis(f"burn limit for {entry['denom']!r}: only {LOCAL_TOKEN}")
        if keeper.burn_limit(store, LOCAL_TOKEN) is not None:
            raise InvalidGenesis(f"two burn limits for {LOCAL_TOKEN}")
        keeper.set_burn_limit(store, LOCAL_TOKEN, _uint(entry["amount"], MAX_UINT256, "amount"))
    if "max_message_body_size" in data:
        size = _uint(data["max_message_body_size"], MAX_UINT64, "max_message_body_size")
        keeper.set_max_message_body_size(store, size)
    keeper.set_burning_and_minting_paused(
        store, _bool(data.get("burning_and_minting_paused", False), "burning_and_minting_paused")
    )
    keeper.set_sending_and_receiving_paused(
        store,
        _bool(
            data.get("sending_and_receiving_messages_paused", False),
            "sending_and_receiving_messages_paused",
        ),
    )
    for entry in data.get("used_nonces", []):
        domain = _uint(entry["source_domain"], MAX_UINT32, "source_domain")
        nonce = _uint(entry["nonce"], MAX_UINT64, "nonce")
        if keeper.is_nonce_used(store, domain, nonce):
            raise InvalidGenesis(f"used nonce {domain}/{nonce} listed twice")
        keeper.mark_nonce_used(store, domain, nonce)
    next_nonce = _uint(data.get("next_available_nonce", 0), MAX_UINT64, "next_available_nonce")
    keeper.set_next_available_nonce(store, next_nonce)


def _init_roles(keeper: CctpKeeper, ctx: Context, data: dict) -> None:
    for role in ROLES:
        value = data.get(role, "")
        if value:
            require_address(value, role)
    keeper.set_owner(ctx.store, data.get("owner", ""))
    if data.get("pending_owner"):
        keeper.set_pending_owner(ctx.store, data["pending_owner"])
    keeper.set_attester_manager(ctx.store, data.get("attester_manager", ""))
    keeper.set_pauser(ctx.store, data.get("pauser", ""))
    keeper.set_token_controller(ctx.store, data.get("token_controller", ""))


def _init_attesters(keeper: CctpKeeper, ctx: Context, data: dict) -> None:
    for text in data.get("attesters", []):
        pubkey = parse_attester_key(text)
        eth_address = ethereum_address(pubkey)
        if keeper.is_attester(ctx.store, eth_address):
            raise InvalidGenesis(f"attester {text} listed twice")
        keeper.enable_attester(ctx.store, eth_address, pubkey)
    count = keeper.attester_count(ctx.store)
    threshold = _uint(data.get("signature_threshold", 0), MAX_UINT32, "signature_threshold")
    if count and not 1 <= threshold <= count:
        raise InvalidGenesis(f"signature threshold {threshold} not in 1..{count} attesters")
    if not count and threshold:
        raise InvalidGenesis(f"signature threshold {threshold} without attesters")
    keeper.set_signature_threshold(ctx.store, threshold)


def export_genesis(keeper: CctpKeeper, ctx: Context) -> dict:
    store = ctx.store
    out: dict = {}
    local_domain = keeper.local_domain(store)
    if local_domain is not None:
        out["local_domain"] = local_domain
    out.update(
        owner=keeper.owner(store),
        pending_owner=keeper.pending_owner(store),
        attester_manager=keeper.attester_manager(store),
        pauser=keeper.pauser(store),
        token_controller=keeper.token_controller(store),
        attesters=[format_attester_key(key) for _, key in keeper.all_attesters(store)],
        signature_threshold=keeper.signature_threshold(store),
        remote_token_messengers=[
            {"domain_id": d, "address": "0x" + a.hex()}
            for d, a in keeper.all_remote_token_messengers(store)
        ],
        token_pairs=[
            {"remote_domain": d, "remote_token": "0x" + t.hex(), "local_token": local}
            for (d, t), local in keeper.all_token_pairs(store)
        ],
        per_message_burn_limits=[
            {"denom": denom, "amount": str(amount)}
            for denom, amount in keeper.all_burn_limits(store)
        ],
    )
    size = keeper.max_message_body_size(store)
    if size is not None:
        out["max_message_body_size"] = str(size)
    out.update(
        burning_and_minting_paused=keeper.burning_and_minting_paused(store),
        sending_and_receiving_messages_paused=keeper.sending_and_receiving_paused(store),
        used_nonces=[
            {"source_domain": d, "nonce": str(n)} for d, n in keeper.all_used_nonces(store)
        ],
        next_available_nonce=str(keeper.next_available_nonce(store)),
    )
    return out


def _uint(value, limit: int, field: str) -> int:
    """A non-negative integer <= limit, given as a JSON integer or a canonical decimal string."""
    return parse_uint(value, InvalidGenesis, field=field, maximum=limit)


def _bool(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidGenesis(f"{field} must be true or false, got {value!r}")
    return value


def _bytes32(text: str, field: str) -> bytes:
    body = text[2:] if text[:2] in ("0x", "0X") else text
    try:
        raw = bytes.fromhex(body)
    except ValueError:
        raise InvalidGenesis(f"{field} {text!r} is not hex") from None
    if len(raw) != BYTES32:
        raise InvalidGenesis(f"{field} {text!r} is not 32 bytes")
    return raw
