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
    │   TxTimeoutHeight 30, UnknownExtensionOptions 31, WrongSequence 32, NotFound 38
    ├── QueryError                  codespace "query" (every module's queries)
    │   QueryBudgetExceeded 2 (a query read past its budget),
    │   LatestOnlyQuery 3 (a list index asked at a past height),
    │   InvalidPagination 4 (a limit above the query's maximum, an offset too deep, a cursor
    │   too long or malformed), QueryFieldTooLong 5 (a field no stored key can hold)
    └── module errors               codespace = module name, codes from 2 (documented in SPEC.md)

One way to declare an error, everywhere: a class whose keywords give its code and description,
under its module's base class (which sets the codespace); declaring it registers it, and two
classes with one (codespace, code) refuse to import::

    class BankError(ChainError):
        codespace = "bank"

    class UnknownDenom(BankError, code=2, description="unknown denom"): ...

A failure gets its own class wherever a wallet or client would act differently on it. The SDK's
root errors are used where the Cosmos SDK returns the same error for the same failure, so that
Cosmos wallets read them as they would anywhere: a malformed address in a message or a query is
``sdk/7 InvalidAddress`` (as the SDK's address codec answers its gRPC queries), a malformed denom
``sdk/10 InvalidCoins``. ``sdk/18 InvalidRequest`` is only where the SDK has it: a tx without
messages, a gas limit above ``MaxGasWanted``, a proof the store cannot give, and a query whose
fields contradict each other (give exactly one of two ids: nothing to branch on, the caller's
code is wrong). A query's pagination failures are one error for every module
(``query/4 InvalidPagination``); other malformed query fields are the module's own errors (an
unknown status filter, a malformed id), the same ones its messages raise.

How the edges show them: the gRPC gateway answers ``NOT_FOUND`` for ``sdk/38 NotFound``,
``sdk/22 KeyNotFound`` and an error whose log says "not found", ``RESOURCE_EXHAUSTED`` for
``query/2``, ``UNIMPLEMENTED`` for ``sdk/6``, ``INTERNAL`` for an internal error and
``INVALID_ARGUMENT`` for every other error (REST: 404, 429, 501, 500, 400), with the codespace
and code in the log.
"""

from __future__ import annotations

from typing import ClassVar


class ChainError(Exception):
    """A user-caused failure: the transaction or query is refused, state is unchanged."""

    codespace: ClassVar[str] = "undefined"
    code: ClassVar[int] = 1
    description: ClassVar[str] = "unknown error"

    def __init_subclass__(
        cls, code: int | None = None, description: str | None = None, **kwargs: object
    ) -> None:
        """``class Name(ModuleError, code=N, description="..."): ...`` declares one error and
        registers its (codespace, code); a base class (a module's ``ModuleError``, which sets
        ``codespace``) passes neither."""
        super().__init_subclass__(**kwargs)
        if description is not None:
            cls.description = description
        if code is not None:
            cls.code = code
            register(cls)

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(self.log)

    @property
    def log(self) -> str:
        """The log a client reads, shaped like the SDK's ``"detail: description"``."""
        return f"{self.detail}: {self.description}" if self.detail else self.description


_registry: dict[tuple[str, int], type[ChainError]] = {}


def register(cls: type[ChainError]) -> type[ChainError]:
    """Records a declared error; refuses two classes with the same (codespace, code)."""
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


class TxDecodeError(SdkError, code=2, description="tx parse error"): ...
class InvalidSequence(SdkError, code=3, description="invalid sequence"): ...
class Unauthorized(SdkError, code=4, description="unauthorized"): ...
class InsufficientFunds(SdkError, code=5, description="insufficient funds"): ...
class UnknownRequest(SdkError, code=6, description="unknown request"): ...
class InvalidAddress(SdkError, code=7, description="invalid address"): ...
class InvalidPubKey(SdkError, code=8, description="invalid pubkey"): ...
class UnknownAddress(SdkError, code=9, description="unknown address"): ...
class InvalidCoins(SdkError, code=10, description="invalid coins"): ...
class OutOfGas(SdkError, code=11, description="out of gas"): ...
class MemoTooLarge(SdkError, code=12, description="memo too large"): ...
class InsufficientFee(SdkError, code=13, description="insufficient fee"): ...
class TooManySignatures(SdkError, code=14, description="maximum number of signatures exceeded"): ...
class NoSignatures(SdkError, code=15, description="no signatures supplied"): ...
class InvalidRequest(SdkError, code=18, description="invalid request"): ...
class TxTooLarge(SdkError, code=21, description="tx too large"): ...
class KeyNotFound(SdkError, code=22, description="key not found"): ...
class InvalidHeight(SdkError, code=26, description="invalid height"): ...
class WrongChainId(SdkError, code=28, description="invalid chain-id"): ...
class TxTimeoutHeight(SdkError, code=30, description="tx timeout height"): ...
class UnknownExtensionOptions(SdkError, code=31, description="unknown extension options"): ...
class WrongSequence(SdkError, code=32, description="incorrect account sequence"): ...
class NotFound(SdkError, code=38, description="not found"): ...


class QueryError(ChainError):
    codespace = "query"


class QueryBudgetExceeded(
    QueryError,
    code=2,
    description="query exceeded its read budget; narrow the filters or page with a cursor",
):
    """A query read more of the state than one query may (``App.query_gas_limit``)."""


class LatestOnlyQuery(
    QueryError, code=3, description="this query answers at the latest height only"
):
    """A query that reads a node-local list index asked for a past height: those indexes keep
    no history (store/versions.py), so it answers at the latest height only."""


class InvalidPagination(
    QueryError, code=4, description="invalid pagination; see the query's limit and cursor"
):
    """A list query's page request it cannot serve: a limit above its maximum, an offset
    deeper than it skips, a cursor longer than any key. Every module's list queries raise it
    through ``querying`` (``page_limit``, ``require_offset``, ``require_cursor``)."""


class QueryFieldTooLong(
    QueryError, code=5, description="a request field is longer than any key part (255 bytes)"
):
    """A query field no stored key can hold reached the store (a handler let it pass): the app
    answers it whatever the route, instead of an internal error."""


class InvariantBroken(Exception):
    """State contradicts a module invariant. Never shown to users: the node must stop."""
