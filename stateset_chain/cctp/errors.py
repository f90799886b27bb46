"""Failures of the cctp module (codespace ``cctp``), one class per distinct failure.

Noble's x/cctp wraps fifteen failures in one ``ErrReceiveMessage``; here a relayer or wallet can
act on the code alone. Malformed signer addresses use the SDK's ``InvalidAddress`` (sdk 7), a
depositor without the coins the SDK's ``InsufficientFunds`` (sdk 5).

    CctpError
    ├── wire formats       MalformedMessage 3, MalformedBurnMessage 4, InvalidBytes32 31
    ├── attestation        WrongAttestationLength 5, InvalidSignatureV 6, HighSValue 7,
    │                      UnrecoverableSignature 8, SignaturesOutOfOrder 9, DuplicateSigner 10,
    │                      NotAttester 11, NoAttesters 12, SignatureThresholdNotSet 13
    ├── receive            MessagesPaused 14, BurningAndMintingPaused 15,
    │                      WrongDestinationDomain 16, WrongDestinationCaller 17,
    │                      UnsupportedMessageVersion 18, UnsupportedBurnMessageVersion 19,
    │                      NonceAlreadyUsed 20, TokenPairNotLinked 21,
    │                      UnknownRemoteTokenMessenger 22, SenderNotRemoteTokenMessenger 23,
    │                      LocalDomainNotSet 50
    ├── send               InvalidAmount 24, ZeroMintRecipient 25, UnsupportedBurnToken 26,
    │                      BurnAmountOverLimit 27, MessageBodyTooLarge 28, InvalidRecipient 29,
    │                      InvalidDestinationCaller 30, NotOriginalDepositor 47,
    │                      NotOriginalSender 48, MessageNotFromLocalDomain 49
    ├── roles              NotOwner 32, NotPendingOwner 33, NoPendingOwner 34,
    │                      NotAttesterManager 35, NotPauser 36, NotTokenController 37
    ├── admin              InvalidAttesterKey 38, AttesterAlreadyEnabled 39, AttesterNotEnabled 40,
    │                      CannotDisableLastAttester 41, DisableBelowThreshold 42,
    │                      InvalidSignatureThreshold 43, SignatureThresholdUnchanged 44,
    │                      SignatureThresholdTooHigh 45, TokenPairAlreadyLinked 46,
    │                      UnsupportedLocalToken 51, RemoteTokenMessengerAlreadyExists 52
    └── InvalidGenesis 2
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, register


class CctpError(ChainError):
    codespace = "cctp"


def _error(name: str, code: int, description: str) -> type[CctpError]:
    cls = type(name, (CctpError,), {"code": code, "description": description})
    register(cls)
    return cls  # type: ignore[return-value]


InvalidGenesis = _error("InvalidGenesis", 2, "invalid cctp genesis")

# wire formats
MalformedMessage = _error("MalformedMessage", 3, "malformed cctp message")
MalformedBurnMessage = _error("MalformedBurnMessage", 4, "malformed burn message")

# attestation
WrongAttestationLength = _error(
    "WrongAttestationLength", 5, "attestation length is not 65 bytes times the signature threshold"
)
InvalidSignatureV = _error("InvalidSignatureV", 6, "signature v must be 27 or 28")
HighSValue = _error("HighSValue", 7, "signature s must be in the lower half of the curve order")
UnrecoverableSignature = _error(
    "UnrecoverableSignature", 8, "no public key can be recovered from the signature"
)
SignaturesOutOfOrder = _error(
    "SignaturesOutOfOrder", 9, "signer addresses must be in strictly increasing order"
)
DuplicateSigner = _error("DuplicateSigner", 10, "the same attester signed twice")
NotAttester = _error("NotAttester", 11, "signer is not an enabled attester")
NoAttesters = _error("NoAttesters", 12, "no attesters are enabled")
SignatureThresholdNotSet = _error("SignatureThresholdNotSet", 13, "signature threshold is not set")

# receive
MessagesPaused = _error("MessagesPaused", 14, "sending and receiving messages is paused")
BurningAndMintingPaused = _error("BurningAndMintingPaused", 15, "burning and minting is paused")
WrongDestinationDomain = _error(
    "WrongDestinationDomain", 16, "message is for another destination domain"
)
WrongDestinationCaller = _error(
    "WrongDestinationCaller", 17, "message may only be received by its destination caller"
)
UnsupportedMessageVersion = _error("UnsupportedMessageVersion", 18, "unsupported message version")
UnsupportedBurnMessageVersion = _error(
    "UnsupportedBurnMessageVersion", 19, "unsupported burn message version"
)
NonceAlreadyUsed = _error("NonceAlreadyUsed", 20, "nonce already used")
TokenPairNotLinked = _error(
    "TokenPairNotLinked", 21, "no local token is linked to this remote token"
)
UnknownRemoteTokenMessenger = _error(
    "UnknownRemoteTokenMessenger", 22, "no remote token messenger for this domain"
)
SenderNotRemoteTokenMessenger = _error(
    "SenderNotRemoteTokenMessenger", 23, "message sender is not the domain's remote token messenger"
)

# send
InvalidAmount = _error("InvalidAmount", 24, "invalid amount")
ZeroMintRecipient = _error("ZeroMintRecipient", 25, "mint recipient must be nonzero")
UnsupportedBurnToken = _error("UnsupportedBurnToken", 26, "burn token is not supported")
BurnAmountOverLimit = _error("BurnAmountOverLimit", 27, "amount exceeds the per-message burn limit")
MessageBodyTooLarge = _error("MessageBodyTooLarge", 28, "message body exceeds the maximum size")
InvalidRecipient = _error("InvalidRecipient", 29, "recipient must be nonzero")
InvalidDestinationCaller = _error(
    "InvalidDestinationCaller", 30, "destination caller must be nonzero"
)
InvalidBytes32 = _error("InvalidBytes32", 31, "field must be exactly 32 bytes")

# roles
NotOwner = _error("NotOwner", 32, "signer is not the owner")
NotPendingOwner = _error("NotPendingOwner", 33, "signer is not the pending owner")
NoPendingOwner = _error("NoPendingOwner", 34, "no ownership transfer is pending")
NotAttesterManager = _error("NotAttesterManager", 35, "signer is not the attester manager")
NotPauser = _error("NotPauser", 36, "signer is not the pauser")
NotTokenController = _error("NotTokenController", 37, "signer is not the token controller")

# admin
InvalidAttesterKey = _error(
    "InvalidAttesterKey", 38, "attester must be a 65-byte uncompressed secp256k1 public key in hex"
)
AttesterAlreadyEnabled = _error("AttesterAlreadyEnabled", 39, "attester is already enabled")
AttesterNotEnabled = _error("AttesterNotEnabled", 40, "attester is not enabled")
CannotDisableLastAttester = _error(
    "CannotDisableLastAttester", 41, "cannot disable the last attester"
)
DisableBelowThreshold = _error(
    "DisableBelowThreshold", 42, "disabling would leave fewer attesters than the threshold"
)
InvalidSignatureThreshold = _error(
    "InvalidSignatureThreshold", 43, "signature threshold must be positive"
)
SignatureThresholdUnchanged = _error(
    "SignatureThresholdUnchanged", 44, "signature threshold already set to this value"
)
SignatureThresholdTooHigh = _error(
    "SignatureThresholdTooHigh", 45, "signature threshold exceeds the number of enabled attesters"
)
TokenPairAlreadyLinked = _error(
    "TokenPairAlreadyLinked", 46, "a local token is already linked to this remote token"
)
NotOriginalDepositor = _error(
    "NotOriginalDepositor", 47, "only the original depositor may replace a burn"
)
NotOriginalSender = _error(
    "NotOriginalSender", 48, "only the original sender may replace a message"
)
MessageNotFromLocalDomain = _error(
    "MessageNotFromLocalDomain", 49, "message was not sent from this domain"
)
LocalDomainNotSet = _error("LocalDomainNotSet", 50, "local domain is not set in genesis")
UnsupportedLocalToken = _error("UnsupportedLocalToken", 51, "local token is not supported")
RemoteTokenMessengerAlreadyExists = _error(
    "RemoteTokenMessengerAlreadyExists", 52, "a remote token messenger for this domain exists"
)
MintRecipientBlocked = _error(
    "MintRecipientBlocked", 53, "mint recipient is blocked: the coins would be stranded"
)
