"""Checks the message handlers share: the signer, amounts, bytes32 fields and roles."""

from __future__ import annotations

from typing import Any

from stateset_chain import coins
from stateset_chain.cctp.codec import MAX_UINT256, require_bytes32
from stateset_chain.cctp.errors import CctpError, InvalidAmount, UnsupportedLocalToken
from stateset_chain.cctp.keys import LOCAL_TOKEN
from stateset_chain.crypto.address import require_address

__all__ = ["parse_amount", "require_address", "require_bytes32", "require_role"]


def parse_amount(text: str, allow_zero: bool = False) -> int:
    """An amount in base units, <= 2**256 - 1 (the chain's one grammar, ``coins.parse_amount``)."""
    return coins.parse_amount(text, InvalidAmount, allow_zero=allow_zero, maximum=MAX_UINT256)


def require_role(holder: str, signer: str, error: type[CctpError]) -> None:
    """``signer`` holds the role (an unset role, "", is held by no one)."""
    if not holder or signer != holder:
        raise error(f"{signer} is not {holder or 'set'}")


def signer(msg: Any) -> list[str]:
    return [msg.signer]


def validate_signer(msg: Any) -> None:
    require_address(msg.signer, "signer")


def supported_local_token(denom: str) -> str:
    """The local token, lower-cased as Noble stores it; only uusdc is minted and burned here."""
    if denom.lower() != LOCAL_TOKEN:
        raise UnsupportedLocalToken(f"{denom!r}; only {LOCAL_TOKEN} is supported")
    return LOCAL_TOKEN
