"""Test setup for the cctp module: a real bank, test attesters, and message builders.

Attester keys are generated here from fixed secrets (never Circle's); ``sign`` orders the
signatures by signer address as Circle's attestation service does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coincurve import PrivateKey
from google.protobuf.message import Message as ProtoMessage

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.state import BankKeeper
from stateset_chain.cctp import genesis
from stateset_chain.cctp.attestation import ethereum_address
from stateset_chain.cctp.codec import ZERO32, BurnMessage, Message, keccak256, pad_address
from stateset_chain.cctp.keys import CCTP_MODULE_ACCOUNTS
from stateset_chain.cctp.module import cctp_module
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.module import Module
from tests import delivery
from tests.bank.helpers import ALICE, BOB, TEST_MODULE_ACCOUNTS, FakeAccounts, fund, new_ctx

LOCAL_DOMAIN = 7  # deliberately not Noble's 4: the domain comes from genesis
ETHEREUM = 0
ETH_TOKEN_MESSENGER = pad_address(bytes.fromhex("bd3fa81b58ba92a82136038b25adec7066af3155"))
ETH_USDC = pad_address(bytes.fromhex("a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"))
ETH_USER = pad_address(bytes.fromhex("00000000000000000000000000000000000000e1"))

OWNER = address.encode(bytes([0x10]) * 20)
MANAGER = address.encode(bytes([0x11]) * 20)
PAUSER = address.encode(bytes([0x12]) * 20)
CONTROLLER = address.encode(bytes([0x13]) * 20)
RELAYER = address.encode(bytes([0x14]) * 20)
NEW_OWNER = address.encode(bytes([0x15]) * 20)

# Five attester keys; sorted by Ethereum address so tests can pick "the lowest two", etc.
KEYS = sorted(
    (PrivateKey((0xA77E5700 + i).to_bytes(32, "big")) for i in range(5)),
    key=lambda k: ethereum_address(k.public_key.format(compressed=False)),
)


def pubkey(key: PrivateKey) -> bytes:
    return key.public_key.format(compressed=False)


def pubhex(key: PrivateKey) -> str:
    return "0x" + pubkey(key).hex()


def eth_address(key: PrivateKey) -> bytes:
    return ethereum_address(pubkey(key))


def raw_signature(message: bytes, key: PrivateKey) -> bytes:
    """r || s || v with v = 27 + recovery id (libsecp256k1 signs low-s)."""
    sig = key.sign_recoverable(keccak256(message), hasher=None)
    return sig[:64] + bytes([sig[64] + 27])


def sign(message: bytes, keys: list[PrivateKey]) -> bytes:
    """An attestation: each key's signature, ordered by increasing signer address."""
    ordered = sorted(keys, key=eth_address)
    return b"".join(raw_signature(message, k) for k in ordered)


def base_genesis(**overrides) -> dict:
    data = {
        "local_domain": LOCAL_DOMAIN,
        "owner": OWNER,
        "attester_manager": MANAGER,
        "pauser": PAUSER,
        "token_controller": CONTROLLER,
        "attesters": [pubhex(k) for k in KEYS[:3]],
        "signature_threshold": 2,
        "remote_token_messengers": [
            {"domain_id": ETHEREUM, "address": "0x" + ETH_TOKEN_MESSENGER.hex()}
        ],
        "token_pairs": [
            {
                "remote_domain": ETHEREUM,
                "remote_token": "0x" + ETH_USDC.hex(),
                "local_token": "uusdc",
            }
        ],
        "per_message_burn_limits": [{"denom": "uusdc", "amount": "1000000000000"}],
        "max_message_body_size": "8192",
    }
    data.update(overrides)
    return data


@dataclass
class Env:
    bank: BankKeeper
    keeper: CctpKeeper
    module: Module
    ctx: Context
    events: list = field(default_factory=list)

    def deliver(self, msg: ProtoMessage):
        """Run one message as the app does (``tests.delivery``): stateless validation, then the
        handler on a branch that is written only if it succeeds; events of a failed message are
        dropped."""
        routes = {r.msg_cls: r for r in self.module.msgs}
        delivered = delivery.deliver(self.ctx.store, self.ctx.block, [msg], routes, self.ctx.gas)
        self.events.extend(delivered.handler_events())
        return delivered.responses[0]

    def query(self, path_suffix: str, request: ProtoMessage):
        route = next(r for r in self.module.queries if r.path.endswith("/" + path_suffix))
        return route.handler(self.ctx, request)

    def balance(self, addr: str, denom: str = "uusdc") -> int:
        return self.bank.balance(self.ctx.store, addr, denom)

    def supply(self, denom: str = "uusdc") -> int:
        return self.bank.supply(self.ctx.store, denom)

    def events_of(self, cls) -> list:
        from stateset_chain.events import parse_typed_event

        name = cls.DESCRIPTOR.full_name
        return [parse_typed_event(e, cls) for e in self.events if e.type == name]


def new_env(
    genesis_data: dict | None = None, holdings: dict[str, dict[str, int]] | None = None
) -> Env:
    bank = BankKeeper(FakeAccounts(), {**TEST_MODULE_ACCOUNTS, **CCTP_MODULE_ACCOUNTS})
    ctx = new_ctx()
    fund(bank, ctx, holdings if holdings is not None else {ALICE: {"uusdc": 10_000_000}})
    keeper = CctpKeeper(bank)
    genesis.init_genesis(keeper, ctx, base_genesis() if genesis_data is None else genesis_data)
    ctx.events.events.clear()
    return Env(bank, keeper, cctp_module(keeper), ctx)


def inbound_message(
    amount: int = 1_000_000,
    recipient: str = BOB,
    nonce: int = 1,
    *,
    source: int = ETHEREUM,
    destination: int = LOCAL_DOMAIN,
    sender: bytes = ETH_TOKEN_MESSENGER,
    to: bytes | None = None,
    caller: bytes = ZERO32,
    version: int = 0,
    body_version: int = 0,
    burn_token: bytes = ETH_USDC,
    message_sender: bytes = ETH_USER,
    body: bytes | None = None,
) -> bytes:
    """A burn message from a remote TokenMessenger to this chain's cctp module."""
    if body is None:
        body = BurnMessage(
            version=body_version,
            burn_token=burn_token,
            mint_recipient=pad_address(address.decode(recipient)),
            amount=amount,
            message_sender=message_sender,
        ).encode()
    return Message(
        version=version,
        source_domain=source,
        destination_domain=destination,
        nonce=nonce,
        sender=sender,
        recipient=to if to is not None else CCTP_MODULE_BYTES32,
        destination_caller=caller,
        body=body,
    ).encode()


CCTP_MODULE_BYTES32 = pad_address(address.module_address_bytes("cctp"))
