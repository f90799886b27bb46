"""What the flows return, and the shape of the mint hook (shared by state, inbound, outbound)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stateset_chain.cctp.codec import Message
from stateset_chain.context import Context


@dataclass(frozen=True)
class MintInfo:
    """What a received burn message minted, as the ``on_mint`` hook sees it."""

    source_domain: int
    nonce: int
    message_hash: bytes  # keccak256 of the whole received message (Circle's lookup id)
    burn_token: bytes  # bytes32 of the token burned on the source domain
    original_sender: bytes  # bytes32: the burn message's message_sender (the depositor there)
    mint_recipient: bytes  # bytes32 as in the burn message
    recipient: str  # bech32 of mint_recipient[12:], where the coins were minted
    denom: str
    amount: int


@dataclass(frozen=True)
class SentMessage:
    """An outbound message: what a relayer gets attested (``message_hash`` is the lookup id)."""

    nonce: int
    message: bytes
    message_hash: bytes


@dataclass(frozen=True)
class ReceiveResult:
    message: Message
    message_hash: bytes
    minted: MintInfo | None  # None: not a burn message for this module
    claimed: bool  # the on_mint hook took charge of the minted coins


# on_mint(ctx, info) -> True when the hook took charge of the minted coins (see state.py).
MintHook = Callable[[Context, MintInfo], bool]
