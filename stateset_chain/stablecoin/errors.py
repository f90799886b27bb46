"""Failures of the stablecoin module (codespace ``stablecoin``).

A sender without enough uusdc (issue) or ussusd (redeem) gets the bank's ``InsufficientFunds``
(sdk 5); a malformed sender gets ``InvalidAddress`` (sdk 7).
"""

from __future__ import annotations

from stateset_chain.errors import ChainError


class StablecoinError(ChainError):
    codespace = "stablecoin"


class InvalidAmount(StablecoinError, code=2, description="invalid amount"): ...


class IssuanceDisabled(StablecoinError, code=3, description="stablecoin issuance is disabled"): ...


class MaxSupplyExceeded(StablecoinError, code=4, description="stablecoin max supply exceeded"): ...


class InsufficientReserve(StablecoinError, code=5, description="insufficient reserve"): ...


class InvalidParams(StablecoinError, code=6, description="invalid stablecoin params"): ...
