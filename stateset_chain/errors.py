"""Errors a user can cause, each with a stable (codespace, code).

Every distinct failure is its own class. A wallet acts on ``(codespace, code)``; a test asserts
the class. Broken invariants are not ``ChainError``s: they raise ``InvariantBroken`` and stop the
node, because continuing would commit a wrong state.

    ChainError                      (codespace, code, log)
    ├── sdk root errors             codespace "sdk", SDK numbers (types/errors/errors.go)
    │   TxDecodeError 2, InvalidSequence 3, Unauthorized 4, InsufficientFunds 5,
    │   UnknownRequest 6, InvalidAddress 7, InvalidPubKey 8, UnknownAddress 9, InvalidCoins 10,
    │   OutOfGas 11, MemoTooLarge 12, InsufficientFee 13, TooManySignatures 14, NoSignatures 15,
    │   InvalidRequest 18, TxTooLarge 21, KeyNotFound 22, InvalidHeight 26, WrongChainId 28,
    │   TxTimeoutHeight 30,
    │   UnknownExtensionOptions 31, WrongSequence 32, NotFound 38
    ├── QueryBudgetExceeded         codespace "query", code 2 (a query read past its budget)
    ├── LatestOnlyQuery             codespace "query", code 3 (a list index asked at a past height)
    └── module errors               codespace = module name, codes from 2 (documented in SPEC.md)
"""

from __future__ import annotations

from typing import ClassVar


class ChainError(Exception):
    """A user-caused failure: the transaction or query is refused, state is unchanged."""

    codespace: ClassVar[str] = "undefined"
    code: ClassVar[int] = 1
    description: ClassVar[str] = "unknown error"

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(self.log)

    @property
    def log(self) -> str:
        """The log a client reads, shaped like the SDK's ``"detail: description"``."""
        return f"{self.detail}: {self.description}" if self.detail else self.description


_registry: dict[tuple[str, int], type[ChainError]] = {}


def register(cls: type[ChainError]) -> type[ChainError]:
    """Class decorator: refuses two classes with the same (codespace, code)."""
    key = (cls.codespace, cls.code)
    if key in _registry and _registry[key] is not cls:
        other = _registry[key].__name__
        raise RuntimeError(f"duplicate error code {key}: {cls.__name__} and {other}")
    _registry[key] = cls
    return cls


def registered_errors() -> dict[tuple[str, int], type[ChainError]]:
    return dict(_registry)


class SdkError(ChainError):
    codespace = "sdk"


def _sdk(name: str, code: int, description: str) -> type[SdkError]:
    cls = type(name, (SdkError,), {"code": code, "description": description})
    register(cls)
    return cls  # type: ignore[return-value]


TxDecodeError = _sdk("TxDecodeError", 2, "tx parse error")
InvalidSequence = _sdk("InvalidSequence", 3, "invalid sequence")
Unauthorized = _sdk("Unauthorized", 4, "unauthorized")
InsufficientFunds = _sdk("InsufficientFunds", 5, "insufficient funds")
UnknownRequest = _sdk("UnknownRequest", 6, "unknown request")
InvalidAddress = _sdk("InvalidAddress", 7, "invalid address")
InvalidPubKey = _sdk("InvalidPubKey", 8, "invalid pubkey")
UnknownAddress = _sdk("UnknownAddress", 9, "unknown address")
InvalidCoins = _sdk("InvalidCoins", 10, "invalid coins")
OutOfGas = _sdk("OutOfGas", 11, "out of gas")
MemoTooLarge = _sdk("MemoTooLarge", 12, "memo too large")
InsufficientFee = _sdk("InsufficientFee", 13, "insufficient fee")
TooManySignatures = _sdk("TooManySignatures", 14, "maximum number of signatures exceeded")
NoSignatures = _sdk("NoSignatures", 15, "no signatures supplied")
InvalidRequest = _sdk("InvalidRequest", 18, "invalid request")
TxTooLarge = _sdk("TxTooLarge", 21, "tx too large")
KeyNotFound = _sdk("KeyNotFound", 22, "key not found")
InvalidHeight = _sdk("InvalidHeight", 26, "invalid height")
WrongChainId = _sdk("WrongChainId", 28, "invalid chain-id")
TxTimeoutHeight = _sdk("TxTimeoutHeight", 30, "tx timeout height")
UnknownExtensionOptions = _sdk("UnknownExtensionOptions", 31, "unknown extension options")
WrongSequence = _sdk("WrongSequence", 32, "incorrect account sequence")
NotFound = _sdk("NotFound", 38, "not found")


@register
class QueryBudgetExceeded(ChainError):
    """A query read more of the state than one query may (``App.query_gas_limit``)."""

    codespace = "query"
    code = 2
    description = "query exceeded its read budget; narrow the filters or page with a cursor"


@register
class LatestOnlyQuery(ChainError):
    """A query that reads a node-local list index asked for a past height: those indexes keep
    no history (store/versions.py), so it answers at the latest height only."""

    codespace = "query"
    code = 3
    description = "this query answers at the latest height only"


class InvariantBroken(Exception):
    """State contradicts a module invariant. Never shown to users: the node must stop."""
