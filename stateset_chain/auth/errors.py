"""Failures of the auth module.

Most ante failures are SDK root errors (codespace ``sdk``) from ``stateset_chain.errors``, with the
SDK's codes and log texts, so wallets read them as they would from any Cosmos chain. This module
adds one more root error the shared table lacks (``InvalidGasLimit``, sdk 41) and the failures that
are ours alone (codespace ``auth``).
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, SdkError, register


@register
class InvalidGasLimit(SdkError):
    """SDK root error 41 (``ErrInvalidGasLimit``): the tx asks for zero gas."""

    code = 41
    description = "invalid gas limit"


class AuthError(ChainError):
    codespace = "auth"


@register
class UnsupportedSignMode(AuthError):
    """A signer used a mode other than SIGN_MODE_DIRECT (or a multisig)."""

    code = 2
    description = "unsupported sign mode"


@register
class FeeDenomNotAccepted(AuthError):
    """The fee is in a denom the chain does not take fees in (params ``fee_denoms``)."""

    code = 3
    description = "fee denom not accepted"


@register
class InvalidGenesis(AuthError):
    code = 4
    description = "invalid auth genesis"
