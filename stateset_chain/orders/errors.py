"""Failures of the orders module (codespace ``orders``), one class per distinct failure.

Malformed addresses are the SDK's ``InvalidAddress`` (sdk 7) and a payer without the coins is the
bank's ``InsufficientFunds`` (sdk 5); bad query requests are ``InvalidRequest`` (sdk 18).

    OrdersError (codespace "orders")
    ├── lookups          OrderNotFound 2, InvalidOrderId 3, DuplicateClientOrderId 4
    ├── lifecycle        InvalidTransition 5, NotAuthorized 6, ReturnWindowClosed 7,
    │                    InsufficientPayment 8
    ├── money            Overpayment 9, OverRefund 10, WrongDenom 11, InvalidAmount 12,
    │                    OrderTotalTooLarge 13, ZeroTotal 14, InvalidPrice 15
    ├── order contents   NoItems 16, TooManyItems 17, InvalidItem 18, InvalidQuantity 19,
    │                    FieldTooLong 20, TooManyMetadataEntries 21, InvalidCurrency 22,
    │                    UnknownShippingMethod 23, InvalidCountry 24, InvalidRevenueSplit 25,
    │                    SplitNotAllowed 26, CreatorNotParty 27, CustomerIsMerchant 28,
    │                    InvalidTimestamp 29, TooManyEvidenceItems 30
    ├── batches          EmptyBatch 31, BatchTooLarge 32, BatchCreatorMismatch 33
    ├── disputes         InvalidOutcome 34
    ├── configuration    InvalidParams 35, InvalidGenesis 36
    ├── messages         MissingField 37
    ├── recipients       BlockedSettlementRecipient 38 (settlement would pay an address nobody
    │                    can spend from: a module account or an order deposit address)
    └── privacy          PersonalDataInClear 39 (a personal metadata key or an email address in
                         clear text), NoPersonalData 40 (nothing to erase)
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, register


class OrdersError(ChainError):
    codespace = "orders"


def _error(name: str, code: int, description: str) -> type[OrdersError]:
    cls = type(name, (OrdersError,), {"code": code, "description": description})
    register(cls)
    return cls  # type: ignore[return-value]


OrderNotFound = _error("OrderNotFound", 2, "order not found")
InvalidOrderId = _error("InvalidOrderId", 3, "invalid order id")
DuplicateClientOrderId = _error("DuplicateClientOrderId", 4, "client order id already used")
InvalidTransition = _error("InvalidTransition", 5, "invalid order status transition")
NotAuthorized = _error("NotAuthorized", 6, "signer may not do this to the order")
ReturnWindowClosed = _error("ReturnWindowClosed", 7, "return window closed")
InsufficientPayment = _error("InsufficientPayment", 8, "order is not fully paid")
Overpayment = _error("Overpayment", 9, "payment exceeds the amount due")
OverRefund = _error("OverRefund", 10, "refund exceeds the amount in escrow")
WrongDenom = _error("WrongDenom", 11, "denom not accepted for the order's currency")
InvalidAmount = _error("InvalidAmount", 12, "invalid amount")
OrderTotalTooLarge = _error("OrderTotalTooLarge", 13, "order total too large")
ZeroTotal = _error("ZeroTotal", 14, "order total is zero")
InvalidPrice = _error("InvalidPrice", 15, "invalid price")
NoItems = _error("NoItems", 16, "order has no items")
TooManyItems = _error("TooManyItems", 17, "too many items")
InvalidItem = _error("InvalidItem", 18, "invalid item")
InvalidQuantity = _error("InvalidQuantity", 19, "invalid quantity")
FieldTooLong = _error("FieldTooLong", 20, "field too long")
TooManyMetadataEntries = _error("TooManyMetadataEntries", 21, "too many metadata entries")
InvalidCurrency = _error("InvalidCurrency", 22, "invalid currency")
UnknownShippingMethod = _error("UnknownShippingMethod", 23, "unknown shipping method")
InvalidCountry = _error("InvalidCountry", 24, "invalid country code")
InvalidRevenueSplit = _error("InvalidRevenueSplit", 25, "invalid revenue split")
SplitNotAllowed = _error("SplitNotAllowed", 26, "only the merchant may set a revenue split")
CreatorNotParty = _error("CreatorNotParty", 27, "creator must be the customer or the merchant")
CustomerIsMerchant = _error("CustomerIsMerchant", 28, "customer and merchant are the same")
InvalidTimestamp = _error("InvalidTimestamp", 29, "invalid ISO 8601 timestamp")
TooManyEvidenceItems = _error("TooManyEvidenceItems", 30, "too many evidence items")
EmptyBatch = _error("EmptyBatch", 31, "batch is empty")
BatchTooLarge = _error("BatchTooLarge", 32, "batch too large")
BatchCreatorMismatch = _error("BatchCreatorMismatch", 33, "batch order has another creator")
InvalidOutcome = _error("InvalidOutcome", 34, "invalid dispute outcome")
InvalidParams = _error("InvalidParams", 35, "invalid orders params")
InvalidGenesis = _error("InvalidGenesis", 36, "invalid orders genesis")
MissingField = _error("MissingField", 37, "required field is empty")
BlockedSettlementRecipient = _error(
    "BlockedSettlementRecipient", 38, "it cannot receive settlement"
)
PersonalDataInClear = _error(
    "PersonalDataInClear", 39, "personal data must be sealed, not sent in clear"
)
NoPersonalData = _error("NoPersonalData", 40, "the order holds no sealed personal data")
ClientOrderIdNotMerchants = _error(
    "ClientOrderIdNotMerchants", 41, "only the merchant may set a client order id"
)
PaymentLimitReached = _error(
    "PaymentLimitReached", 42, "the order's last payment slot must complete it"
)
ArbiterIsParty = _error("ArbiterIsParty", 43, "the arbiter is a party to the order")
