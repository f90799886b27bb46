"""Failures of the cross-chain glue (codespace ``crosschain``), one class per distinct failure.

    CrosschainError
    ├── InvalidGenesis 2
    ├── UnclaimedNotFound 3          no unclaimed funds under that message hash
    ├── InvalidMessageHash 4         a message hash that is not 32 bytes
    ├── InvalidAmount 5              an amount that is not a canonical positive integer
    ├── AmountExceedsUnclaimed 6     more than the record holds
    ├── NotOriginalSender 7          a local claim by anyone but the original sender's account
    ├── RecipientIsModuleAccount 8   a claim paid to a module account
    ├── RecipientIsDepositAddress 9  a claim paid to an order's deposit address (no one holds it)
    ├── OrderNotFound 10             no order with this id
    ├── NotOrderCustomer 11          a refund destination named by anyone but the customer
    ├── RefundDestinationLocked 12   the order already has a cross-chain payment
    ├── InvalidRefundDestination 13  a recipient that is not 32 bytes, or zero
    ├── NoRefundDestination 14       nowhere to refund a cross-chain payment to
    └── InvalidOrderId 15            not ord_ + 10 base62 characters (a message or a query)

Errors of the cctp module (a burn refused: paused, over the limit...) and of the bank pass
through unchanged.
"""

from __future__ import annotations

from stateset_chain.errors import ChainError


class CrosschainError(ChainError):
    codespace = "crosschain"


class InvalidGenesis(CrosschainError, code=2, description="invalid crosschain genesis"): ...


class UnclaimedNotFound(
    CrosschainError, code=3, description="no unclaimed funds for this message hash"
): ...


class InvalidMessageHash(CrosschainError, code=4, description="message hash must be 32 bytes"): ...


class InvalidAmount(CrosschainError, code=5, description="invalid amount"): ...


class AmountExceedsUnclaimed(
    CrosschainError, code=6, description="amount exceeds the unclaimed funds"
): ...


class NotOriginalSender(
    CrosschainError,
    code=7,
    description="only the original sender's own account may claim these funds here",
): ...


class RecipientIsModuleAccount(
    CrosschainError, code=8, description="module accounts cannot receive claimed funds"
): ...


class RecipientIsDepositAddress(
    CrosschainError, code=9, description="an order's deposit address cannot receive claimed funds"
): ...


class OrderNotFound(CrosschainError, code=10, description="no order with this id"): ...


class NotOrderCustomer(
    CrosschainError,
    code=11,
    description="only the order's customer may name its refund destination",
): ...


class RefundDestinationLocked(
    CrosschainError,
    code=12,
    description="the order already has a cross-chain payment; its refund destination is fixed",
): ...


class InvalidRefundDestination(
    CrosschainError, code=13, description="refund recipient must be 32 bytes and not zero"
): ...


class NoRefundDestination(
    CrosschainError,
    code=14,
    description="the order names no refund destination and its payer's sender is no wallet",
): ...


class InvalidOrderId(
    CrosschainError, code=15, description="not an order id (ord_ and 10 base62 characters)"
): ...

