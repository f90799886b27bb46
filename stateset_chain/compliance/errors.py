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

from stateset_chain.errors import ChainError


class ComplianceError(ChainError):
    codespace = "compliance"


class NotAuthorized(ComplianceError, code=2, description="not authorized"): ...
class InvalidParams(ComplianceError, code=3, description="invalid compliance params"): ...
class InvalidGenesis(ComplianceError, code=4, description="invalid compliance genesis"): ...
class InvalidCountry(ComplianceError, code=5, description="invalid country or region"): ...
class InvalidCategory(ComplianceError, code=6, description="invalid product category"): ...
class MissingReason(
    ComplianceError, code=7, description="a reason of 1..256 bytes is required"
): ...
class FieldTooLong(ComplianceError, code=8, description="field too long"): ...
class AlreadySanctioned(
    ComplianceError, code=9, description="the address is already sanctioned"
): ...
class NotSanctioned(ComplianceError, code=10, description="the address is not sanctioned"): ...
class AlreadyBlocked(ComplianceError, code=11, description="the entry already exists"): ...
class NotBlocked(ComplianceError, code=12, description="no such entry"): ...
class InvalidLimit(ComplianceError, code=13, description="invalid account limit"): ...
class SanctionedParty(ComplianceError, code=14, description="an order party is sanctioned"): ...
class BlockedDestination(
    ComplianceError, code=15, description="the destination country is blocked"
): ...
class RestrictedItem(
    ComplianceError, code=16, description="an item is restricted at the destination"
): ...
class SanctionedPayer(ComplianceError, code=17, description="the payer is sanctioned"): ...
class SanctionedPayee(
    ComplianceError, code=18, description="a settlement recipient is sanctioned"
): ...
class SanctionedRefundRecipient(
    ComplianceError, code=19, description="a refund recipient is sanctioned"
): ...
class SanctionedMintRecipient(
    ComplianceError, code=20, description="the mint recipient is sanctioned"
): ...
class SanctionedBurnSender(
    ComplianceError, code=21, description="the burn sender is sanctioned"
): ...
class SanctionedSender(ComplianceError, code=22, description="the sender is sanctioned"): ...
class SanctionedRecipient(ComplianceError, code=23, description="the recipient is sanctioned"): ...
class DailyLimitExceeded(
    ComplianceError, code=24, description="the account's daily limit is exceeded"
): ...
class MonthlyLimitExceeded(
    ComplianceError, code=25, description="the account's monthly limit is exceeded"
): ...
class OrderFrozen(ComplianceError, code=26, description="the order is frozen by compliance"): ...
