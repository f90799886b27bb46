"""Failures of the auth module.

Most ante failures are SDK root errors (codespace ``sdk``) from ``stateset_chain.errors``, with the
SDK's codes and log texts, so wallets read them as they would from any Cosmos chain. This module
adds one more root error the shared table lacks (``InvalidGasLimit``, sdk 41) and the failures that
are ours alone (codespace ``auth``).
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, SdkError


class InvalidGasLimit(SdkError, code=41, description="invalid gas limit"):
    """SDK root error 41 (``ErrInvalidGasLimit``): the tx asks for zero gas."""


class AuthError(ChainError):
    codespace = "auth"


class UnsupportedSignMode(AuthError, code=2, description="unsupported sign mode"):
    """A signer used a mode other than SIGN_MODE_DIRECT (or a multisig)."""


class FeeDenomNotAccepted(AuthError, code=3, description="fee denom not accepted"):
    """The fee is in a denom the chain does not take fees in (params ``fee_denoms``)."""


class InvalidGenesis(AuthError, code=4, description="invalid auth genesis"): ...


# Ours alone, where the SDK has no such feature switch or limit: a wallet can act on each (split
# the tx, resend it ordered, use timeout_height, pay its own fee).
class TooManyMessages(
    AuthError, code=5, description="too many messages in one transaction"
):
    """More messages than the tx limits allow (``TxLimits.max_msgs``): split the tx."""


class UnorderedTxUnsupported(
    AuthError, code=6, description="unordered transactions are not supported"
):
    """``TxBody.unordered``: this chain orders every tx by its signers' sequences."""


class TimeoutTimestampUnsupported(
    AuthError, code=7, description="timeout_timestamp is not supported; use timeout_height"
):
    """``TxBody.timeout_timestamp``: only a timeout height expires a tx here."""


class FeeGrantsUnsupported(AuthError, code=8, description="fee grants are not enabled"):
    """``Fee.granter``: there is no x/feegrant; the payer pays its own fee."""

