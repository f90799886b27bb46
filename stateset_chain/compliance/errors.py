"""Failures of the compliance module (codespace ``compliance``), one class per failure.

ComplianceError (codespace "compliance")
├── NotAuthorized 2              the signer is not the compliance authority (or, for
│                                MsgUpdateParams, the chain authority)
├── InvalidParams 3
├── InvalidGenesis 4
├── InvalidCountry 5             not two letters A-Z, or a region outside [A-Z0-9-]{0,16}
├── InvalidCategory 6            not [a-z0-9_.-]{1,64}
├── MissingReason 7              a list change without a reason (or one over 256 bytes)
├── FieldTooLong 8               a list source over 128 bytes
├── AlreadySanctioned 9
├── NotSanctioned 10             removal (or query) of an address not on the list
├── AlreadyBlocked 11            country already blocked / category already restricted
├── NotBlocked 12                unblock / unrestrict of an entry that does not exist
├── InvalidLimit 13              daily > monthly (both set), or an invalid denom
├── SanctionedParty 14           create: the customer, merchant or supplier is sanctioned
├── BlockedDestination 15        create: the shipping country is blocked
├── RestrictedItem 16            create: an item's category is restricted at the destination
├── SanctionedPayer 17           pay: the payer is sanctioned
├── SanctionedPayee 18           settle: the merchant, supplier or platform is sanctioned
├── SanctionedRefundRecipient 19 refund / cancel: a payer to refund is sanctioned
├── SanctionedMintRecipient 20   CCTP: the mint recipient is sanctioned
├── SanctionedBurnSender 21      CCTP: the burn's sender is sanctioned
├── SanctionedSender 22          bank: the sender is sanctioned
├── SanctionedRecipient 23       bank: the recipient is sanctioned
├── DailyLimitExceeded 24        an outflow over the account's daily limit for the denom
├── MonthlyLimitExceeded 25      an outflow over the account's monthly limit for the denom
└── OrderFrozen 26               a payment to, or release of, an order a screening now
                                 fails (a party sanctioned, the destination or an item restricted)
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, register


class ComplianceError(ChainError):
    codespace = "compliance"


def _error(name: str, code: int, description: str) -> type[ComplianceError]:
    cls = type(name, (ComplianceError,), {"code": code, "description": description})
    register(cls)
    return cls  # type: ignore[return-value]


NotAuthorized = _error("NotAuthorized", 2, "not authorized")
InvalidParams = _error("InvalidParams", 3, "invalid compliance params")
InvalidGenesis = _error("InvalidGenesis", 4, "invalid compliance genesis")
InvalidCountry = _error("InvalidCountry", 5, "invalid country or region")
InvalidCategory = _error("InvalidCategory", 6, "invalid product category")
MissingReason = _error("MissingReason", 7, "a reason of 1..256 bytes is required")
FieldTooLong = _error("FieldTooLong", 8, "field too long")
AlreadySanctioned = _error("AlreadySanctioned", 9, "the address is already sanctioned")
NotSanctioned = _error("NotSanctioned", 10, "the address is not sanctioned")
AlreadyBlocked = _error("AlreadyBlocked", 11, "the entry already exists")
NotBlocked = _error("NotBlocked", 12, "no such entry")
InvalidLimit = _error("InvalidLimit", 13, "invalid account limit")
SanctionedParty = _error("SanctionedParty", 14, "an order party is sanctioned")
BlockedDestination = _error("BlockedDestination", 15, "the destination country is blocked")
RestrictedItem = _error("RestrictedItem", 16, "an item is restricted at the destination")
SanctionedPayer = _error("SanctionedPayer", 17, "the payer is sanctioned")
SanctionedPayee = _error("SanctionedPayee", 18, "a settlement recipient is sanctioned")
SanctionedRefundRecipient = _error(
    "SanctionedRefundRecipient", 19, "a refund recipient is sanctioned"
)
SanctionedMintRecipient = _error("SanctionedMintRecipient", 20, "the mint recipient is sanctioned")
SanctionedBurnSender = _error("SanctionedBurnSender", 21, "the burn sender is sanctioned")
SanctionedSender = _error("SanctionedSender", 22, "the sender is sanctioned")
SanctionedRecipient = _error("SanctionedRecipient", 23, "the recipient is sanctioned")
DailyLimitExceeded = _error("DailyLimitExceeded", 24, "the account's daily limit is exceeded")
MonthlyLimitExceeded = _error(
    "MonthlyLimitExceeded", 25, "the account's monthly limit is exceeded"
)
OrderFrozen = _error("OrderFrozen", 26, "the order is frozen by compliance")
