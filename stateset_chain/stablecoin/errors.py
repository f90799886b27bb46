"""Failures of the stablecoin module (codespace ``stablecoin``).

A sender without enough uusdc (issue) or ussusd (redeem) gets the bank's ``InsufficientFunds``
(sdk 5); a malformed sender gets ``InvalidAddress`` (sdk 7).
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, register


class StablecoinError(ChainError):
    codespace = "stablecoin"


@register
class InvalidAmount(StablecoinError):
    code = 2
    description = "invalid amount"


@register
class IssuanceDisabled(StablecoinError):
    code = 3
    description = "stablecoin issuance is disabled"


@register
class MaxSupplyExceeded(StablecoinError):
    code = 4
    description = "stablecoin max supply exceeded"


@register
class InsufficientReserve(StablecoinError):
    code = 5
    description = "insufficient reserve"


@register
class InvalidParams(StablecoinError):
    code = 6
    description = "invalid stablecoin params"
